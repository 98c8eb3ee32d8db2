/**
 * Tornado sensitivity, checked against direct valuations of the moved inputs and against a
 * linear case worked by hand (net debt moves equity value one for one). Tolerance: relative 1e-12.
 */
import { describe, expect, it } from "vitest";
import { withValues } from "../src/core/assumptions.js";
import { InputError } from "../src/core/errors.js";
import { DEFAULTS, getDef } from "../src/core/registry.js";
import { defaultTornadoKeys, memoizedValuer, tornado } from "../src/core/tornado.js";
import { valueHybrid, valueScenario } from "../src/core/value.js";

function close(actual: number | null, expected: number, rel = 1e-12): void {
  expect(actual).not.toBeNull();
  if (!(Math.abs(actual! - expected) <= rel * Math.max(1, Math.abs(expected)))) throw new Error(`got ${actual}, expected ${expected}`);
}

describe("tornado", () => {
  it("moves net debt one for one: ±20 % of 100 M USD on a 100 MW site swings equity per watt by 0.4", () => {
    const a = withValues(DEFAULTS, { net_debt: 100e6 });
    const result = tornado("powered_shell", "equity_per_watt", a, { keys: ["net_debt"] });
    const bar = result.bars[0]!;
    expect([bar.lowInput, bar.highInput]).toEqual([80e6, 120e6]);
    close(bar.low! - bar.high!, 0.4);
    close(result.base!, valueScenario("powered_shell", a).metrics.equity_per_watt);
  });

  it("reads each end as a direct valuation would, for a scenario metric and for the uplift over mining", () => {
    const result = tornado("colocated_gpu", "uplift_per_watt", DEFAULTS, { keys: ["gpu_rate", "btc_price", "power_price"], range: 0.1 });
    for (const bar of result.bars) {
      for (const [input, value] of [
        [bar.lowInput, bar.low],
        [bar.highInput, bar.high],
      ] as const) {
        const changed = withValues(DEFAULTS, { [bar.key]: input });
        const expected = valueScenario("colocated_gpu", changed).metrics.equity_per_watt - valueScenario("mining", changed).metrics.equity_per_watt;
        close(value, expected);
      }
      close(bar.lowInput, DEFAULTS[bar.key] * 0.9);
    }
    const swings = result.bars.map((bar) => bar.swing);
    expect(swings).toEqual([...swings].sort((x, y) => y - x));
    expect(swings[swings.length - 1]).toBeGreaterThan(0);
  });

  it("keeps inputs inside their allowed range and rounds whole-number keys", () => {
    const uptime = tornado("mining", "npv_usd", DEFAULTS, { keys: ["uptime"], range: 0.3 }).bars[0]!;
    expect(uptime.highInput).toBe(getDef("uptime").max);
    // 12 months ± 30 % = 8.4 and 15.6, rounded to 8 and 16.
    const months = tornado("powered_shell", "npv_usd", DEFAULTS, { keys: ["construction_months"], range: 0.3 }).bars[0]!;
    expect([months.lowInput, months.highInput]).toEqual([8, 16]);
    close(months.low, valueScenario("powered_shell", withValues(DEFAULTS, { construction_months: 8 })).metrics.npv_usd);
  });

  it("leaves an end without a value where the moved input is refused by the site's other inputs, and values the other end", () => {
    // A 3.5-year-old fleet on 4-year ASICs: ASIC life 20 % shorter (3.2 years) is younger than the fleet.
    const a = withValues(DEFAULTS, { asic_life_years: 4, fleet_age_years: 3.5 });
    expect(() => valueScenario("mining", withValues(a, { asic_life_years: 3.2 }))).toThrow(InputError);
    const bar = tornado("mining", "equity_per_watt", a, { keys: ["asic_life_years"] }).bars[0]!;
    expect(bar.low).toBeNull();
    expect(bar.swing).toBe(0);
    close(bar.high, valueScenario("mining", withValues(a, { asic_life_years: 4.8 })).metrics.equity_per_watt);
  });

  it("gives the same tornados with a memoised valuer shared between them, each valuation made once", () => {
    const value = memoizedValuer(DEFAULTS);
    for (const [scenario, metric] of [
      ["hybrid", "uplift_per_watt"],
      ["powered_shell", "equity_per_watt"],
      ["mining", "npv_usd"],
    ] as const) {
      expect(tornado(scenario, metric, DEFAULTS, { value })).toEqual(tornado(scenario, metric, DEFAULTS));
    }
    // The same moved inputs give the very same valuation; a key mining ignores gives mining's base case.
    const cheap = withValues(DEFAULTS, { btc_price: 50_000 });
    expect(value("mining", cheap)).toBe(value("mining", withValues(DEFAULTS, { btc_price: 50_000 })));
    expect(value("mining", withValues(DEFAULTS, { lease_rate: 90 }))).toBe(value("mining", DEFAULTS));
    expect(value("hybrid", cheap)).toEqual(valueHybrid(cheap));
  });

  it("by default moves the numeric keys the metric depends on, without site size, block height or hybrid shares", () => {
    const shell = defaultTornadoKeys("powered_shell", "equity_per_watt");
    expect(shell).toContain("lease_rate");
    // The shell mines while it builds, so btc_price moves it; GPU keys do not.
    expect(shell).toContain("btc_price");
    expect(shell).not.toContain("gpu_rate");
    expect(shell).not.toContain("site_mw");
    const uplift = defaultTornadoKeys("powered_shell", "uplift_per_watt");
    expect(uplift).toContain("btc_price");
    expect(uplift).not.toContain("valuation_date");
    expect(defaultTornadoKeys("hybrid", "npv_usd")).not.toContain("share_gpu");
  });

  it("rejects a bad range and non-numeric keys, naming them", () => {
    expect(() => tornado("mining", "npv_usd", DEFAULTS, { range: 1.5 })).toThrow(InputError);
    expect(() => tornado("mining", "npv_usd", DEFAULTS, { keys: ["valuation_date"] })).toThrow(/keys: "valuation_date"/);
  });
});
