/**
 * The market path generator: at zero risk every path is the engine's deterministic path; with
 * risk on, the simulated series have the set moments, the hashrate answers the price at the set
 * lag, and defaults, delays and overruns follow their stated laws. Sampling tolerances are stated
 * as multiples of the estimator's standard error.
 */
import { describe, expect, it } from "vitest";
import {
  DEFAULTS,
  HOURS_PER_MONTH,
  InputError,
  LATE_SHARE,
  Random,
  deterministicMarket,
  generateMarketPaths,
  withValues,
  ZERO_RISK,
  type Assumptions,
} from "../src/core/index.js";
import { valueColocatedGpu } from "../src/core/conversion.js";
import { valueMining } from "../src/core/mining.js";

function expectRelClose(actual: number, expected: number, tolerance: number, label: string): void {
  expect(Math.abs(actual - expected) / Math.abs(expected), label).toBeLessThanOrEqual(tolerance);
}

describe("at zero risk every path is the deterministic path", () => {
  const cases: [string, Partial<Assumptions>][] = [
    ["defaults", {}],
    [
      "falling price, rising power, 15-year horizons",
      { btc_price_growth: -0.2, power_price_growth: 0.07, horizon_years_mining: 15, gpu_life_years: 15, gpu_rate_decline: 0.35 },
    ],
    ["long lag and elastic hashrate (no volatility to pass on)", { hashrate_lag_months: 7, hashrate_price_elasticity: 1.5, default_recovery_months: 30 }],
  ];
  it.each(cases)("%s: BTC price, hashrate, power and GPU rate to 1e-12, rent always paid, no delay or overrun", (_, changes) => {
    const a = withValues(DEFAULTS, { ...ZERO_RISK, ...changes });
    // What the mine sees each month whether or not it still runs (the default mine is sold at once).
    const mine = valueMining(a, a.site_mw);
    const mining = { months: mine.fullHash.btcPrice.length, ...mine.fullHash };
    const gpu = valueColocatedGpu(a, a.site_mw).schedule;
    const build = a.construction_months;
    const months = Math.max(mining.months, gpu.months);
    const paths = 5;
    const sim = generateMarketPaths(a, months, new Random(3), paths);
    const mwhPerMonth = a.site_mw * a.uptime * HOURS_PER_MONTH;
    for (let p = 0; p < paths; p++) {
      for (let i = 0; i < mining.months; i++) {
        const cell = i * paths + p;
        expectRelClose(sim.btcPriceUsd[cell]!, mining.btcPrice[i]!, 1e-12, `price month ${i + 1}`);
        expectRelClose(sim.networkHashrateEhs[cell]!, mining.networkHashrate[i]!, 1e-12, `hashrate month ${i + 1}`);
        expectRelClose(sim.powerPriceUsdPerMwh[cell]!, mining.powerCost[i]! / mwhPerMonth, 1e-12, `mining power month ${i + 1}`);
      }
      // GPUs run for gpu_life_years; the hall is then leased and buys no power.
      for (let k = 0; k < Math.min(gpu.months - build, a.gpu_life_years * 12); k++) {
        const cell = k * paths + p;
        expectRelClose(sim.gpuRateUsdPerHour[cell]!, gpu.columns.gpu_rate[build + k]!, 1e-12, `GPU rate service month ${k + 1}`);
        // The GPU operator buys power in calendar month build + k + 1.
        const power = gpu.columns.power_cost[build + k]! / (a.site_mw * HOURS_PER_MONTH);
        expectRelClose(sim.powerPriceUsdPerMwh[(build + k) * paths + p]!, power, 1e-12, `GPU power month ${build + k + 1}`);
      }
      expect(sim.constructionDelayMonths[p]).toBe(0);
      expect(sim.capexMultiplier[p]).toBe(1);
    }
    expect(sim.rentPaid.every((flag) => flag === 1)).toBe(true);
  });
});

