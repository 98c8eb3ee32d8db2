/** The core's one seeded generator: reproducible streams, uniform and normal draws of the right law. */
import { describe, expect, it } from "vitest";
import { InputError, Random } from "../src/core/index.js";

describe("Random (xoshiro128**)", () => {
  it("reproduces the reference xoshiro128** stream from a given state", () => {
    // Reference: Vigna's xoshiro128starstar.c with state {1, 2, 3, 4} yields 11520, 0, 5927040, 70819200.
    const random = new Random(0);
    Object.assign(random, { s0: 1, s1: 2, s2: 3, s3: 4 });
    expect([random.nextUint32(), random.nextUint32(), random.nextUint32(), random.nextUint32()]).toEqual([11520, 0, 5927040, 70819200]);
  });

  it("gives the same stream for the same seed and unrelated streams for neighbouring seeds", () => {
    const draw = (seed: number) => {
      const random = new Random(seed);
      return Array.from({ length: 1000 }, () => random.uniform());
    };
    expect(draw(7)).toEqual(draw(7));
    const a = draw(1);
    const b = draw(2);
    let same = 0;
    let product = 0;
    for (let i = 0; i < a.length; i++) {
      if (a[i] === b[i]) same++;
      product += (a[i]! - 0.5) * (b[i]! - 0.5);
    }
    expect(same).toBe(0);
    // Correlation of independent uniforms: standard error 1/sqrt(1000) ≈ 0.032; 4 SE allowed.
    expect(Math.abs(product / a.length / (1 / 12))).toBeLessThan(0.13);
  });

  it("draws uniforms strictly inside (0, 1) with mean 1/2 and variance 1/12", () => {
    const random = new Random(11);
    const n = 200_000;
    let sum = 0;
    let sumSq = 0;
    let min = 1;
    let max = 0;
    for (let i = 0; i < n; i++) {
      const u = random.uniform();
      sum += u;
      sumSq += u * u;
      min = Math.min(min, u);
      max = Math.max(max, u);
    }
    const mean = sum / n;
    // SE of the mean: sqrt(1/12 / n) = 6.5e-4; of the variance: sqrt(1/180 / n) ≈ 1.7e-4 (4 SE allowed).
    expect(Math.abs(mean - 0.5)).toBeLessThan(4 * Math.sqrt(1 / 12 / n));
    expect(Math.abs(sumSq / n - mean * mean - 1 / 12)).toBeLessThan(4 * Math.sqrt(1 / 180 / n));
    expect(min).toBeGreaterThan(0);
    expect(max).toBeLessThan(1);
  });

  it("draws normals with mean 0, variance 1, no skew and normal tails", () => {
    const random = new Random(12);
    const z = random.fillNormal(new Float64Array(400_000));
    let m1 = 0;
    let m2 = 0;
    let m3 = 0;
    let beyond196 = 0;
    for (const x of z) {
      m1 += x;
      m2 += x * x;
      m3 += x * x * x;
      if (Math.abs(x) > 1.959963984540054) beyond196++;
    }
    const n = z.length;
    // Standard errors: mean 1/sqrt(n), variance sqrt(2/n), third moment sqrt(15/n), tail share sqrt(0.05·0.95/n); 4 SE.
    expect(Math.abs(m1 / n)).toBeLessThan(4 / Math.sqrt(n));
    expect(Math.abs(m2 / n - 1)).toBeLessThan(4 * Math.sqrt(2 / n));
    expect(Math.abs(m3 / n)).toBeLessThan(4 * Math.sqrt(15 / n));
    expect(Math.abs(beyond196 / n - 0.05)).toBeLessThan(4 * Math.sqrt(0.0475 / n));
  });

  it("normal() and fillNormal() give the same draws; split streams are reproducible and unrelated to the parent", () => {
    const one = new Random(21);
    const two = new Random(21);
    const filled = one.fillNormal(new Float64Array(6));
    expect(Array.from({ length: 6 }, () => two.normal())).toEqual(Array.from(filled));
    const childA = new Random(5).split();
    const childB = new Random(5).split();
    expect(childA.uniform()).toBe(childB.uniform());
    const parent = new Random(5);
    parent.split();
    expect(parent.uniform()).not.toBe(childA.uniform());
  });

  it("refuses a seed that is not a whole number, naming it", () => {
    expect(() => new Random(1.5)).toThrow(InputError);
    expect(() => new Random(-1)).toThrow(/seed: -1 is not allowed/);
  });
});
