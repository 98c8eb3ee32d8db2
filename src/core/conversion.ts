/**
 * The two conversions of a site to an AI data centre, valued over the comparison horizon.
 *
 * Both build the same facility: capex drawn evenly over `construction_months`, with project
 * debt sized by loan-to-cost and by debt service cover. While it builds, the part of the site
 * not yet converted keeps mining (a 1 / construction_months slice goes offline each month),
 * and each slice of the installed fleet is sold as it goes offline. Then the powered shell
 * leases the hall triple net, while the colocated-GPU operator fills it with its own GPUs,
 * sells GPU-hours, sells the GPUs when they retire and leases the hall as a powered shell for
 * the rest of the horizon. At the horizon the site is sold at next-12-month NOI / exit cap
 * rate (plus the GPUs still in service), net of exit costs, taxed on the gain over book.
 */
import { InputError } from "./errors.js";
import { fleetOf, fleetTiming, comparisonMonths, miningMonthsOf, type PathMarket } from "./mining.js";
import type { Assumptions } from "./registry.js";
import { allocateSchedule, closeSchedule, closingOf, type Schedule } from "./schedule.js";
import { HOURS_PER_MONTH } from "./time.js";

export interface ConversionResult {
  readonly schedule: Schedule;
  /** Adjusted present value of the flows and exit (before net debt). */
  readonly presentValue: number;
  readonly criticalItMw: number;
  readonly conversionCapexUsd: number;
  /** GPUs installed (colocated GPU only; 0 for the powered shell). */
  readonly gpuCount: number;
  readonly gpuCapexUsd: number;
  /** Next-12-month NOI of the facility at the horizon, the exit price's numerator. */
  readonly exitNoiUsd: number;
  /** Project debt drawn, USD, and the cover it was sized at or better. */
  readonly debtUsd: number;
  /** Lowest EBITDA / debt service over the scheduled debt service months; null without debt. */
  readonly minDscr: number | null;
}

/** The converted facility's size and cost on `siteMw` of the site (capex times `capexMultiplier` on a path). */
function facilitySize(a: Assumptions, siteMw: number, capexMultiplier: number): { criticalItMw: number; criticalItKw: number; conversionCapexUsd: number } {
  const criticalItMw = siteMw / a.pue_dc;
  return { criticalItMw, criticalItKw: criticalItMw * 1_000, conversionCapexUsd: a.conversion_capex * capexMultiplier * 1e6 * criticalItMw };
}

/** The comparison horizon of a conversion, which must leave a full year of operations. */
export function conversionMonths(a: Assumptions): number {
  const months = comparisonMonths(a);
  const least = a.construction_months + 12;
  if (months < least) {
    throw new InputError(
      "horizon_years",
      a.horizon_years,
      `0 (construction plus lease term) or at least ${least / 12} years (construction_months + 12 months of operations)`,
    );
  }
  return months;
}

/**
 * Months of construction on a path: `construction_months` plus its delay. The horizon stays the
 * comparison horizon; a delay that would leave no month of service is cut to leave one (the
 * site is then sold as a facility that has only just opened). Construction months and the capex
 * multiplier are the only assumptions a path changes, so they travel as arguments rather than
 * as a copy of the assumptions (a copy of ~100 keys per path is a tenth of a conversion's time).
 */
function buildMonths(a: Assumptions, months: number, path: PathMarket | undefined): number {
  return path ? Math.min(months - 1, a.construction_months + path.constructionDelayMonths) : a.construction_months;
}

/** Monthly rent of the hall in month `month` (1-based), rising at each anniversary of service start after `build` months. */
function rentAt(a: Assumptions, build: number, criticalItKw: number, month: number): number {
  return a.lease_rate * criticalItKw * Math.pow(1 + a.lease_escalator, Math.floor((month - build - 1) / 12));
}

/**
 * Construction: capex drawn evenly; the unconverted part of the site keeps mining, and each
 * slice of the installed fleet is sold as it goes offline (at `fleet_resale_share` of book).
 */
