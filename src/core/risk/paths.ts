/**
 * The market path generator: every stochastic input of a valuation, for all paths at once.
 * Series are month-major Float64Arrays (month m of path p at (m − 1) × paths + p), so a pricer
 * reads one month across all paths contiguously; they are drawn a block of paths at a time
 * (`MarketBlocks`), which a simulation values as they come without holding the whole market.
 *
 * Each series is its deterministic path (the one the engine values today) times a mean-one
 * lognormal factor: E[series] equals the deterministic path month by month, and with every
 * volatility and risk key at 0 each path is the deterministic path exactly (the factor is exp(0)).
 */
import { InputError } from "../errors.js";
import type { Assumptions } from "../registry.js";
import type { Random } from "./random.js";

/** Share of conversions that run late: TD Cowen's ~45 % of planned 2026 capacity delayed or cancelled. */
export const LATE_SHARE = 0.45;

const MONTH_YEARS = 1 / 12;

/** Every volatility and risk key at 0: each path is then the deterministic path exactly. */
export const ZERO_RISK = {
  btc_price_vol: 0,
  hashrate_vol: 0,
  hashrate_price_elasticity: 0,
  gpu_rate_vol: 0,
  power_price_vol: 0,
  tenant_default_rate: 0,
  construction_delay_months: 0,
  capex_overrun_vol: 0,
} as const;

/** The monthly series the deterministic engine uses, month m at index m − 1. */
export interface DeterministicMarket {
  readonly btcPriceUsd: Float64Array;
  readonly networkHashrateEhs: Float64Array;
  readonly powerPriceUsdPerMwh: Float64Array;
  /** By month of GPU service (index 0 = the first month after construction). */
  readonly gpuRateUsdPerHour: Float64Array;
}

export interface MarketPaths {
  readonly paths: number;
  readonly months: number;
  /** Month-end BTC price, month-major. */
  readonly btcPriceUsd: Float64Array;
  readonly networkHashrateEhs: Float64Array;
  readonly powerPriceUsdPerMwh: Float64Array;
  /** GPU-hour rate by month of GPU service (the engine ties the decline to the fleet's age), month-major. */
  readonly gpuRateUsdPerHour: Float64Array;
  /** By month of the lease, month-major: 1 when rent is paid, 0 in a month of default or re-letting. */
  readonly rentPaid: Uint8Array;
  /** Per path: whole months added to `construction_months`. */
  readonly constructionDelayMonths: Float64Array;
  /** Per path: multiplier on conversion capex, mean 1. */
  readonly capexMultiplier: Float64Array;
}

/** The engine's deterministic monthly series over `months` months. */
export function deterministicMarket(a: Assumptions, months: number): DeterministicMarket {
  checkCount("months", months, 1);
  const btcPriceUsd = new Float64Array(months);
  const networkHashrateEhs = new Float64Array(months);
  const powerPriceUsdPerMwh = new Float64Array(months);
  const gpuRateUsdPerHour = new Float64Array(months);
  // Repeated multiplication by the monthly step, as the engine compounds, so the zero-volatility
  // paths match it to the last few bits rather than to the accuracy of Math.pow.
  const priceStep = Math.pow(1 + a.btc_price_growth, MONTH_YEARS);
  const hashrateStep = Math.pow(1 + a.hashrate_growth, MONTH_YEARS);
  const powerStep = Math.pow(1 + a.power_price_growth, MONTH_YEARS);
  let price = a.btc_price;
  let network = a.network_hashrate;
  let power = a.power_price;
  let rate = a.gpu_rate;
  for (let i = 0; i < months; i++) {
    price *= priceStep;
    network *= hashrateStep;
    power *= powerStep;
    // The GPU rate steps down at each anniversary of service.
    if (i > 0 && i % 12 === 0) rate *= 1 - a.gpu_rate_decline;
    btcPriceUsd[i] = price;
    networkHashrateEhs[i] = network;
    powerPriceUsdPerMwh[i] = power;
    gpuRateUsdPerHour[i] = rate;
  }
  return { btcPriceUsd, networkHashrateEhs, powerPriceUsdPerMwh, gpuRateUsdPerHour };
}

