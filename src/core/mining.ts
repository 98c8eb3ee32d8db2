/**
 * Mining: keep hashing on the site. Merchant revenue from the block subsidy and fees, power
 * and other opex per MWh, fleet replacement every `asic_life_years`, no terminal value beyond
 * the unexpired book value of the fleet at the horizon.
 */
import { SATS_PER_BTC, feesPerBlock, nextHalvingHeight, subsidySats } from "./bitcoin.js";
import { InputError } from "./errors.js";
import type { Assumptions } from "./registry.js";
import { allocateSchedule, closeSchedule, closingOf, type Schedule } from "./schedule.js";
import { BLOCKS_PER_DAY, BLOCKS_PER_MONTH, HOURS_PER_MONTH } from "./time.js";

export interface MiningResult {
  readonly schedule: Schedule;
  /** Present value of equity flows and terminal value (before net debt). */
  readonly presentValue: number;
  readonly hashingMw: number;
  readonly ownHashrateThs: number;
  /** Cost of a whole replacement fleet, USD. */
  readonly fleetCostUsd: number;
  /** Months between fleet replacements. */
  readonly fleetLifeMonths: number;
  /** Month of the first replacement. */
  readonly firstReplacementMonth: number;
}

/** Months of a horizon given in years (whole months, at least one). */
export function horizonMonths(years: number): number {
  return Math.max(1, Math.round(years * 12));
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

/** Values mining on `siteMw` of the site (all of it, or a hybrid share). */
export function valueMining(a: Assumptions, siteMw: number): MiningResult {
  const months = horizonMonths(a.horizon_years_mining);
  const schedule = allocateSchedule(months, 0);
  const c = schedule.columns;
  const { lifeMonths, firstReplacement } = fleetTiming(a);

  const hashingMw = siteMw / a.pue_mining;
  const ownHashrateThs = (hashingMw * 1e6) / a.fleet_efficiency;
  if (ownHashrateThs > a.network_hashrate * 1e6) {
    // Each input is in range, but together they describe a site larger than bitcoin itself.
    throw new InputError(
      "network_hashrate",
      a.network_hashrate,
      `more than the site's own hashrate (${(ownHashrateThs / 1e6).toPrecision(4)} EH/s)`,
      `network_hashrate: ${a.network_hashrate} EH/s is less than the site's own ${(ownHashrateThs / 1e6).toPrecision(4)} EH/s (site_mw / pue_mining / fleet_efficiency); check site_mw, fleet_efficiency and network_hashrate`,
    );
  }
  const fleetCostUsd = ownHashrateThs * a.asic_price;
  const monthlyDepreciation = fleetCostUsd / lifeMonths;
  const mwhPerMonth = siteMw * a.uptime * HOURS_PER_MONTH;
  // Fees are fixed in BTC per block at their valuation-date level (the contract's convention).
  const feeBtcPerBlock = feesPerBlock(a.block_height, a.fee_share);
  const feeBtcPerMonth = feeBtcPerBlock * BLOCKS_PER_MONTH;
  const netOfPool = 1 - a.pool_fee;

  const priceStep = Math.pow(1 + a.btc_price_growth, 1 / 12);
  const hashrateStep = Math.pow(1 + a.hashrate_growth, 1 / 12);
  const powerStep = Math.pow(1 + a.power_price_growth, 1 / 12);
  let price = a.btc_price;
  let network = a.network_hashrate;
  let powerPrice = a.power_price;
  let height = a.block_height;
  let nextHalving = nextHalvingHeight(height);
  // The subsidy only changes at a halving, so it is looked up once per epoch.
  let epochSats = subsidySats(height);
  let replacement = firstReplacement;

  for (let i = 0; i < months; i++) {
    price *= priceStep;
    network *= hashrateStep;
    powerPrice *= powerStep;
    const endHeight = height + BLOCKS_PER_MONTH;
    const openingSubsidyBtc = epochSats / SATS_PER_BTC;
    let subsidyBtc: number;
    if (endHeight <= nextHalving) subsidyBtc = (BLOCKS_PER_MONTH * epochSats) / SATS_PER_BTC;
    else {
      // A halving inside the month: blocks before it earn the old subsidy, the rest the new.
      const halved = subsidySats(nextHalving);
      subsidyBtc = ((nextHalving - height) * epochSats + (endHeight - nextHalving) * halved) / SATS_PER_BTC;
    }
    const rewardBtc = subsidyBtc + feeBtcPerMonth;
    // Network EH/s → TH/s is × 1e6.
    const minedBtc = (rewardBtc * ownHashrateThs * a.uptime) / (network * 1e6);
    const revenue = minedBtc * price * netOfPool;
    const power = mwhPerMonth * powerPrice;
    const other = mwhPerMonth * a.other_opex_mining;

    c.operations_flag[i] = 1;
    c.halving_flag[i] = nextHalving < endHeight ? 1 : 0;
    c.btc_price[i] = price;
    c.network_hashrate[i] = network;
    // USD per PH/s per day at the month's opening height; network EH/s → PH/s is × 1,000.
    c.hashprice[i] = (BLOCKS_PER_DAY * (openingSubsidyBtc + feeBtcPerBlock) * price) / (network * 1_000);
    c.btc_mined[i] = minedBtc;
    c.revenue[i] = revenue;
    c.power_cost[i] = power;
    c.other_opex[i] = other;
    c.ebitda[i] = revenue - power - other;
    // Every month carries one fleet's straight-line depreciation: the installed fleet's book
    // value (cost × months left / life) runs out exactly when its replacement starts.
    c.depreciation[i] = monthlyDepreciation;
    if (i + 1 === replacement && replacement < months) {
      c.capex[i] = fleetCostUsd;
      replacement += lifeMonths;
    }
    height = endHeight;
    if (height >= nextHalving) {
      epochSats = subsidySats(height);
      nextHalving = nextHalvingHeight(height);
    }
  }
  // Unexpired book value of the fleet running at the horizon.
  while (replacement < months) replacement += lifeMonths;
  c.terminal_value[months - 1] = (fleetCostUsd * (replacement - months)) / lifeMonths;

  const presentValue = closeSchedule(schedule, closingOf(a, a.discount_rate_mining));
  return { schedule, presentValue, hashingMw, ownHashrateThs, fleetCostUsd, fleetLifeMonths: lifeMonths, firstReplacementMonth: firstReplacement };
}
