/**
 * Pathwise valuation: every scenario valued on each simulated market path by the engine itself
 * (valueMining, valuePoweredShell and valueColocatedGpu take the path in place of their drift
 * series), with common random numbers: all scenarios of a site read the same paths.
 *
 * Mining on a path shuts in month by month on that month's prices (known then), but when to
 * stop for good is decided without foresight, by least-squares Monte Carlo: the value of going
 * on is regressed on what the operator sees (the month's revenue over its running cost), and
 * the mine is sold in the first month whose after-tax sale beats that fitted value.
 */
import { InputError } from "../errors.js";
import { tryPaybackYears } from "../finance.js";
import { valueColocatedGpu, valuePoweredShell } from "../conversion.js";
import { comparisonMonths, miningMonths, valueMining, type PathMarket } from "../mining.js";
import type { Assumptions } from "../registry.js";
import { BASE_SCENARIOS, type BaseScenario } from "../scenarios.js";
import type { Schedule } from "../schedule.js";
import { leastSquaresMonteCarlo } from "./lsm.js";
import { generateMarketPaths, type MarketPaths } from "./paths.js";
import { Random } from "./random.js";
import { probabilityBeats, summarize, type Distribution } from "./stats.js";

/** What each scenario is worth on each path. */
export interface ScenarioPaths {
  /** Equity value per watt of site power on each path, USD/W. */
  readonly equityPerWatt: Float64Array;
  /** 1 where the cumulative operating cash flow to equity never turns and stays non-negative. */
  readonly neverPaysBack: Uint8Array;
}

export interface SimulatedSite {
  readonly paths: number;
  readonly seed: number;
  readonly market: MarketPaths;
  readonly scenarios: Partial<Record<BaseScenario, ScenarioPaths>>;
  /** Mining: the month each path's mine is sold (the horizon when it runs to the end). */
  readonly miningStopMonth?: Int32Array;
}

export interface SimulationOptions {
  readonly paths?: number;
  readonly seed?: number;
  /** Called now and then with the valuations done and the total, for progress on long runs. */
  readonly onProgress?: (done: number, total: number) => void;
}

/** Scenarios that can be simulated: the three base scenarios (a hybrid is their weighted sum). */
export function checkSimulatedScenario(raw: string): BaseScenario {
  const found = BASE_SCENARIOS.find((name) => name === raw);
  if (!found) throw new InputError("scenario", raw, `one of ${BASE_SCENARIOS.join(", ")} (a hybrid is not simulated)`);
  return found;
}

/** Path `p` of `market` as the engine's per-path series (copied out of the month-major arrays). */
export function pathOf(market: MarketPaths, p: number, debtUsd?: number): PathMarket {
  const { paths, months } = market;
  const column = (series: Float64Array): Float64Array => {
    const out = new Float64Array(months);
    for (let m = 0, at = p; m < months; m++, at += paths) out[m] = series[at]!;
    return out;
  };
  const rentPaid = new Uint8Array(months);
  for (let m = 0, at = p; m < months; m++, at += paths) rentPaid[m] = market.rentPaid[at]!;
  return {
    btcPriceUsd: column(market.btcPriceUsd),
    networkHashrateEhs: column(market.networkHashrateEhs),
    powerPriceUsdPerMwh: column(market.powerPriceUsdPerMwh),
    gpuRateUsdPerHour: column(market.gpuRateUsdPerHour),
    rentPaid,
    constructionDelayMonths: market.constructionDelayMonths[p]!,
    capexMultiplier: market.capexMultiplier[p]!,
    ...(debtUsd === undefined ? {} : { debtUsd }),
  };
}

/** The market paths of a simulation of `a`: `paths` paths over the comparison horizon from `seed`. */
export function simulationMarket(a: Assumptions, paths: number, seed: number): MarketPaths {
  return generateMarketPaths(a, comparisonMonths(a), new Random(seed), paths);
}

/**
 * Values each of `scenarios` on every path of one site. Same assumptions, paths and seed give
 * the same numbers, bit for bit.
 */