/**
 * Paths drawn together, each block from streams of its own: part of what a seed means (the
 * paths of a seed depend on it), and the unit in which a simulation values paths without ever
 * holding the whole market (see `MarketBlocks`).
 */
export const MARKET_BLOCK_PATHS = 64;

/**
 * Simulates `paths` paths of `months` months, month-major (month m of path p at
 * (m − 1) × paths + p). The paths are those of `MarketBlocks` on the same arguments, block by
 * block.
 */
export function generateMarketPaths(a: Assumptions, months: number, random: Random, paths: number = a.paths): MarketPaths {
  const blocks = new MarketBlocks(a, months, random, paths);
  const cells = months * paths;
  const btcPriceUsd = new Float64Array(cells);
  const networkHashrateEhs = new Float64Array(cells);
  const powerPriceUsdPerMwh = new Float64Array(cells);
  const gpuRateUsdPerHour = new Float64Array(cells);
  const rentPaid = new Uint8Array(cells);
  for (let block = blocks.next(); block; block = blocks.next()) {
    const { from, market } = block;
    const width = market.paths;
    for (let m = 0; m < months; m++) {
      const source = m * width;
      const target = m * paths + from;
      btcPriceUsd.set(market.btcPriceUsd.subarray(source, source + width), target);
      networkHashrateEhs.set(market.networkHashrateEhs.subarray(source, source + width), target);
      powerPriceUsdPerMwh.set(market.powerPriceUsdPerMwh.subarray(source, source + width), target);
      gpuRateUsdPerHour.set(market.gpuRateUsdPerHour.subarray(source, source + width), target);
      rentPaid.set(market.rentPaid.subarray(source, source + width), target);
    }
  }
  const { constructionDelayMonths, capexMultiplier } = blocks;
  return { paths, months, btcPriceUsd, networkHashrateEhs, powerPriceUsdPerMwh, gpuRateUsdPerHour, rentPaid, constructionDelayMonths, capexMultiplier };
}

/** A block of paths: `market` holds paths from, from + 1, ... as its paths 0, 1, .... */
export interface MarketBlock {
  readonly from: number;
  readonly market: MarketPaths;
}

/**
 * Draws the market a block of `MARKET_BLOCK_PATHS` paths at a time, into buffers it reuses: a
 * simulation values each block as it is drawn, so the whole market (four series of months ×
 * paths doubles, 15 MB each at 10,000 paths over 16 years) is never held. On this machine
 * fresh memory costs more than drawing into it (each new 15 MB array takes ~50 ms of page
 * faults), and a block's series stay in the processor's cache between drawing and valuing.
 *
 * Each source of risk has its own stream split from `random` in a fixed order (construction,
 * BTC price, hashrate, power, GPU rate, defaults), and each block its own stream split from
 * those, block by block. So a seed reproduces every path, a series at zero volatility draws
 * nothing without shifting the others, and changing a volatility rescales the same shocks.
 * Construction delays and overruns are drawn for all paths at once (two numbers a path).
 */
export class MarketBlocks {
  readonly paths: number;
  readonly months: number;
  /** Per path, all paths: whole months added to `construction_months`. */
  readonly constructionDelayMonths: Float64Array;
  /** Per path, all paths: multiplier on conversion capex, mean 1. */
  readonly capexMultiplier: Float64Array;
  private readonly a: Assumptions;
  private readonly det: DeterministicMarket;
  private readonly streams: { readonly price: Random; readonly hashrate: Random; readonly power: Random; readonly gpu: Random; readonly defaults: Random };
  private readonly series: Float64Array[];
  private readonly rentPaid: Uint8Array;
  private readonly unpaidLeft = new Float64Array(MARKET_BLOCK_PATHS);
  private readonly gpuMonths: number;
  private from = 0;

