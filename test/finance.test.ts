import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InputError, NoSolutionError } from "../src/core/errors.js";
import { discountFactor, irr, monthlyIrr, monthlyNpv, npv, paybackYears, xirr, xnpv } from "../src/core/finance.js";
import { isoToSerial } from "../src/core/time.js";

/** Monthly flows for months 1..length, zero except the given months. */
function monthly(length: number, at: Record<number, number>): number[] {
  const flows = new Array<number>(length).fill(0);
  for (const [month, value] of Object.entries(at)) flows[Number(month) - 1] = value;
  return flows;
}

const gross = (flows: readonly number[]): number => flows.reduce((sum, c) => sum + Math.abs(c), 0);

describe("npv (Excel NPV: first flow discounted one period)", () => {
  it("discounts 110 and 121 at 10 % to 100 + 100 = 200", () => {
    // 110 / 1.1 + 121 / 1.1^2 = 100 + 121 / 1.21 = 100 + 100
    expect(npv(0.1, [110, 121])).toBeCloseTo(200, 12);
  });

  it("is the plain sum at a zero rate and zero for no flows", () => {
    expect(npv(0, [1, 2, 3])).toBe(6);
    expect(npv(0.1, [])).toBe(0);
  });

  it("accepts negative rates above -100 %", () => {
    // 1 / 0.5 + 1 / 0.25 = 2 + 4
    expect(npv(-0.5, [1, 1])).toBeCloseTo(6, 12);
  });

  it("accepts typed arrays", () => {
    expect(npv(0.1, Float64Array.from([110, 121]))).toBeCloseTo(200, 12);
  });

  it.each([-1, -1.5, Number.NaN, Number.POSITIVE_INFINITY])("rejects the rate %s with InputError", (rate) => {
    expect(() => npv(rate, [1, 2])).toThrow(InputError);
  });
});

describe("monthlyNpv and discountFactor (month-end flows, (1 + r)^(-m/12))", () => {
  it("discounts 110 at month 12 and 121 at month 24 at 10 %/yr to 200", () => {
    // 110 × 1.1^-1 + 121 × 1.1^-2 = 100 + 100
    expect(monthlyNpv(0.1, monthly(24, { 12: 110, 24: 121 }))).toBeCloseTo(200, 10);
  });

  it("discounts month 6 at 21 %/yr by one 10 % step", () => {
    // 1.21^(-6/12) = 1 / sqrt(1.21) = 1 / 1.1
    expect(monthlyNpv(0.21, monthly(6, { 6: 110 }))).toBeCloseTo(100, 10);
    expect(discountFactor(0.21, 6)).toBeCloseTo(1 / 1.1, 14);
  });

  it("has discount factor 1 at month 0 and 1 / 1.1 at month 12 of 10 %/yr", () => {
    expect(discountFactor(0.1, 0)).toBe(1);
    expect(discountFactor(0.1, 12)).toBeCloseTo(1 / 1.1, 15);
    expect(discountFactor(0, 240)).toBe(1);
  });

  it("rejects a rate of -100 % or NaN with InputError", () => {
    expect(() => monthlyNpv(-1, [1])).toThrow(InputError);
    expect(() => monthlyNpv(Number.NaN, [1])).toThrow(InputError);
  });
});

describe("xnpv (Excel XNPV: 365-day years from the first date)", () => {
  it("values -100 today and 110 in 365 days at 10 % to 0", () => {
    // -100 + 110 / 1.1^(365/365) = -100 + 100
    expect(xnpv(0.1, [-100, 110], [45292, 45657])).toBeCloseTo(0, 12);
  });

  it("discounts the first flow not at all and 730 days as two years", () => {
    // 50 + 121 / 1.1^(730/365) = 50 + 100
    expect(xnpv(0.1, [50, 121], [46023, 46753])).toBeCloseTo(150, 12);
  });

  it("counts the 366 days of a leap year as 366/365 years", () => {
    const start = isoToSerial("2024-01-01")!;
    const end = isoToSerial("2025-01-01")!;
    expect(end - start).toBe(366);
    // 110 × 1.1^(-366/365)
    expect(xnpv(0.1, [0, 110], [start, end])).toBeCloseTo(110 * Math.pow(1.1, -366 / 365), 12);
  });

  it("rejects mismatched dates, no flows, dates before the first, NaN dates and bad rates", () => {
    expect(() => xnpv(0.1, [1, 2], [45292])).toThrow(InputError);
    expect(() => xnpv(0.1, [], [])).toThrow(InputError);
    expect(() => xnpv(0.1, [-100, 110], [45292, 45291])).toThrow(InputError);
    expect(() => xnpv(0.1, [-100, 110], [45292, Number.NaN])).toThrow(InputError);
    expect(() => xnpv(-1, [-100, 110], [45292, 45657])).toThrow(InputError);
    expect(() => xnpv(Number.NaN, [-100, 110], [45292, 45657])).toThrow(InputError);
  });
});