export function simulateSite(a: Assumptions, scenarios: readonly BaseScenario[], options: SimulationOptions = {}): SimulatedSite {
  const paths = options.paths ?? a.paths;
  const seed = options.seed ?? a.seed;
  if (!Number.isSafeInteger(paths) || paths < 2) throw new InputError("paths", paths, "a whole number of at least 2");
  const market = simulationMarket(a, paths, seed);
  const total = paths * scenarios.length;
  let done = 0;
  const tick = (): void => {
    done++;
    if (options.onProgress && (done % 1000 === 0 || done === total)) options.onProgress(done, total);
  };
  const out: Partial<Record<BaseScenario, ScenarioPaths>> = {};
  let miningStopMonth: Int32Array | undefined;
  for (const scenario of scenarios) {
    if (scenario === "mining") {
      const mining = simulateMining(a, market, tick);
      miningStopMonth = mining.stops;
      out.mining = mining.values;
    } else {
      const value = scenario === "powered_shell" ? valuePoweredShell : valueColocatedGpu;
      // Lenders size the debt on the forecast at financial close, not on the path that follows.
      const debtUsd = value(a, a.site_mw).debtUsd;
      out[scenario] = valueOnPaths(a, paths, (p) => value(a, a.site_mw, pathOf(market, p, debtUsd)), tick);
    }
  }
  return { paths, seed, market, scenarios: out, ...(miningStopMonth ? { miningStopMonth } : {}) };
}

function valueOnPaths(a: Assumptions, paths: number, valueOf: (p: number) => { schedule: Schedule; presentValue: number }, tick: () => void): ScenarioPaths {
  const equityPerWatt = new Float64Array(paths);
  const neverPaysBack = new Uint8Array(paths);
  const siteW = a.site_mw * 1e6;
  for (let p = 0; p < paths; p++) {
    const { schedule, presentValue } = valueOf(p);
    equityPerWatt[p] = (presentValue - a.net_debt) / siteW;
    neverPaysBack[p] = typeof tryPaybackYears(schedule.columns.equity_cash_flow) === "string" ? 1 : 0;
    tick();
  }
  return { equityPerWatt, neverPaysBack };
}

/**
 * When each path's mine is sold, and what it is then worth, by least-squares Monte Carlo on the
 * paths: at each month the after-tax sale is the exercise value, the month's after-tax flow the
 * running cash, and the value of going on is regressed on the month's revenue over running cost
 * and its square. With every volatility at 0 all paths are one path, the regression is its
 * mean, and the rule stops at the first month whose value beats every later month's: the
 * deterministic stop month.
 *
 * One valuation per path serves both the fit and the value: the engine's forward pass already
 * gives the value of selling after every month and the flows before it, so the mine sold at the
 * fitted month needs no second valuation.
 */
function simulateMining(a: Assumptions, market: MarketPaths, tick: () => void): { stops: Int32Array; values: ScenarioPaths } {
  const paths = market.paths;
  const dates = miningMonths(a);
  const flows = new Float64Array(dates * paths);
  const sales = new Float64Array(dates * paths);
  const stopValues = new Float64Array(dates * paths);
  const cover = new Float64Array(dates * paths);
  for (let p = 0; p < paths; p++) {
    const mine = valueMining(a, a.site_mw, pathOf(market, p));
    const { revenue, powerCost, otherOpex } = mine.fullHash;
    for (let m = 0, at = p; m < dates; m++, at += paths) {
      flows[at] = mine.keepGoingFlowUsd[m]!;
      sales[at] = mine.saleAfterTaxUsd[m]!;
      stopValues[at] = mine.valueIfStopped[m]!;
      cover[at] = revenue[m]! / (powerCost[m]! + otherOpex[m]!);
    }
    tick();
  }
  const step = Math.pow(1 + a.discount_rate_mining, -1 / 12);
  const row = (series: Float64Array, date: number, out: Float64Array): void => {
    out.set(series.subarray((date - 1) * paths, date * paths));
  };
  const result = leastSquaresMonteCarlo({
    paths,
    dates,
    stepDiscount: new Float64Array(dates).fill(step),
    basisSize: 2,
    exerciseValue: (date, out) => row(sales, date, out),
    runningValue: (date, out) => row(flows, date, out),
    basis: (date, out) => {
      row(cover, date, out[0]!);
      const x = out[0]!;
      const x2 = out[1]!;
      for (let p = 0; p < paths; p++) x2[p] = x[p]! * x[p]!;
    },
  });
  const stops = new Int32Array(paths);
  const equityPerWatt = new Float64Array(paths);
  const neverPaysBack = new Uint8Array(paths);
  const siteW = a.site_mw * 1e6;
  for (let p = 0; p < paths; p++) {
    const stop = result.exerciseDate[p] || dates;
    stops[p] = stop;
    equityPerWatt[p] = (stopValues[(stop - 1) * paths + p]! - a.net_debt) / siteW;
    // Nothing flows after the sale, so the operating cash flow pays back (and stays paid
    // back) exactly when its sum up to the sale is not negative.
    let cumulative = 0;
    for (let m = 0, at = p; m < stop; m++, at += paths) cumulative += flows[at]!;
    neverPaysBack[p] = cumulative < 0 ? 1 : 0;
  }
  return { stops, values: { equityPerWatt, neverPaysBack } };
}

