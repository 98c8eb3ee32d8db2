/**
 * Named assumption presets. The late-2025 market is the registry's defaults (every default has
 * its source and as-of date); the bull and bear cases move the few inputs that analysts argue
 * about, each within its allowed range (a test checks every preset against the registry).
 */
import type { Overrides } from "./model.js";

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