  /**
   * `gpuMonths`: months of the GPU-hour rate to draw (all by default). A caller that reads fewer
   * (GPUs serve `gpu_life_years`; mining and the powered shell read none) skips the rest, which
   * are NaN; the months drawn are the same whatever the count.
   */
  constructor(a: Assumptions, months: number, random: Random, paths: number = a.paths, options: { readonly gpuMonths?: number } = {}) {
    checkCount("months", months, 1);
    checkCount("paths", paths, 1);
    this.a = a;
    this.paths = paths;
    this.months = months;
    this.gpuMonths = Math.min(months, options.gpuMonths ?? months);
    this.det = deterministicMarket(a, months);
    const construction = random.split();
    this.streams = { price: random.split(), hashrate: random.split(), power: random.split(), gpu: random.split(), defaults: random.split() };
    this.constructionDelayMonths = new Float64Array(paths);
    this.capexMultiplier = new Float64Array(paths);
    drawConstruction(a, construction, this.constructionDelayMonths, this.capexMultiplier);
    this.series = Array.from({ length: 4 }, () => new Float64Array(months * MARKET_BLOCK_PATHS));
    this.rentPaid = new Uint8Array(months * MARKET_BLOCK_PATHS);
  }

  /** The next block of paths, valid until the next call; undefined after the last. */
  next(): MarketBlock | undefined {
    const { a, det, months, streams } = this;
    const from = this.from;
    if (from >= this.paths) return undefined;
    const width = Math.min(MARKET_BLOCK_PATHS, this.paths - from);
    this.from = from + width;
    const cells = months * width;
    const [price, hashrate, power, gpu] = this.series.map((s) => s.subarray(0, cells)) as [Float64Array, Float64Array, Float64Array, Float64Array];
    meanOneLogWalk(price, width, a.btc_price_vol, MONTH_YEARS, streams.price.split());
    meanOneLogWalk(hashrate, width, a.hashrate_vol, MONTH_YEARS, streams.hashrate.split());
    followPrice(hashrate, price, width, a);
    meanOneLogWalk(power, width, a.power_price_vol, MONTH_YEARS, streams.power.split());
    const gpuDrawn = gpu.subarray(0, this.gpuMonths * width);
    meanOneLogWalk(gpuDrawn, width, a.gpu_rate_vol, MONTH_YEARS, streams.gpu.split());
    gpu.fill(NaN, gpuDrawn.length);
    scaleByExp(price, det.btcPriceUsd, width);
    scaleByExp(hashrate, det.networkHashrateEhs, width);
    scaleByExp(power, det.powerPriceUsdPerMwh, width);
    scaleByExp(gpuDrawn, det.gpuRateUsdPerHour, width);
    const rentPaid = this.rentPaid.subarray(0, cells);
    drawRentPaid(a, width, streams.defaults.split(), rentPaid, this.unpaidLeft.subarray(0, width));
    const market: MarketPaths = {
      paths: width,
      months,
      btcPriceUsd: price,
      networkHashrateEhs: hashrate,
      powerPriceUsdPerMwh: power,
      gpuRateUsdPerHour: gpu,
      rentPaid,
      constructionDelayMonths: this.constructionDelayMonths.subarray(from, from + width),
      capexMultiplier: this.capexMultiplier.subarray(from, from + width),
    };
    return { from, market };
  }
}

/**
 * Fills `out` (steps × paths, month-major) with the log of a mean-one lognormal factor,
 * d = σW(t) − σ²t/2 at t = step × stepYears: a random walk with increments σ√Δt·z − σ²Δt/2.
 * E[exp(d)] = 1, so a level times exp(d) has the level as its mean. Draws steps × paths normals,
 * none at zero volatility (then d = 0 exactly).
 */
export function meanOneLogWalk(out: Float64Array, paths: number, volPerYear: number, stepYears: number, random: Random): Float64Array {
  if (volPerYear === 0) return out.fill(0);
  const scale = volPerYear * Math.sqrt(stepYears);
  const drift = (volPerYear * volPerYear * stepYears) / 2;
  for (let row = 0; row < out.length; row += paths) {
    random.fillNormal(out.subarray(row, row + paths));
    if (row === 0) for (let p = 0; p < paths; p++) out[p] = scale * out[p]! - drift;
    else for (let p = 0; p < paths; p++) out[row + p] = out[row - paths + p]! + scale * out[row + p]! - drift;
  }
  return out;
}

