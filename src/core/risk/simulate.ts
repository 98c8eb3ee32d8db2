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
import { COLUMN_KEYS, type Schedule } from "../schedule.js";
import { leastSquaresMonteCarlo } from "./lsm.js";
import { generateMarketPaths, type MarketPaths } from "./paths.js";
import { Random } from "./random.js";
import { percentileBands, probabilityBeats, summarize, type Distribution } from "./stats.js";

/** What each scenario is worth on each path. */
export interface ScenarioPaths {
  /** Equity value per watt of site power on each path, USD/W. */
  readonly equityPerWatt: Float64Array;
  /** 1 where the cumulative operating cash flow to equity never turns and stays non-negative. */
  readonly neverPaysBack: Uint8Array;
  /** With the `fan` option: percentile bands of the cumulative cash flow to equity. */
  readonly fan?: CashFlowFan;
}

/** The quantiles a fan chart shows. */
export const FAN_QUANTILES = [0.05, 0.25, 0.5, 0.75, 0.95] as const;

/**
 * Cumulative cash flow to equity (operating flows plus the exit, undiscounted), USD per watt of
 * site power, by month over the comparison horizon: row m − 1 holds the P5, P25, P50, P75 and
 * P95 over the paths at the end of month m.
 */
export interface CashFlowFan {
  readonly months: number;
  readonly quantiles: readonly number[];
  /** Month-major: months × quantiles.length values. */
  readonly bands: Float64Array;
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
  /** Also keep each scenario's cumulative cash-flow fan (costs a sort per month). */
  readonly fan?: boolean;
}

/** Scenarios that can be simulated: the three base scenarios (a hybrid is their weighted sum). */
export function checkSimulatedScenario(raw: string): BaseScenario {
  const found = BASE_SCENARIOS.find((name) => name === raw);
  if (!found) throw new InputError("scenario", raw, `one of ${BASE_SCENARIOS.join(", ")} (a hybrid is not simulated)`);
  return found;
}

/** Paths read or written together, a block at a time (see `PathReader` and `minePaths`). */
const BLOCK_PATHS = 64;

/** Optional parts of a path a valuation also takes (see `PathMarket`). */
export interface PathExtras {
  readonly debtUsd?: number;
  readonly scheduleBuffer?: Float64Array;
}

/** A schedule buffer large enough for any valuation over `months` months. */
export function scheduleBufferFor(months: number): Float64Array {
  return new Float64Array(months * COLUMN_KEYS.length);
}

/** Path `p` of `market` as the engine's per-path series (copied out of the month-major arrays). */
export function pathOf(market: MarketPaths, p: number, extras: PathExtras = {}): PathMarket {
  return new PathReader(market, 1).path(p, extras);
}

/**
 * Reads paths out of the month-major arrays a block at a time: each month's values for a block
 * of adjacent paths are contiguous, so copying a block touches each cache line once, where
 * copying one path strides through the whole array and misses the cache on every month. The
 * series of a path read are views into the block: valid until a path of another block is read.
 */
export class PathReader {
  private readonly market: MarketPaths;
  private readonly block: number;
  private readonly series: Float64Array[];
  private readonly rentPaid: Uint8Array;
  private from = Number.NEGATIVE_INFINITY;

  constructor(market: MarketPaths, block = BLOCK_PATHS) {
    this.market = market;
    this.block = block;
    this.series = Array.from({ length: 4 }, () => new Float64Array(block * market.months));
    this.rentPaid = new Uint8Array(block * market.months);
  }

  path(p: number, extras: PathExtras = {}): PathMarket {
    const { market, block } = this;
    const months = market.months;
    if (p < this.from || p >= this.from + block) this.load(p - (p % block));
    const row = (p - this.from) * months;
    const view = (k: number): Float64Array => this.series[k]!.subarray(row, row + months);
    return {
      btcPriceUsd: view(0),
      networkHashrateEhs: view(1),
      powerPriceUsdPerMwh: view(2),
      gpuRateUsdPerHour: view(3),
      rentPaid: this.rentPaid.subarray(row, row + months),
      constructionDelayMonths: market.constructionDelayMonths[p]!,
      capexMultiplier: market.capexMultiplier[p]!,
      ...extras,
    };
  }

