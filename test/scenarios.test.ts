/**
 * Hand-worked valuations of each scenario, checked against numbers derived here from the
 * contract and the model conventions (never from the engine's internals), plus an independent
 * month-by-month reference implementation for the cases with tax, debt and discounting.
 *
 * Tolerance: relative 1e-9 unless a comment says otherwise. Where the expected value is zero
 * (an EBITDA at breakeven) the tolerance is 1e-9 of the scale of the sums that cancel.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { withValues } from "../src/core/assumptions.js";
import { DEFAULTS, type AssumptionKey, type Assumptions } from "../src/core/registry.js";
import { valueScenario, type Valuation } from "../src/core/value.js";
import type { ScenarioName } from "../src/core/scenarios.js";

const REL = 1e-9;

function close(actual: number | null | undefined, expected: number, rel = REL, abs = 0): void {
  expect(actual, `expected ${expected}`).not.toBeNull();
  expect(actual, `expected ${expected}`).not.toBeUndefined();
  const a = actual as number;
  expect(Number.isFinite(a)).toBe(true);
  expect(Number.isFinite(expected)).toBe(true);
  const tolerance = rel * Math.abs(expected) + abs;
  if (Math.abs(a - expected) > tolerance) {
    throw new Error(`got ${a}, expected ${expected} (diff ${a - expected}, tolerance ${tolerance})`);
  }
}

function sum(column: ArrayLike<number>, from = 0, to = column.length): number {
  let s = 0;
  for (let i = from; i < to; i++) s += column[i]!;
  return s;
}

function make(changes: Partial<Record<AssumptionKey, unknown>>, base: Assumptions = DEFAULTS): Assumptions {
  return withValues(base, changes);
}

function value(scenario: ScenarioName, a: Assumptions): Valuation {
  return valueScenario(scenario, a);
}

// ------------------------------------------------------------------------------------------
// Mining, hand-worked
// ------------------------------------------------------------------------------------------

/**
 * A 1 MW mine, PUE 1, 20 J/TH → own hashrate 1e6 / 20 = 50,000 TH/s = 0.05 EH/s.
 * Network 500 EH/s, flat → share of network 0.05 / 500 = 1e-4. Uptime 1, pool fee 0, fees 0.
 * Height 1,044,000: the halving at 1,050,000 is 6,000 blocks away. A month is 4,383 blocks.
 *   month 1: heights 1,044,000..1,048,382, all at 3.125 BTC      → 13,696.875 BTC of subsidy
 *   month 2: 1,048,383..1,049,999 (1,617 blocks × 3.125 = 5,053.125)
 *            1,050,000..1,052,765 (2,766 blocks × 1.5625 = 4,321.875) → 9,375 BTC
 *   month 3+: 4,383 × 1.5625 = 6,848.4375 BTC
 * Own BTC: m1 1.3696875, m2 0.9375, m3..12 0.68484375 each → year 1 = 9.155625 BTC.
 * Price 100,000 USD → revenue m1 136,968.75, m2 93,750, m3+ 68,484.375; year 1 915,562.5.
 * Power: 1 MW × 730.5 h × 40 = 29,220 a month (350,640 a year);
 * other opex: 730.5 MWh × 10 = 7,305 a month (87,660 a year).
 * Fleet: 50,000 TH × 20 USD/TH = 1,000,000 USD; life 2 y = 24 months → depreciation
 * 41,666.67 a month; age 1.5 y → first replacement at month round(12 × 0.5) = 6 (< 12).
 * Next replacement would be 6 + 24 = 30 → TV at month 12 = 1e6 × (30 − 12) / 24 = 750,000.
 */
const MINE: Partial<Record<AssumptionKey, unknown>> = {
  site_mw: 1,
  pue_mining: 1,
  fleet_efficiency: 20,
  network_hashrate: 500,
  hashrate_growth: 0,
  btc_price: 100_000,
  btc_price_growth: 0,
  fee_share: 0,
  block_height: 1_044_000,
  uptime: 1,
  pool_fee: 0,
  power_price: 40,
  power_price_growth: 0,
  other_opex_mining: 10,
  asic_price: 20,
  asic_life_years: 2,
  fleet_age_years: 1.5,
  horizon_years_mining: 1,
  discount_rate_mining: 0,
  tax_rate: 0,
  net_debt: 0,
};