/** Pooled moments of monthly log changes of a month-major series. */
function logReturnMoments(series: Float64Array, paths: number, months: number, first: Float64Array | number): { mean: number; variance: number; n: number } {
  let sum = 0;
  let sumSq = 0;
  let n = 0;
  for (let i = 0; i < months; i++) {
    for (let p = 0; p < paths; p++) {
      const before = i === 0 ? (typeof first === "number" ? first : first[p]!) : series[(i - 1) * paths + p]!;
      const r = Math.log(series[i * paths + p]! / before);
      sum += r;
      sumSq += r * r;
      n++;
    }
  }
  const mean = sum / n;
  return { mean, variance: (sumSq - n * mean * mean) / (n - 1), n };
}

describe("simulated series have the set law", () => {
  const a = withValues(DEFAULTS, {
    btc_price_vol: 0.6,
    btc_price_growth: 0.15,
    power_price_vol: 0.25,
    gpu_rate_vol: 0.4,
    hashrate_vol: 0.2,
    hashrate_price_elasticity: 0,
  });
  const paths = 20_000;
  const months = 24;
  const sim = generateMarketPaths(a, months, new Random(2026), paths);
  const dt = 1 / 12;

  it.each([
    ["BTC price", () => sim.btcPriceUsd, 0.6, 0.15, () => a.btc_price],
    ["power price", () => sim.powerPriceUsdPerMwh, 0.25, 0.02, () => a.power_price],
  ] as const)("%s: monthly log returns have mean ln(1+g)/12 − σ²/24 and variance σ²/12", (_, series, vol, growth, start) => {
    const { mean, variance, n } = logReturnMoments(series(), paths, months, start());
    const setVariance = vol * vol * dt;
    const setMean = Math.log(1 + growth) * dt - setVariance / 2;
    // Standard errors over n = 480,000 independent increments: sqrt(σ²Δt / n) and σ²Δt·sqrt(2 / n).
    expect(Math.abs(mean - setMean)).toBeLessThan(4 * Math.sqrt(setVariance / n));
    expect(Math.abs(variance - setVariance)).toBeLessThan(4 * setVariance * Math.sqrt(2 / n));
  });

  it("the mean path is the deterministic growth path (the mean is matched, not the median)", () => {
    const det = deterministicMarket(a, months);
    for (const [series, detSeries, vol] of [
      [sim.btcPriceUsd, det.btcPriceUsd, 0.6],
      [sim.networkHashrateEhs, det.networkHashrateEhs, 0.2],
      [sim.gpuRateUsdPerHour, det.gpuRateUsdPerHour, 0.4],
    ] as const) {
      const i = months - 1;
      let sum = 0;
      for (let p = 0; p < paths; p++) sum += series[i * paths + p]!;
      const ratio = sum / paths / detSeries[i]!;
      // The ratio S_T / det_T is lognormal with variance e^(σ²T) − 1; T = 2 years.
      const se = Math.sqrt(Math.expm1(vol * vol * 2) / paths);
      expect(Math.abs(ratio - 1), `vol ${vol}`).toBeLessThan(4 * se);
    }
  });

  it("the GPU-hour rate steps down by gpu_rate_decline at each service anniversary, in the mean", () => {
    const det = deterministicMarket(a, months);
    expect(det.gpuRateUsdPerHour[11]! * (1 - a.gpu_rate_decline)).toBeCloseTo(det.gpuRateUsdPerHour[12]!, 12);
    const { variance, n } = logReturnMoments(sim.gpuRateUsdPerHour.subarray(0, 12 * paths), paths, 12, a.gpu_rate);
    expect(Math.abs(variance - 0.4 * 0.4 * dt)).toBeLessThan(4 * 0.16 * dt * Math.sqrt(2 / n));
  });
});

