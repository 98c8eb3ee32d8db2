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
 * Simulates `paths` paths of `months` months. Draw order (fixed, so a seed reproduces):
 * per path a delay (two uniforms) and a capex draw (one normal); then month by month, for all
 * paths, BTC price, hashrate, power and GPU normals and one default uniform. Every draw is made
 * whatever the keys' values, so changing a volatility rescales the same shocks.
 */
export function generateMarketPaths(a: Assumptions, months: number, random: Random, paths: number = a.paths): MarketPaths {
  checkCount("months", months, 1);
  checkCount("paths", paths, 1);
  const det = deterministicMarket(a, months);
  const cells = months * paths;
  const out: MarketPaths = {
    paths,
    months,
    btcPriceUsd: new Float64Array(cells),
    networkHashrateEhs: new Float64Array(cells),
    powerPriceUsdPerMwh: new Float64Array(cells),
    gpuRateUsdPerHour: new Float64Array(cells),
    rentPaid: new Uint8Array(cells),
    constructionDelayMonths: new Float64Array(paths),
    capexMultiplier: new Float64Array(paths),
  };
  drawConstruction(a, random, out.constructionDelayMonths, out.capexMultiplier);

  const lag = a.hashrate_lag_months;
  const elasticity = a.hashrate_price_elasticity;
  const price = logWalk(a.btc_price_vol);
  const hash = logWalk(a.hashrate_vol);
  const power = logWalk(a.power_price_vol);
  const gpu = logWalk(a.gpu_rate_vol);
  const priceVarPerMonth = a.btc_price_vol * a.btc_price_vol * MONTH_YEARS;
  // Log deviations of each path from its deterministic path, and the last lag + 1 months of the
  // price's, which the hashrate answers.
  const priceDev = new Float64Array(paths);
  const hashDev = new Float64Array(paths);
  const powerDev = new Float64Array(paths);
  const gpuDev = new Float64Array(paths);
  const priceHistory = new Float64Array((lag + 1) * paths);
  const zPrice = new Float64Array(paths);
  const zHash = new Float64Array(paths);
  const zPower = new Float64Array(paths);
  const zGpu = new Float64Array(paths);
  const defaults = new DefaultProcess(a, paths);

  for (let i = 0; i < months; i++) {
    random.fillNormal(zPrice);
    random.fillNormal(zHash);
    random.fillNormal(zPower);
    random.fillNormal(zGpu);
    const row = i * paths;
    const slot = (i % (lag + 1)) * paths;
    const lagged = i - lag;
    const laggedSlot = lagged >= 0 ? (lagged % (lag + 1)) * paths : -1;
    // ε × σW at the lagged month, mean-corrected: ε·d + (ε − ε²)·σ²t/2, where d = σW − σ²t/2
    // is the stored log deviation and t the lagged month's time (see docs/methodology.md, Risk).
    const laggedCorrection = lagged >= 0 ? ((elasticity - elasticity * elasticity) * priceVarPerMonth * (lagged + 1)) / 2 : 0;
    const detPrice = det.btcPriceUsd[i]!;
    const detHash = det.networkHashrateEhs[i]!;
    const detPower = det.powerPriceUsdPerMwh[i]!;
    const detGpu = det.gpuRateUsdPerHour[i]!;
    for (let p = 0; p < paths; p++) {
      const d = priceDev[p]! + price.scale * zPrice[p]! - price.drift;
      priceDev[p] = d;
      priceHistory[slot + p] = d;
      const h = hashDev[p]! + hash.scale * zHash[p]! - hash.drift;
      hashDev[p] = h;
      const response = laggedSlot >= 0 ? elasticity * priceHistory[laggedSlot + p]! + laggedCorrection : 0;
      const w = powerDev[p]! + power.scale * zPower[p]! - power.drift;
      powerDev[p] = w;
      const g = gpuDev[p]! + gpu.scale * zGpu[p]! - gpu.drift;
      gpuDev[p] = g;
      out.btcPriceUsd[row + p] = detPrice * Math.exp(d);
      out.networkHashrateEhs[row + p] = detHash * Math.exp(h + response);
      out.powerPriceUsdPerMwh[row + p] = detPower * Math.exp(w);
      out.gpuRateUsdPerHour[row + p] = detGpu * Math.exp(g);
    }
    defaults.month(random, out.rentPaid.subarray(row, row + paths));
  }
  return out;
}

/** A driftless-in-mean log random walk at `volPerYear`: per month add scale·z − drift. */
function logWalk(volPerYear: number): { scale: number; drift: number } {
  return { scale: volPerYear * Math.sqrt(MONTH_YEARS), drift: (volPerYear * volPerYear * MONTH_YEARS) / 2 };
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
 * Tenant defaults month by month: a paying tenant defaults with the monthly hazard implied by
 * `tenant_default_rate`; rent then stops for `default_recovery_months` months (the default month
 * included) and resumes with a new tenant, who may default in turn.
 */
class DefaultProcess {
  private readonly hazard: number;
  private readonly recovery: number;
  private readonly unpaidLeft: Float64Array;

  constructor(a: Assumptions, paths: number) {
    this.hazard = 1 - Math.pow(1 - a.tenant_default_rate, MONTH_YEARS);
    this.recovery = a.default_recovery_months;
    this.unpaidLeft = new Float64Array(paths);
  }

  month(random: Random, rentPaid: Uint8Array): void {
    for (let p = 0; p < rentPaid.length; p++) {
      const u = random.uniform();
      let left = this.unpaidLeft[p]!;
      if (left === 0 && u < this.hazard) left = this.recovery;
      if (left > 0) {
        rentPaid[p] = 0;
        this.unpaidLeft[p] = left - 1;
      } else rentPaid[p] = 1;
    }
  }
}

function checkCount(argument: string, value: number, min: number): void {
  if (!Number.isSafeInteger(value) || value < min) throw new InputError(argument, value, `a whole number of at least ${min}`);
}
