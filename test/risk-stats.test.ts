/** Simulation statistics against hand-worked small arrays (and Excel's PERCENTILE.INC convention). */
import { describe, expect, it } from "vitest";
import { InputError, Random, percentile, probabilityBeats, probabilityBelow, summarize } from "../src/core/index.js";

describe("summarize", () => {
  it("1..5: mean 3, std √2.5, PERCENTILE.INC percentiles 1.2, 2, 3, 4, 4.8, no loss", () => {
    const s = summarize(Float64Array.from([5, 3, 1, 4, 2]));
    expect(s.count).toBe(5);
    expect(s.mean).toBe(3);
    expect(s.std).toBeCloseTo(Math.sqrt(2.5), 14);
    expect([s.p5, s.p25, s.p50, s.p75, s.p95].map((x) => +x.toFixed(12))).toEqual([1.2, 2, 3, 4, 4.8]);
    expect(s.probLoss).toBe(0);
    expect(s.probLossStandardError).toBe(0);
    expect(s.meanStandardError).toBeCloseTo(Math.sqrt(2.5) / Math.sqrt(5), 14);
  });

  it("[−2, −1, 0, 3, 10]: mean 2, std √23.5, P5 −1.8, P95 8.6, loss 0.4 ± √(0.24/5)", () => {
    // Deviations −4, −3, −2, 1, 8: squares sum to 94, over n − 1 = 4 gives 23.5.
    // P5 at position 0.2: −2 + 0.2 × 1; P95 at position 3.8: 3 + 0.8 × 7. Zero is not a loss.
    const s = summarize(Float64Array.from([3, -1, 10, 0, -2]));
    expect(s.mean).toBe(2);
    expect(s.std).toBeCloseTo(Math.sqrt(23.5), 14);
    expect(s.p5).toBeCloseTo(-1.8, 14);
    expect(s.p25).toBe(-1);
    expect(s.p50).toBe(0);
    expect(s.p75).toBe(3);
    expect(s.p95).toBeCloseTo(8.6, 14);
    expect(s.probLoss).toBe(0.4);
    expect(s.probLossStandardError).toBeCloseTo(Math.sqrt(0.24 / 5), 14);
  });

  it("a single value has zero spread and every percentile equal to it", () => {
    const s = summarize(Float64Array.from([-7]));
    expect([s.mean, s.std, s.p5, s.p95, s.probLoss]).toEqual([-7, 0, -7, -7, 1]);
  });

  it("on 200,000 standard normal draws: percentiles near the normal's, loss near one half", () => {
    const s = summarize(new Random(31).fillNormal(new Float64Array(200_000)));
    // Quantile standard error sqrt(q(1 − q)/n) / φ(z_q): about 0.005 at P5/P95, 0.003 at P25–P75.
    expect(Math.abs(s.p5 + 1.6448536269514729)).toBeLessThan(0.02);
    expect(Math.abs(s.p25 + 0.6744897501960817)).toBeLessThan(0.012);
    expect(Math.abs(s.p50)).toBeLessThan(0.012);
    expect(Math.abs(s.p75 - 0.6744897501960817)).toBeLessThan(0.012);
    expect(Math.abs(s.p95 - 1.6448536269514729)).toBeLessThan(0.02);
    expect(Math.abs(s.probLoss - 0.5)).toBeLessThan(4 * s.probLossStandardError);
  });
});

describe("percentile", () => {
  it("interpolates between order statistics at (n − 1) q, endpoints included", () => {
    const sorted = Float64Array.from([10, 20, 40]);
    expect(percentile(sorted, 0)).toBe(10);
    expect(percentile(sorted, 0.25)).toBe(15);
    expect(percentile(sorted, 0.75)).toBe(30);
    expect(percentile(sorted, 1)).toBe(40);
    expect(() => percentile(sorted, 1.5)).toThrow(/q: 1.5 is not allowed; expected a share from 0 to 1/);
  });
});

describe("probabilities", () => {
  it("probabilityBelow counts strictly below the threshold", () => {
    expect(probabilityBelow(Float64Array.from([1, 2, 3, 4]), 3)).toEqual({ probability: 0.5, standardError: Math.sqrt(0.25 / 4) });
  });

  it("probabilityBeats on shared paths: a = [1, 2, 3, 4] beats b = [0, 2, 5, 1] on 2 of 4 (ties do not count)", () => {
    // Differences 1, 0, −2, 3: mean 0.5; deviations 0.5, −0.5, −2.5, 2.5 square to 13, over 3 gives 13/3.
    const c = probabilityBeats(Float64Array.from([1, 2, 3, 4]), Float64Array.from([0, 2, 5, 1]));
    expect(c.probability).toBe(0.5);
    expect(c.standardError).toBe(0.25);
    expect(c.meanDifference).toBe(0.5);
    expect(c.meanDifferenceStandardError).toBeCloseTo(Math.sqrt(13 / 3) / 2, 14);
  });

  it("common random numbers: the paired difference's error is far below that of independent runs", () => {
    const shocks = new Random(4).fillNormal(new Float64Array(10_000));
    const mining = shocks.map((z) => 1 + z);
    const lease = shocks.map((z) => 1.1 + 0.9 * z);
    const paired = probabilityBeats(lease, mining);
    const independent = Math.sqrt(summarize(mining).meanStandardError ** 2 + summarize(lease).meanStandardError ** 2);
    expect(paired.meanDifference).toBeCloseTo(0.1 - 0.1 * summarize(shocks).mean, 12);
    expect(paired.meanDifferenceStandardError).toBeLessThan(independent / 10);
  });

  it("refuses empty, non-finite or mismatched inputs, naming the argument", () => {
    expect(() => summarize(new Float64Array(0))).toThrow(InputError);
    expect(() => summarize(Float64Array.from([1, NaN]))).toThrow(/values: NaN is not allowed; expected finite numbers \(position 2 is not\)/);
    expect(() => probabilityBeats(new Float64Array(3), new Float64Array(2))).toThrow(/b: 2 is not allowed/);
  });
});
