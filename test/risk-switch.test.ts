/**
 * The switch option (keep mining, convert or sell at the best time). At zero risk every path is
 * the forecast, so the least-squares rule must find the best pure strategy, which these tests
 * enumerate from the deterministic engine by another route: a conversion started at month t is
 * valued on assumptions moved t months along their drifts, not on a slice of a path.
 */
import { describe, expect, it } from "vitest";
import {
  DEFAULTS,
  InputError,
  SWITCH_FIT_PATHS,
  ZERO_RISK,
  deferredAssumptions,
  reviewMonthsOf,
  simulateRisk,
  valueSwitchOption,
  withValues,
  type Assumptions,
} from "../src/core/index.js";
import { valueColocatedGpu, valuePoweredShell } from "../src/core/conversion.js";
import { fleetTiming, miningMonths, valueMining } from "../src/core/mining.js";

/** The forecast t months on: prices, hashrate and power moved along their drifts. */
function movedOn(a: Assumptions, t: number): Assumptions {
  const grow = (rate: number): number => Math.pow(1 + rate, t / 12);
  return {
    ...deferredAssumptions(a, t),
    btc_price: a.btc_price * grow(a.btc_price_growth),
    network_hashrate: a.network_hashrate * grow(a.hashrate_growth),
    power_price: a.power_price * grow(a.power_price_growth),
  };
}

/** Best pure strategy at zero risk, USD before net debt: sell after some month, or convert at a review. */
function bestStrategy(a: Assumptions, target: "powered_shell" | "colocated_gpu"): { usd: number; convertAt: number | null } {
  const value = target === "powered_shell" ? valuePoweredShell : valueColocatedGpu;
  const mine = valueMining(a, a.site_mw);
  const step = Math.pow(1 + a.discount_rate_mining, -1 / 12);
  let best = { usd: -Infinity, convertAt: null as number | null };
  for (let s = 1; s <= miningMonths(a); s++) if (mine.valueIfStopped[s - 1]! > best.usd) best = { usd: mine.valueIfStopped[s - 1]!, convertAt: null };
  for (const t of reviewMonthsOf(a, 12, miningMonths(a))) {
    // Flows while mining up to t: the value of selling after t less the discounted sale.
    const flowsUsd = mine.valueIfStopped[t - 1]! - mine.saleAfterTaxUsd[t - 1]! * Math.pow(step, t);
    const usd = flowsUsd + Math.pow(step, t) * value(movedOn(a, t), a.site_mw).presentValue;
    if (usd > best.usd) best = { usd, convertAt: t };
  }
  return best;
}

const perWatt = (a: Assumptions, usd: number): number => (usd - a.net_debt) / (a.site_mw * 1e6);

describe("at zero risk the switch finds the best pure strategy", () => {
  const cases: [string, Partial<Assumptions>, "powered_shell" | "colocated_gpu"][] = [
    ["defaults: convert now", {}, "powered_shell"],
    // A rich mine and a thin lease: mine a year, then convert.
    ["mine a year, then lease", { btc_price: 150_000, lease_rate: 90 }, "powered_shell"],
    ["no rent worth having: keep mining, then sell", { lease_rate: 20 }, "powered_shell"],
    ["GPUs", { btc_price: 150_000 }, "colocated_gpu"],
  ];
  it.each(cases)("%s: to 1e-9 USD/W", (_, changes, target) => {
    const a = withValues(DEFAULTS, { ...ZERO_RISK, ...changes });
    const option = valueSwitchOption(a, { paths: 4, seed: 3, target });
    const today = value(target)(a, a.site_mw).presentValue;
    const best = bestStrategy(a, target);
    expect(Math.abs(option.convert_today_per_watt - perWatt(a, today))).toBeLessThanOrEqual(1e-9);
    expect(Math.abs(option.hold_value_per_watt - perWatt(a, best.usd))).toBeLessThanOrEqual(1e-9);
    expect(Math.abs(option.option_value_per_watt - perWatt(a, Math.max(today, best.usd)))).toBeLessThanOrEqual(1e-9);
    expect(option.convert_now).toBe(today > best.usd);
    const expectedMonth = option.convert_now ? 0 : (best.convertAt ?? -1);
    expect([...option.conversionMonth]).toEqual(new Array(4).fill(expectedMonth));
    expect(option.option_value_per_watt_se).toBe(0);
  });

  it("the cases cover each decision: convert now, convert at a review, never convert", () => {
    const decisions = cases.map(([, changes, target]) => {
      const option = valueSwitchOption(withValues(DEFAULTS, { ...ZERO_RISK, ...changes }), { paths: 4, seed: 1, target });
      return option.convert_now ? "now" : option.prob_convert > 0 ? "later" : "never";
    });
    expect(new Set(decisions)).toEqual(new Set(["now", "later", "never"]));
  });
});