function buildPhase(schedule: Schedule, a: Assumptions, build: number, siteMw: number, capexUsd: number, path?: PathMarket): void {
  const c = schedule.columns;
  const { lifeMonths, firstReplacement } = fleetTiming(a);
  const { fleetCostUsd } = fleetOf(a, siteMw);
  const market = miningMonthsOf(a, siteMw, build, path);
  const fleetDepreciation = fleetCostUsd / lifeMonths;
  const fixedPerMonth = (a.fixed_opex_mining * siteMw) / 12;
  for (let i = 0; i < build; i++) {
    const month = i + 1;
    c.construction_flag[i] = 1;
    c.capex[i] = capexUsd / build;
    c.btc_price[i] = market.btcPrice[i]!;
    c.network_hashrate[i] = market.networkHashrate[i]!;
    c.hashprice[i] = market.hashprice[i]!;
    c.halving_flag[i] = market.halvingFlag[i]!;
    // The installed fleet runs until its replacement would have been due; none is bought.
    const alive = month <= firstReplacement ? 1 : 0;
    const share = (alive * (build - month)) / build;
    const margin = market.revenue[i]! - market.powerCost[i]! - market.otherOpex[i]!;
    const hashing = margin > 0 ? share : 0;
    c.hashing_share[i] = hashing;
    c.btc_mined[i] = hashing * market.btcMined[i]!;
    c.revenue[i] = hashing * market.revenue[i]!;
    c.power_cost[i] = hashing * market.powerCost[i]!;
    c.other_opex[i] = hashing * market.otherOpex[i]! + share * fixedPerMonth;
    c.ebitda[i] = c.revenue[i]! - c.power_cost[i]! - c.other_opex[i]!;
    c.depreciation[i] = share * fleetDepreciation;
    // The slice that went offline at the start of the month, at its book value then.
    const sliceBook = (fleetCostUsd * Math.max(0, firstReplacement - month + 1)) / lifeMonths / build;
    c.asset_sales[i] = a.fleet_resale_share * sliceBook;
    c.asset_gain[i] = c.asset_sales[i]! - sliceBook;
  }
}

/** Straight-line depreciation of the conversion capex from service start (after `build` months). */
function facilityDepreciation(schedule: Schedule, a: Assumptions, build: number, capexUsd: number): number {
  const c = schedule.columns;
  const lifeMonths = Math.max(1, Math.round(a.facility_life_years * 12));
  const perMonth = capexUsd / lifeMonths;
  const end = build + lifeMonths;
  let taken = 0;
  for (let i = build; i < schedule.months; i++) {
    if (i + 1 > end) break;
    c.depreciation[i] = c.depreciation[i]! + perMonth;
    taken += perMonth;
  }
  return capexUsd - taken;
}

/** Level monthly payment that repays `principal` over `months` at `rate` a month. */
function levelPayment(principal: number, rate: number, months: number): number {
  if (principal === 0) return 0;
  // 1 - (1 + rate)^-months via expm1/log1p keeps its precision at small rates (the plain form
  // loses it below ~1e-8 and is 0 / 0 for subnormal rates); below rate × months of 1e-12 the
  // straight-line payment is exact to that order.
  return rate * months < 1e-12 ? principal / months : (principal * rate) / -Math.expm1(-months * Math.log1p(rate));
}

/**
 * Project debt: the lesser of `debt_ltc` × capex and the principal whose level payment the
 * facility's EBITDA covers `min_dscr` times in every scheduled month. Drawn with the capex,
 * interest paid monthly, level repayment from service start; any balance at the horizon is
 * repaid from the exit. Mining during construction does not serve the facility's debt.
 */
function projectDebt(schedule: Schedule, a: Assumptions, build: number, capexUsd: number, sizedUsd?: number): { debtUsd: number; minDscr: number | null } {
  const c = schedule.columns;
  // Only service months are read, so the EBITDA of mining during construction never counts.
  const facilityEbitda = c.ebitda;
  const months = schedule.months;
  const rate = a.debt_rate / 12;
  const termMonths = Math.max(1, Math.round(a.debt_term_years * 12));
  const serviceEnd = Math.min(months, build + termMonths);
  let lowestEbitda = Infinity;
  for (let i = build; i < serviceEnd; i++) lowestEbitda = Math.min(lowestEbitda, facilityEbitda[i]!);
  // The payment the weakest month covers min_dscr times, as a principal (payment per unit of principal is linear).
  const coverCap = lowestEbitda > 0 ? lowestEbitda / a.min_dscr / levelPayment(1, rate, termMonths) : 0;
  const debtUsd = sizedUsd ?? Math.max(0, Math.min(a.debt_ltc * capexUsd, coverCap));
  if (debtUsd === 0) return { debtUsd: 0, minDscr: null };
  let balance = 0;
  let payment = 0;
  let minDscr = Infinity;
  for (let i = 0; i < months; i++) {
    const month = i + 1;
    const interest = balance * rate;
    c.interest[i] = interest;
    if (month <= build) {
      // Drawn evenly with the conversion capex (GPUs are the operator's, not the project's).
      const draw = debtUsd / build;
      c.debt_draw[i] = draw;
      balance += draw;
    } else {
      if (month === build + 1) payment = levelPayment(balance, rate, termMonths);
      const principal = month <= build + termMonths ? Math.min(balance, payment - interest) : 0;
      c.debt_repayment[i] = principal;
      balance -= principal;
      if (interest + principal > 0) minDscr = Math.min(minDscr, facilityEbitda[i]! / (interest + principal));
    }
    if (month === months) {
      c.exit_debt_repayment[i] = balance;
      balance = 0;
    }
    c.debt_balance[i] = balance;
  }
  return { debtUsd, minDscr: Number.isFinite(minDscr) ? minDscr : null };
}

