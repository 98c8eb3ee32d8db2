/**
 * The least-squares Monte Carlo engine against published and independent references:
 * Longstaff & Schwartz's own eight-path worked example (coefficients and value), their Table 1
 * American puts, a Bermudan binomial tree with the same exercise dates, Black–Scholes for the
 * path generator when early exercise is never worth it, and a hand-solved stopping problem
 * with running cash flows.
 */
import { describe, expect, it } from "vitest";
import { InputError, Random, applyStoppingRule, leastSquaresMonteCarlo, meanOneLogWalk, scaleByExp, type StoppingProblem } from "../src/core/index.js";

/** Risk-neutral GBM paths: month-major (date d of path p at (d − 1) × paths + p), `dates` steps of 1/datesPerYear. */
function gbmPaths(
  spot: number,
  rate: number,
  vol: number,
  years: number,
  datesPerYear: number,
  paths: number,
  seed: number,
): { prices: Float64Array; dates: number } {
  const dates = Math.round(years * datesPerYear);
  const dt = 1 / datesPerYear;
  const forward = Float64Array.from({ length: dates }, (_, i) => spot * Math.exp(rate * dt * (i + 1)));
  const prices = meanOneLogWalk(new Float64Array(dates * paths), paths, vol, dt, new Random(seed));
  scaleByExp(prices, forward, paths);
  return { prices, dates };
}

/** An American (Bermudan) put on month-major prices; basis 1, x, x², x³ with x = S / K. */
function putProblem(
  prices: Float64Array,
  dates: number,
  paths: number,
  strike: number,
  rate: number,
  datesPerYear: number,
  onlyAtExpiry = false,
): StoppingProblem {
  return {
    paths,
    dates,
    stepDiscount: new Float64Array(dates).fill(Math.exp(-rate / datesPerYear)),
    basisSize: 3,
    exerciseValue(date, out) {
      const row = (date - 1) * paths;
      for (let p = 0; p < paths; p++) out[p] = onlyAtExpiry && date < dates ? 0 : Math.max(strike - prices[row + p]!, 0);
    },
    basis(date, out) {
      const row = (date - 1) * paths;
      for (let p = 0; p < paths; p++) {
        const x = prices[row + p]! / strike;
        out[0]![p] = x;
        out[1]![p] = x * x;
        out[2]![p] = x * x * x;
      }
    },
  };
}

/** Standard normal distribution function by Simpson's rule on the density (error < 1e-12 here). */
function normalCdf(x: number): number {
  const from = -12;
  const steps = 20_000;
  const h = (x - from) / steps;
  const density = (t: number) => Math.exp((-t * t) / 2) / Math.sqrt(2 * Math.PI);
  let sum = density(from) + density(x);
  for (let i = 1; i < steps; i++) sum += density(from + i * h) * (i % 2 ? 4 : 2);
  return (sum * h) / 3;
}

function blackScholesPut(spot: number, strike: number, rate: number, vol: number, years: number): number {
  const d1 = (Math.log(spot / strike) + (rate + (vol * vol) / 2) * years) / (vol * Math.sqrt(years));
  const d2 = d1 - vol * Math.sqrt(years);
  return strike * Math.exp(-rate * years) * normalCdf(-d2) - spot * normalCdf(-d1);
}

/** Bermudan put on a Cox–Ross–Rubinstein tree with `substeps` tree steps between exercise dates. */
function binomialBermudanPut(spot: number, strike: number, rate: number, vol: number, years: number, datesPerYear: number, substeps: number): number {
  const dates = Math.round(years * datesPerYear);
  const steps = dates * substeps;
  const dt = years / steps;
  const up = Math.exp(vol * Math.sqrt(dt));
  const probUp = (Math.exp(rate * dt) - 1 / up) / (up - 1 / up);
  const discount = Math.exp(-rate * dt);
  const values = Float64Array.from({ length: steps + 1 }, (_, j) => Math.max(strike - spot * up ** (2 * j - steps), 0));
  for (let n = steps - 1; n >= 0; n--) {
    const exercisable = n > 0 && n % substeps === 0;
    for (let j = 0; j <= n; j++) {
      const hold = discount * (probUp * values[j + 1]! + (1 - probUp) * values[j]!);
      values[j] = exercisable ? Math.max(hold, strike - spot * up ** (2 * j - n)) : hold;
    }
  }
  return values[0]!;
}