describe("irr (Excel IRR: flows at periods 0..n-1)", () => {
  it("finds 10 % for -100 then 110", () => {
    // -100 + 110 / (1 + r) = 0  →  r = 0.1
    expect(irr([-100, 110])).toBeCloseTo(0.1, 12);
  });

  it("finds 10 % for -100, 0, 121 and ignores leading zeros", () => {
    // 121 / (1 + r)^2 = 100  →  (1 + r)^2 = 1.21
    expect(irr([-100, 0, 121])).toBeCloseTo(0.1, 12);
    expect(irr([0, -100, 110])).toBeCloseTo(0.1, 12);
  });

  it("solves the quadratic of -1000, 600, 600", () => {
    // with x = 1/(1+r): 600x² + 600x - 1000 = 0  →  x = (-1 + √(23/3)) / 2 = 0.884437...
    // r = 1/x - 1 = 0.130662386...
    const x = (-1 + Math.sqrt(23 / 3)) / 2;
    expect(irr([-1000, 600, 600])).toBeCloseTo(1 / x - 1, 12);
    expect(irr([-1000, 600, 600])).toBeCloseTo(0.1306623862918, 12);
  });

  it("finds negative rates and the same rate for a loan (inflow first)", () => {
    expect(irr([-100, 90])).toBeCloseTo(-0.1, 12);
    expect(irr([100, -110])).toBeCloseTo(0.1, 12);
  });

  it("finds the unique 10 % of -100, 330, -364, 134.2 despite three sign changes", () => {
    // (1+r)³ NPV = -100 (y - 1.1)(y² - 2.2y + 1.22) with y = 1 + r: the other two roots are the
    // complex pair 1.1 ± 0.1i, so 10 % is the only IRR.
    expect(irr([-100, 330, -364, 134.2])).toBeCloseTo(0.1, 10);
  });

  it("throws NoSolutionError when the flows never change sign", () => {
    expect(() => irr([100, 110])).toThrow(NoSolutionError);
    expect(() => irr([-100, -110])).toThrow(NoSolutionError);
    expect(() => irr([0, 0, 0])).toThrow(NoSolutionError);
    expect(() => irr([])).toThrow(NoSolutionError);
  });

  it("throws NoSolutionError for -100, 230, -132, which has IRRs 10 % and 20 %", () => {
    // -100 y² + 230 y - 132 = -100 (y - 1.1)(y - 1.2), y = 1 + r
    expect(npv(0.1, [230, -132]) - 100).toBeCloseTo(0, 10);
    expect(npv(0.2, [230, -132]) - 100).toBeCloseTo(0, 10);
    expect(() => irr([-100, 230, -132])).toThrow(NoSolutionError);
    expect(() => irr([-100, 230, -132])).toThrow(/several/);
  });

  it("throws NoSolutionError for -1000, 3350, -3735, 1386, which has IRRs 5 %, 10 % and 20 %", () => {
    // -1000 (y - 1.05)(y - 1.1)(y - 1.2) = -1000 y³ + 3350 y² - 3735 y + 1386.
    // The 10 % and 20 % roots sit between two neighbouring points of the rate scan.
    const flows = [-1000, 3350, -3735, 1386];
    for (const rate of [0.05, 0.1, 0.2]) expect(flows[0]! + npv(rate, flows.slice(1))).toBeCloseTo(0, 8);
    expect(() => irr(flows)).toThrow(NoSolutionError);
  });

  it("throws NoSolutionError where several sign changes give no real IRR", () => {
    // -100 y² + 230 y - 133: discriminant 230² - 4 × 100 × 133 = 52,900 - 53,200 < 0
    expect(() => irr([-100, 230, -133])).toThrow(NoSolutionError);
  });

  it("throws NoSolutionError when the IRR lies beyond 1,000,000 % a period", () => {
    // -1 + 1e6 / (1 + r) = 0  →  r = 999,999 = 99,999,900 %
    expect(() => irr([-1, 1e6])).toThrow(NoSolutionError);
  });

  it("throws InputError for NaN or infinite flows", () => {
    expect(() => irr([-100, Number.NaN, 110])).toThrow(InputError);
    expect(() => irr([-100, Number.POSITIVE_INFINITY])).toThrow(InputError);
  });
});