function value(target: "powered_shell" | "colocated_gpu"): typeof valuePoweredShell {
  return target === "powered_shell" ? valuePoweredShell : valueColocatedGpu;
}

describe("a conversion started later", () => {
  it("ages the fleet on the mine's replacement schedule and moves the chain on", () => {
    const a = withValues(DEFAULTS, { asic_life_years: 4, fleet_age_years: 1.5 });
    const { lifeMonths, firstReplacement } = fleetTiming(a);
    expect(firstReplacement).toBe(30);
    expect(deferredAssumptions(a, 12).fleet_age_years * 12).toBeCloseTo(30, 9);
    expect(deferredAssumptions(a, 30).fleet_age_years).toBe(0);
    expect(deferredAssumptions(a, 30 + lifeMonths + 5).fleet_age_years * 12).toBeCloseTo(5, 9);
    const later = deferredAssumptions(a, 24);
    expect(later.horizon_years * 12).toBeCloseTo(192 - 24, 9);
    expect(later.block_height - deferredAssumptions(a, 12).block_height).toBeCloseTo(12 * 144 * (365.25 / 12), 6);
  });

  it("reviews stop where a conversion would not leave construction plus a year", () => {
    const a = withValues(DEFAULTS, {});
    const reviews = reviewMonthsOf(a, 12, 192);
    expect(reviews[0]).toBe(12);
    expect(reviews.at(-1)).toBe(192 - a.construction_months - 12);
  });
});

describe("with risk on", () => {
  const rich = withValues(DEFAULTS, { btc_price: 150_000, lease_rate: 90 });

  it("converting today is the simulated conversion on the same paths", () => {
    const option = valueSwitchOption(DEFAULTS, { paths: 300, seed: 8 });
    const risk = simulateRisk(DEFAULTS, ["mining", "powered_shell"], { paths: 300, seed: 8 });
    expect(option.convert_today_per_watt).toBeCloseTo(risk.scenarios.powered_shell!.equity_per_watt.mean, 10);
    expect(option.mining_per_watt).toBeCloseTo(risk.scenarios.mining!.equity_per_watt.mean, 9);
  });

  it("waiting has value where the mine is rich and the lease thin; the rule is a hashprice threshold", () => {
    const option = valueSwitchOption(rich, { paths: 1_000, seed: 4 });
    expect(option.convert_now).toBe(false);
    expect(option.value_of_waiting_per_watt).toBeGreaterThan(3 * option.value_of_waiting_per_watt_se);
    expect(option.option_value_per_watt).toBeGreaterThanOrEqual(option.mining_per_watt - 3 * option.option_value_per_watt_se);
    expect(option.prob_convert).toBeGreaterThan(0.5);
    const reviews = new Set(reviewMonthsOf(rich, 12, 192));
    for (const month of option.conversionMonth) expect(month === -1 || reviews.has(month)).toBe(true);
    expect(option.thresholds.length).toBeGreaterThan(0);
    expect(option.thresholds[0]!.agreement).toBeGreaterThan(0.9);
    expect(option.rule).toMatch(/convert to powered shell at the month-\d+ review when hashprice is below about [\d.]+ USD\/PH\/day/);
  });

  it("the same seed repeats every number; another seed does not", () => {
    const one = valueSwitchOption(rich, { paths: 200, seed: 11 });
    const two = valueSwitchOption(rich, { paths: 200, seed: 11 });
    const other = valueSwitchOption(rich, { paths: 200, seed: 12 });
    expect(two).toEqual(one);
    expect(other.option_value_per_watt).not.toBe(one.option_value_per_watt);
  });

  it("fits each review on the first paths only, so more paths cost about three valuations each", () => {
    expect(SWITCH_FIT_PATHS).toBeGreaterThanOrEqual(1_000);
    let last = 0;
    let total = 0;
    valueSwitchOption(rich, { paths: 500, seed: 1, onProgress: (done, all) => ((last = done), (total = all)) });
    expect(last).toBe(total);
    expect(total).toBe(3 * 500 + 500 * reviewMonthsOf(rich, 12, 192).length);
  });
});

describe("bad input", () => {
  it("names the argument, the value and what is allowed", () => {
    expect(() => valueSwitchOption(DEFAULTS, { target: "mining" as never, paths: 10 })).toThrow(InputError);
    expect(() => valueSwitchOption(DEFAULTS, { target: "mining" as never, paths: 10 })).toThrow(/target.*mining.*powered_shell, colocated_gpu/);
    expect(() => valueSwitchOption(DEFAULTS, { reviewMonths: 0, paths: 10 })).toThrow(/reviewMonths/);
    expect(() => valueSwitchOption(DEFAULTS, { paths: 3 })).toThrow(/paths: 3 .*at least 4/);
  });
});