  private load(from: number): void {
    const { market, block } = this;
    const { paths, months } = market;
    const to = Math.min(paths, from + block);
    const sources = [market.btcPriceUsd, market.networkHashrateEhs, market.powerPriceUsdPerMwh, market.gpuRateUsdPerHour];
    for (let k = 0; k < sources.length; k++) {
      const source = sources[k]!;
      const target = this.series[k]!;
      for (let m = 0; m < months; m++) {
        const at = m * paths;
        for (let p = from; p < to; p++) target[(p - from) * months + m] = source[at + p]!;
      }
    }
    for (let m = 0; m < months; m++) {
      const at = m * paths;
      for (let p = from; p < to; p++) this.rentPaid[(p - from) * months + m] = market.rentPaid[at + p]!;
    }
    this.from = from;
  }
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
      const mining = simulateMining(a, market, tick, options.fan === true);
      miningStopMonth = mining.stops;
      out.mining = mining.values;
    } else {
      const value = scenario === "powered_shell" ? valuePoweredShell : valueColocatedGpu;
      // Lenders size the debt on the forecast at financial close, not on the path that follows.
      const debtUsd = value(a, a.site_mw).debtUsd;
      const scheduleBuffer = scheduleBufferFor(market.months);
      const reader = new PathReader(market);
      out[scenario] = valueOnPaths(a, market, (p) => value(a, a.site_mw, reader.path(p, { debtUsd, scheduleBuffer })), tick, options.fan === true);
    }
  }
  return { paths, seed, market, scenarios: out, ...(miningStopMonth ? { miningStopMonth } : {}) };
}

function valueOnPaths(
  a: Assumptions,
  market: MarketPaths,
  valueOf: (p: number) => { schedule: Schedule; presentValue: number },
  tick: () => void,
  withFan: boolean,
): ScenarioPaths {
  const { paths, months } = market;
  const equityPerWatt = new Float64Array(paths);
  const neverPaysBack = new Uint8Array(paths);
  const siteW = a.site_mw * 1e6;
  const cumulative = withFan ? new Float64Array(months * paths) : undefined;
  for (let p = 0; p < paths; p++) {
    const { schedule, presentValue } = valueOf(p);
    equityPerWatt[p] = (presentValue - a.net_debt) / siteW;
    const c = schedule.columns;
    neverPaysBack[p] = typeof tryPaybackYears(c.equity_cash_flow) === "string" ? 1 : 0;
    if (cumulative) {
      let sum = 0;
      for (let m = 0, at = p; m < months; m++, at += paths) {
        sum += (c.equity_cash_flow[m]! + c.terminal_value[m]!) / siteW;
        cumulative[at] = sum;
      }
    }
    tick();
  }
  return { equityPerWatt, neverPaysBack, ...(cumulative ? { fan: fanOf(cumulative, paths, months) } : {}) };
}

function fanOf(cumulative: Float64Array, paths: number, months: number): CashFlowFan {
  return { months, quantiles: FAN_QUANTILES, bands: percentileBands(cumulative, paths, months, FAN_QUANTILES) };
}

/** What the mine does on every path, month-major over the months it may run: the stopping problem's data. */
export interface MinePaths {
  readonly paths: number;
  /** Months the mine may run (the last date it can be sold). */
  readonly dates: number;
  /** After-tax cash flow of each month of a mine that keeps going, USD. */
  readonly flows: Float64Array;
  /** After-tax proceeds of selling the mine at the end of each month, USD. */
  readonly sales: Float64Array;
  /** Value today of selling after each month, USD (flows up to it plus the discounted sale). */
  readonly stopValues: Float64Array;
  /** The month's revenue over its running cost, hashing all month: what the operator watches. */
  readonly cover: Float64Array;
  /** Hashprice of each month, USD/PH/day. */
  readonly hashprice: Float64Array;
}

/**
 * Values the mine that keeps going on every path: one engine valuation per path. Each block of
 * paths is staged path-major and then written month by month, so every write to the
 * month-major arrays fills a run of adjacent values (writing each path's months straight in
 * strides the whole array and misses the cache on every value).
 */
