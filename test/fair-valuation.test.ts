/**
 * The fair-valuation conventions of issue 10, each on a case small enough to work by hand:
 * the shut-in month, the stop month, the taxed exit, debt sized by cover, the hybrid taxed as
 * one company, the block height from the valuation date and payback that stays non-negative.
 * Then properties over random sites (fast-check, seeded).
 *
 * Tolerance: relative 1e-9 for hand-worked numbers unless a comment says otherwise.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { blockHeightAt, blockSubsidy, halvingDate } from "../src/core/bitcoin.js";
import { explain } from "../src/core/explain.js";
import type { MiningResult } from "../src/core/mining.js";
import { DEFAULTS, type AssumptionKey, type Assumptions } from "../src/core/registry.js";
import { serialToIso } from "../src/core/time.js";
import { valueScenario, type Valuation } from "../src/core/value.js";
import { INERT_MINE, MINE, SHELL, close, make, sum } from "./helpers/hand-cases.js";

function mining(changes: Partial<Record<AssumptionKey, unknown>>): Valuation {
  return valueScenario("mining", make(changes));
}

function stopped(v: Valuation): Float64Array {
  return (v.detail as MiningResult).valueIfStopped;
}

const SERIAL_2026 = 46_023; // 2026-01-01
const SERIAL_2030 = 47_484; // 2030-01-01

// ------------------------------------------------------------------------------------------
// Shut-in
// ------------------------------------------------------------------------------------------

describe("shut-in: a month whose margin is negative buys no power and mines nothing", () => {
  /**
   * The hand-worked 1 MW mine (test/helpers/hand-cases.ts) at 90.5 USD/MWh with BTC rising
   * 21 % a year: power 730.5 × 90.5 = 66,110.25 + other opex 7,305 = 73,415.25 a month.
   * Revenue after the halving is 68,484.375 × 1.21^(m/12):
   *   month 3: × 1.04881 = 71,827 < 73,415 → shut in
   *   month 4: × 1.06560 = 72,977 < 73,415 → shut in
   *   month 5: × 1.08271 = 74,149 > 73,415 → hashes again (and every later month)
   * Months 1 and 2 (136,968.75 and 93,750 before growth) hash. Nothing is resold and the fleet
   * lasts the year, so the mine runs all 12 months: value = Σ over hashing months of the margin.
   */
  const SHUT = { ...MINE, power_price: 90.5, btc_price_growth: 0.21 };
  const cost = 730.5 * 90.5 + 7_305;
  const revenue = (m: number): number => (m === 1 ? 136_968.75 : m === 2 ? 93_750 : 68_484.375) * Math.pow(1.21, m / 12);
  const hashing = [1, 2, 5, 6, 7, 8, 9, 10, 11, 12];
  const margin = hashing.reduce((s, m) => s + revenue(m) - cost, 0);

  it("months 3 and 4 are shut in: no BTC, no power, no revenue; the mine still runs all year", () => {
    const v = mining(SHUT);
    const c = v.schedule.columns;
    expect(Array.from(c.hashing_share)).toEqual([1, 1, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1]);
    expect(v.metrics.shut_in_months).toBe(2);
    expect(v.metrics.stop_month).toBe(12);
    for (const i of [2, 3]) {
      expect(c.btc_mined[i]).toBe(0);
      expect(c.revenue[i]).toBe(0);
      expect(c.power_cost[i]).toBe(0);
      expect(c.ebitda[i]).toBe(0);
    }
    close(c.revenue[4], revenue(5));
    close(c.ebitda[4], revenue(5) - cost);
    close(v.metrics.npv_usd, margin);
  });

  it("fixed opex (12,000 USD/MW-yr = 1,000 a month) is paid in the shut-in months too", () => {
    const v = mining({ ...SHUT, fixed_opex_mining: 12_000 });
    const c = v.schedule.columns;
    expect(v.metrics.shut_in_months).toBe(2);
    close(c.other_opex[2], 1_000);
    close(c.ebitda[2], -1_000);
    close(c.other_opex[4], 7_305 + 1_000);
    close(v.metrics.npv_usd, margin - 12_000);
  });

  it("a mine that kept hashing through months 3 and 4 would be worth their negative margins less", () => {
    // The two shut-in months' margins, had the fleet hashed: 71,827 − 73,415 and 72,977 − 73,415.
    const lost = revenue(3) - cost + (revenue(4) - cost);
    expect(lost).toBeLessThan(0);
    // The classic first-year metrics assume the fleet hashes every month.
    const v = mining(SHUT);
    const hashedAll = Array.from({ length: 12 }, (_, i) => revenue(i + 1) - cost).reduce((s, x) => s + x, 0);
    close(hashedAll, margin + lost);
    close(v.metrics.ebitda_per_mw, margin);
  });
});