describe("monthlyIrr (annual rate of month-end flows)", () => {
  it("finds 10 %/yr for -100 at month 1 and +121 at month 25", () => {
    // 24 months apart: (1 + r)^(24/12) = 1.21  →  r = 0.1
    expect(monthlyIrr(monthly(25, { 1: -100, 25: 121 }))).toBeCloseTo(0.1, 12);
  });

  it("finds 10 %/yr for -100 at month 1 and +110 at month 13", () => {
    expect(monthlyIrr(monthly(13, { 1: -100, 13: 110 }))).toBeCloseTo(0.1, 12);
  });

  it("annualises a one-month 1 % return to 1.01^12 - 1", () => {
    expect(monthlyIrr([-100, 101])).toBeCloseTo(Math.pow(1.01, 12) - 1, 12);
  });

  it("throws NoSolutionError for flows that never change sign", () => {
    expect(() => monthlyIrr([10, 20, 30])).toThrow(NoSolutionError);
  });

  it("throws NoSolutionError for -100, +230, -132 a year apart (IRRs 10 % and 20 %/yr)", () => {
    // Both roots lie within one step of the monthly scan ((1+r) grid ratio ~1.21).
    expect(() => monthlyIrr(monthly(25, { 1: -100, 13: 230, 25: -132 }))).toThrow(/several/);
  });

  it("throws NoSolutionError for the same flows a month apart (IRRs 10 % and 20 % a month)", () => {
    expect(() => monthlyIrr([-100, 230, -132])).toThrow(NoSolutionError);
  });

  it("throws InputError for NaN flows", () => {
    expect(() => monthlyIrr([-100, Number.NaN, 121])).toThrow(InputError);
  });
});

describe("xirr (Excel XIRR: 365-day years from the first date)", () => {
  it("finds 10 % for -100 then 110 after 365 days", () => {
    expect(xirr([-100, 110], [45292, 45657])).toBeCloseTo(0.1, 12);
  });

  it("finds 1.1^(365/366) - 1 across the 366 days of 2024", () => {
    // 110 × (1 + r)^(-366/365) = 100  →  1 + r = 1.1^(365/366) = 1.09971358...
    expect(xirr([-100, 110], [isoToSerial("2024-01-01")!, isoToSerial("2025-01-01")!])).toBeCloseTo(0.0997135859341, 12);
  });

  it("does not care about the order of the later dates", () => {
    // -200 now, 110 at day 365, 121 at day 730; the unsorted call lists day 730 first.
    const sorted = xirr([-200, 110, 121], [45000, 45365, 45730]);
    expect(xirr([-200, 121, 110], [45000, 45730, 45365])).toBeCloseTo(sorted, 12);
    // at 10 %: -200 + 110/1.1 + 121/1.21 = -200 + 100 + 100 = 0
    expect(sorted).toBeCloseTo(0.1, 12);
  });

  it("throws NoSolutionError for flows that never change sign or have several IRRs", () => {
    expect(() => xirr([100, 110], [45292, 45657])).toThrow(NoSolutionError);
    // -100, 230, -132 a year apart: IRRs 10 % and 20 %
    expect(() => xirr([-100, 230, -132], [45000, 45365, 45730])).toThrow(/several/);
  });

  it("throws InputError for mismatched dates, dates before the first, NaN dates and NaN flows", () => {
    expect(() => xirr([-100, 110], [45292])).toThrow(InputError);
    expect(() => xirr([-100, 110], [45292, 45000])).toThrow(InputError);
    expect(() => xirr([-100, 110], [45292, Number.NaN])).toThrow(InputError);
    expect(() => xirr([-100, Number.NaN], [45292, 45657])).toThrow(InputError);
    expect(() => xirr([], [])).toThrow(InputError);
  });
});