/** The distribution of equity per watt over the paths, USD/W; `mean_se` is the mean's standard error. */
export type EquityDistribution = Pick<Distribution, "mean" | "std" | "p5" | "p25" | "p50" | "p75" | "p95"> & { readonly mean_se: number };

/** One scenario's risk: contract names, each estimate with its Monte Carlo standard error (`_se`). */
export interface ScenarioRisk {
  readonly equity_per_watt: EquityDistribution;
  /** P(equity value < 0). */
  readonly prob_loss: number;
  readonly prob_loss_se: number;
  /** P(the operating cash flow to equity never pays back within the horizon). */
  readonly prob_never_pays_back: number;
  readonly prob_never_pays_back_se: number;
  /** Conversions: P(worth more than mining on the same path), and the mean gain over mining. */
  readonly prob_beats_mining?: number;
  readonly prob_beats_mining_se?: number;
  readonly uplift_over_mining_per_watt?: number;
  readonly uplift_over_mining_per_watt_se?: number;
}

/**
 * The statistics of one simulated scenario; conversions are compared with mining on the same paths.
 * Only the per-path values are read, so a cache that keeps them (not the market paths) can call it.
 */
export function scenarioRisk(sim: Pick<SimulatedSite, "paths" | "scenarios">, scenario: BaseScenario): ScenarioRisk {
  const values = sim.scenarios[scenario];
  if (!values) throw new InputError("scenario", scenario, "a scenario that was simulated");
  const d = summarize(values.equityPerWatt);
  let never = 0;
  for (const flag of values.neverPaysBack) never += flag;
  const pNever = never / sim.paths;
  const risk: ScenarioRisk = {
    equity_per_watt: { mean: d.mean, std: d.std, p5: d.p5, p25: d.p25, p50: d.p50, p75: d.p75, p95: d.p95, mean_se: d.meanStandardError },
    prob_loss: d.probLoss,
    prob_loss_se: d.probLossStandardError,
    prob_never_pays_back: pNever,
    prob_never_pays_back_se: Math.sqrt((pNever * (1 - pNever)) / sim.paths),
  };
  const mining = sim.scenarios.mining;
  if (scenario === "mining" || !mining) return risk;
  const beats = probabilityBeats(values.equityPerWatt, mining.equityPerWatt);
  return {
    ...risk,
    prob_beats_mining: beats.probability,
    prob_beats_mining_se: beats.standardError,
    uplift_over_mining_per_watt: beats.meanDifference,
    uplift_over_mining_per_watt_se: beats.meanDifferenceStandardError,
  };
}

export interface SiteRisk {
  readonly paths: number;
  readonly seed: number;
  readonly scenarios: Partial<Record<BaseScenario, ScenarioRisk>>;
  /** The per-path values behind the statistics (for histograms and charts). */
  readonly simulation: SimulatedSite;
}

/**
 * Simulates `scenarios` on one site and summarises them. Mining is simulated whenever a
 * conversion is asked for, so each conversion's chance of beating it uses the same paths.
 */
export function simulateRisk(a: Assumptions, scenarios: readonly BaseScenario[], options: SimulationOptions = {}): SiteRisk {
  const needed = scenarios.some((s) => s !== "mining") && !scenarios.includes("mining") ? ["mining" as const, ...scenarios] : [...scenarios];
  const simulation = simulateSite(a, needed, options);
  const out: Partial<Record<BaseScenario, ScenarioRisk>> = {};
  for (const scenario of scenarios) out[scenario] = scenarioRisk(simulation, scenario);
  return { paths: simulation.paths, seed: simulation.seed, scenarios: out, simulation };
}
