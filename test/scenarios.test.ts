/**
 * Hand-worked valuations of each scenario, checked against numbers derived here from the
 * contract and the model conventions (never from the engine's internals), plus an independent
 * month-by-month reference implementation (test/helpers/reference.ts) for the cases with tax,
 * debt, discounting and the mine's stop decision.
 *
 * Every hand-worked case sets the horizon, the exit (powered_land_value, exit_cost_share,
 * fleet_resale_share) and fixed mining opex explicitly, so the numbers stay hand-workable.
 *
 * Tolerance: relative 1e-9 unless a comment says otherwise. Where the expected value is zero
 * (an EBITDA at breakeven) the tolerance is 1e-9 of the scale of the sums that cancel.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { DEFAULTS, type AssumptionKey, type Assumptions } from "../src/core/registry.js";
import { valueScenario, type Valuation } from "../src/core/value.js";
import type { ScenarioName } from "../src/core/scenarios.js";
import { reference, refHybrid } from "./helpers/reference.js";
import { MINE, MINE_MARKET, REL, SHELL, close, make, sum } from "./helpers/hand-cases.js";

function value(scenario: ScenarioName, a: Assumptions): Valuation {
  return valueScenario(scenario, a);
}

/** Months (1-based) in which a column is non-zero. */
function monthsWith(column: ArrayLike<number>): number[] {
  return Array.from(column)
    .map((x, i) => (x !== 0 ? i + 1 : 0))
    .filter((m) => m > 0);
}

// ------------------------------------------------------------------------------------------
// Mining, hand-worked
// ------------------------------------------------------------------------------------------

const MINE_BTC = [1.3696875, 0.9375, ...Array<number>(10).fill(0.68484375)];
const MINE_BTC_Y1 = 9.155625;
const MINE_REV_Y1 = 915_562.5;
const MINE_POWER_M = 29_220;
const MINE_OTHER_M = 7_305;
const MINE_EBITDA_Y1 = 477_262.5;