const MINE_BTC = [1.3696875, 0.9375, ...Array<number>(10).fill(0.68484375)];
const MINE_BTC_Y1 = 9.155625;
const MINE_REV_Y1 = 915_562.5;
const MINE_POWER_M = 29_220;
const MINE_OTHER_M = 7_305;

describe("mining, hand-worked 1 MW mine across the 2028 halving", () => {
  const v = value("mining", make(MINE));
  const c = v.schedule.columns;

  it("mines the right BTC each month, halving inside month 2", () => {
    expect(v.schedule.months).toBe(12);
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
    close(v.metrics.ebitda_per_mw, 477_262.5);
  });

  it("hashprice = 144 × 3.125 × 100,000 / (500 × 1,000 PH/s) = 90 USD/PH/day", () => {
    close(v.metrics.hashprice, 90);
    close(c.hashprice[0], 90);
    // Month 3 opens after the halving: 45.
    close(c.hashprice[2], 45);
  });

  it("replaces the fleet at month 6 and carries its unexpired book value as TV", () => {
    const capex = Array.from(c.capex);
    expect(capex.map((x, i) => (x !== 0 ? i + 1 : 0)).filter((m) => m > 0)).toEqual([6]);
    close(c.capex[5], 1_000_000);
    for (let i = 0; i < 12; i++) close(c.depreciation[i], 1_000_000 / 24);
    close(c.terminal_value[11], 750_000);
    expect(sum(c.terminal_value, 0, 11)).toBe(0);
  });

  it("cost to mine: cash and all-in per BTC earned, first 12 months", () => {
    // cash = 350,640 + 87,660 = 438,300; all-in adds 12 × 1e6 / 24 = 500,000
    close(v.metrics.cost_to_mine_cash, 438_300 / 9.155625);
    close(v.metrics.cost_to_mine_all_in, 938_300 / 9.155625);
  });

  it("breakeven power: (915,562.5 − 87,660) / 8,766 MWh; re-valued there, first-year EBITDA is 0", () => {
    const breakeven = (915_562.5 - 87_660) / 8_766; // 94.4447...
    close(v.metrics.breakeven_power, breakeven);
    const at = value("mining", make({ ...MINE, power_price: v.metrics.breakeven_power }));
    close(sum(at.schedule.columns.ebitda, 0, 12), 0, 0, 1e-9 * MINE_REV_Y1);
    close(at.metrics.ebitda_per_mw, 0, 0, 1e-9 * MINE_REV_Y1);
  });

  it("NPV at 0 % and no tax = Σ EBITDA − capex + TV = 477,262.5 − 1,000,000 + 750,000", () => {
    close(v.metrics.npv_usd, 227_262.5);
    close(v.metrics.equity_per_watt, 227_262.5 / 1e6);
    close(v.metrics.terminal_value_pv_usd, 750_000);
  });

  it("net_debt reduces npv_usd one for one; equity_per_watt = npv / (site_mw × 1e6)", () => {
    const indebted = value("mining", make({ ...MINE, net_debt: 100_000 }));
    close(indebted.metrics.npv_usd, 127_262.5);
    close(indebted.metrics.equity_per_watt, 127_262.5 / 1e6);
    const credit = value("mining", make({ ...MINE, net_debt: -50_000 }));
    close(credit.metrics.npv_usd, 277_262.5);
  });

  it("discounts month m by (1 + r)^(-m/12): with (1 + r) = 1.01^12 the factor is 1.01^-m", () => {
    const r = Math.pow(1.01, 12) - 1;
    const d = value("mining", make({ ...MINE, discount_rate_mining: r }));
    // Monthly EBITDA from the hand numbers above; capex 1e6 in month 6; TV 750,000 in month 12.
    let expected = 0;
    for (let m = 1; m <= 12; m++) {
      const ebitda = MINE_BTC[m - 1]! * 100_000 - MINE_POWER_M - MINE_OTHER_M;
      const capex = m === 6 ? 1_000_000 : 0;
      const tv = m === 12 ? 750_000 : 0;
      expected += (ebitda - capex + tv) * Math.pow(1.01, -m);
      close(d.schedule.columns.discount_factor[m - 1], Math.pow(1.01, -m));
    }
    close(d.metrics.npv_usd, expected);
    close(d.metrics.terminal_value_pv_usd, 750_000 * Math.pow(1.01, -12));
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
    close(at.metrics.ebitda_per_mw, 0, 0, 1e-9 * MINE_REV_Y1);
  });

  it("past the last subsidy (height 7,000,000: 33 halvings) nothing is mined; cost to mine has no value", () => {
    const v = value("mining", make({ ...MINE, block_height: 7_000_000, fee_share: 0.5 }));
    expect(sum(v.schedule.columns.btc_mined)).toBe(0);
    expect(v.metrics.cost_to_mine_cash).toBeNull();
    expect(v.metrics.cost_to_mine_all_in).toBeNull();
    expect(v.unavailable.cost_to_mine_cash).toMatch(/no BTC/);
    expect(v.metrics.rev_per_mw).toBe(0);
    // −(power + other) / MWh
    close(v.metrics.breakeven_power, -87_660 / 8_766);
  });
});

