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
  { key: "hashing_share", label: "Share of the site hashing", unit: "share", flow: false },
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
  { key: "asset_sales", label: "Equipment sold (before the exit)", unit: "USD", flow: true },
  { key: "asset_gain", label: "Gain on equipment sold", unit: "USD", flow: true },
  { key: "depreciation", label: "Depreciation", unit: "USD", flow: true },
  { key: "interest", label: "Interest", unit: "USD", flow: true },
  { key: "exit_proceeds", label: "Exit proceeds (after exit costs)", unit: "USD", flow: true },
  { key: "exit_gain", label: "Taxable gain on the exit", unit: "USD", flow: true },
  { key: "taxable_income", label: "Taxable income", unit: "USD", flow: true },
  { key: "tax", label: "Tax", unit: "USD", flow: true },
  { key: "exit_tax", label: "Tax on the exit gain", unit: "USD", flow: true },
  { key: "tax_unlevered", label: "Tax without debt", unit: "USD", flow: true },
  { key: "tax_shield", label: "Tax saved by debt", unit: "USD", flow: true },
  { key: "debt_draw", label: "Debt drawn", unit: "USD", flow: true },
  { key: "debt_repayment", label: "Debt repaid (scheduled)", unit: "USD", flow: true },
  { key: "exit_debt_repayment", label: "Debt repaid from the exit", unit: "USD", flow: true },
  { key: "debt_balance", label: "Debt balance (end of month)", unit: "USD", flow: false },
  { key: "unlevered_cash_flow", label: "Unlevered cash flow (exit included)", unit: "USD", flow: true },
  { key: "equity_cash_flow", label: "Operating cash flow to equity", unit: "USD", flow: true },
  { key: "terminal_value", label: "Exit to equity (after cost, tax and debt)", unit: "USD", flow: true },
  { key: "discount_factor", label: "Discount factor", unit: "factor", flow: false },
  { key: "shield_discount_factor", label: "Discount factor at the debt rate", unit: "factor", flow: false },
  { key: "present_value", label: "Present value (unlevered flow + tax saved by debt)", unit: "USD", flow: true },
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

/** The columns carved from each reused buffer, by months: carving them is 36 views a valuation. */
const carved = new WeakMap<Float64Array, Map<number, Columns>>();

/**
 * A zeroed schedule of `months` months, carved from `reuse` when it is given and large enough
 * (a simulation values thousands of paths and reads each schedule before the next: one buffer
 * zeroed again costs far less than thousands allocated and collected, and its columns are
 * carved once).
 */
export function allocateSchedule(months: number, operationsStart: number, reuse?: Float64Array): Schedule {
  const size = months * COLUMN_KEYS.length;
  if (reuse && reuse.length >= size) {
    reuse.fill(0, 0, size);
    let byMonths = carved.get(reuse);
    if (!byMonths) carved.set(reuse, (byMonths = new Map()));
    let columns = byMonths.get(months);
    if (!columns) byMonths.set(months, (columns = carveColumns(reuse, months)));
    return { months, operationsStart, columns };
  }
  return { months, operationsStart, columns: carveColumns(new Float64Array(size), months) };
}

/** The columns of a schedule of `months` months laid out one after another in `buffer`. */
function carveColumns(buffer: Float64Array, months: number): Columns {
  let next = 0;
  const view = (): Float64Array => buffer.subarray(next * months, ++next * months);
  // An object literal, not keys added in a loop: V8 then keeps the columns object in fast mode,
  // which the month loops depend on (a dictionary-mode object costs a hash lookup per access).
  return {
    construction_flag: view(),
    operations_flag: view(),
    halving_flag: view(),
    hashing_share: view(),
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
    asset_sales: view(),
    asset_gain: view(),
    depreciation: view(),
    interest: view(),
    exit_proceeds: view(),
    exit_gain: view(),
    taxable_income: view(),
    tax: view(),
    exit_tax: view(),
    tax_unlevered: view(),
    tax_shield: view(),
    debt_draw: view(),
    debt_repayment: view(),
    exit_debt_repayment: view(),
    debt_balance: view(),
    unlevered_cash_flow: view(),
    equity_cash_flow: view(),
    terminal_value: view(),
    discount_factor: view(),
    shield_discount_factor: view(),
    present_value: view(),
  };
}

/** Tax, equity cash flow and discounting shared by every scenario. */
export function closingOf(a: Assumptions, discountRate: number): Closing {
  return { taxRate: a.tax_rate, carryForward: a.tax_loss_carryforward === 1, discountRate, debtRate: a.debt_rate };
}

