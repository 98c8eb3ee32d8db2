/**
 * Mining: keep hashing on the site, run as a rational operator would run it.
 *
 * - Each month the fleet hashes only if that month's revenue covers its power and other
 *   variable opex (a shut-in month buys no power); `fixed_opex_mining` is paid either way.
 * - The operator may stop for good at the end of any month and sell the site as powered land
 *   with the used fleet (`powered_land_value`, `fleet_resale_share` of book value), net of
 *   `exit_cost_share` and taxed on the gain over tax basis. A fleet that reaches the end of its
 *   life is replaced only if the mine goes on.
 * - The stop month is the one that maximises value on the forecast path the operator holds at
 *   the valuation date. Because every month's flows depend only on the past (the tax loss
 *   pool included), the value of stopping after month S is the present value of the flows up
 *   to S plus the discounted sale at S: one forward pass finds the best S. A replacement that
 *   does not pay for itself makes every later S worse, so it is never bought.
 */
import { SATS_PER_BTC, feesPerBlock, heightOn, nextHalvingHeight, subsidySats } from "./bitcoin.js";
import { InputError } from "./errors.js";
import type { AssumptionKey, Assumptions } from "./registry.js";
import { allocateSchedule, closeSchedule, closingOf, lossPoolAfter, taxBaseOf, type Columns, type Schedule } from "./schedule.js";
import { BLOCKS_PER_DAY, BLOCKS_PER_MONTH, HOURS_PER_MONTH } from "./time.js";

export interface MiningResult {
  readonly schedule: Schedule;
  /** Present value of equity flows and exit (before net debt). */
  readonly presentValue: number;
  readonly hashingMw: number;
  readonly ownHashrateThs: number;
  /** Cost of a whole replacement fleet, USD. */
  readonly fleetCostUsd: number;
  /** Months between fleet replacements. */
  readonly fleetLifeMonths: number;
  /** Month of the first replacement. */
  readonly firstReplacementMonth: number;
  /** Last month the mine runs: it is sold at the end of this month. */
  readonly stopMonth: number;
  /** Months in which the fleet was shut in because hashing lost cash. */
  readonly shutInMonths: number;
  /** Value of stopping after each month S = 1..N (index S - 1), USD before net debt. */
  readonly valueIfStopped: Float64Array;
  /** After-tax cash flow of each month of a mine that keeps going (index S - 1), USD. */
  readonly keepGoingFlowUsd: Float64Array;
  /** After-tax proceeds of selling the mine at the end of each month, USD. */
  readonly saleAfterTaxUsd: Float64Array;
  /**
   * What the fleet would earn and spend each month hashing all month (what the operator sees),
   * over the months the mine may run, and at least the first 12 on the forecast.
   */
  readonly fullHash: MiningMonths;
  /**
   * The first 12 months of the mine as it runs (shut-ins included), whatever month it is later
   * sold in: what a MW earns a year mining, and the lines explain shows for it.
   */
  readonly firstYear: MiningYear;
}

/** Sums over the first 12 months of a mine that keeps running. */
export interface MiningYear {
  readonly btcMined: number;
  /** Σ BTC price over the months summed (for the average price). */
  readonly btcPriceSum: number;
  readonly months: number;
  readonly revenueUsd: number;
  readonly powerUsd: number;
  readonly otherOpexUsd: number;
  readonly ebitdaUsd: number;
}

/**
 * One simulated path of the market, in place of the engine's drift series (src/core/risk).
 * Series run from month 1 at index 0, except the GPU rate (by month of GPU service) and the
 * rent flags (by month of the lease). Absent, every valuation follows its deterministic path.
 */
