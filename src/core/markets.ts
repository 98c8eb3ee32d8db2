/**
 * Dated market snapshots: named sets of market inputs, each value with its source and as-of
 * date. The late-2025 snapshot is the registry's defaults, so the default valuation stays
 * reproducible; a later snapshot moves only the keys for which a dated public figure exists
 * and keeps every other default (with the default's own source).
 */
import { parseAssumptions, type AssumptionSet } from "./assumptions.js";
import { blockHeightAt, hashprice } from "./bitcoin.js";
import { InputError, describeValue } from "./errors.js";
import { DEFAULTS, getDef, type AssumptionKey, type Assumptions } from "./registry.js";
import { normalizeName } from "./scenarios.js";
import { effectiveBlockHeight } from "./mining.js";
import { isoToSerial, serialToIso } from "./time.js";

/** Where a value comes from: what a reviewer needs to trace it. */
export interface Provenance {
  readonly source: string;
  readonly asOf: string;
}

export interface SnapshotValue extends Provenance {
  readonly value: number;
}

export interface MarketSnapshot {
  /** The name users type: `--market 2026-06`, a `market` row in an assumptions range. */
  readonly id: string;
  readonly aliases: readonly string[];
  readonly label: string;
  readonly description: string;
  /** Keys this snapshot sets over the registry's defaults. */
  readonly values: Readonly<Partial<Record<AssumptionKey, SnapshotValue>>>;
  /** A published hashprice of the same weeks: the engine's hashprice is checked against it. */
  readonly reportedHashprice: SnapshotValue;
}

/** Chain height on `iso`, at 144 blocks a day from the fourth halving (the defaults' rule). */
export function estimatedBlockHeight(iso: string): number {
  return blockHeightAt(isoToSerial(iso)!);
}

/** Network hashrate (EH/s) that a difficulty (in T) implies: difficulty × 2³² hashes per 600-second block. */
export function hashrateFromDifficulty(difficultyT: number): number {
  return (difficultyT * 1e12 * 2 ** 32) / 600 / 1e18;
}

const JUNE_2026_VALUATION = "2026-07-01";
const JUNE_2026_DIFFICULTY_T = 133.87;

export const DEFAULT_MARKET_ID = "2025-12";

/** 9999-12-31, the last date Excel holds. */
const LAST_EXCEL_SERIAL = 2_958_465;

export const MARKETS: readonly MarketSnapshot[] = [
  {
    id: DEFAULT_MARKET_ID,
    aliases: ["late-2025", "default"],
    label: "Late-2025 market (defaults)",
    description: "The registry's defaults: valued on 1 January 2026 from public figures of November-December 2025.",
    values: {},
    reportedHashprice: { value: 39.82, source: "Hashrate Index: November 2025 average", asOf: "2025-11" },
  },
  {
    id: "2026-06",
    aliases: ["mid-2026"],
    label: "Mid-2026 market",
    description:
      "Valued on 1 July 2026 from late-June 2026 figures: BTC below 60,000 USD, difficulty 133.87 T, H100 one-year contracts at 2.65 USD/h. Power, fees and every non-market input keep their late-2025 defaults (no newer public figure).",
    values: {
      valuation_date: {
        value: isoToSerial(JUNE_2026_VALUATION)!,
        source: "MinePivot assumption: first month after the late-June 2026 market figures",
        asOf: JUNE_2026_VALUATION,
      },
      block_height: {
        value: estimatedBlockHeight(JUNE_2026_VALUATION),
        source: "Estimate: block 840,000 on 20 Apr 2024 plus 144 blocks a day to 1 Jul 2026",
        asOf: JUNE_2026_VALUATION,
      },
      btc_price: {
        value: 60_000,
        source: "Below 60,000 USD on 24-28 Jun 2026, intraday low 59,023 (market coverage, secondary)",
        asOf: "2026-06-28",
      },
      network_hashrate: {
        value: hashrateFromDifficulty(JUNE_2026_DIFFICULTY_T),
        source: "Derived: difficulty 133.87 T after the 26 Jun 2026 adjustment (Galaxy Research, secondary) × 2^32 / 600 s; reported 886-984 EH/s",
        asOf: "2026-06-26",
      },
      gpu_rate: {
        value: 2.65,
        source: "H100 one-year contract 2.65 USD/h, spot 2.42 (SemiAnalysis as reported, secondary); up from 1.70 in Oct 2025",
        asOf: "2026-06",
      },
    },
    reportedHashprice: { value: 28.7, source: "Late June 2026, as reported (secondary)", asOf: "2026-06" },
  },
];