/** Pooled correlation of Δln price at month i − k with Δln hashrate at month i. */
function crossCorrelation(price: Float64Array, hashrate: Float64Array, paths: number, months: number, k: number): number {
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  let n = 0;
  for (let i = k + 1; i < months; i++) {
    for (let p = 0; p < paths; p++) {
      const x = Math.log(price[(i - k) * paths + p]! / price[(i - k - 1) * paths + p]!);
      const y = Math.log(hashrate[i * paths + p]! / hashrate[(i - 1) * paths + p]!);
      sx += x;
      sy += y;
      sxx += x * x;
      syy += y * y;
      sxy += x * y;
      n++;
    }
  }
  return (sxy - (sx * sy) / n) / Math.sqrt((sxx - (sx * sx) / n) * (syy - (sy * sy) / n));
}

describe("network hashrate follows the BTC price with the set elasticity and lag", () => {
  it.each([0, 1, 3, 6])("the price→hashrate cross-correlation peaks at a lag of %i months", (lag) => {
    const elasticity = 0.8;
    const a = withValues(DEFAULTS, { btc_price_vol: 0.5, hashrate_vol: 0.15, hashrate_price_elasticity: elasticity, hashrate_lag_months: lag });
    const paths = 4_000;
    const months = 36;
    const sim = generateMarketPaths(a, months, new Random(40 + lag), paths);
    const correlations = Array.from({ length: 9 }, (_, k) => crossCorrelation(sim.btcPriceUsd, sim.networkHashrateEhs, paths, months, k));
    const peak = correlations.indexOf(Math.max(...correlations));
    expect(peak).toBe(lag);
    // Δln H = ε σ √Δt z(i − lag) + σ_H √Δt z'(i): correlation ε σ / sqrt(ε²σ² + σ_H²) at the lag, 0 elsewhere.
    const expected = (elasticity * 0.5) / Math.sqrt(elasticity * elasticity * 0.25 + 0.15 * 0.15);
    // Pooled over ~130,000 pairs the standard error of a correlation is below 0.003; 0.02 allowed.
    expect(Math.abs(correlations[lag]! - expected)).toBeLessThan(0.02);
    for (let k = 0; k < correlations.length; k++) if (k !== lag) expect(Math.abs(correlations[k]!)).toBeLessThan(0.02);
  });

  it("with elasticity 1 and no own noise, hashprice's price/hashrate ratio stays on its deterministic path after the lag", () => {
    const a = withValues(DEFAULTS, { btc_price_vol: 0.7, hashrate_vol: 0, hashrate_price_elasticity: 1, hashrate_lag_months: 0 });
    const sim = generateMarketPaths(a, 30, new Random(5), 50);
    const det = deterministicMarket(a, 30);
    for (let i = 0; i < 30; i++) {
      for (let p = 0; p < 50; p++) {
        const ratio = sim.btcPriceUsd[i * 50 + p]! / sim.networkHashrateEhs[i * 50 + p]!;
        expectRelClose(ratio, det.btcPriceUsd[i]! / det.networkHashrateEhs[i]!, 1e-12, `month ${i + 1}`);
      }
    }
  });
});