export interface PathMarket {
  readonly btcPriceUsd: ArrayLike<number>;
  readonly networkHashrateEhs: ArrayLike<number>;
  readonly powerPriceUsdPerMwh: ArrayLike<number>;
  readonly gpuRateUsdPerHour: ArrayLike<number>;
  /** 1 when the lease tenant pays rent that lease month, 0 in default or re-letting. */
  readonly rentPaid: ArrayLike<number>;
  /** Whole months added to `construction_months`. */
  readonly constructionDelayMonths: number;
  /** Multiplier on `conversion_capex`. */
  readonly capexMultiplier: number;
  /** Conversions: the debt sized at financial close on the forecast, not on the realised path. */
  readonly debtUsd?: number;
  /**
   * A buffer the valuation may carve its schedule from (see `allocateSchedule`): the schedule
   * returned is then only valid until the next valuation given the same buffer.
   */
  readonly scheduleBuffer?: Float64Array;
}

/** Months of a horizon given in years (whole months, at least one). */
export function horizonMonths(years: number): number {
  return Math.max(1, Math.round(years * 12));
}

/** The assumptions comparisonMonths reads: a change to any other leaves the horizon as it is. */
export const HORIZON_KEYS: ReadonlySet<AssumptionKey> = new Set<AssumptionKey>(["horizon_years", "construction_months", "lease_term_years"]);

/** The comparison horizon in months: `horizon_years`, or construction plus the lease term when 0. */
export function comparisonMonths(a: Assumptions): number {
  return a.horizon_years > 0 ? horizonMonths(a.horizon_years) : a.construction_months + a.lease_term_years * 12;
}

/** Months the mine may run: the comparison horizon, capped by `horizon_years_mining` when set. */
export function miningMonths(a: Assumptions): number {
  const horizon = comparisonMonths(a);
  return a.horizon_years_mining > 0 ? Math.min(horizon, horizonMonths(a.horizon_years_mining)) : horizon;
}

/** Chain height at the valuation date: `block_height`, or derived from the date when it is 0. */
export function effectiveBlockHeight(a: Assumptions): number {
  return heightOn(a.block_height, a.valuation_date);
}

/** Fleet timing in whole months; the installed fleet must have at least a month left. */
export function fleetTiming(a: Assumptions): { lifeMonths: number; firstReplacement: number } {
  const lifeMonths = Math.max(1, Math.round(a.asic_life_years * 12));
  const firstReplacement = Math.round((a.asic_life_years - a.fleet_age_years) * 12);
  if (firstReplacement < 1) {
    throw new InputError("fleet_age_years", a.fleet_age_years, `less than asic_life_years (${a.asic_life_years}) by at least a month`);
  }
  return { lifeMonths, firstReplacement };
}

/** The mine's size and fleet on `siteMw` of the site. */
export function fleetOf(a: Assumptions, siteMw: number): { hashingMw: number; ownHashrateThs: number; fleetCostUsd: number } {
  const hashingMw = siteMw / a.pue_mining;
  const ownHashrateThs = (hashingMw * 1e6) / a.fleet_efficiency;
  return { hashingMw, ownHashrateThs, fleetCostUsd: ownHashrateThs * a.asic_price };
}

/**
 * What a fleet on `siteMw` would earn and spend each month if it hashed all month: the market
 * path (price, hashrate, subsidy) and the variable cash lines. Month m is at index m - 1.
 */
export interface MiningMonths {
  readonly btcPrice: Float64Array;
  readonly networkHashrate: Float64Array;
  readonly hashprice: Float64Array;
  readonly halvingFlag: Float64Array;
  readonly btcMined: Float64Array;
  readonly revenue: Float64Array;
  readonly powerCost: Float64Array;
  /** Variable non-power opex (per MWh hashed). */
  readonly otherOpex: Float64Array;
}

/**
 * The months of a fleet hashing all month on `siteMw` of the site, on a simulated path when
 * given. The eight series are carved from `reuse` when it holds months × 8 values (a simulation
 * values thousands of paths and reads each before the next), else from one new buffer.
 */