describe("mining, replacement timing", () => {
  it("3-year horizon, 1-year life, age 0.25: replacements at months 9, 21, 33; TV = cost × (45 − 36) / 12", () => {
    const v = value("mining", make({ ...MINE, asic_life_years: 1, fleet_age_years: 0.25, horizon_years_mining: 3 }));
    const c = v.schedule.columns;
    const months = Array.from(c.capex)
      .map((x, i) => (x !== 0 ? i + 1 : 0))
      .filter((m) => m > 0);
    expect(months).toEqual([9, 21, 33]);
    for (const m of months) close(c.capex[m - 1], 1_000_000);
    close(c.terminal_value[35], 750_000);
    for (let i = 0; i < 36; i++) close(c.depreciation[i], 1_000_000 / 12);
  });

  it("no replacement in the horizon's last month: life 1, age 0, horizon 1 → none, TV 0", () => {
    const v = value("mining", make({ ...MINE, asic_life_years: 1, fleet_age_years: 0, horizon_years_mining: 1 }));
    expect(sum(v.schedule.columns.capex)).toBe(0);
    expect(v.schedule.columns.terminal_value[11]).toBe(0);
  });

  it("first replacement beyond the horizon: life 4, age 0, horizon 1 → TV = cost × 36 / 48", () => {
    const v = value("mining", make({ ...MINE, asic_life_years: 4, fleet_age_years: 0, horizon_years_mining: 1 }));
    expect(sum(v.schedule.columns.capex)).toBe(0);
    close(v.schedule.columns.terminal_value[11], 750_000);
  });

  it("a fleet at or past its life is an InputError on fleet_age_years", () => {
    expect(() => value("mining", make({ ...MINE, asic_life_years: 2, fleet_age_years: 2 }))).toThrowError(/fleet_age_years/);
  });
});

// ------------------------------------------------------------------------------------------
// Powered shell, hand-worked
// ------------------------------------------------------------------------------------------

/**
 * 1.2 MW site, PUE 1.2 → 1 MW = 1,000 kW of critical IT. Conversion capex 1.2 USD M / MW IT
 * → 1,200,000 USD, all in month 1 (construction 1 month). Lease 100 USD/kW-month → rent
 * 100,000 a month in lease year 1 (months 2..13), 110,000 in year 2 (months 14..25) at a 10 %
 * escalator. NOI margin 0.8 → 80,000 and 88,000. Term 2 years → N = 1 + 24 = 25 months.
 * TV at month 25 = year-3 NOI / cap = 100 × 1,000 × 12 × 1.1² × 0.8 / 0.08 = 14,520,000.
 * NPV at 0 %, no tax, no debt = −1,200,000 + 12 × 80,000 + 12 × 88,000 + 14,520,000 = 15,336,000.
 */
