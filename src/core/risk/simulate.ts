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
import { comparisonMonths, keepGoing, keepGoingFor, miningMonths, miningMonthsOf, type KeepGoing, type PathMarket } from "../mining.js";
import type { Assumptions } from "../registry.js";
import { BASE_SCENARIOS, type BaseScenario } from "../scenarios.js";
import { COLUMN_KEYS, type Schedule } from "../schedule.js";
import { leastSquaresMonteCarlo } from "./lsm.js";
import { MARKET_BLOCK_PATHS, MarketBlocks, generateMarketPaths, type MarketPaths } from "./paths.js";
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

/** Paths read or written together, a block at a time (see `PathReader` and `MineRecorder`). */
const BLOCK_PATHS = MARKET_BLOCK_PATHS;

/** The monthly series of one path (see `PathMarket`). */
type PathSeries = Pick<PathMarket, "btcPriceUsd" | "networkHashrateEhs" | "powerPriceUsdPerMwh" | "gpuRateUsdPerHour" | "rentPaid">;

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
  return new PathReader(market.months, 1).path(market, p, extras);
}

/**
 * Reads paths out of month-major arrays a block at a time: each month's values for a block
 * of adjacent paths are contiguous, so copying a block touches each cache line once, where
 * copying one path strides through the whole array and misses the cache on every month. The
 * series of a path read are views into the block: valid until a path of another block (or of
 * another market) is read.
 */
export class PathReader {
  private readonly months: number;
  private readonly block: number;
  private readonly series: Float64Array[];
  private readonly rentPaid: Uint8Array;
  /** Per path of the block: its series as views, made once (a simulation reads ~30,000 paths). */
  private readonly views: readonly PathSeries[];
  private market: MarketPaths | undefined;
  private from = Number.NEGATIVE_INFINITY;

  constructor(months: number, block = BLOCK_PATHS) {
    this.months = months;
    this.block = block;
    this.series = Array.from({ length: 4 }, () => new Float64Array(block * months));
    this.rentPaid = new Uint8Array(block * months);
    this.views = Array.from({ length: block }, (_, j) => {
      const view = (k: number): Float64Array => this.series[k]!.subarray(j * months, (j + 1) * months);
      return {
        btcPriceUsd: view(0),
        networkHashrateEhs: view(1),
        powerPriceUsdPerMwh: view(2),
        gpuRateUsdPerHour: view(3),
        rentPaid: this.rentPaid.subarray(j * months, (j + 1) * months),
      };
    });
  }

  path(market: MarketPaths, p: number, extras: PathExtras = {}): PathMarket {
    if (market.months !== this.months) throw new RangeError(`a path reader made for ${this.months} months was given a market of ${market.months}`);
    if (market !== this.market || p < this.from || p >= this.from + this.block) this.load(market, p - (p % this.block));
    const series = this.views[p - this.from]!;
    return {
      btcPriceUsd: series.btcPriceUsd,
      networkHashrateEhs: series.networkHashrateEhs,
      powerPriceUsdPerMwh: series.powerPriceUsdPerMwh,
      gpuRateUsdPerHour: series.gpuRateUsdPerHour,
      rentPaid: series.rentPaid,
      constructionDelayMonths: market.constructionDelayMonths[p]!,
      capexMultiplier: market.capexMultiplier[p]!,
      debtUsd: extras.debtUsd,
      scheduleBuffer: extras.scheduleBuffer,
    };
  }

  private load(market: MarketPaths, from: number): void {
    const { block } = this;
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
    this.market = market;
    this.from = from;
  }
}

/** The market paths of a simulation of `a`: `paths` paths over the comparison horizon from `seed`. */
export function simulationMarket(a: Assumptions, paths: number, seed: number): MarketPaths {
  return generateMarketPaths(a, comparisonMonths(a), new Random(seed), paths);
}

/** The same paths as `simulationMarket`, drawn a block at a time, with the GPU rate only where `scenarios` read it. */
function simulationBlocks(a: Assumptions, paths: number, seed: number, scenarios: readonly BaseScenario[]): MarketBlocks {
  const gpuMonths = scenarios.includes("colocated_gpu") ? Math.ceil(a.gpu_life_years * 12) : 0;
  return new MarketBlocks(a, comparisonMonths(a), new Random(seed), paths, { gpuMonths });
}

/**
 * Values each of `scenarios` on every path of one site. Same assumptions, paths and seed give
 * the same numbers, bit for bit.
 *
 * One pass over the paths values every scenario, a block of paths at a time as the market is
 * drawn: each block's series are read from the cache while they are still in it, and only the
 * mine's stopping data (three month-major arrays) spans all paths.
 */