export function miningMonthsOf(a: Assumptions, siteMw: number, months: number, path?: PathMarket, reuse?: Float64Array): MiningMonths {
  const buffer = reuse && reuse.length >= months * 8 ? reuse : new Float64Array(months * 8);
  let next = 0;
  const view = (): Float64Array => buffer.subarray(next * months, ++next * months);
  const out: MiningMonths = {
    btcPrice: view(),
    networkHashrate: view(),
    hashprice: view(),
    halvingFlag: view(),
    btcMined: view(),
    revenue: view(),
    powerCost: view(),
    otherOpex: view(),
  };
  const { ownHashrateThs } = fleetOf(a, siteMw);
  if (ownHashrateThs > a.network_hashrate * 1e6) {
    // Each input is in range, but together they describe a site larger than bitcoin itself.
    throw new InputError(
      "network_hashrate",
      a.network_hashrate,
      `more than the site's own hashrate (${(ownHashrateThs / 1e6).toPrecision(4)} EH/s)`,
      `network_hashrate: ${a.network_hashrate} EH/s is less than the site's own ${(ownHashrateThs / 1e6).toPrecision(4)} EH/s (site_mw / pue_mining / fleet_efficiency); check site_mw, fleet_efficiency and network_hashrate`,
    );
  }
  const mwhPerMonth = siteMw * a.uptime * HOURS_PER_MONTH;
  const otherPerMonth = mwhPerMonth * a.other_opex_mining;
  let height = effectiveBlockHeight(a);
  // Fees are fixed in BTC per block at their valuation-date level (the contract's convention).
  const feeBtcPerBlock = feesPerBlock(height, a.fee_share);
  const feeBtcPerMonth = feeBtcPerBlock * BLOCKS_PER_MONTH;
  const netOfPool = 1 - a.pool_fee;
  const priceStep = Math.pow(1 + a.btc_price_growth, 1 / 12);
  const hashrateStep = Math.pow(1 + a.hashrate_growth, 1 / 12);
  const powerStep = Math.pow(1 + a.power_price_growth, 1 / 12);
  let price = a.btc_price;
  let network = a.network_hashrate;
  let powerPrice = a.power_price;
  let nextHalving = nextHalvingHeight(height);
  // The subsidy only changes at a halving, so it is looked up once per epoch.
  let epochSats = subsidySats(height);
  for (let i = 0; i < months; i++) {
    if (path) {
      price = path.btcPriceUsd[i]!;
      network = path.networkHashrateEhs[i]!;
      powerPrice = path.powerPriceUsdPerMwh[i]!;
    } else {
      price *= priceStep;
      network *= hashrateStep;
      powerPrice *= powerStep;
    }
    const endHeight = height + BLOCKS_PER_MONTH;
    const openingSubsidyBtc = epochSats / SATS_PER_BTC;
    let subsidyBtc: number;
    if (endHeight <= nextHalving) subsidyBtc = (BLOCKS_PER_MONTH * epochSats) / SATS_PER_BTC;
    else {
      // A halving inside the month: blocks before it earn the old subsidy, the rest the new.
      const halved = subsidySats(nextHalving);
      subsidyBtc = ((nextHalving - height) * epochSats + (endHeight - nextHalving) * halved) / SATS_PER_BTC;
    }
    // Network EH/s → TH/s is × 1e6.
    const minedBtc = ((subsidyBtc + feeBtcPerMonth) * ownHashrateThs * a.uptime) / (network * 1e6);
    out.btcPrice[i] = price;
    out.networkHashrate[i] = network;
    out.halvingFlag[i] = nextHalving < endHeight ? 1 : 0;
    // USD per PH/s per day at the month's opening height; network EH/s → PH/s is × 1,000.
    out.hashprice[i] = (BLOCKS_PER_DAY * (openingSubsidyBtc + feeBtcPerBlock) * price) / (network * 1_000);
    out.btcMined[i] = minedBtc;
    out.revenue[i] = minedBtc * price * netOfPool;
    out.powerCost[i] = mwhPerMonth * powerPrice;
    out.otherOpex[i] = otherPerMonth;
    height = endHeight;
    if (height >= nextHalving) {
      epochSats = subsidySats(height);
      nextHalving = nextHalvingHeight(height);
    }
  }
  return out;
}