// ------------------------------------------------------------------------------------------
// Stop month
// ------------------------------------------------------------------------------------------

describe("the stop month: the operator sells when going on is worth less", () => {
  /**
   * The hand-worked mine with a fleet 1.5 of 2 years old: a new 1,000,000 USD fleet is due in
   * month 6. EBITDA: m1 100,443.75, m2 57,225, m3+ 31,959.375 (12 months = 477,262.5).
   * With no resale and no land, stopping after S is worth Σ EBITDA to S, less the fleet if S ≥ 6:
   *   S = 5: 100,443.75 + 57,225 + 3 × 31,959.375 = 253,546.875
   *   S = 12: 477,262.5 − 1,000,000 = −522,737.5
   * So the mine stops after month 5, before the replacement.
   */
  const OLD = { ...MINE, fleet_age_years: 1.5 };

  it("no resale: stops after month 5 worth 253,546.875; never buys the fleet", () => {
    const v = mining(OLD);
    expect(v.metrics.stop_month).toBe(5);
    close(v.metrics.npv_usd, 253_546.875);
    const values = stopped(v);
    expect(values.length).toBe(12);
    close(values[0], 100_443.75);
    close(values[4], 253_546.875);
    close(values[5], 253_546.875 + 31_959.375 - 1_000_000);
    close(values[11], -522_737.5);
    expect(sum(v.schedule.columns.capex)).toBe(0);
    // The schedule is zero after the stop month.
    for (let i = 5; i < 12; i++) {
      expect(v.schedule.columns.revenue[i]).toBe(0);
      expect(v.schedule.columns.depreciation[i]).toBe(0);
      expect(v.schedule.columns.operations_flag[i]).toBe(0);
    }
    expect(v.schedule.months).toBe(12);
  });

  it("resale at book: the fleet loses 41,666.67 of value a month, more than EBITDA from month 3 → stop after month 2", () => {
    // value(S) = Σ EBITDA to S + book after S = 250,000 − S × 41,666.67 (before month 6):
    //   S = 1: 100,443.75 + 208,333.33 = 308,777.08
    //   S = 2: 157,668.75 + 166,666.67 = 324,335.42
    //   S = 3: 189,628.125 + 125,000 = 314,628.125
    const v = mining({ ...OLD, fleet_resale_share: 1 });
    expect(v.metrics.stop_month).toBe(2);
    close(stopped(v)[0], 100_443.75 + (1e6 * 5) / 24);
    close(stopped(v)[2], 189_628.125 + 125_000);
    close(v.metrics.npv_usd, 157_668.75 + (1e6 * 4) / 24);
    close(v.schedule.columns.exit_proceeds[1], (1e6 * 4) / 24);
  });

  it("payback and IRR are measured on the flows of the mine that stops", () => {
    const v = mining(OLD);
    // Five positive months and no outlay: paid back at once; no investment, so no IRR.
    expect(v.metrics.payback_years).toBe(0);
    expect(v.metrics.irr).toBeNull();
    expect(v.unavailable.irr).toMatch(/inflow/);
  });
});

// ------------------------------------------------------------------------------------------
// Taxed exit
// ------------------------------------------------------------------------------------------

