/**
 * The market path generator: every stochastic input of a valuation, for all paths at once.
 * Series are month-major Float64Arrays (month m of path p at (m − 1) × paths + p), so a pricer
 * reads one month across all paths contiguously and no per-path object exists.
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
 * Simulates `paths` paths of `months` months. Each source of risk draws from its own stream split
 * from `random` in a fixed order (construction, BTC price, hashrate, power, GPU rate, defaults),
 * so a seed reproduces every path, a series at zero volatility draws nothing without shifting
 * the others, and changing a volatility rescales the same shocks.
 */
export function generateMarketPaths(a: Assumptions, months: number, random: Random, paths: number = a.paths): MarketPaths {
  checkCount("months", months, 1);
  checkCount("paths", paths, 1);
  const det = deterministicMarket(a, months);
  const streams = {
    construction: random.split(),
    price: random.split(),
    hashrate: random.split(),
    power: random.split(),
    gpu: random.split(),
    defaults: random.split(),
  };
  const constructionDelayMonths = new Float64Array(paths);
  const capexMultiplier = new Float64Array(paths);
  drawConstruction(a, streams.construction, constructionDelayMonths, capexMultiplier);

  const cells = months * paths;
  const btcPriceUsd = meanOneLogWalk(new Float64Array(cells), paths, a.btc_price_vol, MONTH_YEARS, streams.price);
  const networkHashrateEhs = meanOneLogWalk(new Float64Array(cells), paths, a.hashrate_vol, MONTH_YEARS, streams.hashrate);
  followPrice(networkHashrateEhs, btcPriceUsd, paths, a);
  const powerPriceUsdPerMwh = meanOneLogWalk(new Float64Array(cells), paths, a.power_price_vol, MONTH_YEARS, streams.power);
  const gpuRateUsdPerHour = meanOneLogWalk(new Float64Array(cells), paths, a.gpu_rate_vol, MONTH_YEARS, streams.gpu);
  scaleByExp(btcPriceUsd, det.btcPriceUsd, paths);
  scaleByExp(networkHashrateEhs, det.networkHashrateEhs, paths);
  scaleByExp(powerPriceUsdPerMwh, det.powerPriceUsdPerMwh, paths);
  scaleByExp(gpuRateUsdPerHour, det.gpuRateUsdPerHour, paths);
  const rentPaid = drawRentPaid(a, months, paths, streams.defaults);
  return { paths, months, btcPriceUsd, networkHashrateEhs, powerPriceUsdPerMwh, gpuRateUsdPerHour, rentPaid, constructionDelayMonths, capexMultiplier };
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
 * Tenant defaults month by month of the lease: a paying tenant defaults with the monthly hazard
 * implied by `tenant_default_rate`; rent then stops for `default_recovery_months` months (the
 * default month included) and resumes with a new tenant, who may default in turn.
 */
function drawRentPaid(a: Assumptions, months: number, paths: number, random: Random): Uint8Array {
  const hazard = 1 - Math.pow(1 - a.tenant_default_rate, MONTH_YEARS);
  const recovery = a.default_recovery_months;
  const unpaidLeft = new Float64Array(paths);
  const rentPaid = new Uint8Array(months * paths);
  if (hazard === 0) return rentPaid.fill(1);
  for (let row = 0; row < rentPaid.length; row += paths) {
    for (let p = 0; p < paths; p++) {
      const u = random.uniform();
      let left = unpaidLeft[p]!;
      if (left === 0 && u < hazard) left = recovery;
      if (left > 0) unpaidLeft[p] = left - 1;
      else rentPaid[row + p] = 1;
    }
  }
  return rentPaid;
}

function checkCount(argument: string, value: number, min: number): void {
  if (!Number.isSafeInteger(value) || value < min) throw new InputError(argument, value, `a whole number of at least ${min}`);
}