/** In place: out[i·paths + p] = level[i] × exp(out[i·paths + p]). */
export function scaleByExp(out: Float64Array, level: Float64Array, paths: number): void {
  for (let i = 0, row = 0; row < out.length; i++, row += paths) {
    const base = level[i]!;
    for (let p = 0; p < paths; p++) out[row + p] = base * Math.exp(out[row + p]!);
  }
}

/**
 * Adds the hashrate's answer to the price to its own log deviation: ε times the price's
 * Brownian part σW at `hashrate_lag_months` earlier, minus ε²σ²t/2 so the mean stays on the
 * deterministic path. With the stored price deviation d = σW − σ²t/2 that is
 * ε·d + (ε − ε²)·σ²t/2. Before the lag has passed the price has not moved yet (t ≤ 0).
 */
function followPrice(hashDev: Float64Array, priceDev: Float64Array, paths: number, a: Assumptions): void {
  const elasticity = a.hashrate_price_elasticity;
  const lagCells = a.hashrate_lag_months * paths;
  const priceVarPerMonth = a.btc_price_vol * a.btc_price_vol * MONTH_YEARS;
  for (let row = lagCells, lagged = 1; row < hashDev.length; row += paths, lagged++) {
    const correction = ((elasticity - elasticity * elasticity) * priceVarPerMonth * lagged) / 2;
    const from = row - lagCells;
    for (let p = 0; p < paths; p++) hashDev[row + p] = hashDev[row + p]! + elasticity * priceDev[from + p]! + correction;
  }
}

/**
 * Delay: late with probability min(LATE_SHARE, mean) by a geometric number of whole months
 * (1, 2, ...) whose mean makes the overall mean `construction_delay_months` exactly. Capex: a
 * mean-one lognormal multiplier with log standard deviation `capex_overrun_vol`.
 */
function drawConstruction(a: Assumptions, random: Random, delays: Float64Array, multipliers: Float64Array): void {
  const mean = a.construction_delay_months;
  const lateShare = Math.min(LATE_SHARE, mean);
  const meanIfLate = lateShare > 0 ? mean / lateShare : 1;
  // P(D = k | late) = (1 − q) q^(k−1), mean 1 / (1 − q).
  const logQ = Math.log(1 - 1 / meanIfLate);
  const sigma = a.capex_overrun_vol;
  for (let p = 0; p < delays.length; p++) {
    const late = random.uniform() < lateShare;
    const u = random.uniform();
    delays[p] = late ? (logQ === -Infinity ? 1 : 1 + Math.floor(Math.log(u) / logQ)) : 0;
    multipliers[p] = Math.exp(sigma * random.normal() - (sigma * sigma) / 2);
  }
}

/**
 * Tenant defaults month by month of the lease, into `rentPaid` (month-major over `paths`
 * paths): a paying tenant defaults with the monthly hazard implied by `tenant_default_rate`;
 * rent then stops for `default_recovery_months` months (the default month included) and
 * resumes with a new tenant, who may default in turn. `unpaidLeft` is scratch, one per path.
 */
function drawRentPaid(a: Assumptions, paths: number, random: Random, rentPaid: Uint8Array, unpaidLeft: Float64Array): void {
  const hazard = 1 - Math.pow(1 - a.tenant_default_rate, MONTH_YEARS);
  const recovery = a.default_recovery_months;
  if (hazard === 0) {
    rentPaid.fill(1);
    return;
  }
  rentPaid.fill(0);
  unpaidLeft.fill(0);
  for (let row = 0; row < rentPaid.length; row += paths) {
    for (let p = 0; p < paths; p++) {
      const u = random.uniform();
      let left = unpaidLeft[p]!;
      if (left === 0 && u < hazard) left = recovery;
      if (left > 0) unpaidLeft[p] = left - 1;
      else rentPaid[row + p] = 1;
    }
  }
}

function checkCount(argument: string, value: number, min: number): void {
  if (!Number.isSafeInteger(value) || value < min) throw new InputError(argument, value, `a whole number of at least ${min}`);
}