describe("a taxed exit: exit costs, the gain over land and book, losses carried into it", () => {
  /**
   * The hand-worked shell with a 1-year lease (H = 13) and a 1-year facility life: depreciation
   * 1,200,000 / 12 = 100,000 a month against 80,000 of NOI, so months 2..13 each lose 20,000.
   * Exit on lease-year-2 NOI: 110,000 × 12 × 0.8 / 0.08 = 13,200,000, less 2 % costs =
   * 12,936,000. Land 0.5 M USD/MW × 1.2 MW = 600,000; the facility is fully depreciated, so the
   * gain is 12,936,000 − 600,000 = 12,336,000. Month 13: taxable −20,000 + 12,336,000 =
   * 12,316,000, less the 11 × 20,000 = 220,000 carried forward → 12,096,000 × 50 % = 6,048,000,
   * all of it the exit's (without the gain the month owes nothing).
   * Value at 0 %: −1,200,000 + 12 × 80,000 + 12,936,000 − 6,048,000 = 6,648,000.
   */
  const EXIT = { ...SHELL, lease_term_years: 1, facility_life_years: 1, tax_rate: 0.5, powered_land_value: 0.5, exit_cost_share: 0.02 };

  it("carry-forward on: exit tax 6,048,000, value 6,648,000", () => {
    const v = valueScenario("powered_shell", make({ ...EXIT, tax_loss_carryforward: 1 }));
    const c = v.schedule.columns;
    expect(v.schedule.months).toBe(13);
    close(c.exit_proceeds[12], 12_936_000);
    close(c.exit_gain[12], 12_336_000);
    close(c.taxable_income[12], 12_316_000);
    close(c.tax[12], 6_048_000);
    close(c.exit_tax[12], 6_048_000);
    close(c.terminal_value[12], 12_936_000 - 6_048_000);
    close(v.metrics.terminal_value_pv_usd, 6_888_000);
    for (let i = 1; i < 12; i++) expect(c.tax[i]).toBe(0);
    close(v.metrics.npv_usd, 6_648_000);
  });

  it("carry-forward off: the 220,000 of losses are lost, the exit pays 110,000 more", () => {
    const v = valueScenario("powered_shell", make({ ...EXIT, tax_loss_carryforward: 0 }));
    close(v.schedule.columns.exit_tax[12], 6_158_000);
    close(v.metrics.npv_usd, 6_538_000);
  });

  it("without exit costs the price is 13,200,000 and the tax 50 % of the larger gain", () => {
    const v = valueScenario("powered_shell", make({ ...EXIT, exit_cost_share: 0 }));
    // Gain 12,600,000; taxable 12,580,000 − 220,000 → tax 6,180,000.
    close(v.schedule.columns.exit_tax[12], 6_180_000);
    close(v.metrics.npv_usd, -1_200_000 + 960_000 + 13_200_000 - 6_180_000);
  });
});

// ------------------------------------------------------------------------------------------
// Debt sized by cover
// ------------------------------------------------------------------------------------------

describe("debt: the lesser of loan-to-cost and what the weakest month serves at min_dscr", () => {
  /**
   * The hand-worked shell (EBITDA 80,000 a month in lease year 1, 88,000 in year 2), debt at
   * 12 % (1 % a month) over 12 months from service start, min_dscr 1.25:
   * the weakest month serves 80,000 / 1.25 = 64,000 a month → principal 64,000 × (1 − 1.01^−12)
   * / 0.01 = 720,324.96, less than 95 % of the 1,200,000 capex. Every month then pays 64,000,
   * so the lowest cover is exactly 1.25.
   */
  const annuity = (1 - Math.pow(1.01, -12)) / 0.01;
  const COVER = { ...SHELL, debt_ltc: 0.95, debt_rate: 0.12, debt_term_years: 1, min_dscr: 1.25 };

  it("cover binds: debt 720,324.96, drawn in month 1, served 64,000 a month, lowest cover 1.25", () => {
    const v = valueScenario("powered_shell", make(COVER));
    const c = v.schedule.columns;
    const debt = 64_000 * annuity;
    close(v.metrics.debt_usd, debt);
    close(c.debt_draw[0], debt);
    close(v.metrics.min_dscr, 1.25);
    for (let m = 2; m <= 13; m++) close(c.interest[m - 1]! + c.debt_repayment[m - 1]!, 64_000, 1e-9);
    close(sum(c.debt_repayment), debt);
  });

  it("loan-to-cost binds at 40 %: debt 480,000, lowest cover 80,000 / (480,000 / annuity)", () => {
    const v = valueScenario("powered_shell", make({ ...COVER, debt_ltc: 0.4 }));
    close(v.metrics.debt_usd, 480_000);
    close(v.metrics.min_dscr, 80_000 / (480_000 / annuity));
    expect(v.metrics.min_dscr!).toBeGreaterThan(1.25);
  });

  it("no EBITDA to serve: no debt, no cover", () => {
    const v = valueScenario("powered_shell", make({ ...COVER, lease_rate: 0 }));
    expect(v.metrics.debt_usd).toBe(0);
    expect(v.metrics.min_dscr).toBeNull();
    expect(sum(v.schedule.columns.debt_draw)).toBe(0);
  });

  it("at zero tax leverage changes nothing: 15,336,000 with or without the debt", () => {
    close(valueScenario("powered_shell", make(COVER)).metrics.npv_usd, 15_336_000);
    close(valueScenario("powered_shell", make({ ...COVER, debt_ltc: 0 })).metrics.npv_usd, 15_336_000);
  });

  it("with tax, debt adds exactly the tax its interest saves, at the debt rate (APV)", () => {
    // At 50 % tax every month from 2 on is profitable, so each month's interest saves half of
    // itself: value gain = Σ 0.5 × interest_m × 1.12^(−m/12).
    const taxed = { ...COVER, tax_rate: 0.5 };
    const levered = valueScenario("powered_shell", make(taxed));
    const unlevered = valueScenario("powered_shell", make({ ...taxed, debt_ltc: 0 }));
    let balance = 64_000 * annuity;
    let saved = 0;
    for (let m = 2; m <= 13; m++) {
      const interest = 0.01 * balance;
      saved += 0.5 * interest * Math.pow(1.12, -m / 12);
      balance -= 64_000 - interest;
    }
    close(levered.metrics.npv_usd - unlevered.metrics.npv_usd, saved, 1e-9);
  });
});