describe("Longstaff & Schwartz (2001), section 1: the eight-path worked example", () => {
  // Their Table of stock price paths at t = 0, 1, 2, 3; put struck at 1.10; r = 6 % per period.
  const table = [
    [1.09, 1.08, 1.34],
    [1.16, 1.26, 1.54],
    [1.22, 1.07, 1.03],
    [0.93, 0.97, 0.92],
    [1.11, 1.56, 1.52],
    [0.76, 0.77, 0.9],
    [0.92, 0.84, 1.01],
    [0.88, 1.22, 1.34],
  ];
  const paths = table.length;
  const prices = new Float64Array(3 * paths);
  table.forEach((row, p) => row.forEach((price, t) => (prices[t * paths + p] = price)));
  const problem: StoppingProblem = {
    paths,
    dates: 3,
    stepDiscount: new Float64Array(3).fill(Math.exp(-0.06)),
    basisSize: 2,
    exerciseValue: (date, out) => {
      for (let p = 0; p < paths; p++) out[p] = Math.max(1.1 - prices[(date - 1) * paths + p]!, 0);
    },
    basis: (date, out) => {
      for (let p = 0; p < paths; p++) {
        const x = prices[(date - 1) * paths + p]!;
        out[0]![p] = x;
        out[1]![p] = x * x;
      }
    },
  };
  const result = leastSquaresMonteCarlo(problem);

  it("fits their continuation regressions: −1.070 + 2.983X − 1.813X² at t = 2, 2.038 − 3.335X + 1.356X² at t = 1", () => {
    const at = (date: number) => Array.from(result.coefficients.subarray((date - 1) * 3, date * 3));
    // The paper prints three decimals; 1e-3 allows for its rounding.
    at(2).forEach((c, j) => expect(Math.abs(c - [-1.07, 2.983, -1.813][j]!)).toBeLessThan(1e-3));
    at(1).forEach((c, j) => expect(Math.abs(c - [2.038, -3.335, 1.356][j]!)).toBeLessThan(1e-3));
  });

  it("stops where they do and values the option at 0.1144", () => {
    // Their stopping rule: paths 4, 6, 7, 8 exercise at t = 1, path 3 at t = 3, the rest never.
    expect(Array.from(result.exerciseDate)).toEqual([0, 0, 3, 1, 0, 1, 1, 1]);
    expect(result.value).toBeCloseTo(0.1144, 4);
  });
});

describe("Longstaff & Schwartz (2001), Table 1: American puts, K = 40, r = 6 %, 50 exercise dates a year", () => {
  const strike = 40;
  const rate = 0.06;
  const perYear = 50;
  const paths = 100_000;
  // A two-standard-error test fails for about one seed in twenty by chance. Over seeds 1-8 the
  // three cases gave 23 of 24 estimates within 2 SE of the Bermudan tree (mean −0.4 SE: the cubic
  // basis's small low bias, as in the paper's own 4.472, 4.821, 7.091); seed 1 is used for all.
  it.each([
    // spot, vol, years, finite-difference American (their Table 1), closed-form European (their Table 1), seed
    [36, 0.2, 1, 4.478, 3.844, 1],
    [36, 0.2, 2, 4.84, 3.763, 1],
    [36, 0.4, 1, 7.101, 6.711, 1],
  ])("S = %i, σ = %f, T = %i: within two standard errors of %f; European %f", (spot, vol, years, american, european, seed) => {
    const { prices, dates } = gbmPaths(spot, rate, vol, years, perYear, paths, seed);
    const fitted = leastSquaresMonteCarlo(putProblem(prices, dates, paths, strike, rate, perYear));
    expect(Math.abs(fitted.value - american), `LSM ${fitted.value} ± ${fitted.standardError}`).toBeLessThan(2 * fitted.standardError);
    // The same exercise dates on a binomial tree (independent of the simulation).
    const bermudan = binomialBermudanPut(spot, strike, rate, vol, years, perYear, 20);
    expect(Math.abs(fitted.value - bermudan), `tree ${bermudan}`).toBeLessThan(2 * fitted.standardError);
    // Out of sample: the fitted rule on independent paths is a feasible rule, so it is worth no
    // more than the Bermudan put (to sampling error) and close to it.
    const fresh = gbmPaths(spot, rate, vol, years, perYear, paths / 2, seed + 1);
    const outOfSample = applyStoppingRule(putProblem(fresh.prices, dates, paths / 2, strike, rate, perYear), fitted.coefficients);
    expect(outOfSample.value).toBeLessThan(bermudan + 2 * outOfSample.standardError);
    expect(Math.abs(outOfSample.value - bermudan)).toBeLessThan(3 * outOfSample.standardError + 0.01);

    // Zero early exercise: the generator's discounted mean payoff is the Black–Scholes price.
    const closedForm = blackScholesPut(spot, strike, rate, vol, years);
    expect(closedForm).toBeCloseTo(european, 3);
    const atExpiry = leastSquaresMonteCarlo(putProblem(prices, dates, paths, strike, rate, perYear, true));
    expect(Math.abs(atExpiry.value - closedForm), `European ${atExpiry.value} ± ${atExpiry.standardError}`).toBeLessThan(2 * atExpiry.standardError);
    expect(atExpiry.exerciseDate.every((d) => d === 0 || d === dates)).toBe(true);
  });

  it("the fitted exercise boundary rises towards the strike as expiry nears", () => {
    const { prices, dates } = gbmPaths(36, rate, 0.2, 1, perYear, 40_000, 99);
    const fitted = leastSquaresMonteCarlo(putProblem(prices, dates, 40_000, strike, rate, perYear));
    // Boundary at date d: the highest S below the strike where K − S beats the fitted continuation.
    const boundary = (date: number): number => {
      const beta = fitted.coefficients.subarray((date - 1) * 4, date * 4);
      let best = NaN;
      for (let s = 20; s < strike; s += 0.01) {
        const x = s / strike;
        if (strike - s > beta[0]! + beta[1]! * x + beta[2]! * x * x + beta[3]! * x ** 3) best = s;
      }
      return best;
    };
    const early = boundary(5);
    const middle = boundary(25);
    const late = boundary(48);
    expect(early).toBeGreaterThan(30);
    expect(early).toBeLessThan(middle + 0.3);
    expect(middle).toBeLessThan(late + 0.3);
    expect(late).toBeLessThan(strike);
    expect(late).toBeGreaterThan(36);
  });
});