/** Per month S = 1..N of a mine that keeps going (index S − 1), USD. */
export interface KeepGoing {
  /** Value today of selling after month S: the flows up to S plus the discounted sale, before net debt. */
  readonly valueIfStopped: Float64Array;
  /** After-tax cash flow of month S. */
  readonly keepGoingFlowUsd: Float64Array;
  /** After-tax proceeds of selling the mine at the end of month S. */
  readonly saleAfterTaxUsd: Float64Array;
  /** Book value of the fleet at the end of month S. */
  readonly bookUsd: Float64Array;
  /** EBITDA of month S: the hashing margin when it is positive, less fixed opex. */
  readonly ebitdaUsd: Float64Array;
}

/** Space for a `KeepGoing` of `months` months. */
export function keepGoingFor(months: number): KeepGoing {
  return {
    valueIfStopped: new Float64Array(months),
    keepGoingFlowUsd: new Float64Array(months),
    saleAfterTaxUsd: new Float64Array(months),
    bookUsd: new Float64Array(months),
    ebitdaUsd: new Float64Array(months),
  };
}

/**
 * The forward pass over the mine that keeps going for `market`'s months: the value of selling
 * after each month into `out`, and, when `c` is given, that mine's schedule lines. Returns the
 * best month to sell in. A simulation runs it alone on each path: the stopping rule reads only
 * `out` (see src/core/risk), and a schedule nobody reads would cost as much again.
 */
export function keepGoing(a: Assumptions, siteMw: number, market: MiningMonths, runMonths: number, out: KeepGoing, c?: Columns): number {
  const { lifeMonths, firstReplacement } = fleetTiming(a);
  const { fleetCostUsd } = fleetOf(a, siteMw);
  const monthlyDepreciation = fleetCostUsd / lifeMonths;
  const fixedPerMonth = (a.fixed_opex_mining * siteMw) / 12;
  const landUsd = a.powered_land_value * 1e6 * siteMw;
  const keep = 1 - a.exit_cost_share;
  const carryForward = a.tax_loss_carryforward === 1;
  const step = Math.pow(1 + a.discount_rate_mining, -1 / 12);
  const { valueIfStopped, keepGoingFlowUsd, saleAfterTaxUsd, bookUsd, ebitdaUsd } = out;
  let book = (fleetCostUsd * firstReplacement) / lifeMonths;
  let pool = 0;
  let factor = 1;
  let pvFlows = 0;
  let best = -Infinity;
  let stopMonth = 1;
  let replacement = firstReplacement;
  for (let i = 0; i < runMonths; i++) {
    const month = i + 1;
    const margin = market.revenue[i]! - market.powerCost[i]! - market.otherOpex[i]!;
    const hashing = margin > 0 ? 1 : 0;
    const ebitda = hashing * margin - fixedPerMonth;
    // No fleet is bought in the mine's last possible month: it would only be resold.
    const capex = month === replacement && month < runMonths ? fleetCostUsd : 0;
    if (month === replacement) replacement += lifeMonths;
    book += capex - monthlyDepreciation;
    bookUsd[i] = book;
    ebitdaUsd[i] = ebitda;
    if (c) {
      c.operations_flag[i] = 1;
      c.hashing_share[i] = hashing;
      c.halving_flag[i] = market.halvingFlag[i]!;
      c.btc_price[i] = market.btcPrice[i]!;
      c.network_hashrate[i] = market.networkHashrate[i]!;
      c.hashprice[i] = market.hashprice[i]!;
      c.btc_mined[i] = hashing * market.btcMined[i]!;
      c.revenue[i] = hashing * market.revenue[i]!;
      c.power_cost[i] = hashing * market.powerCost[i]!;
      c.other_opex[i] = hashing * market.otherOpex[i]! + fixedPerMonth;
      c.ebitda[i] = c.revenue[i]! - c.power_cost[i]! - c.other_opex[i]!;
      c.capex[i] = capex;
      c.depreciation[i] = monthlyDepreciation;
    }
    const taxable = ebitda - monthlyDepreciation;
    const base = taxBaseOf(taxable, pool, carryForward);
    const flow = ebitda - capex - base * a.tax_rate;
    factor *= step;
    pvFlows += flow * factor;
    // Selling after this month: land plus the used fleet, net of costs, taxed on the gain
    // together with the month's income (so the gain can use losses carried forward).
    const proceeds = (landUsd + a.fleet_resale_share * book) * keep;
    const gain = proceeds - landUsd - book;
    const withGain = taxBaseOf(taxable + gain, pool, carryForward) * a.tax_rate;
    const exitTax = withGain - base * a.tax_rate;
    const value = pvFlows + (proceeds - exitTax) * factor;
    valueIfStopped[i] = value;
    keepGoingFlowUsd[i] = flow;
    saleAfterTaxUsd[i] = proceeds - exitTax;
    if (value > best) {
      best = value;
      stopMonth = month;
    }
    pool = lossPoolAfter(taxable, pool, carryForward);
  }
  return stopMonth;
}

