/**
 * The two conversions of a site to an AI data centre. Both build the same facility (capex
 * drawn evenly over `construction_months`, optional project debt on it); then the powered
 * shell leases it triple net, while the colocated GPU operator fills it with its own GPUs and
 * sells GPU-hours, and is worth a powered shell again when the GPUs retire.
 */
import type { Assumptions } from "./registry.js";
import { allocateSchedule, closeSchedule, closingOf, type Schedule } from "./schedule.js";
import { HOURS_PER_MONTH } from "./time.js";

export interface ConversionResult {
  readonly schedule: Schedule;
  /** Present value of equity flows and terminal value (before net debt). */
  readonly presentValue: number;
  readonly criticalItMw: number;
  readonly conversionCapexUsd: number;
  /** GPUs installed (colocated GPU only; 0 for the powered shell). */
  readonly gpuCount: number;
  readonly gpuCapexUsd: number;
  /** Next-12-month NOI of the facility at the horizon, the terminal value's numerator. */
  readonly exitNoiUsd: number;
}

/** Annual rent per kW at the horizon, after `years` lease anniversaries. */
function facilityExitNoi(a: Assumptions, criticalItKw: number, years: number): number {
  return a.lease_rate * criticalItKw * 12 * Math.pow(1 + a.lease_escalator, years) * a.noi_margin;
}

/**
 * Fills construction capex, facility depreciation and project debt for a conversion whose
 * service starts after `a.construction_months` and ends at the schedule's horizon.
 */
function buildFacility(schedule: Schedule, a: Assumptions, capexUsd: number): void {
  const c = schedule.columns;
  const build = a.construction_months;
  const months = schedule.months;
  const perMonth = capexUsd / build;
  const depreciation = capexUsd / Math.max(1, Math.round(a.facility_life_years * 12));
  const depreciationEnd = build + Math.round(a.facility_life_years * 12);
  const monthlyRate = a.debt_rate / 12;
  const termMonths = Math.max(1, Math.round(a.debt_term_years * 12));
  let balance = 0;
  let payment = 0;
  for (let i = 0; i < months; i++) {
    const month = i + 1;
    const interest = balance * monthlyRate;
    c.interest[i] = interest;
    if (month <= build) {
      c.construction_flag[i] = 1;
      c.capex[i] = perMonth;
      const draw = perMonth * a.debt_ltc;
      c.debt_draw[i] = draw;
      balance += draw;
    } else {
      c.operations_flag[i] = 1;
      if (month <= depreciationEnd) c.depreciation[i] = depreciation;
      if (month === build + 1) payment = levelPayment(balance, monthlyRate, termMonths);
      let principal = month <= build + termMonths ? Math.min(balance, payment - interest) : 0;
      // Whatever is still owed at the horizon is repaid from the exit proceeds.
      if (month === months) principal = balance;
      c.debt_repayment[i] = principal;
      balance -= principal;
    }
    c.debt_balance[i] = balance;
  }
}

/** Level monthly payment that repays `principal` over `months` at `rate` a month. */
function levelPayment(principal: number, rate: number, months: number): number {
  if (principal === 0) return 0;
  // 1 - (1 + rate)^-months via expm1/log1p keeps its precision at small rates (the plain form
  // loses it below ~1e-8 and is 0 / 0 for subnormal rates); below rate × months of 1e-12 the
  // straight-line payment is exact to that order.
  return rate * months < 1e-12 ? principal / months : (principal * rate) / -Math.expm1(-months * Math.log1p(rate));
}

/** The converted facility's size and cost on `siteMw` of the site. */
function facilitySize(a: Assumptions, siteMw: number): { criticalItMw: number; criticalItKw: number; conversionCapexUsd: number } {
  const criticalItMw = siteMw / a.pue_dc;
  return { criticalItMw, criticalItKw: criticalItMw * 1_000, conversionCapexUsd: a.conversion_capex * 1e6 * criticalItMw };
}

