/**
 * What the Results view shows for one site, from one call to the core's compare: each
 * scenario's headline metrics and uplift over mining, and its cumulative cash flow to equity
 * year by year (terminal value included in its year, as payback counts it). Pure: no React.
 *
 * Per-MW figures are per site MW, the contract's default basis. When the core offers another
 * basis, it enters here as an option of `siteResults`, and the view's toggle passes it through.
 */
import { SCENARIOS, annualize, compare, defaultTornadoKeys, tornado, type Assumptions, type ScenarioName, type Tornado } from "../core/index.js";

export interface ScenarioResult {
  readonly scenario: ScenarioName;
  readonly equityPerWatt: number;
  readonly equityUsd: number;
  readonly revenuePerMwYear: number;
  readonly ebitdaPerMwYear: number;
  readonly irr: number | null;
  readonly paybackYears: number | null;
  /** Equity per watt minus mining's; 0 for mining itself. */
  readonly upliftPerWatt: number;
  /** Cumulative cash flow to equity (with terminal value) at the end of year 0, 1, 2, ... in USD. */
  readonly cumulativeEquityUsd: readonly number[];
}

export interface SiteResults {
  readonly scenarios: readonly ScenarioResult[];
}

export function siteResults(values: Assumptions, scenarios: readonly ScenarioName[] = SCENARIOS): SiteResults {
  const comparison = compare(values, scenarios);
  return {
    scenarios: scenarios.map((scenario) => {
      const valuation = comparison.valuations[scenario]!;
      const m = valuation.metrics;
      const cumulative = [0];
      for (const row of annualize(valuation.schedule, ["equity_cash_flow", "terminal_value"])) {
        cumulative.push(cumulative[cumulative.length - 1]! + (row.values.equity_cash_flow ?? 0) + (row.values.terminal_value ?? 0));
      }
      return {
        scenario,
        equityPerWatt: m.equity_per_watt,
        equityUsd: m.npv_usd,
        revenuePerMwYear: m.rev_per_mw,
        ebitdaPerMwYear: m.ebitda_per_mw,
        irr: m.irr,
        paybackYears: m.payback_years,
        upliftPerWatt: comparison.upliftPerWatt[scenario] ?? 0,
        cumulativeEquityUsd: cumulative,
      };
    }),
  };
}

/** The conversion with the highest equity value: the natural subject of the uplift tornado. */
export function bestConversion(results: SiteResults): ScenarioName {
  const conversions = results.scenarios.filter((entry) => entry.scenario !== "mining");
  return conversions.reduce((best, entry) => (entry.equityPerWatt > best.equityPerWatt ? entry : best), conversions[0]!).scenario;
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