/** Values mining on `siteMw` of the site (all of it, or a hybrid share), on a simulated path when given. */
export function valueMining(a: Assumptions, siteMw: number, path?: PathMarket): MiningResult {
  const months = comparisonMonths(a);
  const runMonths = miningMonths(a);
  const schedule = allocateSchedule(months, 0, path?.scheduleBuffer);
  const c = schedule.columns;
  const { lifeMonths, firstReplacement } = fleetTiming(a);
  const { hashingMw, ownHashrateThs, fleetCostUsd } = fleetOf(a, siteMw);
  // At least 12 months: the first-year cost metrics read them even when the mine may run less.
  // (A simulated path is as long as the horizon, and nothing reads those metrics from it.)
  const market = miningMonthsOf(a, siteMw, path ? runMonths : Math.max(runMonths, 12), path);
  const landUsd = a.powered_land_value * 1e6 * siteMw;
  const keep = 1 - a.exit_cost_share;
  const closing = closingOf(a, a.discount_rate_mining);

  // One forward pass over the mine that keeps going: it writes that mine's schedule and the
  // value of selling after each month; the months after the stop are cleared afterwards.
  const forward = keepGoingFor(runMonths);
  const stopMonth = keepGoing(a, siteMw, market, runMonths, forward, c);
  const { valueIfStopped, keepGoingFlowUsd, saleAfterTaxUsd, bookUsd, ebitdaUsd } = forward;
  const firstYear = { btcMined: 0, btcPriceSum: 0, months: Math.min(12, runMonths), revenueUsd: 0, powerUsd: 0, otherOpexUsd: 0, ebitdaUsd: 0 };
  for (let i = 0; i < firstYear.months; i++) {
    firstYear.btcMined += c.btc_mined[i]!;
    firstYear.btcPriceSum += c.btc_price[i]!;
    firstYear.revenueUsd += c.revenue[i]!;
    firstYear.powerUsd += c.power_cost[i]!;
    firstYear.otherOpexUsd += c.other_opex[i]!;
    firstYear.ebitdaUsd += ebitdaUsd[i]!;
  }

  // The mine is sold after `stopMonth`: nothing runs after it.
  for (const column of [
    c.operations_flag,
    c.hashing_share,
    c.halving_flag,
    c.btc_price,
    c.network_hashrate,
    c.hashprice,
    c.btc_mined,
    c.revenue,
    c.power_cost,
    c.other_opex,
    c.ebitda,
    c.capex,
    c.depreciation,
  ])
    column.fill(0, stopMonth, runMonths);
  let shutInMonths = 0;
  for (let i = 0; i < stopMonth; i++) shutInMonths += 1 - c.hashing_share[i]!;
  const last = stopMonth - 1;
  const proceeds = (landUsd + a.fleet_resale_share * bookUsd[last]!) * keep;
  c.exit_proceeds[last] = proceeds;
  c.exit_gain[last] = proceeds - landUsd - bookUsd[last]!;
  const presentValue = closeSchedule(schedule, closing);
  return {
    schedule,
    presentValue,
    hashingMw,
    ownHashrateThs,
    fleetCostUsd,
    fleetLifeMonths: lifeMonths,
    firstReplacementMonth: firstReplacement,
    stopMonth,
    shutInMonths,
    valueIfStopped,
    keepGoingFlowUsd,
    saleAfterTaxUsd,
    fullHash: market,
    firstYear,
  };
}