export function minePaths(a: Assumptions, market: MarketPaths, tick: () => void = () => undefined): MinePaths {
  const paths = market.paths;
  const dates = miningMonths(a);
  const series = Array.from({ length: 5 }, () => new Float64Array(dates * paths));
  const [flows, sales, stopValues, cover, hashprice] = series as [Float64Array, Float64Array, Float64Array, Float64Array, Float64Array];
  const staged = series.map(() => new Float64Array(BLOCK_PATHS * dates));
  const scheduleBuffer = scheduleBufferFor(market.months);
  const reader = new PathReader(market);
  for (let from = 0; from < paths; from += BLOCK_PATHS) {
    const to = Math.min(paths, from + BLOCK_PATHS);
    for (let p = from; p < to; p++) {
      const mine = valueMining(a, a.site_mw, reader.path(p, { scheduleBuffer }));
      const { revenue, powerCost, otherOpex } = mine.fullHash;
      const row = (p - from) * dates;
      staged[0]!.set(mine.keepGoingFlowUsd.subarray(0, dates), row);
      staged[1]!.set(mine.saleAfterTaxUsd.subarray(0, dates), row);
      staged[2]!.set(mine.valueIfStopped.subarray(0, dates), row);
      staged[4]!.set(mine.fullHash.hashprice.subarray(0, dates), row);
      const coverRow = staged[3]!;
      for (let m = 0; m < dates; m++) coverRow[row + m] = revenue[m]! / (powerCost[m]! + otherOpex[m]!);
      tick();
    }
    for (let k = 0; k < series.length; k++) {
      const target = series[k]!;
      const source = staged[k]!;
      for (let m = 0; m < dates; m++) {
        const base = m * paths;
        for (let p = from; p < to; p++) target[base + p] = source[(p - from) * dates + m]!;
      }
    }
  }
  return { paths, dates, flows, sales, stopValues, cover, hashprice };
}

/** Row `date` (1-based) of a month-major series into `out`. */
export function monthRow(series: Float64Array, paths: number, date: number, out: Float64Array): void {
  out.set(series.subarray((date - 1) * paths, date * paths));
}

/** The regression basis of the mine's decisions at `date`: cover and its square. */
export function coverBasis(mine: MinePaths, date: number, out: readonly Float64Array[]): void {
  monthRow(mine.cover, mine.paths, date, out[0]!);
  const x = out[0]!;
  const x2 = out[1]!;
  for (let p = 0; p < mine.paths; p++) x2[p] = x[p]! * x[p]!;
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
function simulateMining(a: Assumptions, market: MarketPaths, tick: () => void, withFan: boolean): { stops: Int32Array; values: ScenarioPaths } {
  const mine = minePaths(a, market, tick);
  const { paths, dates, flows, sales, stopValues } = mine;
  const step = Math.pow(1 + a.discount_rate_mining, -1 / 12);
  const result = leastSquaresMonteCarlo({
    paths,
    dates,
    stepDiscount: new Float64Array(dates).fill(step),
    basisSize: 2,
    exerciseValue: (date, out) => monthRow(sales, paths, date, out),
    runningValue: (date, out) => monthRow(flows, paths, date, out),
    basis: (date, out) => coverBasis(mine, date, out),
  });
  const stops = new Int32Array(paths);
  const equityPerWatt = new Float64Array(paths);
  const neverPaysBack = new Uint8Array(paths);
  const siteW = a.site_mw * 1e6;
  const months = market.months;
  const cumulative = withFan ? new Float64Array(months * paths) : undefined;
  for (let p = 0; p < paths; p++) {
    const stop = result.exerciseDate[p] || dates;
    stops[p] = stop;
    equityPerWatt[p] = (stopValues[(stop - 1) * paths + p]! - a.net_debt) / siteW;
    // Nothing flows after the sale, so the operating cash flow pays back (and stays paid
    // back) exactly when its sum up to the sale is not negative.
    let sum = 0;
    for (let m = 0, at = p; m < stop; m++, at += paths) {
      sum += flows[at]!;
      if (cumulative) cumulative[at] = (sum + (m === stop - 1 ? sales[at]! : 0)) / siteW;
    }
    neverPaysBack[p] = sum < 0 ? 1 : 0;
    if (cumulative) {
      const last = cumulative[(stop - 1) * paths + p]!;
      for (let m = stop, at = stop * paths + p; m < months; m++, at += paths) cumulative[at] = last;
    }
  }
  return { stops, values: { equityPerWatt, neverPaysBack, ...(cumulative ? { fan: fanOf(cumulative, paths, months) } : {}) } };
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

/** The statistics of one simulated scenario; conversions are compared with mining on the same paths. */
export function scenarioRisk(sim: SimulatedSite, scenario: BaseScenario): ScenarioRisk {
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