/** Values a powered-shell lease on `siteMw` of the site. */
export function valuePoweredShell(a: Assumptions, siteMw: number): ConversionResult {
  const build = a.construction_months;
  const termMonths = a.lease_term_years * 12;
  const schedule = allocateSchedule(build + termMonths, build);
  const c = schedule.columns;
  const { criticalItMw, criticalItKw, conversionCapexUsd } = facilitySize(a, siteMw);
  buildFacility(schedule, a, conversionCapexUsd);

  const monthlyRentYear1 = a.lease_rate * criticalItKw;
  let rent = monthlyRentYear1;
  for (let k = 0; k < termMonths; k++) {
    const i = build + k;
    // Rent steps up at each lease anniversary.
    if (k > 0 && k % 12 === 0) rent *= 1 + a.lease_escalator;
    c.revenue[i] = rent;
    c.other_opex[i] = rent * (1 - a.noi_margin);
    c.ebitda[i] = rent * a.noi_margin;
  }
  const exitNoiUsd = facilityExitNoi(a, criticalItKw, a.lease_term_years);
  c.terminal_value[schedule.months - 1] = exitNoiUsd / a.exit_cap_rate;
  const presentValue = closeSchedule(schedule, closingOf(a, a.discount_rate_shell));
  return { schedule, presentValue, criticalItMw, conversionCapexUsd, gpuCount: 0, gpuCapexUsd: 0, exitNoiUsd };
}

/** Values the colocated-GPU business on `siteMw` of the site. */
export function valueColocatedGpu(a: Assumptions, siteMw: number): ConversionResult {
  const build = a.construction_months;
  const serviceMonths = a.gpu_life_years * 12;
  const schedule = allocateSchedule(build + serviceMonths, build);
  const c = schedule.columns;
  const { criticalItMw, criticalItKw, conversionCapexUsd } = facilitySize(a, siteMw);
  // GPUs fill the critical IT load; a fractional count keeps the value smooth in every input.
  const gpuCount = criticalItKw / a.gpu_kw;
  const gpuCapexUsd = gpuCount * a.gpu_capex;
  buildFacility(schedule, a, conversionCapexUsd);

  // GPUs are paid for at the end of construction and depreciated over their service life.
  c.capex[build - 1] = c.capex[build - 1]! + gpuCapexUsd;
  const gpuDepreciation = gpuCapexUsd / serviceMonths;
  const hoursSold = gpuCount * HOURS_PER_MONTH * a.utilization;
  const powerStep = Math.pow(1 + a.power_price_growth, 1 / 12);
  let powerPrice = a.power_price * Math.pow(powerStep, build);
  let rate = a.gpu_rate;
  for (let k = 0; k < serviceMonths; k++) {
    const i = build + k;
    powerPrice *= powerStep;
    if (k > 0 && k % 12 === 0) rate *= 1 - a.gpu_rate_decline;
    const revenue = rate * hoursSold;
    // The operator buys the whole site's power while the GPUs run.
    const power = siteMw * HOURS_PER_MONTH * powerPrice;
    const other = revenue * a.gpu_opex_share;
    c.gpu_rate[i] = rate;
    c.gpu_hours_sold[i] = hoursSold;
    c.revenue[i] = revenue;
    c.power_cost[i] = power;
    c.other_opex[i] = other;
    c.ebitda[i] = revenue - power - other;
    c.depreciation[i] = c.depreciation[i]! + gpuDepreciation;
  }
  // At retirement: the facility is worth a powered-shell lease, plus the GPUs' resale value.
  const exitNoiUsd = facilityExitNoi(a, criticalItKw, a.gpu_life_years);
  c.terminal_value[schedule.months - 1] = exitNoiUsd / a.exit_cap_rate + gpuCapexUsd * a.gpu_residual_share;
  const presentValue = closeSchedule(schedule, closingOf(a, a.discount_rate_gpu));
  return { schedule, presentValue, criticalItMw, conversionCapexUsd, gpuCount, gpuCapexUsd, exitNoiUsd };
}