/**
 * Powered-shell lease lines for months [from, to) (indices), triple net. On a path, a month of
 * default or re-letting has no rent and so no pass-through opex.
 */
function leaseLines(schedule: Schedule, a: Assumptions, build: number, criticalItKw: number, from: number, to: number, path?: PathMarket): void {
  const c = schedule.columns;
  // Rent changes once a lease year: one power per year, not per month (this loop is hot).
  let year = Number.NaN;
  let yearRent = 0;
  for (let i = from; i < to; i++) {
    const leaseYear = Math.floor((i - build) / 12);
    if (leaseYear !== year) {
      year = leaseYear;
      yearRent = rentAt(a, build, criticalItKw, i + 1);
    }
    const rent = path ? yearRent * path.rentPaid[i - from]! : yearRent;
    c.revenue[i] = rent;
    c.other_opex[i] = rent * (1 - a.noi_margin);
    c.ebitda[i] = rent * a.noi_margin;
  }
}

/** Next-12-month NOI of the hall leased as a powered shell after the horizon. */
function exitNoi(a: Assumptions, build: number, criticalItKw: number, months: number): number {
  return rentAt(a, build, criticalItKw, months + 1) * 12 * a.noi_margin;
}

interface Exit {
  readonly priceUsd: number;
  /** Tax basis of what is sold: land plus undepreciated capex. */
  readonly basisUsd: number;
}

/** Finishes a conversion: exit at the horizon, debt, closing. */
function finishConversion(
  schedule: Schedule,
  a: Assumptions,
  build: number,
  siteMw: number,
  capexUsd: number,
  exit: Exit,
  rate: number,
  path?: PathMarket,
): { presentValue: number; debtUsd: number; minDscr: number | null } {
  const c = schedule.columns;
  const last = schedule.months - 1;
  const landUsd = a.powered_land_value * 1e6 * siteMw;
  const proceeds = exit.priceUsd * (1 - a.exit_cost_share);
  c.exit_proceeds[last] = proceeds;
  c.exit_gain[last] = proceeds - exit.basisUsd - landUsd;
  const debt = projectDebt(schedule, a, build, capexUsd, path?.debtUsd);
  const presentValue = closeSchedule(schedule, closingOf(a, rate));
  return { presentValue, ...debt };
}

/** Values a powered-shell lease on `siteMw` of the site, on a simulated path when given. */
export function valuePoweredShell(a: Assumptions, siteMw: number, path?: PathMarket): ConversionResult {
  const months = conversionMonths(a);
  const build = buildMonths(a, months, path);
  const schedule = allocateSchedule(months, build, path?.scheduleBuffer);
  const c = schedule.columns;
  const { criticalItMw, criticalItKw, conversionCapexUsd } = facilitySize(a, siteMw, path?.capexMultiplier ?? 1);
  buildPhase(schedule, a, build, siteMw, conversionCapexUsd, path);
  for (let i = build; i < months; i++) c.operations_flag[i] = 1;
  leaseLines(schedule, a, build, criticalItKw, build, months, path);
  const bookLeft = facilityDepreciation(schedule, a, build, conversionCapexUsd);
  const exitNoiUsd = exitNoi(a, build, criticalItKw, months);
  const exit = { priceUsd: exitNoiUsd / a.exit_cap_rate, basisUsd: bookLeft };
  const done = finishConversion(schedule, a, build, siteMw, conversionCapexUsd, exit, a.discount_rate_shell, path);
  return { schedule, criticalItMw, conversionCapexUsd, gpuCount: 0, gpuCapexUsd: 0, exitNoiUsd, ...done };
}