// ------------------------------------------------------------------------------------------
// Hybrid taxed as one company
// ------------------------------------------------------------------------------------------

describe("hybrid: one company's tax, so the mine's loss shelters the shell's profit", () => {
  /**
   * Half the site mines, half is the hand-worked shell, 50 % tax, debt rate 0 (the saving is
   * discounted at it). The mine earns nothing (BTC at 1 USD: shut in) and pays fixed opex of
   * 2,510,000 USD/MW-yr × 1.2 MW / 12 = 251,000 a month, so it stops after month 1: value
   * −251,000, a 251,000 tax loss it can never use on its own.
   * The shell alone: taxable 0 in month 1, 70,000 in months 2..13, 78,000 in 14..24, and in
   * month 25 78,000 + the exit gain 14,520,000 − (1,200,000 − 240,000) = 13,560,000: tax
   * 7,668,000, value 15,336,000 − 7,668,000 = 7,668,000.
   * One company: month 1 loses 0.5 × 251,000 = 125,500; months 2, 3, 4 (35,000 each) are
   * sheltered in full and month 5 for the last 20,500: the tax saved is 0.5 × 125,500 = 62,750.
   * Hybrid = 0.5 × (−251,000) + 0.5 × 7,668,000 + 62,750 = 3,771,250.
   */
  const HYBRID = {
    ...SHELL,
    ...INERT_MINE,
    fixed_opex_mining: 2_510_000,
    pue_mining: 1.2,
    fleet_resale_share: 0,
    tax_rate: 0.5,
    debt_rate: 0,
    discount_rate_mining: 0,
    share_mining: 0.5,
    share_shell: 0.5,
    share_gpu: 0,
  };

  it("the parts on their own: mine −251,000 (stops after month 1), shell 7,668,000", () => {
    const mine = valueScenario("mining", make(HYBRID));
    expect(mine.metrics.stop_month).toBe(1);
    close(mine.metrics.npv_usd, -251_000);
    close(mine.schedule.columns.taxable_income[0], -251_000);
    expect(sum(mine.schedule.columns.tax)).toBe(0);
    close(valueScenario("powered_shell", make(HYBRID)).metrics.npv_usd, 7_668_000);
  });

  it("consolidated: 62,750 of tax saved in months 2..5, hybrid worth 3,771,250", () => {
    const h = valueScenario("hybrid", make(HYBRID));
    const c = h.schedule.columns;
    close(c.taxable_income[0], -125_500);
    expect(c.tax[1]).toBe(0);
    expect(c.tax[2]).toBe(0);
    expect(c.tax[3]).toBe(0);
    // Month 5: 35,000 − 20,500 = 14,500 taxable → 7,250 against 17,500 alone.
    close(c.tax[4], 7_250);
    close(c.tax[5], 17_500);
    close(c.tax_shield[1], 17_500);
    close(c.tax_shield[4], 10_250);
    close(sum(c.tax_shield), 62_750);
    close(h.metrics.npv_usd, 3_771_250);
  });

  it("discounted at the debt rate: the saving at 6 % is Σ saving_m × 1.06^(−m/12)", () => {
    const h = valueScenario("hybrid", make({ ...HYBRID, debt_rate: 0.06 }));
    const saving = 17_500 * (Math.pow(1.06, -2 / 12) + Math.pow(1.06, -3 / 12) + Math.pow(1.06, -4 / 12)) + 10_250 * Math.pow(1.06, -5 / 12);
    close(h.metrics.npv_usd, 0.5 * -251_000 + 0.5 * 7_668_000 + saving);
  });

  it("without loss carry-forward a month's loss shelters only the same month's profit: nothing saved here", () => {
    const h = valueScenario("hybrid", make({ ...HYBRID, tax_loss_carryforward: 0 }));
    close(h.metrics.npv_usd, 0.5 * -251_000 + 0.5 * 7_668_000);
  });
});

// ------------------------------------------------------------------------------------------
// Block height from the valuation date
// ------------------------------------------------------------------------------------------