describe("mining, hand-worked 1 MW mine across the 2028 halving", () => {
  const v = value("mining", make(MINE));
  const c = v.schedule.columns;

  it("runs all 12 months of a 1-year horizon without a shut-in", () => {
    expect(v.schedule.months).toBe(12);
    expect(v.metrics.stop_month).toBe(12);
    expect(v.metrics.shut_in_months).toBe(0);
    // The "it" basis of a mine is its hashing MW: 1 MW / PUE 1.
    expect(v.metrics.it_mw).toBe(1);
    expect(Array.from(c.hashing_share)).toEqual(Array<number>(12).fill(1));
  });

  it("mines the right BTC each month, halving inside month 2", () => {
    MINE_BTC.forEach((btc, i) => close(c.btc_mined[i], btc));
    close(sum(c.btc_mined), MINE_BTC_Y1);
    expect(Array.from(c.halving_flag)).toEqual([0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it("revenue = BTC × price, power and other opex per MWh", () => {
    close(c.revenue[0], 136_968.75);
    close(c.revenue[1], 93_750);
    close(c.revenue[2], 68_484.375);
    close(sum(c.revenue), MINE_REV_Y1);
    for (let i = 0; i < 12; i++) {
      close(c.power_cost[i], MINE_POWER_M);
      close(c.other_opex[i], MINE_OTHER_M);
    }
    // m1 EBITDA = 136,968.75 − 29,220 − 7,305 = 100,443.75
    close(c.ebitda[0], 100_443.75);
    // rev_per_mw = 915,562.5 / 1 MW; ebitda_per_mw = 915,562.5 − 350,640 − 87,660 = 477,262.5
    close(v.metrics.rev_per_mw, 915_562.5);
    close(v.metrics.ebitda_per_mw, MINE_EBITDA_Y1);
  });

  it("hashprice = 144 × 3.125 × 100,000 / (500 × 1,000 PH/s) = 90 USD/PH/day", () => {
    close(v.metrics.hashprice, 90);
    close(c.hashprice[0], 90);
    // Month 3 opens after the halving: 45.
    close(c.hashprice[2], 45);
  });

  it("buys no fleet before month 24 and depreciates 1,000,000 / 24 a month", () => {
    expect(sum(c.capex)).toBe(0);
    for (let i = 0; i < 12; i++) close(c.depreciation[i], 1_000_000 / 24);
  });

  it("cost to mine: cash and all-in per BTC earned, first 12 months", () => {
    // cash = 350,640 + 87,660 = 438,300; all-in adds 12 × 1e6 / 24 = 500,000
    close(v.metrics.cost_to_mine_cash, 438_300 / 9.155625);
    close(v.metrics.cost_to_mine_all_in, 938_300 / 9.155625);
  });

  it("breakeven power: (915,562.5 − 87,660) / 8,766 MWh; there the cash cost to mine is the BTC price", () => {
    const breakeven = (915_562.5 - 87_660) / 8_766; // 94.4447...
    close(v.metrics.breakeven_power, breakeven);
    // At breakeven, power + other opex = revenue = BTC earned × price: cash cost per BTC = 100,000.
    const at = value("mining", make({ ...MINE, power_price: v.metrics.breakeven_power }));
    close(at.metrics.cost_to_mine_cash, 100_000);
  });

  it("NPV at 0 %, no tax, no exit value = Σ EBITDA = 477,262.5", () => {
    close(v.metrics.npv_usd, MINE_EBITDA_Y1);
    close(v.metrics.equity_per_watt, MINE_EBITDA_Y1 / 1e6);
    expect(v.metrics.terminal_value_pv_usd).toBe(0);
  });

  it("the exit after month 12: land 0.25 M USD/MW + half the fleet's book 500,000, less 2 % costs", () => {
    // Each month the fleet loses 0.5 × 0.98 × 41,666.67 = 20,416.67 of resale, less than the
    // lowest EBITDA (31,959.375), so the mine still runs all 12 months.
    const x = value("mining", make({ ...MINE, powered_land_value: 0.25, exit_cost_share: 0.02, fleet_resale_share: 0.5 }));
    expect(x.metrics.stop_month).toBe(12);
    // (250,000 + 0.5 × 500,000) × 0.98 = 490,000; gain over land + book = 490,000 − 750,000
    close(x.schedule.columns.exit_proceeds[11], 490_000);
    close(x.schedule.columns.exit_gain[11], -260_000);
    close(x.schedule.columns.terminal_value[11], 490_000);
    close(x.metrics.terminal_value_pv_usd, 490_000);
    close(x.metrics.npv_usd, MINE_EBITDA_Y1 + 490_000);
  });

  it("net_debt reduces npv_usd one for one; equity_per_watt = npv / (site_mw × 1e6)", () => {
    const indebted = value("mining", make({ ...MINE, net_debt: 100_000 }));
    close(indebted.metrics.npv_usd, 377_262.5);
    close(indebted.metrics.equity_per_watt, 377_262.5 / 1e6);
    const credit = value("mining", make({ ...MINE, net_debt: -50_000 }));
    close(credit.metrics.npv_usd, 527_262.5);
  });

  it("discounts month m by (1 + r)^(-m/12): with (1 + r) = 1.01^12 the factor is 1.01^-m", () => {
    const r = Math.pow(1.01, 12) - 1;
    const d = value("mining", make({ ...MINE, discount_rate_mining: r, powered_land_value: 0.25 }));
    // Monthly EBITDA from the hand numbers above; the land (250,000) sold after month 12.
    let expected = 0;
    for (let m = 1; m <= 12; m++) {
      const ebitda = MINE_BTC[m - 1]! * 100_000 - MINE_POWER_M - MINE_OTHER_M;
      expected += ebitda * Math.pow(1.01, -m);
      close(d.schedule.columns.discount_factor[m - 1], Math.pow(1.01, -m));
    }
    expected += 250_000 * Math.pow(1.01, -12);
    close(d.metrics.npv_usd, expected);
    close(d.metrics.terminal_value_pv_usd, 250_000 * Math.pow(1.01, -12));
  });

  it("fees: 20 % of the reward at 3.125 BTC → 0.78125 BTC a block, held constant after the halving", () => {
    const f = value("mining", make({ ...MINE, fee_share: 0.2 }));
    // month 1: 4,383 × (3.125 + 0.78125) × 1e-4 = 1.712109375
    close(f.schedule.columns.btc_mined[0], 1.712109375);
    // month 3: 4,383 × (1.5625 + 0.78125) × 1e-4 = 1.027265625
    close(f.schedule.columns.btc_mined[2], 1.027265625);
    // hashprice: 144 × 3.90625 × 100,000 / 500,000 = 112.5
    close(f.metrics.hashprice, 112.5);
  });

  it("uptime scales BTC and power; the pool fee scales revenue only", () => {
    const u = value("mining", make({ ...MINE, uptime: 0.9, pool_fee: 0.02 }));
    expect(u.metrics.stop_month).toBe(12);
    close(sum(u.schedule.columns.btc_mined), MINE_BTC_Y1 * 0.9);
    close(sum(u.schedule.columns.revenue), MINE_REV_Y1 * 0.9 * 0.98);
    close(u.schedule.columns.power_cost[0], MINE_POWER_M * 0.9);
    close(u.schedule.columns.other_opex[0], MINE_OTHER_M * 0.9);
    // BTC earned (after pool fee) = 9.155625 × 0.9 × 0.98; cash cost = 438,300 × 0.9
    close(u.metrics.cost_to_mine_cash, (438_300 * 0.9) / (MINE_BTC_Y1 * 0.9 * 0.98));
  });

  it("growth compounds as (1 + g)^(m/12)", () => {
    const g = value("mining", make({ ...MINE, btc_price_growth: 0.21, hashrate_growth: 0.44, power_price_growth: 0.1 }));
    const gc = g.schedule.columns;
    // Month 12: revenue 6,848.4375 × 0.05 / 720 × 121,000 = 57,547 > power 32,142 + other 7,305.
    expect(g.metrics.stop_month).toBe(12);
    close(gc.btc_price[5], 100_000 * Math.pow(1.21, 6 / 12)); // = 110,000
    close(gc.btc_price[5], 110_000);
    close(gc.network_hashrate[5], 500 * 1.2);
    close(gc.power_cost[11], MINE_POWER_M * 1.1);
    // month 6: 6,848.4375 × 0.05 / 600 BTC × 110,000 USD
    close(gc.revenue[5], ((6_848.4375 * 0.05) / 600) * 110_000);
  });
});

describe("mining, edge cases of the cost metrics", () => {
  it("breakeven power at a zero power price is still (revenue − other opex) / MWh", () => {
    const v = value("mining", make({ ...MINE, power_price: 0 }));
    close(v.metrics.breakeven_power, (915_562.5 - 87_660) / 8_766);
  });

  it("with power growth the breakeven divides by escalation-weighted MWh: Σ 730.5 × 1.1^(m/12)", () => {
    const v = value("mining", make({ ...MINE, power_price_growth: 0.1 }));
    let weighted = 0;
    for (let m = 1; m <= 12; m++) weighted += 730.5 * Math.pow(1.1, m / 12);
    close(v.metrics.breakeven_power, (915_562.5 - 87_660) / weighted);
    const at = value("mining", make({ ...MINE, power_price_growth: 0.1, power_price: v.metrics.breakeven_power }));
    close(at.metrics.cost_to_mine_cash, 100_000);
  });

  it("fixed opex counts in the cash cost and the breakeven: 60,000 USD/MW-yr on 1 MW", () => {
    const v = value("mining", make({ ...MINE, fixed_opex_mining: 60_000 }));
    close(v.metrics.cost_to_mine_cash, (438_300 + 60_000) / 9.155625);
    close(v.metrics.breakeven_power, (915_562.5 - 87_660 - 60_000) / 8_766);
    // 5,000 a month on top of the variable opex, every month the mine runs.
    close(v.schedule.columns.other_opex[0], MINE_OTHER_M + 5_000);
    close(v.metrics.npv_usd, MINE_EBITDA_Y1 - 60_000);
  });

  it("past the last subsidy (height 7,000,000: 33 halvings) nothing is mined; cost to mine has no value", () => {
    const v = value("mining", make({ ...MINE, block_height: 7_000_000, fee_share: 0.5 }));
    expect(sum(v.schedule.columns.btc_mined)).toBe(0);
    expect(v.metrics.cost_to_mine_cash).toBeNull();
    expect(v.metrics.cost_to_mine_all_in).toBeNull();
    expect(v.unavailable.cost_to_mine_cash).toMatch(/no BTC/);
    expect(v.metrics.rev_per_mw).toBe(0);
    // Nothing to earn: the fleet is shut in and buys no power.
    expect(sum(v.schedule.columns.power_cost)).toBe(0);
    expect(v.metrics.npv_usd).toBe(0);
    // −(power + other) / MWh
    close(v.metrics.breakeven_power, -87_660 / 8_766);
  });
});

/** A mine rich enough (BTC at 1,000,000 USD) that every replacement fleet pays for itself. */
const RICH = { ...MINE, btc_price: 1_000_000, fleet_resale_share: 1 };

describe("mining, replacement timing", () => {
  it("3-year horizon, 1-year life, age 0.25: replacements at months 9, 21, 33; fleet sold at book cost × (45 − 36) / 12", () => {
    const v = value("mining", make({ ...RICH, asic_life_years: 1, fleet_age_years: 0.25, horizon_years: 3 }));
    const c = v.schedule.columns;
    expect(v.schedule.months).toBe(36);
    expect(v.metrics.stop_month).toBe(36);
    const months = monthsWith(c.capex);
    expect(months).toEqual([9, 21, 33]);
    for (const m of months) close(c.capex[m - 1], 1_000_000);
    // Resale at 100 % of book, no land, no exit cost: proceeds = book, no gain.
    close(c.exit_proceeds[35], 750_000);
    close(c.exit_gain[35], 0, 0, 1e-6);
    close(c.terminal_value[35], 750_000);
    for (let i = 0; i < 36; i++) close(c.depreciation[i], 1_000_000 / 12);
  });

  it("no replacement in the mine's last possible month: life 1, age 0, horizon 1 → none, fleet sold at book 0", () => {
    const v = value("mining", make({ ...RICH, asic_life_years: 1, fleet_age_years: 0 }));
    expect(v.metrics.stop_month).toBe(12);
    expect(sum(v.schedule.columns.capex)).toBe(0);
    close(v.schedule.columns.terminal_value[11], 0, 0, 1e-6);
  });

  it("first replacement beyond the horizon: life 4, age 0, horizon 1 → fleet sold at cost × 36 / 48", () => {
    const v = value("mining", make({ ...RICH, asic_life_years: 4, fleet_age_years: 0 }));
    expect(sum(v.schedule.columns.capex)).toBe(0);
    close(v.schedule.columns.terminal_value[11], 750_000);
  });

  it("horizon_years_mining caps the mine inside a longer comparison horizon: 36 months, mine sold after 12", () => {
    const v = value("mining", make({ ...RICH, horizon_years: 3, horizon_years_mining: 1, asic_life_years: 4 }));
    expect(v.schedule.months).toBe(36);
    expect(v.metrics.stop_month).toBe(12);
    expect(v.detail).toHaveProperty("valueIfStopped.length", 12);
    close(v.schedule.columns.terminal_value[11], 750_000);
    expect(sum(v.schedule.columns.revenue, 12)).toBe(0);
    expect(sum(v.schedule.columns.depreciation, 12)).toBe(0);
  });

  it("a fleet at or past its life is an InputError on fleet_age_years", () => {
    expect(() => value("mining", make({ ...MINE, asic_life_years: 2, fleet_age_years: 2 }))).toThrowError(/fleet_age_years/);
  });
});

// ------------------------------------------------------------------------------------------
// Powered shell, hand-worked
// ------------------------------------------------------------------------------------------

describe("powered shell, hand-worked 1 MW IT lease", () => {
  const v = value("powered_shell", make(SHELL));
  const c = v.schedule.columns;

  it("builds in month 1, leases months 2..25, rent steps up 10 % at the anniversary", () => {
    expect(v.schedule.months).toBe(25);
    close(c.capex[0], 1_200_000);
    expect(c.revenue[0]).toBe(0);
    for (let m = 2; m <= 13; m++) close(c.revenue[m - 1], 100_000);
    for (let m = 14; m <= 25; m++) close(c.revenue[m - 1], 110_000);
    close(c.ebitda[1], 80_000);
    close(c.other_opex[1], 20_000);
    close(c.ebitda[24], 88_000);
    expect(sum(c.power_cost)).toBe(0);
  });

  it("exit = next-12-month NOI after the horizon / exit cap = 14,520,000", () => {
    close(c.terminal_value[24], 14_520_000);
    close(c.exit_proceeds[24], 14_520_000);
    expect(sum(c.terminal_value, 0, 24)).toBe(0);
    close(v.metrics.terminal_value_pv_usd, 14_520_000);
  });

  it("NPV, per-watt, per-MW metrics", () => {
    close(v.metrics.npv_usd, 15_336_000);
    close(v.metrics.equity_per_watt, 15_336_000 / 1.2e6); // 12.78 USD/W
    close(v.metrics.rev_per_mw, 1_200_000 / 1.2); // first lease year / site MW
    close(v.metrics.ebitda_per_mw, 960_000 / 1.2);
    close(v.metrics.critical_it_mw, 1);
    close(v.metrics.it_mw, 1);
    close(v.metrics.capex_usd, 1_200_000);
    expect(v.metrics.debt_usd).toBe(0);
    expect(v.metrics.min_dscr).toBeNull();
  });

  it("payback on operating cash alone: 1,200,000 back after 12 × 80,000 + 3 × 80,000 / 88,000 → (13 + 240/88) / 12 years", () => {
    // Cumulative: −1.2 M after month 1, −240,000 after month 13, then 88,000 a month:
    // 240,000 / 88,000 = 2.727 months into lease year 2.
    close(v.metrics.payback_years, (13 + 240_000 / 88_000) / 12);
    // With the exit the cumulative is still negative before month 25: same payback.
    close(v.metrics.payback_with_exit_years, (13 + 240_000 / 88_000) / 12);
  });

  it("rev_per_mw uses the 12 months after service starts, whatever the construction period", () => {
    const slow = value("powered_shell", make({ ...SHELL, construction_months: 6 }));
    close(slow.metrics.rev_per_mw, 1_000_000);
    expect(slow.schedule.months).toBe(30);
    for (let i = 0; i < 6; i++) {
      close(slow.schedule.columns.capex[i], 200_000);
      expect(slow.schedule.columns.revenue[i]).toBe(0);
    }
  });

  it("net_debt reduces npv_usd one for one", () => {
    const d = value("powered_shell", make({ ...SHELL, net_debt: 336_000 }));
    close(d.metrics.npv_usd, 15_000_000);
    close(d.metrics.equity_per_watt, 15_000_000 / 1.2e6);
  });

  it("horizon_years sets the horizon whatever the lease term: 3 years → 36 months, exit on lease-year-4 NOI", () => {
    const h = value("powered_shell", make({ ...SHELL, horizon_years: 3 }));
    expect(h.schedule.months).toBe(36);
    // Months 26..36 are lease year 3 (121,000 rent); month 37 opens lease year 3 too:
    // floor((37 − 2) / 12) = 2 → exit = 121,000 × 12 × 0.8 / 0.08 = 14,520,000.
    close(h.schedule.columns.revenue[35], 121_000);
    close(h.schedule.columns.exit_proceeds[35], 14_520_000);
  });

  it("a horizon shorter than construction plus a year of service is an InputError on horizon_years", () => {
    expect(() => value("powered_shell", make({ ...SHELL, construction_months: 6, horizon_years: 1 }))).toThrowError(/horizon_years/);
  });
});

describe("conversion with a live mine on the site during construction", () => {
  /**
   * The hand-worked mine (1 MW hashing: site 1.2 MW at PUE 1.2) on the shell site, built over
   * 3 months. The unconverted share is 2/3 in month 1, 1/3 in month 2, 0 in month 3.
   * Full-site month: revenue m1 136,968.75, m2 93,750; power 1.2 MW × 730.5 h × 40 = 35,064,
   * other 876.6 MWh × 10 = 8,766; margins positive, so the share hashes.
   * Fleet 1,000,000 USD, life 24 months, age 1.5 → book at the start of month m is
   * 1e6 × (6 − (m − 1)) / 24: 250,000, 208,333.33, 166,666.67; one third of it is sold each
   * month at half its book: 41,666.67, 34,722.22, 27,777.78 (the other half is a loss).
   */
  const LIVE = { ...SHELL, ...MINE_MARKET, construction_months: 3, pue_mining: 1.2, fleet_age_years: 1.5, fleet_resale_share: 0.5 };
  const v = value("powered_shell", make(LIVE));
  const c = v.schedule.columns;

  it("mines on the unconverted share: 2/3, 1/3, 0", () => {
    expect(Array.from(c.hashing_share.subarray(0, 4))).toEqual([2 / 3, 1 / 3, 0, 0]);
    close(c.revenue[0], (2 / 3) * 136_968.75);
    close(c.revenue[1], (1 / 3) * 93_750);
    expect(c.revenue[2]).toBe(0);
    close(c.power_cost[0], (2 / 3) * 35_064);
    close(c.other_opex[1], (1 / 3) * 8_766);
    close(c.ebitda[0], (2 / 3) * (136_968.75 - 35_064 - 8_766));
    close(c.depreciation[0], (2 / 3) * (1_000_000 / 24));
    close(c.depreciation[1], (1 / 3) * (1_000_000 / 24));
  });

  it("sells a third of the fleet each month at half its book value at the start of the month", () => {
    close(c.asset_sales[0], 250_000 / 3 / 2);
    close(c.asset_sales[1], (1e6 * 5) / 24 / 3 / 2);
    close(c.asset_sales[2], (1e6 * 4) / 24 / 3 / 2);
    close(c.asset_gain[0], -250_000 / 3 / 2);
    // Book sold + depreciation taken = the opening book of 250,000.
    close(-2 * sum(c.asset_gain) + sum(c.depreciation, 0, 3), 250_000);
  });

  it("the NPV at 0 % adds the mine's EBITDA and the fleet's sale to the hand-worked lease", () => {
    // Lease months 4..27 (H = 3 + 24), capex 1.2 M over months 1..3, exit 14,520,000.
    const mining = (2 / 3) * (136_968.75 - 43_830) + (1 / 3) * (93_750 - 43_830);
    const fleet = (1e6 * (6 + 5 + 4)) / 24 / 6;
    close(v.metrics.npv_usd, 15_336_000 + mining + fleet);
  });
});

describe("powered shell with project debt and tax", () => {
  /**
   * Construction 2 months, capex 600,000 a month, LTC 0.5 → draws 300,000 a month (cover does
   * not bind: at min_dscr 1, 80,000 a month serves 80,000 / 0.0888 = 900,000 over 12 months).
   * Debt 12 %/yr = 1 % a month, paid monthly on the opening balance.
   *   month 1: interest 0; balance 300,000
   *   month 2: interest 3,000; balance 600,000; taxable = −3,000 (no EBITDA, no depreciation yet)
   *   month 3: interest 6,000; facility depreciation 1.2M / 120 = 10,000; EBITDA 80,000
   *            taxable 64,000; tax at 50 %: 30,500 with the 3,000 loss carried, 32,000 without.
   * Later months are all profitable, so the totals differ by exactly 0.5 × 3,000 = 1,500.
   */
  const DEBT = { ...SHELL, construction_months: 2, debt_ltc: 0.5, debt_rate: 0.12, debt_term_years: 1, tax_rate: 0.5, lease_escalator: 0 };
  const on = value("powered_shell", make({ ...DEBT, tax_loss_carryforward: 1 }));
  const off = value("powered_shell", make({ ...DEBT, tax_loss_carryforward: 0 }));

  it("draws with the capex and charges interest on the opening balance", () => {
    const c = on.schedule.columns;
    close(c.debt_draw[0], 300_000);
    close(c.debt_draw[1], 300_000);
    expect(c.interest[0]).toBe(0);
    close(c.interest[1], 3_000);
    close(c.interest[2], 6_000);
    close(c.taxable_income[1], -3_000);
    close(c.taxable_income[2], 64_000);
    close(on.metrics.debt_usd, 600_000);
  });

  it("tax loss carry-forward on vs off", () => {
    close(on.schedule.columns.tax[2], 30_500);
    close(off.schedule.columns.tax[2], 32_000);
    expect(on.schedule.columns.tax[1]).toBe(0);
    expect(off.schedule.columns.tax[1]).toBe(0);
    close(sum(off.schedule.columns.tax) - sum(on.schedule.columns.tax), 1_500);
    // Without debt the loss does not arise, so the difference is tax saved by interest,
    // valued at the debt rate: 1,500 × 1.12^(−3/12).
    close(on.metrics.npv_usd - off.metrics.npv_usd, 1_500 * Math.pow(1.12, -3 / 12));
  });

  it("level monthly repayment over the 12-month term: payments sum to draws plus interest", () => {
    const c = on.schedule.columns;
    // Level payment on 600,000 at 1 % over 12 months.
    const payment = (600_000 * 0.01) / (1 - Math.pow(1.01, -12));
    let balance = 600_000;
    for (let m = 3; m <= 14; m++) {
      const interest = balance * 0.01;
      close(c.interest[m - 1], interest);
      close(c.debt_repayment[m - 1], payment - interest, REL, 1e-6);
      balance -= payment - interest;
      close(c.debt_balance[m - 1], balance, 0, 1e-6);
    }
    close(sum(c.debt_repayment), sum(c.debt_draw));
    close(sum(c.debt_repayment), 600_000);
    expect(Math.abs(c.debt_balance[on.schedule.months - 1]!)).toBeLessThan(1e-6);
    // After the term only floating-point dust is left to repay.
    for (let m = 15; m <= on.schedule.months; m++) expect(Math.abs(c.debt_repayment[m - 1]!)).toBeLessThan(1e-6);
    // The weakest cover: 80,000 / payment.
    close(on.metrics.min_dscr, 80_000 / payment);
  });

  it("a debt term longer than the horizon: the balance is repaid from the exit", () => {
    const long = value("powered_shell", make({ ...DEBT, debt_term_years: 5, lease_term_years: 1 }));
    const c = long.schedule.columns;
    const N = long.schedule.months; // 2 + 12 = 14
    expect(N).toBe(14);
    const payment = (600_000 * 0.01) / (1 - Math.pow(1.01, -60));
    // After 11 level payments (months 3..13) the balance is
    // 600,000 × 1.01^11 − payment × (1.01^11 − 1) / 0.01; month 14 pays its level payment and
    // the rest, before × 1.01 − payment, is repaid from the exit.
    const before = 600_000 * Math.pow(1.01, 11) - (payment * (Math.pow(1.01, 11) - 1)) / 0.01;
    close(c.debt_balance[12], before, 1e-9);
    close(c.debt_repayment[13], payment - 0.01 * before, 1e-9);
    close(c.exit_debt_repayment[13], before * 1.01 - payment, 1e-9);
    expect(Math.abs(c.debt_balance[13]!)).toBeLessThan(1e-6);
    close(sum(c.debt_repayment) + sum(c.exit_debt_repayment), 600_000);
    // The exit to equity is the proceeds less the exit tax and that repayment.
    close(c.terminal_value[13], c.exit_proceeds[13]! - c.exit_tax[13]! - c.exit_debt_repayment[13]!);
  });

  it("matches the independent reference implementation (tax, debt, discounting)", () => {
    for (const changes of [
      { ...DEBT, discount_rate_shell: 0.09, lease_escalator: 0.03 },
      { ...DEBT, discount_rate_shell: 0.11, tax_loss_carryforward: 0, debt_term_years: 7, lease_term_years: 5, construction_months: 7 },
      { ...DEBT, discount_rate_shell: 0.08, powered_land_value: 0.4, exit_cost_share: 0.03, debt_ltc: 0.95, min_dscr: 1.4, horizon_years: 4 },
    ]) {
      const a = make(changes);
      const ref = reference("powered_shell", a);
      const v = value("powered_shell", a);
      close(v.metrics.npv_usd, ref.npv, 0, 1e-12 * ref.scale);
      close(v.metrics.debt_usd, ref.debt);
    }
  });
});

// ------------------------------------------------------------------------------------------
// Colocated GPU, hand-worked
// ------------------------------------------------------------------------------------------

/**
 * Same 1,000 kW IT hall; 1 kW per GPU → 1,000 GPUs at 10,000 USD = 10,000,000 USD, paid in the
 * last construction month (month 1) with the 1,200,000 conversion capex → capex m1 11,200,000.
 * GPU life 2 years, lease term 2 → H = 25: the GPUs serve months 2..25 and are still in service
 * at the horizon, 24 months old = their life, so they sell at the residual 10 % = 1,000,000.
 * GPU-hours sold a month = 1,000 × 730.5 × 0.8 = 584,400.
 * Rate 2.00 in service year 1 → revenue 1,168,800 a month; −25 % → 1.50 → 876,600 in year 2.
 * Power = site 1.2 MW × 730.5 h × 50 = 43,830 a month (the whole site draw).
 * Opex 10 % of revenue: 116,880 and 87,660.
 * EBITDA: 1,168,800 − 43,830 − 116,880 = 1,008,090; 876,600 − 43,830 − 87,660 = 745,110.
 * Exit = facility NOI after 2 lease years / cap + GPUs: 14,520,000 + 1,000,000.
 * NPV = −11,200,000 + 12 × 1,008,090 + 12 × 745,110 + 15,520,000 = 25,358,400.
 */
const GPU: Partial<Record<AssumptionKey, unknown>> = {
  ...SHELL,
  gpu_kw: 1,
  gpu_capex: 10_000,
  gpu_life_years: 2,
  utilization: 0.8,
  gpu_rate: 2,
  gpu_rate_decline: 0.25,
  power_price: 50,
  power_price_growth: 0,
  gpu_opex_share: 0.1,
  gpu_residual_share: 0.1,
  discount_rate_gpu: 0,
};

describe("colocated GPU, hand-worked 1,000-GPU hall", () => {
  const v = value("colocated_gpu", make(GPU));
  const c = v.schedule.columns;

  it("counts GPUs and pays for them at the end of construction", () => {
    close(v.metrics.gpu_count, 1_000);
    close(v.metrics.capex_usd, 11_200_000);
    close(c.capex[0], 11_200_000);
    expect(sum(c.capex, 1)).toBe(0);
  });

  it("sells GPU-hours at a rate stepped down 25 % at the service anniversary", () => {
    expect(v.schedule.months).toBe(25);
    for (let m = 2; m <= 25; m++) close(c.gpu_hours_sold[m - 1], 584_400);
    for (let m = 2; m <= 13; m++) {
      close(c.gpu_rate[m - 1], 2);
      close(c.revenue[m - 1], 1_168_800);
      close(c.ebitda[m - 1], 1_008_090);
    }
    for (let m = 14; m <= 25; m++) {
      close(c.gpu_rate[m - 1], 1.5);
      close(c.revenue[m - 1], 876_600);
      close(c.ebitda[m - 1], 745_110);
    }
    close(c.power_cost[1], 43_830);
    close(c.other_opex[1], 116_880);
  });

  it("exit = facility NOI after the horizon / cap + the GPUs at their residual", () => {
    close(c.terminal_value[24], 15_520_000);
  });

  it("NPV and per-MW metrics", () => {
    close(v.metrics.npv_usd, 25_358_400);
    close(v.metrics.equity_per_watt, 25_358_400 / 1.2e6);
    close(v.metrics.rev_per_mw, (12 * 1_168_800) / 1.2); // 11,688,000
    close(v.metrics.ebitda_per_mw, (12 * 1_008_090) / 1.2);
  });

  it("depreciates GPUs over their life and the facility over its life, from service start", () => {
    // 10,000,000 / 24 + 1,200,000 / 120 a month
    for (let m = 2; m <= 25; m++) close(c.depreciation[m - 1], 10_000_000 / 24 + 10_000);
    expect(c.depreciation[0]).toBe(0);
  });

  it("GPUs that retire before the horizon are sold at the residual and the hall is leased: 3-year term", () => {
    // H = 37. GPUs retire after month 25 and sell for 1,000,000 (all gain: fully depreciated).
    // Months 26..37 lease at 100 × 1,000 × 1.1² = 121,000 (NOI 96,800); exit on lease year 4:
    // 133,100 × 12 × 0.8 / 0.08 = 15,972,000, no GPUs left.
    const r = value("colocated_gpu", make({ ...GPU, lease_term_years: 3 }));
    const rc = r.schedule.columns;
    expect(r.schedule.months).toBe(37);
    close(rc.asset_sales[24], 1_000_000);
    close(rc.asset_gain[24], 1_000_000);
    for (let m = 26; m <= 37; m++) {
      close(rc.revenue[m - 1], 121_000);
      close(rc.ebitda[m - 1], 96_800);
      expect(rc.power_cost[m - 1]).toBe(0);
    }
    close(rc.exit_proceeds[36], 15_972_000);
    // −11.2 M + 12 × 1,008,090 + 12 × 745,110 + 1 M + 12 × 96,800 + 15,972,000
    close(r.metrics.npv_usd, 27_972_000);
  });

  it("GPUs still in service at the horizon sell at cost × (1 − 0.9 × age / life): 18-month horizon", () => {
    // H = 18, age 17 of 24 months: 10 M × (1 − 0.9 × 17 / 24) = 3,625,000; book 10 M × 7 / 24.
    // Exit NOI on month 19 (lease year 2): 110,000 × 12 × 0.8 / 0.08 = 13,200,000.
    const s = value("colocated_gpu", make({ ...GPU, horizon_years: 1.5 }));
    const sc = s.schedule.columns;
    expect(s.schedule.months).toBe(18);
    close(sc.exit_proceeds[17], 16_825_000);
    // Gain over the facility's book (1.2 M − 17 × 10,000) and the GPUs' book.
    close(sc.exit_gain[17], 16_825_000 - (1_200_000 - 170_000) - (10_000_000 * 7) / 24);
    // −11.2 M + 12 × 1,008,090 + 5 × 745,110 + 16,825,000
    close(s.metrics.npv_usd, 21_447_630);
  });

  it("power price escalates from the valuation date: month m pays p × (1 + g)^(m/12)", () => {
    const g = value("colocated_gpu", make({ ...GPU, power_price_growth: 0.1, construction_months: 3 }));
    close(g.schedule.columns.power_cost[3], 1.2 * 730.5 * 50 * Math.pow(1.1, 4 / 12));
    close(g.schedule.columns.power_cost[14], 1.2 * 730.5 * 50 * Math.pow(1.1, 15 / 12));
    // The unconverted part of the site is shut in (BTC at 1 USD): no power bought while building.
    expect(g.schedule.columns.power_cost[2]).toBe(0);
  });

  // Core bug (reported): projectDebt draws c.capex × debt / conversion capex, and the GPU capex
  // is already in c.capex of the last construction month, so the GPUs are debt-funded too.
  it("project debt funds the conversion capex only, not the GPUs", () => {
    const d = value("colocated_gpu", make({ ...GPU, debt_ltc: 0.5, debt_term_years: 1 }));
    close(d.metrics.debt_usd, 600_000);
    close(sum(d.schedule.columns.debt_draw), 600_000);
    close(sum(d.schedule.columns.debt_repayment) + sum(d.schedule.columns.exit_debt_repayment), 600_000);
  });

  it("matches the independent reference implementation (tax, debt, discounting)", () => {
    for (const changes of [
      { ...GPU, discount_rate_gpu: 0.15, tax_rate: 0.21, debt_ltc: 0.6, debt_rate: 0.08, debt_term_years: 1, power_price_growth: 0.02, construction_months: 4 },
      { ...GPU, discount_rate_gpu: 0.2, tax_rate: 0.3, tax_loss_carryforward: 0, debt_ltc: 0.3, gpu_life_years: 4, gpu_rate: 1.2, construction_months: 9 },
    ]) {
      const a = make(changes);
      const ref = reference("colocated_gpu", a);
      close(value("colocated_gpu", a).metrics.npv_usd, ref.npv, 0, 1e-12 * ref.scale);
    }
  });

  it("matches the independent reference implementation without debt (tax, discounting, exit)", () => {
    for (const changes of [
      { ...GPU, discount_rate_gpu: 0.15, tax_rate: 0.21, power_price_growth: 0.02, construction_months: 4, powered_land_value: 0.3, exit_cost_share: 0.02 },
      {
        ...GPU,
        discount_rate_gpu: 0.2,
        tax_rate: 0.3,
        tax_loss_carryforward: 0,
        gpu_life_years: 4,
        gpu_rate: 1.2,
        construction_months: 9,
        lease_term_years: 6,
      },
    ]) {
      const a = make(changes);
      const ref = reference("colocated_gpu", a);
      close(value("colocated_gpu", a).metrics.npv_usd, ref.npv, 0, 1e-12 * ref.scale);
    }
  });
});

// ------------------------------------------------------------------------------------------
// Hybrid
// ------------------------------------------------------------------------------------------

/**
 * The hybrid's tax recomputed one company's way from its parts' taxable income: Σ share ×
 * part tax − tax on Σ share × part taxable income with one loss pool, at the debt rate.
 */
function consolidationSaving(a: Assumptions, parts: ReadonlyArray<readonly [number, Valuation]>, months: number): number {
  let pool = 0;
  let saved = 0;
  for (let i = 0; i < months; i++) {
    let taxable = 0;
    let partsTax = 0;
    for (const [w, v] of parts) {
      taxable += w * v.schedule.columns.taxable_income[i]!;
      partsTax += w * v.schedule.columns.tax[i]!;
    }
    let base = Math.max(0, taxable);
    if (a.tax_loss_carryforward === 1) {
      const used = Math.min(pool, base);
      base -= used;
      pool = pool - used + Math.max(0, -taxable);
    }
    saved += (partsTax - a.tax_rate * base) * Math.pow(1 + a.debt_rate, -(i + 1) / 12);
  }
  return saved;
}

describe("hybrid = share-weighted sum of full-site base valuations, taxed as one company", () => {
  const cases: Array<Partial<Record<AssumptionKey, unknown>>> = [
    { share_mining: 0.5, share_shell: 0.3, share_gpu: 0.2, net_debt: 0 },
    { share_mining: 0.25, share_shell: 0.75, share_gpu: 0, net_debt: 2e7, tax_rate: 0.3 },
    { share_mining: 0, share_shell: 0, share_gpu: 1, net_debt: -5e6 },
    { share_mining: 0.4, share_shell: 0.4, share_gpu: 0.2, tax_rate: 0, debt_ltc: 0.5 },
  ];
  for (const changes of cases) {
    it(`shares ${changes.share_mining}/${changes.share_shell}/${changes.share_gpu}, net debt ${changes.net_debt ?? 0}, tax ${changes.tax_rate ?? DEFAULTS.tax_rate}`, () => {
      const a = make(changes);
      const h = value("hybrid", a);
      const nd = a.net_debt;
      const parts = (
        [
          [a.share_mining, value("mining", a)],
          [a.share_shell, value("powered_shell", a)],
          [a.share_gpu, value("colocated_gpu", a)],
        ] as const
      ).filter(([w]) => w > 0);
      const saving = consolidationSaving(a, parts, h.schedule.months);
      if (a.tax_rate === 0) expect(saving).toBe(0);
      // Each base npv already has net_debt taken off: add it back, weight, take it off once.
      const npv = parts.reduce((s, [w, v]) => s + w * (v.metrics.npv_usd + nd), 0) - nd + saving;
      const scale = parts.reduce((s, [w, v]) => s + w * Math.abs(v.metrics.npv_usd + nd), 0) + Math.abs(nd);
      close(h.metrics.npv_usd, npv, 0, 1e-12 * scale);
      close(h.metrics.equity_per_watt, npv / (a.site_mw * 1e6), 0, (1e-12 * scale) / (a.site_mw * 1e6));
      const ref = refHybrid(a);
      close(h.metrics.npv_usd, ref.npv, 0, 1e-12 * ref.scale);
      close(
        h.metrics.rev_per_mw,
        parts.reduce((s, [w, v]) => s + w * v.metrics.rev_per_mw, 0),
      );
      close(
        h.metrics.ebitda_per_mw,
        parts.reduce((s, [w, v]) => s + w * v.metrics.ebitda_per_mw, 0),
      );
      close(
        h.metrics.it_mw,
        parts.reduce((s, [w, v]) => s + w * v.metrics.it_mw, 0),
      );
      close(
        sum(h.schedule.columns.revenue),
        parts.reduce((s, [w, v]) => s + w * sum(v.schedule.columns.revenue), 0),
      );
    });
  }

  it("each part scales with its MW: valuing 40 % of the site equals 40 % of the whole-site value", () => {
    for (const scenario of ["mining", "powered_shell", "colocated_gpu"] as const) {
      const whole = value(scenario, make({ site_mw: 100, tax_rate: 0.21, debt_ltc: 0.5 }));
      const part = value(scenario, make({ site_mw: 40, tax_rate: 0.21, debt_ltc: 0.5 }));
      close(part.metrics.npv_usd, 0.4 * whole.metrics.npv_usd, 1e-9);
    }
  });

  it("shares that do not sum to 1 are an InputError", () => {
    expect(() => value("hybrid", make({ share_mining: 0.5, share_shell: 0.5, share_gpu: 0.5 }))).toThrowError(/share/);
  });
});

// ------------------------------------------------------------------------------------------
// Against the independent reference implementation (test/helpers/reference.ts)
// ------------------------------------------------------------------------------------------

describe("mining with tax and discounting against the reference implementation", () => {
  it("defaults (comparison horizon, derived block height, growth, tax, exit)", () => {
    const a = DEFAULTS;
    const ref = reference("mining", a);
    const v = value("mining", a);
    close(v.metrics.npv_usd, ref.npv, 0, 1e-12 * ref.scale);
    close(v.metrics.rev_per_mw, ref.revPerMw);
    expect(v.metrics.stop_month).toBe(ref.stopMonth);
    expect(v.metrics.shut_in_months).toBe(ref.shutIn);
  });

  it("a mine that runs for years at 150,000 USD, with fixed opex and a 12-year horizon", () => {
    const a = make({ btc_price: 150_000, horizon_years: 12, fixed_opex_mining: 40_000, tax_rate: 0.25 });
    const ref = reference("mining", a);
    const v = value("mining", a);
    expect(v.metrics.stop_month).toBe(ref.stopMonth);
    expect(v.metrics.stop_month).toBeGreaterThan(12);
    close(v.metrics.npv_usd, ref.npv, 0, 1e-12 * ref.scale);
    const stopped = (v.detail as { valueIfStopped: Float64Array }).valueIfStopped;
    ref.valueIfStopped!.forEach((x, i) => close(stopped[i], x, 0, 1e-12 * ref.scale));
  });

  it("a loss-making mine: carry-forward on vs off", () => {
    const changes = { btc_price: 60_000, btc_price_growth: 0.6, tax_rate: 0.3, horizon_years: 6 };
    for (const carry of [0, 1]) {
      const a = make({ ...changes, tax_loss_carryforward: carry });
      const ref = reference("mining", a);
      close(value("mining", a).metrics.npv_usd, ref.npv, 0, 1e-12 * ref.scale);
    }
    // Carrying losses forward never costs the operator anything.
    const on = value("mining", make({ ...changes, tax_loss_carryforward: 1 }));
    const off = value("mining", make({ ...changes, tax_loss_carryforward: 0 }));
    expect(on.metrics.npv_usd).toBeGreaterThanOrEqual(off.metrics.npv_usd);
  });
});

describe("random moderate sites agree with the reference implementation", () => {
  const site = fc.record({
    site_mw: fc.double({ min: 1, max: 500, noNaN: true }),
    power_price: fc.double({ min: 0, max: 120, noNaN: true }),
    power_price_growth: fc.double({ min: -0.05, max: 0.1, noNaN: true }),
    tax_rate: fc.double({ min: 0, max: 0.4, noNaN: true }),
    tax_loss_carryforward: fc.constantFrom(0, 1),
    net_debt: fc.double({ min: -1e8, max: 1e8, noNaN: true }),
    horizon_years: fc.constantFrom(0, 0, 2.5, 4, 7, 10),
    powered_land_value: fc.double({ min: 0, max: 1.5, noNaN: true }),
    exit_cost_share: fc.double({ min: 0, max: 0.1, noNaN: true }),
    btc_price: fc.double({ min: 20_000, max: 300_000, noNaN: true }),
    btc_price_growth: fc.double({ min: -0.3, max: 0.5, noNaN: true }),
    hashrate_growth: fc.double({ min: -0.2, max: 0.6, noNaN: true }),
    fee_share: fc.double({ min: 0, max: 0.3, noNaN: true }),
    block_height: fc.oneof(fc.constant(0), fc.integer({ min: 800_000, max: 1_300_000 })),
    valuation_date: fc.integer({ min: 45_000, max: 50_000 }),
    uptime: fc.double({ min: 0.5, max: 1, noNaN: true }),
    asic_life_years: fc.double({ min: 1, max: 6, noNaN: true }),
    fleet_age_years: fc.double({ min: 0, max: 0.9, noNaN: true }),
    horizon_years_mining: fc.constantFrom(0, 0, 1, 3, 8),
    fixed_opex_mining: fc.double({ min: 0, max: 150_000, noNaN: true }),
    fleet_resale_share: fc.double({ min: 0, max: 1, noNaN: true }),
    discount_rate_mining: fc.double({ min: 0, max: 0.3, noNaN: true }),
    construction_months: fc.integer({ min: 1, max: 24 }),
    lease_term_years: fc.integer({ min: 1, max: 12 }),
    lease_escalator: fc.double({ min: -0.05, max: 0.1, noNaN: true }),
    debt_ltc: fc.double({ min: 0, max: 0.9, noNaN: true }),
    debt_rate: fc.double({ min: 0, max: 0.15, noNaN: true }),
    debt_term_years: fc.double({ min: 1, max: 15, noNaN: true }),
    min_dscr: fc.double({ min: 1, max: 2, noNaN: true }),
    gpu_life_years: fc.integer({ min: 1, max: 6 }),
    gpu_rate_decline: fc.double({ min: -0.1, max: 0.5, noNaN: true }),
    discount_rate_shell: fc.double({ min: 0, max: 0.3, noNaN: true }),
    discount_rate_gpu: fc.double({ min: 0, max: 0.3, noNaN: true }),
  });

  /** A horizon too short for construction plus a year of service is an InputError, not a case. */
  function valid(a: Assumptions): boolean {
    return a.horizon_years === 0 || Math.round(a.horizon_years * 12) >= a.construction_months + 12;
  }

  it("npv_usd and rev_per_mw of mining and the powered shell, 1e-12 of the PV scale", () => {
    fc.assert(
      fc.property(site, (changes) => {
        const a = make(changes);
        fc.pre(valid(a));
        for (const scenario of ["mining", "powered_shell"] as const) {
          const ref = reference(scenario, a);
          const v = value(scenario, a);
          close(v.metrics.npv_usd, ref.npv, 0, 1e-12 * ref.scale);
          close(v.metrics.rev_per_mw, ref.revPerMw, 1e-12, 1e-9);
        }
      }),
      { numRuns: 60, seed: 20260101 },
    );
  });

  it("colocated GPU without project debt, 1e-12 of the PV scale", () => {
    fc.assert(
      fc.property(site, (changes) => {
        const a = make({ ...changes, debt_ltc: 0 });
        fc.pre(valid(a));
        const ref = reference("colocated_gpu", a);
        const v = value("colocated_gpu", a);
        close(v.metrics.npv_usd, ref.npv, 0, 1e-12 * ref.scale);
        close(v.metrics.rev_per_mw, ref.revPerMw, 1e-12, 1e-9);
      }),
      { numRuns: 60, seed: 20260102 },
    );
  });

  it("hybrid (one company's tax), 1e-12 of the PV scale", () => {
    fc.assert(
      fc.property(site, fc.double({ min: 0, max: 1, noNaN: true }), (changes, split) => {
        const a = make({ ...changes, debt_ltc: 0, share_mining: split, share_shell: 1 - split, share_gpu: 0 });
        fc.pre(valid(a));
        const ref = refHybrid(a);
        close(value("hybrid", a).metrics.npv_usd, ref.npv, 0, 1e-12 * ref.scale);
      }),
      { numRuns: 40, seed: 20260103 },
    );
  });
});