export function simulateSite(a: Assumptions, scenarios: readonly BaseScenario[], options: SimulationOptions = {}): SimulatedSite {
  const steps = simulationSteps(a, scenarios, options);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * `simulateSite` a block of paths at a time: yields the paths valued so far after each block
 * (64 paths, every scenario) and returns what `simulateSite` returns, bit for bit. For a caller
 * that must let other work run in between, such as a page without a Web Worker.
 */
export function* simulationSteps(a: Assumptions, scenarios: readonly BaseScenario[], options: SimulationOptions = {}): Generator<number, SimulatedSite, void> {
  const paths = options.paths ?? a.paths;
  const seed = options.seed ?? a.seed;
  if (!Number.isSafeInteger(paths) || paths < 2) throw new InputError("paths", paths, "a whole number of at least 2");
  const withFan = options.fan === true;
  const months = comparisonMonths(a);
  const total = paths * scenarios.length;
  let done = 0;
  const tick = (): void => {
    done++;
    if (options.onProgress && (done % 1000 === 0 || done === total)) options.onProgress(done, total);
  };
  const mine = scenarios.includes("mining") ? new MineRecorder(a, paths, { hashprice: false }) : undefined;
  const scheduleBuffer = scheduleBufferFor(months);
  const conversions = scenarios
    .filter((scenario) => scenario !== "mining")
    .map((scenario) => {
      const value = scenario === "powered_shell" ? valuePoweredShell : valueColocatedGpu;
      // Lenders size the debt on the forecast at financial close, not on the path that follows.
      const extras = { debtUsd: value(a, a.site_mw).debtUsd, scheduleBuffer };
      return { scenario, value, extras, out: new ConversionRecorder(a, paths, months, withFan) };
    });
  const blocks = simulationBlocks(a, paths, seed, scenarios);
  const reader = new PathReader(months);
  for (let block = blocks.next(); block; block = blocks.next()) {
    const { from, market } = block;
    for (let j = 0; j < market.paths; j++) {
      if (mine) {
        mine.record(from + j, reader.path(market, j));
        tick();
      }
      for (const { value, extras, out } of conversions) {
        out.record(from + j, value(a, a.site_mw, reader.path(market, j, extras)));
        tick();
      }
    }
    yield from + market.paths;
  }
  const out: Partial<Record<BaseScenario, ScenarioPaths>> = {};
  let miningStopMonth: Int32Array | undefined;
  for (const scenario of scenarios) {
    if (scenario === "mining") {
      const mining = simulateMining(a, mine!.result(), months, withFan);
      miningStopMonth = mining.stops;
      out.mining = mining.values;
    } else out[scenario] = conversions.find((c) => c.scenario === scenario)!.out.result();
  }
  return { paths, seed, scenarios: out, ...(miningStopMonth ? { miningStopMonth } : {}) };
}

/** Collects a conversion's value on each path (and its cumulative cash flow, for the fan). */
class ConversionRecorder {
  private readonly siteW: number;
  private readonly netDebt: number;
  private readonly paths: number;
  private readonly months: number;
  private readonly equityPerWatt: Float64Array;
  private readonly neverPaysBack: Uint8Array;
  private readonly cumulative: Float64Array | undefined;

  constructor(a: Assumptions, paths: number, months: number, withFan: boolean) {
    this.siteW = a.site_mw * 1e6;
    this.netDebt = a.net_debt;
    this.paths = paths;
    this.months = months;
    this.equityPerWatt = new Float64Array(paths);
    this.neverPaysBack = new Uint8Array(paths);
    this.cumulative = withFan ? new Float64Array(months * paths) : undefined;
  }

  record(p: number, { schedule, presentValue }: { schedule: Schedule; presentValue: number }): void {
    const { siteW, cumulative, paths } = this;
    this.equityPerWatt[p] = (presentValue - this.netDebt) / siteW;
    const c = schedule.columns;
    this.neverPaysBack[p] = typeof tryPaybackYears(c.equity_cash_flow) === "string" ? 1 : 0;
    if (cumulative) {
      let sum = 0;
      for (let m = 0, at = p; m < this.months; m++, at += paths) {
        sum += (c.equity_cash_flow[m]! + c.terminal_value[m]!) / siteW;
        cumulative[at] = sum;
      }
    }
  }

  result(): ScenarioPaths {
    const { equityPerWatt, neverPaysBack, cumulative } = this;
    return { equityPerWatt, neverPaysBack, ...(cumulative ? { fan: fanOf(cumulative, this.paths, this.months) } : {}) };
  }
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
  /** The month's revenue over its running cost, hashing all month: what the operator watches. */
  readonly cover: Float64Array;
  /** Hashprice of each month, USD/PH/day (when asked for). */
  readonly hashprice?: Float64Array;
}

/**
 * Runs the mine that keeps going on each path given and keeps what its stopping problem reads.
 * Each block of paths is staged path-major and then written month by month, so every write to
 * the month-major arrays fills a run of adjacent values (writing each path's months straight
 * in strides the whole array and misses the cache on every value). Only the forward pass runs
 * (`keepGoing`): the stopping rule needs no schedule.
 */
class MineRecorder {
  private readonly a: Assumptions;
  private readonly paths: number;
  private readonly dates: number;
  private readonly series: Float64Array[];
  private readonly staged: Float64Array[];
  private readonly months: Float64Array;
  private readonly forward: KeepGoing;
  private stagedFrom = 0;

  constructor(a: Assumptions, paths: number, wanted: { readonly hashprice: boolean }) {
    this.a = a;
    this.paths = paths;
    const dates = miningMonths(a);
    this.dates = dates;
    // flows, sales, cover, and hashprice when asked for.
    this.series = Array.from({ length: wanted.hashprice ? 4 : 3 }, () => new Float64Array(dates * paths));
    this.staged = this.series.map(() => new Float64Array(BLOCK_PATHS * dates));
    this.months = new Float64Array(dates * 8);
    this.forward = keepGoingFor(dates);
  }

  /** Path `p`: paths must come in order, each once. */
  record(p: number, path: PathMarket): void {
    const { a, dates, staged, forward } = this;
    const market = miningMonthsOf(a, a.site_mw, dates, path, this.months);
    keepGoing(a, a.site_mw, market, dates, forward);
    const row = (p - this.stagedFrom) * dates;
    staged[0]!.set(forward.keepGoingFlowUsd, row);
    staged[1]!.set(forward.saleAfterTaxUsd, row);
    const cover = staged[2]!;
    const { revenue, powerCost, otherOpex } = market;
    for (let m = 0; m < dates; m++) cover[row + m] = revenue[m]! / (powerCost[m]! + otherOpex[m]!);
    if (staged.length > 3) staged[3]!.set(market.hashprice, row);
    if (p + 1 - this.stagedFrom === BLOCK_PATHS || p + 1 === this.paths) this.flush(p + 1);
  }

  private flush(to: number): void {
    const { series, staged, dates, paths } = this;
    const from = this.stagedFrom;
    for (let k = 0; k < series.length; k++) {
      const target = series[k]!;
      const source = staged[k]!;
      for (let m = 0; m < dates; m++) {
        const base = m * paths;
        for (let p = from; p < to; p++) target[base + p] = source[(p - from) * dates + m]!;
      }
    }
    this.stagedFrom = to;
  }

  result(): MinePaths {
    const [flows, sales, cover, hashprice] = this.series as [Float64Array, Float64Array, Float64Array, Float64Array | undefined];
    return { paths: this.paths, dates: this.dates, flows, sales, cover, ...(hashprice ? { hashprice } : {}) };
  }
}

/** The mine that keeps going on every path of `market` (see `MineRecorder`), with each month's hashprice when `wanted`. */
export function minePaths(
  a: Assumptions,
  market: MarketPaths,
  tick: () => void = () => undefined,
  wanted: { readonly hashprice: boolean } = { hashprice: false },
): MinePaths {
  const recorder = new MineRecorder(a, market.paths, wanted);
  const reader = new PathReader(market.months);
  for (let p = 0; p < market.paths; p++) {
    recorder.record(p, reader.path(market, p));
    tick();
  }
  return recorder.result();
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
 * One forward pass per path serves both the fit and the value: the value of the mine sold at
 * the fitted month is its flows up to then and the discounted sale, summed here in the order
 * the forward pass sums them (`keepGoing`), so it equals the engine's value of stopping then.
 */
function simulateMining(a: Assumptions, mine: MinePaths, months: number, withFan: boolean): { stops: Int32Array; values: ScenarioPaths } {
  const { paths, dates, flows, sales } = mine;
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
  const cumulative = withFan ? new Float64Array(months * paths) : undefined;
  for (let p = 0; p < paths; p++) {
    const stop = result.exerciseDate[p] || dates;
    stops[p] = stop;
    // Nothing flows after the sale, so the operating cash flow pays back (and stays paid
    // back) exactly when its sum up to the sale is not negative.
    let sum = 0;
    let factor = 1;
    let pvFlows = 0;
    for (let m = 0, at = p; m < stop; m++, at += paths) {
      const flow = flows[at]!;
      sum += flow;
      factor *= step;
      pvFlows += flow * factor;
      if (cumulative) cumulative[at] = (sum + (m === stop - 1 ? sales[at]! : 0)) / siteW;
    }
    equityPerWatt[p] = (pvFlows + sales[(stop - 1) * paths + p]! * factor - a.net_debt) / siteW;
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