describe("stopping with running cash flows", () => {
  it("on identical paths it finds the best stopping date of a declining business, as brute force does", () => {
    const running = [10, 7, 4, 1, -2, -5, -8];
    const exit = [30, 28, 25, 24, 26, 20, 1];
    const dates = running.length;
    const paths = 50;
    const discount = 0.99;
    const problem: StoppingProblem = {
      paths,
      dates,
      stepDiscount: new Float64Array(dates).fill(discount),
      basisSize: 1,
      exerciseValue: (date, out) => out.fill(exit[date - 1]!),
      runningValue: (date, out) => out.fill(running[date - 1]!),
      basis: (_, out) => out[0]!.fill(1),
      exerciseToday: 35,
    };
    const result = leastSquaresMonteCarlo(problem);
    // Brute force over τ: running cash through τ, then the exit value at τ (or never exit).
    let best = -Infinity;
    let bestDate = 0;
    for (let tau = 0; tau <= dates; tau++) {
      let total = 0;
      for (let d = 1; d <= dates; d++) if (tau === 0 || d <= tau) total += running[d - 1]! * discount ** d;
      if (tau > 0) total += exit[tau - 1]! * discount ** tau;
      if (total > best) {
        best = total;
        bestDate = tau;
      }
    }
    expect(result.continuationValue).toBeCloseTo(best, 12);
    expect(result.exerciseDate.every((d) => d === bestDate)).toBe(true);
    expect(result.standardError).toBeLessThan(1e-12);
    // Exiting today for 35 beats the best plan (10 + 7×0.99 + … ≈ 44.3 is more), so the option holds.
    expect(result.exerciseNow).toBe(best < 35);
    expect(result.value).toBeCloseTo(Math.max(35, best), 12);
    expect(applyStoppingRule(problem, result.coefficients).continuationValue).toBeCloseTo(best, 12);
  });

  it("refuses a malformed problem, naming the argument", () => {
    const base = putProblem(new Float64Array(20), 2, 10, 40, 0.06, 50);
    expect(() => leastSquaresMonteCarlo({ ...base, paths: 1 })).toThrow(InputError);
    expect(() => leastSquaresMonteCarlo({ ...base, stepDiscount: new Float64Array(3) })).toThrow(/stepDiscount: 3 is not allowed; expected 2 factors/);
    expect(() => applyStoppingRule(base, new Float64Array(3))).toThrow(/coefficients/);
  });
});
