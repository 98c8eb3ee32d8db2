/**
 * Hand-worked cases shared by the scenario tests and the fair-valuation tests, and the
 * comparison helper they use. Each case sets every key its hand numbers depend on.
 */
import { expect } from "vitest";
import { withValues } from "../../src/core/assumptions.js";
import { DEFAULTS, type AssumptionKey, type Assumptions } from "../../src/core/registry.js";

export const REL = 1e-9;

export function close(actual: number | null | undefined, expected: number, rel = REL, abs = 0): void {
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

export function sum(column: ArrayLike<number>, from = 0, to = column.length): number {
  let s = 0;
  for (let i = from; i < to; i++) s += column[i]!;
  return s;
}

export function make(changes: Partial<Record<AssumptionKey, unknown>>, base: Assumptions = DEFAULTS): Assumptions {
  return withValues(base, changes);
}

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
 * other opex: 730.5 MWh × 10 = 7,305 a month (87,660 a year). Every month's margin is positive
 * (the lowest, m3+, is 68,484.375 − 36,525 = 31,959.375), so the fleet never shuts in.
 * Fleet: 50,000 TH × 20 USD/TH = 1,000,000 USD; life 2 y = 24 months, new (age 0) → depreciation
 * 41,666.67 a month, first replacement at month 24, beyond the 12-month horizon.
 * No land value, no resale, no fixed opex: stopping early only forgoes positive EBITDA, so the
 * mine runs all 12 months (stop month 12) and the exit is worth nothing.
 */
/** The hand-worked mine's market, fleet and costs (without the site's size and the exit). */
export const MINE_MARKET: Partial<Record<AssumptionKey, unknown>> = {
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
};

export const MINE: Partial<Record<AssumptionKey, unknown>> = {
  ...MINE_MARKET,
  site_mw: 1,
  pue_mining: 1,
  fleet_age_years: 0,
  horizon_years: 1,
  horizon_years_mining: 0,
  powered_land_value: 0,
  exit_cost_share: 0,
  fleet_resale_share: 0,
  fixed_opex_mining: 0,
  discount_rate_mining: 0,
  tax_rate: 0,
  net_debt: 0,
};

/**
 * The mine on the site before conversion is made inert (BTC at 1 USD: every month's margin is
 * negative, so the unconverted part is shut in; ASICs cost 0, so the fleet has no book value
 * to depreciate or sell), and the exit carries no land value or costs, so the conversion's
 * own numbers stay hand-workable. A case below puts a live mine back.
 */
export const INERT_MINE: Partial<Record<AssumptionKey, unknown>> = { btc_price: 1, asic_price: 0, fixed_opex_mining: 0 };

/**
 * 1.2 MW site, PUE 1.2 → 1 MW = 1,000 kW of critical IT. Conversion capex 1.2 USD M / MW IT
 * → 1,200,000 USD, all in month 1 (construction 1 month). Lease 100 USD/kW-month → rent
 * 100,000 a month in lease year 1 (months 2..13), 110,000 in year 2 (months 14..25) at a 10 %
 * escalator. NOI margin 0.8 → 80,000 and 88,000. horizon_years 0, term 2 years → H = 1 + 24 = 25.
 * Exit at month 25 = year-3 NOI / cap = 100 × 1,000 × 12 × 1.1² × 0.8 / 0.08 = 14,520,000.
 * NPV at 0 %, no tax, no debt = −1,200,000 + 12 × 80,000 + 12 × 88,000 + 14,520,000 = 15,336,000.
 */
export const SHELL: Partial<Record<AssumptionKey, unknown>> = {
  ...INERT_MINE,
  site_mw: 1.2,
  pue_dc: 1.2,
  conversion_capex: 1.2,
  construction_months: 1,
  lease_rate: 100,
  lease_escalator: 0.1,
  lease_term_years: 2,
  horizon_years: 0,
  noi_margin: 0.8,
  exit_cap_rate: 0.08,
  powered_land_value: 0,
  exit_cost_share: 0,
  discount_rate_shell: 0,
  tax_rate: 0,
  debt_ltc: 0,
  min_dscr: 1,
  net_debt: 0,
  facility_life_years: 10,
};