describe("block height: derived from valuation_date unless block_height is given", () => {
  it("2026-01-01 → 840,000 + 144 × 621 days = 929,424", () => {
    // 20 Apr 2024 (block 840,000) to 1 Jan 2026 is 621 days.
    expect(blockHeightAt(SERIAL_2026)).toBe(929_424);
    expect(DEFAULTS.block_height).toBe(0);
  });

  it("the next halving (block 1,050,000) is 120,576 / 144 = 837.3 days later: 17 Apr 2028", () => {
    expect(serialToIso(Math.floor(halvingDate(929_424, SERIAL_2026)))).toBe("2028-04-17");
  });

  it("2030-01-01 → 1,139,808, after the 2028 halving: 1.5625 BTC a block, and mining is worth less", () => {
    expect(blockHeightAt(SERIAL_2030)).toBe(840_000 + 144 * 2_082);
    expect(blockSubsidy(blockHeightAt(SERIAL_2030))).toBe(1.5625);
    const now = valueScenario("mining", DEFAULTS);
    const later = valueScenario("mining", make({ valuation_date: SERIAL_2030 }));
    expect(later.metrics.npv_usd).toBeLessThan(now.metrics.npv_usd);
    // Hashprice at 1.5625 BTC: 144 × (1.5625 + fees) × price / (network × 1,000).
    const fees = (1.5625 * DEFAULTS.fee_share) / (1 - DEFAULTS.fee_share);
    close(later.metrics.hashprice, (144 * (1.5625 + fees) * DEFAULTS.btc_price) / (DEFAULTS.network_hashrate * 1_000));
  });

  it("a given block_height overrides the date: 2030 at block 929,424 values as 2026 does", () => {
    const derived = valueScenario("mining", DEFAULTS);
    const given = valueScenario("mining", make({ valuation_date: SERIAL_2030, block_height: 929_424 }));
    expect(given.metrics.npv_usd).toBe(derived.metrics.npv_usd);
  });

  // Core bug (reported): explain.ts reads a.block_height (0 by default) instead of the
  // effective height, so it shows a 50 BTC subsidy and a halving ~4 years out.
  it("explain shows the subsidy and next halving at the derived height", () => {
    const steps = explain("mining", "npv_usd", DEFAULTS);
    expect(steps.find((s) => s.label === "Block subsidy now")?.value).toBe(3.125);
    expect(steps.find((s) => s.label === "Next halving")?.value).toBe("2028-04-17");
  });
});

// ------------------------------------------------------------------------------------------
// Payback
// ------------------------------------------------------------------------------------------

describe("payback: the month after which cumulative operating cash stays non-negative", () => {
  /**
   * The hand-worked mine with a 1-year fleet 0.75 years old: a 250,000 USD fleet (5 USD/TH)
   * is due in month 3. It pays for itself (31,959.375 of EBITDA a month against 20,833.33 of
   * depreciation, resold at book), so the mine runs all year.
   * Cash: 100,443.75, 57,225, 31,959.375 − 250,000, then 31,959.375 a month. Cumulative:
   * 100,443.75, 157,668.75, −60,371.875, −28,412.5, +3,546.875 → payback (4 + 28,412.5 /
   * 31,959.375) / 12 years, not 0 (the cumulative was positive before the dip).
   */
  const DIP = { ...MINE, asic_price: 5, asic_life_years: 1, fleet_age_years: 0.75, fleet_resale_share: 1 };

  it("a replacement after early profits moves payback to the recovery: (4 + 28,412.5 / 31,959.375) / 12", () => {
    const v = mining(DIP);
    expect(v.metrics.stop_month).toBe(12);
    expect(Array.from(v.schedule.columns.capex).map((x, i) => (x !== 0 ? i + 1 : 0))).toContain(3);
    close(v.metrics.payback_years, (4 + 28_412.5 / 31_959.375) / 12);
    // The exit (the fleet at book, 62,500) falls after the recovery: same payback with it.
    close(v.schedule.columns.exit_proceeds[11], 62_500);
    close(v.metrics.payback_with_exit_years, (4 + 28_412.5 / 31_959.375) / 12);
  });

  it("operating payback excludes the exit: a shell that needs its sale to pay back has none", () => {
    // 1-year lease: −1,200,000 then 12 × 80,000 = −240,000 at the horizon before the sale.
    const v = valueScenario("powered_shell", make({ ...SHELL, lease_term_years: 1 }));
    expect(v.metrics.payback_years).toBeNull();
    expect(v.unavailable.payback_years).toMatch(/exit excluded/);
    // With the 13,200,000 sale: −1,200,000 + 11 × 80,000 = −320,000 after month 12, recovered
    // inside month 13.
    close(v.metrics.payback_with_exit_years, (12 + 320_000 / (80_000 + 13_200_000)) / 12);
  });
});

