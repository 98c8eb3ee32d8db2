/**
 * The monthly schedule: one Float64Array per line item, all carved from one buffer so a
 * valuation allocates once. Month m (1-based) lives at index m - 1; flows fall at month end.
 */

import type { Assumptions } from "./registry.js";

/** Line items, in the order the schedules and the workbook show them. */
export const COLUMN_DEFS = [
  { key: "construction_flag", label: "Construction flag", unit: "flag", flow: false },
  { key: "operations_flag", label: "Operations flag", unit: "flag", flow: false },
  { key: "halving_flag", label: "Halving flag", unit: "flag", flow: false },
  { key: "btc_price", label: "BTC price", unit: "USD", flow: false },
  { key: "network_hashrate", label: "Network hashrate", unit: "EH/s", flow: false },
  { key: "hashprice", label: "Hashprice", unit: "USD/PH/day", flow: false },
  { key: "btc_mined", label: "BTC mined (before pool fee)", unit: "BTC", flow: true },
  { key: "gpu_rate", label: "GPU rate", unit: "USD/GPU-hour", flow: false },
  { key: "gpu_hours_sold", label: "GPU-hours sold", unit: "GPU-hours", flow: true },
  { key: "revenue", label: "Revenue", unit: "USD", flow: true },
  { key: "power_cost", label: "Power cost", unit: "USD", flow: true },
  { key: "other_opex", label: "Other opex", unit: "USD", flow: true },
  { key: "ebitda", label: "EBITDA", unit: "USD", flow: true },
  { key: "capex", label: "Capex", unit: "USD", flow: true },
  { key: "depreciation", label: "Depreciation", unit: "USD", flow: true },
  { key: "interest", label: "Interest", unit: "USD", flow: true },
  { key: "taxable_income", label: "Taxable income", unit: "USD", flow: true },
  { key: "tax", label: "Tax", unit: "USD", flow: true },
  { key: "debt_draw", label: "Debt drawn", unit: "USD", flow: true },
  { key: "debt_repayment", label: "Debt repaid", unit: "USD", flow: true },
  { key: "debt_balance", label: "Debt balance (end of month)", unit: "USD", flow: false },
  { key: "equity_cash_flow", label: "Cash flow to equity", unit: "USD", flow: true },
  { key: "terminal_value", label: "Terminal value", unit: "USD", flow: true },
  { key: "discount_factor", label: "Discount factor", unit: "factor", flow: false },
  { key: "present_value", label: "Present value (cash flow + terminal value)", unit: "USD", flow: true },
] as const;

export type ColumnKey = (typeof COLUMN_DEFS)[number]["key"];
export const COLUMN_KEYS: readonly ColumnKey[] = COLUMN_DEFS.map((def) => def.key);

export type Columns = Record<ColumnKey, Float64Array>;

export interface Schedule {
  /** Number of months N; month m is at index m - 1. */
  readonly months: number;
  /** Index of the first operating month (0 for mining, construction months for conversions). */
  readonly operationsStart: number;
  readonly columns: Columns;
}

/** A zeroed schedule of `months` months. */
export function allocateSchedule(months: number, operationsStart: number): Schedule {
  const buffer = new Float64Array(months * COLUMN_KEYS.length);
  let next = 0;
  const view = (): Float64Array => buffer.subarray(next * months, ++next * months);
  // An object literal, not keys added in a loop: V8 then keeps the columns object in fast mode,
  // which the month loops depend on (a dictionary-mode object costs a hash lookup per access).
  const columns: Columns = {
    construction_flag: view(),
    operations_flag: view(),
    halving_flag: view(),
    btc_price: view(),
    network_hashrate: view(),
    hashprice: view(),
    btc_mined: view(),
    gpu_rate: view(),
    gpu_hours_sold: view(),
    revenue: view(),
    power_cost: view(),
    other_opex: view(),
    ebitda: view(),
    capex: view(),
    depreciation: view(),
    interest: view(),
    taxable_income: view(),
    tax: view(),
    debt_draw: view(),
    debt_repayment: view(),
    debt_balance: view(),
    equity_cash_flow: view(),
    terminal_value: view(),
    discount_factor: view(),
    present_value: view(),
  };
  return { months, operationsStart, columns };
}

/** Tax, equity cash flow and discounting shared by every scenario. */
export function closingOf(a: Assumptions, discountRate: number): Closing {
  return { taxRate: a.tax_rate, carryForward: a.tax_loss_carryforward === 1, discountRate };
}

/** The terms of `closeSchedule`. */
export interface Closing {
  readonly taxRate: number;
  readonly carryForward: boolean;
  readonly discountRate: number;
}

/**
 * Fills taxable income, tax (with an optional loss carry-forward), cash flow to equity, the
 * discount factor and present value from the operating, capex, depreciation and debt lines.
 * Returns the present value of the equity flows including the terminal value.
 */
export function closeSchedule(schedule: Schedule, closing: Closing): number {
  const c = schedule.columns;
  const step = Math.pow(1 + closing.discountRate, -1 / 12);
  let lossPool = 0;
  let factor = 1;
  let total = 0;
  for (let i = 0; i < schedule.months; i++) {
    const taxable = c.ebitda[i]! - c.depreciation[i]! - c.interest[i]!;
    c.taxable_income[i] = taxable;
    let base: number;
    if (closing.carryForward) {
      base = Math.max(0, taxable - lossPool);
      lossPool = Math.max(0, lossPool - taxable);
    } else base = Math.max(0, taxable);
    const tax = base * closing.taxRate;
    c.tax[i] = tax;
    const flow = c.ebitda[i]! - c.capex[i]! - tax + c.debt_draw[i]! - c.interest[i]! - c.debt_repayment[i]!;
    c.equity_cash_flow[i] = flow;
    factor *= step;
    c.discount_factor[i] = factor;
    const present = (flow + c.terminal_value[i]!) * factor;
    c.present_value[i] = present;
    total += present;
  }
  return total;
}

/** Sum of a column over the first 12 operating months: the basis of the per-MW-year metrics. */
export function firstOperatingYear(schedule: Schedule, column: Float64Array): number {
  return sumRange(column, schedule.operationsStart, schedule.operationsStart + 12);
}

/** Sum of a column over months [from, to) (indices), clipped to the schedule. */
export function sumRange(column: Float64Array, from: number, to: number): number {
  let sum = 0;
  for (let i = Math.max(0, from); i < Math.min(column.length, to); i++) sum += column[i]!;
  return sum;
}

let scratch = new Float64Array(256);

/**
 * Equity flows for IRR and payback: cash flow to equity plus terminal value, month by month.
 * The result is a view of a shared scratch buffer, valid until the next call: the valuation
 * reads it at once, and skipping an allocation per valuation is worth a fifth of its time.
 */
export function equityFlows(schedule: Schedule): Float64Array {
  if (scratch.length < schedule.months) scratch = new Float64Array(schedule.months * 2);
  const out = scratch.subarray(0, schedule.months);
  const c = schedule.columns;
  for (let i = 0; i < schedule.months; i++) out[i] = c.equity_cash_flow[i]! + c.terminal_value[i]!;
  return out;
}