/** Values the colocated-GPU business on `siteMw` of the site, on a simulated path when given. */
export function valueColocatedGpu(a: Assumptions, siteMw: number, path?: PathMarket): ConversionResult {
  const months = conversionMonths(a);
  const build = buildMonths(a, months, path);
  const serviceMonths = a.gpu_life_years * 12;
  const schedule = allocateSchedule(months, build, path?.scheduleBuffer);
  const c = schedule.columns;
  const { criticalItMw, criticalItKw, conversionCapexUsd } = facilitySize(a, siteMw, path?.capexMultiplier ?? 1);
  // GPUs fill the critical IT load; a fractional count keeps the value smooth in every input.
  const gpuCount = criticalItKw / a.gpu_kw;
  const gpuCapexUsd = gpuCount * a.gpu_capex;
  buildPhase(schedule, a, build, siteMw, conversionCapexUsd, path);
  // GPUs are paid for at the end of construction and depreciated over their service life.
  c.capex[build - 1] = c.capex[build - 1]! + gpuCapexUsd;
  const gpuDepreciation = gpuCapexUsd / serviceMonths;
  const hoursSold = gpuCount * HOURS_PER_MONTH * a.utilization;
  const powerStep = Math.pow(1 + a.power_price_growth, 1 / 12);
  let powerPrice = a.power_price * Math.pow(powerStep, build);
  let rate = a.gpu_rate;
  const gpuEnd = Math.min(months, build + serviceMonths);
  for (let i = build; i < gpuEnd; i++) {
    const k = i - build;
    if (path) {
      powerPrice = path.powerPriceUsdPerMwh[i]!;
      rate = path.gpuRateUsdPerHour[k]!;
    } else {
      powerPrice *= powerStep;
      if (k > 0 && k % 12 === 0) rate *= 1 - a.gpu_rate_decline;
    }
    const revenue = rate * hoursSold;
    // The operator buys the whole site's power while the GPUs run.
    const power = siteMw * HOURS_PER_MONTH * powerPrice;
    const other = revenue * a.gpu_opex_share;
    c.operations_flag[i] = 1;
    c.gpu_rate[i] = rate;
    c.gpu_hours_sold[i] = hoursSold;
    c.revenue[i] = revenue;
    c.power_cost[i] = power;
    c.other_opex[i] = other;
    c.ebitda[i] = revenue - power - other;
    c.depreciation[i] = gpuDepreciation;
  }
  // GPUs that retire before the horizon are sold (fully depreciated, so the price is all
  // gain) and the hall is leased as a powered shell for the rest of the horizon.
  if (gpuEnd < months) {
    c.asset_sales[gpuEnd - 1] = gpuCapexUsd * a.gpu_residual_share;
    c.asset_gain[gpuEnd - 1] = gpuCapexUsd * a.gpu_residual_share;
    for (let i = gpuEnd; i < months; i++) c.operations_flag[i] = 1;
    leaseLines(schedule, a, build, criticalItKw, gpuEnd, months, path);
  }
  const bookLeft = facilityDepreciation(schedule, a, build, conversionCapexUsd);
  // GPUs still in service at the horizon sell at a price falling linearly from cost to the
  // residual share at retirement; their book value falls linearly to zero.
  const ageAtExit = months - build;
  const gpusAtExit = ageAtExit <= serviceMonths ? 1 : 0;
  const gpuPrice = gpusAtExit * gpuCapexUsd * (1 - ((1 - a.gpu_residual_share) * ageAtExit) / serviceMonths);
  const gpuBook = gpusAtExit * gpuCapexUsd * (1 - ageAtExit / serviceMonths);
  const exitNoiUsd = exitNoi(a, build, criticalItKw, months);
  const exit = { priceUsd: exitNoiUsd / a.exit_cap_rate + gpuPrice, basisUsd: bookLeft + gpuBook };
  const done = finishConversion(schedule, a, build, siteMw, conversionCapexUsd, exit, a.discount_rate_gpu, path);
  return { schedule, criticalItMw, conversionCapexUsd, gpuCount, gpuCapexUsd, exitNoiUsd, ...done };
}
