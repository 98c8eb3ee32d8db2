/**
 * What the Results view shows for one site, from one call to the core's compare: each
 * scenario's headline metrics and uplift over mining, and its cumulative cash flow to equity
 * year by year (terminal value included in its year, as payback counts it). Pure: no React.
 *
 * Per-MW figures are on the basis asked for: per site MW (the contract's default) or per IT MW
 * (critical IT power for a conversion, hashing power for the mine), as the view's toggle sets.
 * The uplift over mining stays per site watt, the one denominator that every scenario shares.
 */
import {
  SCENARIOS,
  annualize,
  compare,
  defaultTornadoKeys,
  onBasis,
  tornado,
  type Assumptions,
  type Basis,
  type ScenarioName,
  type Tornado,
} from "../core/index.js";

export interface ScenarioResult {
  readonly scenario: ScenarioName;
  /** Per watt of the results' basis, as are revenue and EBITDA per MW-year. */
  readonly equityPerWatt: number;
  readonly equityUsd: number;
  readonly revenuePerMwYear: number;
  readonly ebitdaPerMwYear: number;
  readonly irr: number | null;
  readonly paybackYears: number | null;
  /** Equity per site watt minus mining's; 0 for mining itself. */
  readonly upliftPerWatt: number;
  /** Cumulative cash flow to equity (with terminal value) at the end of year 0, 1, 2, ... in USD. */
  readonly cumulativeEquityUsd: readonly number[];
}

export interface SiteResults {
  readonly basis: Basis;
  readonly scenarios: readonly ScenarioResult[];
}

/** How the per-MW figures name their denominator on each basis. */
export const BASIS_UNITS: Readonly<Record<Basis, { readonly watt: string; readonly mw: string }>> = {
  site: { watt: "W", mw: "MW" },
  it: { watt: "IT W", mw: "IT MW" },
};

export function siteResults(values: Assumptions, scenarios: readonly ScenarioName[] = SCENARIOS, basis: Basis = "site"): SiteResults {
  const comparison = compare(values, scenarios);
  return {
    basis,
    scenarios: scenarios.map((scenario) => {
      const valuation = comparison.valuations[scenario]!;
      const m = valuation.metrics;
      const cumulative = [0];
      for (const row of annualize(valuation.schedule, ["equity_cash_flow", "terminal_value"])) {
        cumulative.push(cumulative[cumulative.length - 1]! + (row.values.equity_cash_flow ?? 0) + (row.values.terminal_value ?? 0));
      }
      return {
        scenario,
        equityPerWatt: onBasis(valuation, "equity_per_watt", basis),
        equityUsd: m.npv_usd,
        revenuePerMwYear: onBasis(valuation, "rev_per_mw", basis),
        ebitdaPerMwYear: onBasis(valuation, "ebitda_per_mw", basis),
        irr: m.irr,
        paybackYears: m.payback_years,
        upliftPerWatt: comparison.upliftPerWatt[scenario] ?? 0,
        cumulativeEquityUsd: cumulative,
      };
    }),
  };
}

/**
 * The scenario with the highest equity value, by value rather than per watt: on the IT basis
 * each scenario divides by its own IT power, which would rank them differently.
 */
export function bestScenario(results: SiteResults, conversionsOnly = false): ScenarioName {
  const candidates = results.scenarios.filter((entry) => !conversionsOnly || entry.scenario !== "mining");
  return candidates.reduce((best, entry) => (entry.equityUsd > best.equityUsd ? entry : best), candidates[0]!).scenario;
}

/** The conversion with the highest equity value: the natural subject of the uplift tornado. */
export function bestConversion(results: SiteResults): ScenarioName {
  return bestScenario(results, true);
}

/** Compact figures for a narrow pane: "5.50", "550.4 M", "16.8 %", "8.6 y". */
export function compactUsd(value: number): string {
  const abs = Math.abs(value);
  if (abs >= 1e9) return `${(value / 1e9).toFixed(2)} B`;
  if (abs >= 1e6) return `${(value / 1e6).toFixed(abs >= 1e8 ? 0 : 1)} M`;
  if (abs >= 1e3) return `${(value / 1e3).toFixed(0)} k`;
  return value.toFixed(0);
}

/**
 * The tornado of a scenario's uplift over mining, computed a few keys at a time with a pause
 * between (some 60 valuations in all), so typing in the pane never waits for it. Calls `done`
 * with the whole tornado, or `failed` with the core's error; returns a function that cancels.
 */
export function upliftTornadoInSteps(
  scenario: ScenarioName,
  values: Assumptions,
  done: (result: Tornado) => void,
  failed: (error: unknown) => void,
  keysPerStep = 4,
): () => void {
  const keys = defaultTornadoKeys(scenario, "uplift_per_watt");
  const parts: Tornado[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  const step = (from: number) => {
    try {
      parts.push(tornado(scenario, "uplift_per_watt", values, { keys: keys.slice(from, from + keysPerStep) }));
    } catch (error) {
      failed(error);
      return;
    }
    if (from + keysPerStep < keys.length) {
      timer = setTimeout(() => step(from + keysPerStep), 0);
      return;
    }
    const bars = parts.flatMap((part) => part.bars).sort((x, y) => y.swing - x.swing);
    done({ ...parts[0]!, bars });
  };
  timer = setTimeout(() => step(0), 0);
  return () => clearTimeout(timer);
}