// ------------------------------------------------------------------------------------------
// Properties
// ------------------------------------------------------------------------------------------

/** Sites around the defaults, with every fair-valuation key varied; horizons kept short for speed. */
const site = fc.record({
  site_mw: fc.double({ min: 1, max: 300, noNaN: true }),
  power_price: fc.double({ min: 15, max: 90, noNaN: true }),
  power_price_growth: fc.double({ min: -0.03, max: 0.06, noNaN: true }),
  tax_rate: fc.double({ min: 0, max: 0.35, noNaN: true }),
  tax_loss_carryforward: fc.constantFrom(0, 1),
  horizon_years: fc.constantFrom(0, 3, 5, 8),
  powered_land_value: fc.double({ min: 0, max: 1, noNaN: true }),
  exit_cost_share: fc.double({ min: 0, max: 0.05, noNaN: true }),
  btc_price: fc.double({ min: 40_000, max: 250_000, noNaN: true }),
  btc_price_growth: fc.double({ min: -0.2, max: 0.4, noNaN: true }),
  hashrate_growth: fc.double({ min: -0.1, max: 0.5, noNaN: true }),
  valuation_date: fc.integer({ min: 45_500, max: 48_500 }),
  asic_life_years: fc.double({ min: 2, max: 6, noNaN: true }),
  fleet_age_years: fc.double({ min: 0, max: 1.8, noNaN: true }),
  fixed_opex_mining: fc.double({ min: 0, max: 100_000, noNaN: true }),
  fleet_resale_share: fc.double({ min: 0, max: 1, noNaN: true }),
  discount_rate_mining: fc.double({ min: 0.03, max: 0.3, noNaN: true }),
  construction_months: fc.integer({ min: 1, max: 24 }),
  lease_rate: fc.double({ min: 60, max: 200, noNaN: true }),
  lease_term_years: fc.integer({ min: 1, max: 10 }),
  debt_ltc: fc.double({ min: 0, max: 0.9, noNaN: true }),
  debt_rate: fc.double({ min: 0.02, max: 0.12, noNaN: true }),
  debt_term_years: fc.double({ min: 1, max: 12, noNaN: true }),
  min_dscr: fc.double({ min: 1, max: 2, noNaN: true }),
  gpu_rate: fc.double({ min: 1, max: 4, noNaN: true }),
  gpu_life_years: fc.integer({ min: 1, max: 6 }),
  discount_rate_shell: fc.double({ min: 0.03, max: 0.2, noNaN: true }),
  discount_rate_gpu: fc.double({ min: 0.05, max: 0.3, noNaN: true }),
  share_mining: fc.constantFrom(0, 0.3, 0.5),
});

/** A set all four scenarios accept (the horizon leaves a year of service; shares sum to 1). */
function siteOf(changes: Record<string, number>): Assumptions | undefined {
  const a = make({ ...changes, share_shell: (1 - changes.share_mining!) / 2, share_gpu: (1 - changes.share_mining!) / 2 });
  if (a.horizon_years > 0 && Math.round(a.horizon_years * 12) < a.construction_months + 12) return undefined;
  return a;
}

const SCENARIO_RATE = { mining: "discount_rate_mining", powered_shell: "discount_rate_shell", colocated_gpu: "discount_rate_gpu" } as const;

/** Outflows then inflows (one change of sign from − to +), or inflows only. */
function conventional(flows: ArrayLike<number>): boolean {
  let seenInflow = false;
  for (let i = 0; i < flows.length; i++) {
    if (flows[i]! > 0) seenInflow = true;
    else if (flows[i]! < 0 && seenInflow) return false;
  }
  return true;
}

/** Present value of monthly flows (month ends 1..N) at an annual rate. */
function pvAt(flows: ArrayLike<number>, annualRate: number): number {
  let pv = 0;
  for (let i = 0; i < flows.length; i++) pv += flows[i]! * Math.pow(1 + annualRate, -(i + 1) / 12);
  return pv;
}

/**
 * The reported IRR is a root of the equity flows (operating cash flow + exit to equity): their
 * NPV at it is within 1e-9 of the flows' gross present value Σ |c_m| (1 + irr)^(−m/12), the
 * scale against which a root can be resolved in double precision.
 */