/**
 * The snapshot named `raw`: its id ("2026-06", "2026_06") or alias ("mid-2026"). Excel turns
 * "2026-06" typed into a cell into a date, so a date serial in the snapshot's month names it too.
 */
export function parseMarket(raw: unknown, argument = "market"): MarketSnapshot {
  const text =
    typeof raw === "number" && raw >= 1 && raw <= LAST_EXCEL_SERIAL
      ? serialToIso(raw).slice(0, 7)
      : typeof raw === "string"
        ? normalizeName(raw).replace(/_/g, "-")
        : undefined;
  const found = MARKETS.find((snapshot) => snapshot.id === text || snapshot.aliases.includes(text ?? ""));
  if (found) return found;
  const allowed = `one of ${MARKETS.map((snapshot) => `"${snapshot.id}"`).join(", ")} (market snapshots)`;
  throw new InputError(argument, raw, allowed, `${argument}: ${describeValue(raw)} is not a market snapshot; expected ${allowed}`);
}

export function defaultMarket(): MarketSnapshot {
  return MARKETS.find((snapshot) => snapshot.id === DEFAULT_MARKET_ID)!;
}

/** The registry's defaults with the snapshot's values laid over them. */
export function marketAssumptions(snapshot: MarketSnapshot): Assumptions {
  const values: Record<string, number> = { ...DEFAULTS };
  for (const [key, entry] of Object.entries(snapshot.values)) values[key] = entry.value;
  return values as Assumptions;
}

/** Source and as-of date of a key's value in a snapshot (the registry's where the snapshot keeps the default). */
export function marketProvenance(snapshot: MarketSnapshot, key: AssumptionKey): Provenance {
  const entry = snapshot.values[key];
  if (entry) return { source: entry.source, asOf: entry.asOf };
  const def = getDef(key);
  return { source: def.source, asOf: def.asOf };
}

/** One line for every output: which snapshot the numbers stand on. */
export function describeMarket(snapshot: MarketSnapshot): string {
  return `Market snapshot ${snapshot.id}: ${snapshot.label}`;
}

/** The engine's hashprice at the snapshot's valuation date, USD per PH/s per day. */
export function snapshotHashprice(snapshot: MarketSnapshot): number {
  const a = marketAssumptions(snapshot);
  return hashprice(a.btc_price, a.network_hashrate, a.fee_share, effectiveBlockHeight(a));
}

/** The name of the assumption-range row that picks a snapshot. */
export const MARKET_KEY = "market";

export interface MarketAssumptionSet extends AssumptionSet {
  readonly market: MarketSnapshot;
  /** Whether a `market` row chose the snapshot (else it is the fallback). */
  readonly marketGiven: boolean;
}

/**
 * Takes the `market, <snapshot>` row out of key/value pairs. The row is left as a blank, so
 * row numbers in later error messages still match the user's range; given twice, it is an
 * error, like any other key.
 */
export function splitMarketRow(
  pairs: Iterable<readonly [unknown, unknown]>,
  argument = "assumptions",
): { readonly market: MarketSnapshot | undefined; readonly rest: Array<readonly [unknown, unknown]> } {
  let market: MarketSnapshot | undefined;
  const rest: Array<readonly [unknown, unknown]> = [];
  let row = 0;
  for (const pair of pairs) {
    row++;
    const [rawKey, rawValue] = pair;
    if (typeof rawKey === "string" && normalizeName(rawKey) === MARKET_KEY) {
      if (market) throw new InputError(MARKET_KEY, rawValue, "one market per set", `${argument} row ${row}: key "${MARKET_KEY}" is given twice`);
      market = parseMarket(rawValue, `${argument} row ${row}, ${MARKET_KEY}`);
      rest.push([undefined, undefined]);
    } else rest.push(pair);
  }
  return { market, rest };
}

/** Parses key/value pairs over the snapshot a `market` row names (`fallback` when none does). */
export function parseAssumptionsInMarket(
  pairs: Iterable<readonly [unknown, unknown]>,
  argument = "assumptions",
  fallback: MarketSnapshot = defaultMarket(),
): MarketAssumptionSet {
  const { market, rest } = splitMarketRow(pairs, argument);
  const chosen = market ?? fallback;
  return { ...parseAssumptions(rest, marketAssumptions(chosen), argument), market: chosen, marketGiven: market !== undefined };
}