const SHELL: Partial<Record<AssumptionKey, unknown>> = {
  site_mw: 1.2,
  pue_dc: 1.2,
  conversion_capex: 1.2,
  construction_months: 1,
  lease_rate: 100,
  lease_escalator: 0.1,
  lease_term_years: 2,
  noi_margin: 0.8,
  exit_cap_rate: 0.08,
  discount_rate_shell: 0,
  tax_rate: 0,
  debt_ltc: 0,
  net_debt: 0,
  facility_life_years: 10,
};

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

  it("TV = next-12-month NOI after the term / exit cap = 14,520,000", () => {
    close(c.terminal_value[24], 14_520_000);
    expect(sum(c.terminal_value, 0, 24)).toBe(0);
  });

  it("NPV, per-watt, per-MW metrics", () => {
    close(v.metrics.npv_usd, 15_336_000);
    close(v.metrics.equity_per_watt, 15_336_000 / 1.2e6); // 12.78 USD/W
    close(v.metrics.rev_per_mw, 1_200_000 / 1.2); // first lease year / site MW
    close(v.metrics.ebitda_per_mw, 960_000 / 1.2);
    close(v.metrics.critical_it_mw, 1);
    close(v.metrics.capex_usd, 1_200_000);
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
});

describe("powered shell with project debt and tax", () => {
  /**
   * Construction 2 months, capex 600,000 a month, LTC 0.5 → draws 300,000 a month.
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
  });

  it("tax loss carry-forward on vs off", () => {
    close(on.schedule.columns.tax[2], 30_500);
    close(off.schedule.columns.tax[2], 32_000);
    expect(on.schedule.columns.tax[1]).toBe(0);
    expect(off.schedule.columns.tax[1]).toBe(0);
    close(sum(off.schedule.columns.tax) - sum(on.schedule.columns.tax), 1_500);
    // At 0 % discount the NPVs differ by the same 1,500.
    close(on.metrics.npv_usd - off.metrics.npv_usd, 1_500);
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
  });

  it("a debt term longer than the horizon: the balance is repaid at the horizon", () => {
    const long = value("powered_shell", make({ ...DEBT, debt_term_years: 5, lease_term_years: 1 }));
    const c = long.schedule.columns;
    const N = long.schedule.months; // 2 + 12 = 14
    expect(N).toBe(14);
    const payment = (600_000 * 0.01) / (1 - Math.pow(1.01, -60));
    // After 11 level payments (months 3..13) the balance is
    // 600,000 × 1.01^11 − payment × (1.01^11 − 1) / 0.01, all of it repaid in month 14.
    const before = 600_000 * Math.pow(1.01, 11) - (payment * (Math.pow(1.01, 11) - 1)) / 0.01;
    close(c.debt_balance[12], before, 1e-9);
    close(c.debt_repayment[13], before, 1e-9);
    expect(Math.abs(c.debt_balance[13]!)).toBeLessThan(1e-6);
    close(sum(c.debt_repayment), 600_000);
  });

  it("matches the independent reference implementation (tax, debt, discounting)", () => {
    for (const changes of [
      { ...DEBT, discount_rate_shell: 0.09, lease_escalator: 0.03 },
      { ...DEBT, discount_rate_shell: 0.11, tax_loss_carryforward: 0, debt_term_years: 7, lease_term_years: 5, construction_months: 7 },
    ]) {
      const a = make(changes);
      close(value("powered_shell", a).metrics.npv_usd, reference("powered_shell", a).npv);
    }
  });
});

// ------------------------------------------------------------------------------------------
// Colocated GPU, hand-worked
// ------------------------------------------------------------------------------------------

/**
 * Same 1,000 kW IT hall; 1 kW per GPU → 1,000 GPUs at 10,000 USD = 10,000,000 USD, paid in the
 * last construction month (month 1) with the 1,200,000 conversion capex → capex m1 11,200,000.
 * GPU life 2 years → N = 25. GPU-hours sold a month = 1,000 × 730.5 × 0.8 = 584,400.
 * Rate 2.00 in service year 1 → revenue 1,168,800 a month; −25 % → 1.50 → 876,600 in year 2.
 * Power = site 1.2 MW × 730.5 h × 50 = 43,830 a month (the whole site draw).
 * Opex 10 % of revenue: 116,880 and 87,660.
 * EBITDA: 1,168,800 − 43,830 − 116,880 = 1,008,090; 876,600 − 43,830 − 87,660 = 745,110.
 * TV = facility NOI after 2 lease years / cap + residual: 14,520,000 + 10 % × 10,000,000.
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

  it("TV = facility NOI after GPU retirement / cap + GPU residual", () => {
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

  it("power price escalates from the valuation date: month m pays p × (1 + g)^(m/12)", () => {
    const g = value("colocated_gpu", make({ ...GPU, power_price_growth: 0.1, construction_months: 3 }));
    close(g.schedule.columns.power_cost[3], 1.2 * 730.5 * 50 * Math.pow(1.1, 4 / 12));
    close(g.schedule.columns.power_cost[14], 1.2 * 730.5 * 50 * Math.pow(1.1, 15 / 12));
    expect(g.schedule.columns.power_cost[2]).toBe(0);
  });

  it("project debt funds the conversion capex only, not the GPUs", () => {
    const d = value("colocated_gpu", make({ ...GPU, debt_ltc: 0.5 }));
    close(sum(d.schedule.columns.debt_draw), 600_000);
    close(sum(d.schedule.columns.debt_repayment), 600_000);
  });

  it("matches the independent reference implementation (tax, debt, discounting)", () => {
    for (const changes of [
      { ...GPU, discount_rate_gpu: 0.15, tax_rate: 0.21, debt_ltc: 0.6, debt_rate: 0.08, debt_term_years: 1, power_price_growth: 0.02, construction_months: 4 },
      { ...GPU, discount_rate_gpu: 0.2, tax_rate: 0.3, tax_loss_carryforward: 0, debt_ltc: 0.3, gpu_life_years: 4, gpu_rate: 1.2, construction_months: 9 },
    ]) {
      const a = make(changes);
      close(value("colocated_gpu", a).metrics.npv_usd, reference("colocated_gpu", a).npv);
    }
  });
});

// ------------------------------------------------------------------------------------------
// Hybrid
// ------------------------------------------------------------------------------------------

describe("hybrid = share-weighted sum of full-site base valuations", () => {
  const cases: Array<Partial<Record<AssumptionKey, unknown>>> = [
    { share_mining: 0.5, share_shell: 0.3, share_gpu: 0.2, net_debt: 0 },
    { share_mining: 0.25, share_shell: 0.75, share_gpu: 0, net_debt: 2e7, tax_rate: 0.3 },
    { share_mining: 0, share_shell: 0, share_gpu: 1, net_debt: -5e6 },
  ];
  for (const changes of cases) {
    it(`shares ${changes.share_mining}/${changes.share_shell}/${changes.share_gpu}, net debt ${changes.net_debt}`, () => {
      const a = make(changes);
      const h = value("hybrid", a);
      const nd = a.net_debt;
      const parts = [
        [a.share_mining, value("mining", a)],
        [a.share_shell, value("powered_shell", a)],
        [a.share_gpu, value("colocated_gpu", a)],
      ] as const;
      // Each base npv already has net_debt taken off: add it back, weight, take it off once.
      const npv = parts.reduce((s, [w, v]) => s + w * (v.metrics.npv_usd + nd), 0) - nd;
      close(h.metrics.npv_usd, npv);
      close(h.metrics.equity_per_watt, npv / (a.site_mw * 1e6));
      close(
        h.metrics.rev_per_mw,
        parts.reduce((s, [w, v]) => s + w * v.metrics.rev_per_mw, 0),
      );
      close(
        h.metrics.ebitda_per_mw,
        parts.reduce((s, [w, v]) => s + w * v.metrics.ebitda_per_mw, 0),
      );
      close(
        sum(h.schedule.columns.revenue),
        parts.reduce((s, [w, v]) => s + w * sum(v.schedule.columns.revenue), 0),
      );
      close(
        sum(h.schedule.columns.present_value),
        parts.reduce((s, [w, v]) => s + w * sum(v.schedule.columns.present_value), 0),
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
// Independent reference implementation, written from the contract and the stated conventions
// ------------------------------------------------------------------------------------------

interface Lines {
  n: number;
  opStart: number; // first operating month, 1-based
  revenue: number[];
  ebitda: number[];
  capex: number[];
  dep: number[];
  interest: number[];
  draw: number[];
  repay: number[];
  tv: number[];
}

function lines(n: number, opStart: number): Lines {
  const z = (): number[] => Array<number>(n + 1).fill(0); // 1-based, index 0 unused
  return { n, opStart, revenue: z(), ebitda: z(), capex: z(), dep: z(), interest: z(), draw: z(), repay: z(), tv: z() };
}

/** Subsidy in BTC at a height: 50 BTC in satoshis, halved (integer shift) every 210,000 blocks. */
function subsidy(h: number): number {
  const k = Math.floor(h / 210_000);
  return k >= 64 ? 0 : Math.floor(5_000_000_000 / Math.pow(2, k)) / 1e8;
}

function refMining(a: Assumptions): Lines {
  const n = Math.round(a.horizon_years_mining * 12);
  const L = lines(n, 1);
  const ownThs = ((a.site_mw / a.pue_mining) * 1e6) / a.fleet_efficiency;
  const fleetCost = ownThs * a.asic_price;
  const life = Math.round(a.asic_life_years * 12);
  const first = Math.round(12 * (a.asic_life_years - a.fleet_age_years));
  const fee = (subsidy(a.block_height) * a.fee_share) / (1 - a.fee_share);
  for (let m = 1; m <= n; m++) {
    const start = a.block_height + 4_383 * (m - 1);
    let reward = 0;
    for (let h = start; h < start + 4_383; h++) reward += subsidy(h) + fee;
    const network = a.network_hashrate * Math.pow(1 + a.hashrate_growth, m / 12) * 1e6; // TH/s
    const price = a.btc_price * Math.pow(1 + a.btc_price_growth, m / 12);
    const power = a.power_price * Math.pow(1 + a.power_price_growth, m / 12);
    const btc = (reward * ownThs * a.uptime) / network;
    const mwh = a.site_mw * a.uptime * 730.5;
    L.revenue[m] = btc * price * (1 - a.pool_fee);
    L.ebitda[m] = L.revenue[m]! - mwh * power - mwh * a.other_opex_mining;
    L.dep[m] = fleetCost / life;
    if (m >= first && (m - first) % life === 0 && m < n) L.capex[m] = fleetCost;
  }
  // Month at which the fleet running at the horizon would be replaced.
  let next = first;
  while (next < n) next += life;
  L.tv[n] = (fleetCost * (next - n)) / life;
  return L;
}

function refFacility(a: Assumptions, L: Lines, capex: number): void {
  const b = a.construction_months;
  const dep = capex / Math.round(a.facility_life_years * 12);
  const depMonths = Math.round(a.facility_life_years * 12);
  const i = a.debt_rate / 12;
  const term = Math.round(a.debt_term_years * 12);
  let balance = 0;
  let payment = 0;
  for (let m = 1; m <= L.n; m++) {
    L.interest[m] = balance * i;
    if (m <= b) {
      L.capex[m] = L.capex[m]! + capex / b;
      L.draw[m] = (a.debt_ltc * capex) / b;
      balance += L.draw[m]!;
      continue;
    }
    if (m - b <= depMonths) L.dep[m] = L.dep[m]! + dep;
    // Annuity payment; straight-line where the rate is too small for the annuity factor.
    if (m === b + 1) payment = balance === 0 ? 0 : i * term < 1e-12 ? balance / term : (balance * i) / (1 - Math.exp(-term * Math.log1p(i)));
    let principal = m - b <= term ? Math.min(balance, payment - L.interest[m]!) : 0;
    if (m === L.n) principal = balance;
    L.repay[m] = principal;
    balance -= principal;
  }
}

function refShell(a: Assumptions): Lines {
  const b = a.construction_months;
  const n = b + 12 * a.lease_term_years;
  const L = lines(n, b + 1);
  const itKw = (a.site_mw / a.pue_dc) * 1000;
  refFacility(a, L, a.conversion_capex * 1e6 * (itKw / 1000));
  for (let m = b + 1; m <= n; m++) {
    const leaseYear = Math.floor((m - b - 1) / 12); // 0 in the first lease year
    const rent = a.lease_rate * itKw * Math.pow(1 + a.lease_escalator, leaseYear);
    L.revenue[m] = rent;
    L.ebitda[m] = rent * a.noi_margin;
  }
  L.tv[n] = (a.lease_rate * itKw * 12 * Math.pow(1 + a.lease_escalator, a.lease_term_years) * a.noi_margin) / a.exit_cap_rate;
  return L;
}

function refGpu(a: Assumptions): Lines {
  const b = a.construction_months;
  const serviceMonths = 12 * a.gpu_life_years;
  const n = b + serviceMonths;
  const L = lines(n, b + 1);
  const itKw = (a.site_mw / a.pue_dc) * 1000;
  refFacility(a, L, a.conversion_capex * 1e6 * (itKw / 1000));
  const gpus = itKw / a.gpu_kw;
  const gpuCapex = gpus * a.gpu_capex;
  L.capex[b] = L.capex[b]! + gpuCapex;
  for (let m = b + 1; m <= n; m++) {
    const serviceYear = Math.floor((m - b - 1) / 12);
    const rate = a.gpu_rate * Math.pow(1 - a.gpu_rate_decline, serviceYear);
    const revenue = gpus * 730.5 * a.utilization * rate;
    const power = a.site_mw * 730.5 * a.power_price * Math.pow(1 + a.power_price_growth, m / 12);
    L.revenue[m] = revenue;
    L.ebitda[m] = revenue - power - revenue * a.gpu_opex_share;
    L.dep[m] = L.dep[m]! + gpuCapex / serviceMonths;
  }
  L.tv[n] = (a.lease_rate * itKw * 12 * Math.pow(1 + a.lease_escalator, a.gpu_life_years) * a.noi_margin) / a.exit_cap_rate + gpuCapex * a.gpu_residual_share;
  return L;
}

interface Reference {
  npv: number;
  /** Σ |terms| of the PV sum, to scale tolerances where the NPV itself cancels to near zero. */
  scale: number;
  revPerMw: number;
  lines: Lines;
}

function reference(scenario: "mining" | "powered_shell" | "colocated_gpu", a: Assumptions): Reference {
  const L = scenario === "mining" ? refMining(a) : scenario === "powered_shell" ? refShell(a) : refGpu(a);
  const r = scenario === "mining" ? a.discount_rate_mining : scenario === "powered_shell" ? a.discount_rate_shell : a.discount_rate_gpu;
  let pool = 0;
  let pv = 0;
  let scale = 0;
  for (let m = 1; m <= L.n; m++) {
    const taxable = L.ebitda[m]! - L.dep[m]! - L.interest[m]!;
    let base: number;
    if (a.tax_loss_carryforward === 1) {
      const used = Math.min(pool, Math.max(0, taxable));
      base = Math.max(0, taxable) - used;
      pool = pool - used + Math.max(0, -taxable);
    } else base = Math.max(0, taxable);
    const tax = a.tax_rate * base;
    const flow = L.ebitda[m]! - L.capex[m]! - tax + L.draw[m]! - L.interest[m]! - L.repay[m]!;
    const df = Math.pow(1 + r, -m / 12);
    pv += (flow + L.tv[m]!) * df;
    scale += (Math.abs(L.ebitda[m]!) + L.capex[m]! + tax + L.draw[m]! + L.interest[m]! + Math.abs(L.repay[m]!) + Math.abs(L.tv[m]!)) * df;
  }
  let rev = 0;
  for (let m = L.opStart; m < L.opStart + 12 && m <= L.n; m++) rev += L.revenue[m]!;
  return { npv: pv - a.net_debt, scale: scale + Math.abs(a.net_debt), revPerMw: rev / a.site_mw, lines: L };
}

describe("mining with tax and discounting against the reference implementation", () => {
  it("defaults (10-year horizon, 2028 and 2032 halvings, growth, tax)", () => {
    const a = DEFAULTS;
    const ref = reference("mining", a);
    const v = value("mining", a);
    close(v.metrics.npv_usd, ref.npv, 0, 1e-9 * ref.scale);
    close(v.metrics.rev_per_mw, ref.revPerMw);
  });

  it("a loss-making mine: carry-forward on vs off", () => {
    for (const carry of [0, 1]) {
      const a = make({ btc_price: 60_000, btc_price_growth: 0.6, tax_rate: 0.3, tax_loss_carryforward: carry, horizon_years_mining: 6 });
      const ref = reference("mining", a);
      close(value("mining", a).metrics.npv_usd, ref.npv, 0, 1e-9 * ref.scale);
    }
    const on = value("mining", make({ btc_price: 60_000, btc_price_growth: 0.6, tax_rate: 0.3, tax_loss_carryforward: 1, horizon_years_mining: 6 }));
    const off = value("mining", make({ btc_price: 60_000, btc_price_growth: 0.6, tax_rate: 0.3, tax_loss_carryforward: 0, horizon_years_mining: 6 }));
    expect(sum(on.schedule.columns.tax)).toBeLessThan(sum(off.schedule.columns.tax));
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
    btc_price: fc.double({ min: 20_000, max: 300_000, noNaN: true }),
    btc_price_growth: fc.double({ min: -0.3, max: 0.5, noNaN: true }),
    hashrate_growth: fc.double({ min: -0.2, max: 0.6, noNaN: true }),
    fee_share: fc.double({ min: 0, max: 0.3, noNaN: true }),
    block_height: fc.integer({ min: 800_000, max: 1_300_000 }),
    uptime: fc.double({ min: 0.5, max: 1, noNaN: true }),
    asic_life_years: fc.double({ min: 1, max: 6, noNaN: true }),
    fleet_age_years: fc.double({ min: 0, max: 0.9, noNaN: true }),
    horizon_years_mining: fc.integer({ min: 1, max: 8 }),
    discount_rate_mining: fc.double({ min: 0, max: 0.3, noNaN: true }),
    construction_months: fc.integer({ min: 1, max: 24 }),
    lease_term_years: fc.integer({ min: 1, max: 12 }),
    lease_escalator: fc.double({ min: -0.05, max: 0.1, noNaN: true }),
    debt_ltc: fc.double({ min: 0, max: 0.9, noNaN: true }),
    debt_rate: fc.double({ min: 0, max: 0.15, noNaN: true }),
    debt_term_years: fc.double({ min: 1, max: 15, noNaN: true }),
    gpu_life_years: fc.integer({ min: 1, max: 6 }),
    gpu_rate_decline: fc.double({ min: -0.1, max: 0.5, noNaN: true }),
    discount_rate_shell: fc.double({ min: 0, max: 0.3, noNaN: true }),
    discount_rate_gpu: fc.double({ min: 0, max: 0.3, noNaN: true }),
  });

  it("npv_usd and rev_per_mw of all three scenarios, 1e-9 of the PV scale", () => {
    fc.assert(
      fc.property(site, (changes) => {
        const a = make(changes);
        for (const scenario of ["mining", "powered_shell", "colocated_gpu"] as const) {
          const ref = reference(scenario, a);
          const v = value(scenario, a);
          close(v.metrics.npv_usd, ref.npv, 0, 1e-9 * ref.scale);
          close(v.metrics.rev_per_mw, ref.revPerMw, 1e-9, 1e-9);
        }
      }),
      { numRuns: 40, seed: 20260101 },
    );
  });
});