function expectIrrRoot(v: Valuation): boolean {
  const irr = v.metrics.irr;
  if (irr === null) {
    expect(v.unavailable.irr, `${v.scenario}: a null IRR needs a reason`).toBeTruthy();
    return false;
  }
  const c = v.schedule.columns;
  const flows = Array.from({ length: v.schedule.months }, (_, i) => c.equity_cash_flow[i]! + c.terminal_value[i]!);
  const gross = pvAt(
    flows.map((x) => Math.abs(x)),
    irr,
  );
  expect(Math.abs(pvAt(flows, irr)), `${v.scenario} IRR ${irr}`).toBeLessThanOrEqual(1e-9 * gross);
  return true;
}

/** Debt drawn = debt_usd = Σ repaid (scheduled and from the exit), 1e-9 relative; cover ≥ min_dscr (1e-9). */
function expectDebtAsSized(v: Valuation, a: Assumptions): void {
  const c = v.schedule.columns;
  const debt = v.metrics.debt_usd!;
  const scale = 1e-9 * Math.max(debt, 1);
  close(sum(c.debt_draw), debt, 0, scale);
  close(sum(c.debt_repayment) + sum(c.exit_debt_repayment), debt, 0, scale);
  // Loan-to-cost caps it on the conversion capex, never the GPUs.
  expect(debt).toBeLessThanOrEqual(a.debt_ltc * v.metrics.critical_it_mw! * a.conversion_capex * 1e6 + scale);
  // Below a dollar of debt (debt_ltc ~1e-300) the payment underflows and there is no cover to measure.
  if (debt > 1) expect(v.metrics.min_dscr!).toBeGreaterThanOrEqual(a.min_dscr * (1 - 1e-9));
}