/** The terms of `closeSchedule`. */
export interface Closing {
  readonly taxRate: number;
  readonly carryForward: boolean;
  /** The scenario's unlevered (asset) discount rate, per year. */
  readonly discountRate: number;
  /** Rate at which the tax saved by debt is discounted (Myers' APV), per year. */
  readonly debtRate: number;
}

/**
 * The tax base of a month's `taxable` income given the losses carried into it (`lossPool`):
 * the income less the pool when losses carry forward, else the income; never negative.
 * Scalar functions rather than one returning a pair: the month loops call them for every month
 * of every path a simulation values, and a pair is an allocation each time.
 */
export function taxBaseOf(taxable: number, lossPool: number, carryForward: boolean): number {
  return carryForward ? Math.max(0, taxable - lossPool) : Math.max(0, taxable);
}

/** The losses carried out of a month with `taxable` income (see `taxBaseOf`). */
export function lossPoolAfter(taxable: number, lossPool: number, carryForward: boolean): number {
  return carryForward ? Math.max(0, lossPool - taxable) : 0;
}

/**
 * Fills tax, the flows to equity, discounting and present value from the pre-tax lines
 * (EBITDA, capex, equipment sales and gains, depreciation, exit proceeds and gain, debt).
 *
 * Value is adjusted present value: the unlevered flows (exit included, taxed as if there were
 * no debt) at the scenario's rate, plus the tax that interest saves at the debt rate. Debt so
 * adds value only through tax; at a zero tax rate value does not depend on leverage. The exit
 * gain is taxed with the month it falls in (so it may use losses carried forward); the part of
 * the month's tax it causes is the exit tax. Returns the adjusted present value.
 */
export function closeSchedule(schedule: Schedule, closing: Closing): number {
  const c = schedule.columns;
  const step = Math.pow(1 + closing.discountRate, -1 / 12);
  const shieldStep = Math.pow(1 + closing.debtRate, -1 / 12);
  const rate = closing.taxRate;
  let pool = 0;
  let poolUnlevered = 0;
  let factor = 1;
  let shieldFactor = 1;
  let total = 0;
  for (let i = 0; i < schedule.months; i++) {
    const operating = c.ebitda[i]! - c.depreciation[i]! + c.asset_gain[i]!;
    const exitGain = c.exit_gain[i]!;
    const taxable = operating - c.interest[i]! + exitGain;
    c.taxable_income[i] = taxable;
    const tax = taxBaseOf(taxable, pool, closing.carryForward) * rate;
    // The exit's share of the month's tax: tax with the gain less tax without it.
    const exitTax = exitGain === 0 ? 0 : tax - taxBaseOf(taxable - exitGain, pool, closing.carryForward) * rate;
    pool = lossPoolAfter(taxable, pool, closing.carryForward);
    const taxUnlevered = taxBaseOf(operating + exitGain, poolUnlevered, closing.carryForward) * rate;
    poolUnlevered = lossPoolAfter(operating + exitGain, poolUnlevered, closing.carryForward);
    c.tax[i] = tax;
    c.exit_tax[i] = exitTax;
    c.tax_unlevered[i] = taxUnlevered;
    const shield = taxUnlevered - tax;
    c.tax_shield[i] = shield;
    const operatingCash = c.ebitda[i]! - c.capex[i]! + c.asset_sales[i]!;
    const unlevered = operatingCash + c.exit_proceeds[i]! - taxUnlevered;
    c.unlevered_cash_flow[i] = unlevered;
    c.equity_cash_flow[i] = operatingCash - (tax - exitTax) + c.debt_draw[i]! - c.interest[i]! - c.debt_repayment[i]!;
    c.terminal_value[i] = c.exit_proceeds[i]! - exitTax - c.exit_debt_repayment[i]!;
    factor *= step;
    shieldFactor *= shieldStep;
    c.discount_factor[i] = factor;
    c.shield_discount_factor[i] = shieldFactor;
    const present = unlevered * factor + shield * shieldFactor;
    c.present_value[i] = present;
    total += present;
  }
  return total;
}

/** Sum of a column over the first 12 operating months: the basis of the per-MW-year metrics. */
export function firstOperatingYear(schedule: Schedule, column: Float64Array): number {
  return sumRange(column, schedule.operationsStart, schedule.operationsStart + 12);
}

/** Sum of a column over months [from, to) (indices), clipped to the schedule; optionally weighted. */
export function sumRange(column: Float64Array, from: number, to: number, weights?: Float64Array): number {
  let sum = 0;
  for (let i = Math.max(0, from); i < Math.min(column.length, to); i++) sum += weights ? column[i]! * weights[i]! : column[i]!;
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
