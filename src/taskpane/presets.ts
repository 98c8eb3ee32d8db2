/**
 * Named assumption presets. The late-2025 market is the registry's defaults (every default has
 * its source and as-of date) and the mid-2026 market is the core's dated snapshot; the bull and
 * bear cases move the few inputs that analysts argue about, each within its allowed range (a
 * test checks every preset against the registry). Deal presets price the current set like a
 * public deal, on top of whatever else it holds.
 */
import { DEALS, getDef, parseDeal, parseMarket, priceLikeDeal, type AssumptionKey } from "../core/index.js";
import { baseValues, formatInput, type Overrides } from "./model.js";

export interface Preset {
  readonly id: string;
  readonly label: string;
  readonly description: string;
  readonly overrides: Overrides;
}

export const PRESETS: readonly Preset[] = [
  {
    id: "late-2025",
    label: "Late-2025 market (defaults)",
    description: "The registry's defaults: a 100 MW US mine on 1 January 2026, priced from late-2025 public figures.",
    overrides: {},
  },
  marketPreset("mid-2026", "2026-06"),
  {
    id: "bull",
    label: "Analyst bull case",
    description: "BTC at 150,000 USD rising 10 %/yr, slower hashrate growth, richer leases and exit cap rates, GPU rates holding up better.",
    overrides: {
      btc_price: "150000",
      btc_price_growth: "0.1",
      hashrate_growth: "0.15",
      lease_rate: "160",
      exit_cap_rate: "0.065",
      gpu_rate: "2.5",
      gpu_rate_decline: "0.15",
      utilization: "0.9",
    },
  },
  {
    id: "bear",
    label: "Bear case",
    description: "BTC at 60,000 USD, faster hashrate growth, dearer power, thinner leases, higher cap rates and GPU rates falling 30 %/yr.",
    overrides: {
      btc_price: "60000",
      hashrate_growth: "0.3",
      power_price: "55",
      lease_rate: "110",
      exit_cap_rate: "0.085",
      conversion_capex: "11",
      gpu_rate: "1.6",
      gpu_rate_decline: "0.3",
      utilization: "0.75",
    },
  },
];

/** A snapshot's values as field text; its description names the snapshot. */
function marketPreset(id: string, snapshotId: string): Preset {
  const snapshot = parseMarket(snapshotId);
  const overrides: Overrides = {};
  for (const [key, entry] of Object.entries(snapshot.values)) overrides[key as AssumptionKey] = formatInput(getDef(key as AssumptionKey), entry.value);
  return { id, label: `${snapshot.label} (snapshot ${snapshot.id})`, description: `Market snapshot ${snapshot.id}. ${snapshot.description}`, overrides };
}

export interface DealPreset {
  readonly id: string;
  readonly label: string;
}

export const DEAL_PRESETS: readonly DealPreset[] = DEALS.map((deal) => ({ id: deal.id, label: deal.name }));

/** Field text with six significant digits: a derived rent needs no more to match its deal. */
function fieldText(key: AssumptionKey, value: number): string {
  return formatInput(getDef(key), Number(value.toPrecision(6)));
}

/**
 * The shared set priced like a deal: its other values stay, and the deal's terms are laid
 * over them. Throws the core's InputError while a field of the set is invalid.
 */
export function applyDeal(base: Overrides, dealId: string): { overrides: Overrides; description: string } {
  const pricing = priceLikeDeal(parseDeal(dealId), baseValues(base));
  const overrides: Overrides = { ...base };
  const changes: string[] = [];
  for (const [key, value] of Object.entries(pricing.values) as [AssumptionKey, number][]) {
    overrides[key] = fieldText(key, value);
    changes.push(`${key} ${overrides[key]}`);
  }
  const why = pricing.provenance.lease_rate ?? pricing.provenance.gpu_rate;
  return { overrides, description: `Priced like ${pricing.deal.name}: ${changes.join(", ")}. ${why!.source}.` };
}