describe("properties of fair valuations (fast-check, seeded)", () => {
  it("mining value rises (weakly) with btc_price", () => {
    fc.assert(
      fc.property(site, fc.double({ min: 1.0001, max: 2, noNaN: true }), (changes, factor) => {
        const a = siteOf(changes);
        if (!a) return;
        const low = valueScenario("mining", a).metrics.npv_usd;
        const high = valueScenario("mining", { ...a, btc_price: a.btc_price * factor }).metrics.npv_usd;
        // 1e-9 of the larger value absorbs rounding in sums of ~200 months.
        expect(high).toBeGreaterThanOrEqual(low - 1e-9 * Math.max(Math.abs(low), Math.abs(high), 1));
      }),
      { numRuns: 200, seed: 1010 },
    );
  });

  it("a mine is never worth less than stopping after month 1 (valueIfStopped[0])", () => {
    fc.assert(
      fc.property(site, (changes) => {
        const a = siteOf(changes);
        if (!a) return;
        const v = valueScenario("mining", a);
        const detail = v.detail as MiningResult;
        // The schedule's present value and the stop search's sum the same flows in a different
        // order: 1e-12 of the flows' scale (site MW × 1e6 USD) covers the rounding.
        const tolerance = 1e-12 * a.site_mw * 1e6;
        expect(v.metrics.npv_usd + a.net_debt).toBeGreaterThanOrEqual(detail.valueIfStopped[0]! - tolerance);
        // And its value is the best of all the stop months, reached at stop_month.
        close(detail.presentValue, Math.max(...detail.valueIfStopped), 0, tolerance);
        close(detail.valueIfStopped[detail.stopMonth - 1], detail.presentValue, 0, tolerance);
      }),
      { numRuns: 300, seed: 1011 },
    );
  });

  /**
   * Value falls with the discount rate only where the flows make it so: PV(r) of flows that are
   * outflows then inflows (or only inflows) falls with r wherever it is ≥ 0 (multiply by
   * (1 + r)^T at the sign change: every term then falls). A project worth less than nothing
   * whose losses come late is worth more at a higher rate, correctly, so the property is
   * checked where that holds: the schedule chosen at the higher rate has conventional unlevered
   * flows worth ≥ 0 at the lower rate. Then value(low) ≥ PV_low(that schedule) (the mine's
   * stop search at the lower rate may do better) ≥ PV_high(that schedule) = value(high), less
   * the tax saved by debt, which is discounted at the debt rate and so the same at both rates.
   */
  it("every scenario's value falls (weakly) with its discount rate where its flows are conventional", () => {
    const applied = { mining: 0, powered_shell: 0, colocated_gpu: 0 };
    const runs = 200;
    fc.assert(
      fc.property(site, fc.double({ min: 0.001, max: 0.2, noNaN: true }), (changes, step) => {
        const a = siteOf(changes);
        if (!a) return;
        for (const scenario of ["mining", "powered_shell", "colocated_gpu"] as const) {
          const key = SCENARIO_RATE[scenario];
          const higher = valueScenario(scenario, { ...a, [key]: a[key] + step });
          const flows = higher.schedule.columns.unlevered_cash_flow;
          if (!conventional(flows) || pvAt(flows, a[key]) < 0) continue;
          applied[scenario]++;
          const low = valueScenario(scenario, a).metrics.npv_usd;
          const high = higher.metrics.npv_usd;
          expect(high, `${scenario} at ${key} ${a[key]} + ${step}`).toBeLessThanOrEqual(low + 1e-9 * Math.max(Math.abs(low), Math.abs(high), 1));
        }
      }),
      { numRuns: runs, seed: 1013 },
    );
    // The precondition must leave enough cases to mean something.
    for (const [scenario, count] of Object.entries(applied)) expect(count, scenario).toBeGreaterThan(runs / 5);
  });

  it("mining on the defaults is worth less at every higher discount rate, 0 to 100 %", () => {
    let previous = Infinity;
    for (let rate = 0; rate <= 1; rate += 0.05) {
      const npv = valueScenario("mining", make({ discount_rate_mining: rate })).metrics.npv_usd;
      expect(npv, `at ${rate}`).toBeLessThanOrEqual(previous);
      previous = npv;
    }
  });

  it("NPV of the equity flows at the reported IRR is ~0 for every scenario", () => {
    let withIrr = 0;
    const runs = 200;
    fc.assert(
      fc.property(site, (changes) => {
        const a = siteOf(changes);
        if (!a) return;
        for (const scenario of ["mining", "powered_shell", "colocated_gpu", "hybrid"] as const) {
          if (expectIrrRoot(valueScenario(scenario, a))) withIrr++;
        }
      }),
      { numRuns: runs, seed: 1014 },
    );
    expect(withIrr).toBeGreaterThan(runs / 2);
  });

  it("the powered shell draws exactly debt_usd and meets min_dscr in every scheduled month", () => {
    fc.assert(
      fc.property(site, (changes) => {
        const a = siteOf(changes);
        if (!a) return;
        expectDebtAsSized(valueScenario("powered_shell", a), a);
      }),
      { numRuns: 200, seed: 1015 },
    );
  });

  // Core bug (reported): the GPU capex sits in the last construction month's capex when
  // projectDebt draws capex × debt / conversion capex, so more than debt_usd is drawn and the
  // cover falls below min_dscr.
  it("colocated GPU draws exactly debt_usd and meets min_dscr in every scheduled month", () => {
    fc.assert(
      fc.property(site, (changes) => {
        const a = siteOf({ ...changes, debt_ltc: Math.max(0.3, changes.debt_ltc!) });
        if (!a) return;
        expectDebtAsSized(valueScenario("colocated_gpu", a), a);
      }),
      { numRuns: 100, seed: 1016 },
    );
  });

  it("at tax_rate 0 value does not depend on debt_ltc (relative 1e-9)", () => {
    fc.assert(
      fc.property(site, fc.double({ min: 0, max: 0.95, noNaN: true }), (changes, ltc) => {
        const a = siteOf({ ...changes, tax_rate: 0 });
        if (!a) return;
        for (const scenario of ["powered_shell", "colocated_gpu", "hybrid"] as const) {
          const unlevered = valueScenario(scenario, { ...a, debt_ltc: 0 }).metrics.npv_usd;
          const levered = valueScenario(scenario, { ...a, debt_ltc: ltc }).metrics.npv_usd;
          close(levered, unlevered, 1e-9, 1e-9 * a.site_mw * 1e6);
        }
      }),
      { numRuns: 200, seed: 1012 },
    );
  });
});

describe("IRR on long, flat flows (issue 10, point 9)", () => {
  it("the shell with a 38-year lease at 2 USD/kW-month: an IRR whose NPV is ~0", () => {
    const v = valueScenario("powered_shell", make({ lease_term_years: 38, lease_rate: 2 }));
    expect(v.schedule.months).toBe(DEFAULTS.construction_months + 38 * 12);
    expect(v.metrics.irr, v.unavailable.irr).not.toBeNull();
    // Rent of 2 USD/kW-month cannot repay 9.5 M USD/MW over 38 years: the IRR is negative.
    expect(v.metrics.irr!).toBeLessThan(0);
    expectIrrRoot(v);
    // A true root, not a small residual: the NPV changes sign 1e-6 either side of it.
    const c = v.schedule.columns;
    const flows = Array.from({ length: v.schedule.months }, (_, i) => c.equity_cash_flow[i]! + c.terminal_value[i]!);
    expect(pvAt(flows, v.metrics.irr! - 1e-6)).toBeGreaterThan(0);
    expect(pvAt(flows, v.metrics.irr! + 1e-6)).toBeLessThan(0);
  });
});