describe("paybackYears (cumulative month-end flows, interpolated in the month)", () => {
  it("pays back exactly at the end of month 3 for -100, 50, 50", () => {
    // cumulative -100, -50, 0 → month 3 ends at 0: (2 + 50/50) / 12 = 0.25 years
    expect(paybackYears([-100, 50, 50, 50])).toBeCloseTo(0.25, 15);
  });

  it("interpolates inside the month that turns the cumulative flow positive", () => {
    // cumulative -120, -70, -20, +30: 20 of month 4's 50 needed → (3 + 20/50) / 12 = 3.4 / 12
    expect(paybackYears([-120, 50, 50, 50])).toBeCloseTo(3.4 / 12, 15);
  });

  it("counts from the first dip below zero when early flows are positive", () => {
    // cumulative 10, -10, +20: 10 of month 3's 30 → (2 + 1/3) / 12
    expect(paybackYears([10, -20, 30])).toBeCloseTo((2 + 1 / 3) / 12, 15);
  });

  it("is the month after which the cumulative stays non-negative: a later dip moves it", () => {
    // cumulative -100, +50, -50, +50: non-negative for good only after month 4, 50 of its 100
    // → (3 + 50/100) / 12. (The first crossing, month 2, would give (1 + 100/150) / 12.)
    expect(paybackYears([-100, 150, -100, 100])).toBeCloseTo(3.5 / 12, 15);
    // A fleet bought after payback: -1,200, 12 × 200 (cumulative +1,200), -2,000 (−800), 8 × 200.
    // Last below zero after month 17 (−200); month 18 brings it to 0: (17 + 200 / 200) / 12.
    const flows = [-1_200, ...Array<number>(12).fill(200), -2_000, ...Array<number>(8).fill(200)];
    expect(paybackYears(flows)).toBeCloseTo(18 / 12, 15);
  });

  it("a dip that only touches zero does not move payback", () => {
    // cumulative -100, 0, 50, 0, 20: never below zero after month 1, zero at the end of month 2.
    expect(paybackYears([-100, 100, 50, -50, 20])).toBeCloseTo(2 / 12, 15);
  });

  it("no payback when the cumulative dips below zero again at the end", () => {
    expect(() => paybackYears([-100, 200, -150])).toThrow(NoSolutionError);
  });

  it("takes years of months: -1200 then 100 a month pays back after 13 months", () => {
    const flows = [-1200, ...new Array<number>(24).fill(100)];
    // cumulative reaches 0 at the end of month 13 → 13 / 12 years
    expect(paybackYears(flows)).toBeCloseTo(13 / 12, 15);
  });

  it("is 0 when the cumulative flow never goes negative", () => {
    expect(paybackYears([10, 20, 30])).toBe(0);
    expect(paybackYears([10, -5, 5])).toBe(0);
  });

  // Core bug (reported): tryPaybackYears tests lastNegative === flows.length before
  // lastNegative === 0, so no flows at all (never negative: 0 by its own doc comment) are
  // reported as "cumulative cash flow to equity ends negative".
  it("is 0 for no flows at all", () => {
    expect(paybackYears([])).toBe(0);
  });

  it("throws NoSolutionError when the flows never repay", () => {
    // cumulative -100, -50, -10
    expect(() => paybackYears([-100, 50, 40])).toThrow(NoSolutionError);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties. "Conventional" flows: one or more outflows first, then inflows (one sign change),
// with inflows at least the outflows so the IRR is >= 0 and every discount factor <= 1: then
// the gross flows Σ|c| bound the present values and are a fair yardstick for the residual.

const outflow = fc.double({ min: 1_000, max: 1e6, noNaN: true }).map((v) => -v);
// Integer weights: tiny subnormal doubles would make the scaling below overflow.
const inflow = fc.integer({ min: 0, max: 1_000_000 });

const conventional = fc
  .tuple(fc.array(outflow, { minLength: 1, maxLength: 3 }), fc.array(inflow, { minLength: 1, maxLength: 40 }), fc.double({ min: 1, max: 3, noNaN: true }))
  .filter(([, ins]) => ins.some((v) => v > 0))
  .map(([outs, ins, multiple]) => {
    // Scale the inflows to `multiple` × the outflows: IRR >= 0, not absurdly large.
    const scale = (multiple * -outs.reduce((a, b) => a + b, 0)) / ins.reduce((a, b) => a + b, 0);
    return [...outs, ...ins.map((v) => v * scale)];
  });

/** monthlyIrr and xirr search annual rates up to 1,000,000 %. */
const ANNUAL_CAP = 1e4;

describe("finance properties (fast-check)", () => {
  it("NPV at the IRR is ~0 relative to the gross flows for conventional flows", () => {
    fc.assert(
      fc.property(conventional, (flows) => {
        const rate = irr(flows);
        const residual = flows[0]! + npv(rate, flows.slice(1));
        expect(Math.abs(residual)).toBeLessThanOrEqual(1e-9 * gross(flows));
      }),
      { numRuns: 300 },
    );
  });

  it("monthlyIrr is irr compounded over 12 periods and zeroes monthlyNpv", () => {
    fc.assert(
      fc.property(conventional, (flows) => {
        // A few months to a 3× payoff can exceed the 1,000,000 %/yr cap: then the answer is
        // NoSolutionError, and the NPV at the cap is still positive (the root lies above it).
        if (monthlyNpv(ANNUAL_CAP, flows) > 0) {
          expect(() => monthlyIrr(flows)).toThrow(NoSolutionError);
          return;
        }
        const annual = monthlyIrr(flows);
        expect(Math.abs(annual - (Math.pow(1 + irr(flows), 12) - 1))).toBeLessThanOrEqual(1e-9 * (1 + Math.abs(annual)));
        expect(Math.abs(monthlyNpv(annual, flows))).toBeLessThanOrEqual(1e-9 * gross(flows));
      }),
      { numRuns: 200 },
    );
  });

  it("NPV strictly decreases as the rate rises for an outflow now and inflows later", () => {
    // f(r) = c0 + Σ_{k>=1} c_k (1+r)^-k with c0 < 0 and c_k > 0: every term falls with r.
    // (Excel's npv of the whole series also discounts c0 and is not monotone, hence c0 + npv.)
    const investment = fc.tuple(outflow, fc.array(fc.double({ min: 1, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 40 }));
    const rates = fc.tuple(fc.double({ min: -0.9, max: 1, noNaN: true }), fc.double({ min: 1e-3, max: 1, noNaN: true }));
    fc.assert(
      fc.property(investment, rates, ([c0, inflows], [low, step]) => {
        const high = low + step;
        expect(c0 + npv(high, inflows)).toBeLessThan(c0 + npv(low, inflows));
        expect(monthlyNpv(high, inflows)).toBeLessThan(monthlyNpv(low, inflows));
      }),
      { numRuns: 300 },
    );
  });

  it("monthlyNpv equals Σ c_m × discountFactor(r, m)", () => {
    const flows = fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { maxLength: 360 });
    fc.assert(
      fc.property(flows, fc.double({ min: -0.5, max: 1, noNaN: true }), (cs, rate) => {
        let sum = 0;
        let scale = 0;
        cs.forEach((c, i) => {
          sum += c * discountFactor(rate, i + 1);
          scale += Math.abs(c * discountFactor(rate, i + 1));
        });
        expect(Math.abs(monthlyNpv(rate, cs) - sum)).toBeLessThanOrEqual(1e-12 * scale + 1e-300);
      }),
      { numRuns: 300 },
    );
  });

  it("xnpv at the xirr is ~0 relative to the gross flows, on any increasing dates", () => {
    const dated = fc.tuple(
      conventional,
      fc.integer({ min: 30_000, max: 60_000 }),
      fc.array(fc.integer({ min: 1, max: 400 }), { minLength: 45, maxLength: 45 }),
    );
    fc.assert(
      fc.property(dated, ([flows, start, gaps]) => {
        const dates = flows.map((_, i) => start + gaps.slice(0, i).reduce((a, b) => a + b, 0));
        if (xnpv(ANNUAL_CAP, flows, dates) > 0) {
          // e.g. a 3× payoff after a few days: the IRR lies above the 1,000,000 %/yr cap.
          expect(() => xirr(flows, dates)).toThrow(NoSolutionError);
          return;
        }
        const rate = xirr(flows, dates);
        expect(Math.abs(xnpv(rate, flows, dates))).toBeLessThanOrEqual(1e-9 * gross(flows));
      }),
      { numRuns: 300 },
    );
  });

  it("xirr on dates 365 days apart equals irr", () => {
    fc.assert(
      fc.property(conventional, (flows) => {
        const dates = flows.map((_, i) => 45_000 + 365 * i);
        expect(Math.abs(xirr(flows, dates) - irr(flows))).toBeLessThanOrEqual(1e-9 * (1 + Math.abs(irr(flows))));
      }),
      { numRuns: 200 },
    );
  });
});