describe("tenant defaults, construction delays and capex overruns", () => {
  it("a paying tenant defaults with the yearly rate; rent stops for exactly default_recovery_months", () => {
    const rate = 0.1;
    const recovery = 5;
    const a = withValues(DEFAULTS, { tenant_default_rate: rate, default_recovery_months: recovery });
    const paths = 40_000;
    const months = 60;
    const sim = generateMarketPaths(a, months, new Random(77), paths);
    let defaultedInYear1 = 0;
    const runs = new Set<number>();
    for (let p = 0; p < paths; p++) {
      let first = -1;
      let run = 0;
      for (let i = 0; i < months; i++) {
        const paid = sim.rentPaid[i * paths + p]!;
        if (!paid) {
          if (first < 0) first = i;
          run++;
        } else if (run > 0) {
          runs.add(run);
          run = 0;
        }
      }
      if (first >= 0 && first < 12) defaultedInYear1++;
    }
    // Gaps are whole recovery periods (a new tenant may default in its first month).
    expect([...runs].filter((length) => length % recovery !== 0)).toEqual([]);
    expect(runs.has(recovery)).toBe(true);
    const share = defaultedInYear1 / paths;
    expect(Math.abs(share - rate)).toBeLessThan(4 * Math.sqrt((rate * (1 - rate)) / paths));
  });

  it.each([6, 0.3, 20])("delays average construction_delay_months = %f whole months, with the late share stated", (mean) => {
    const a = withValues(DEFAULTS, { construction_delay_months: mean, capex_overrun_vol: 0.3 });
    const paths = 50_000;
    const sim = generateMarketPaths(a, 1, new Random(9), paths);
    let sum = 0;
    let sumSq = 0;
    let late = 0;
    let logSum = 0;
    let logSq = 0;
    let multiplierSum = 0;
    for (let p = 0; p < paths; p++) {
      const d = sim.constructionDelayMonths[p]!;
      if (!(Number.isInteger(d) && d >= 0)) throw new Error(`delay ${d} on path ${p}`);
      sum += d;
      sumSq += d * d;
      if (d > 0) late++;
      const m = sim.capexMultiplier[p]!;
      multiplierSum += m;
      logSum += Math.log(m);
      logSq += Math.log(m) ** 2;
    }
    const average = sum / paths;
    const sd = Math.sqrt(sumSq / paths - average * average);
    expect(Math.abs(average - mean)).toBeLessThan(4 * (sd / Math.sqrt(paths)));
    const lateShare = Math.min(LATE_SHARE, mean);
    expect(Math.abs(late / paths - lateShare)).toBeLessThan(4 * Math.sqrt((lateShare * (1 - lateShare)) / paths));
    // Capex multiplier: log sd 0.3, mean one (SE of the mean: sqrt(e^0.09 − 1) / sqrt(n)).
    const logMean = logSum / paths;
    expect(Math.abs(Math.sqrt(logSq / paths - logMean * logMean) - 0.3)).toBeLessThan(4 * (0.3 / Math.sqrt(2 * paths)));
    expect(Math.abs(multiplierSum / paths - 1)).toBeLessThan(4 * Math.sqrt(Math.expm1(0.09) / paths));
  });
});

describe("reproducibility and input errors", () => {
  it("the same seed gives identical paths; another seed different ones", () => {
    const a = withValues(DEFAULTS, { tenant_default_rate: 0.2 });
    const one = generateMarketPaths(a, 24, new Random(123), 100);
    const two = generateMarketPaths(a, 24, new Random(123), 100);
    const other = generateMarketPaths(a, 24, new Random(124), 100);
    expect(two).toEqual(one);
    expect(other.btcPriceUsd).not.toEqual(one.btcPriceUsd);
  });

  it("changing a volatility rescales the same shocks (streams stay aligned)", () => {
    const low = generateMarketPaths(withValues(DEFAULTS, { btc_price_vol: 0.3 }), 12, new Random(8), 50);
    const high = generateMarketPaths(withValues(DEFAULTS, { btc_price_vol: 0.6 }), 12, new Random(8), 50);
    const det = deterministicMarket(DEFAULTS, 12);
    for (let p = 0; p < 50; p++) {
      // ln(S/det) = σW − σ²t/2 with the same W: doubling σ doubles σW.
      const t = 1;
      const wLow = (Math.log(low.btcPriceUsd[11 * 50 + p]! / det.btcPriceUsd[11]!) + (0.09 * t) / 2) / 0.3;
      const wHigh = (Math.log(high.btcPriceUsd[11 * 50 + p]! / det.btcPriceUsd[11]!) + (0.36 * t) / 2) / 0.6;
      expect(wHigh).toBeCloseTo(wLow, 10);
    }
    expect(high.gpuRateUsdPerHour).toEqual(low.gpuRateUsdPerHour);
  });

  it("refuses a month or path count that is not a whole number of at least one", () => {
    expect(() => generateMarketPaths(DEFAULTS, 0, new Random(1), 10)).toThrow(InputError);
    expect(() => generateMarketPaths(DEFAULTS, 12, new Random(1), 2.5)).toThrow(/paths: 2.5 is not allowed; expected a whole number of at least 1/);
  });
});
