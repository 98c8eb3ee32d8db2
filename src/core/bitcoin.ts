/**
 * Bitcoin consensus arithmetic used by the mining scenario and the custom functions.
 * The subsidy is computed in satoshis exactly as the protocol does (50 BTC shifted right once
 * per 210,000 blocks), then expressed in BTC.
 */
import { InputError } from "./errors.js";
import { BLOCKS_PER_DAY } from "./time.js";

export const HALVING_INTERVAL = 210_000;
export const SATS_PER_BTC = 100_000_000;
export const INITIAL_SUBSIDY_SATS = 50 * SATS_PER_BTC;
/** The protocol returns zero once the shift reaches 64. */
export const MAX_HALVINGS = 64;

function checkHeight(height: number, argument = "block_height"): void {
  if (!Number.isFinite(height) || height < 0 || !Number.isInteger(height)) {
    throw new InputError(argument, height, "a whole block height of 0 or more");
  }
}

/** Block subsidy at `height`, in satoshis (an exact integer). */
export function subsidySats(height: number): number {
  checkHeight(height);
  const halvings = Math.floor(height / HALVING_INTERVAL);
  // Dividing by a power of two is exact in binary floating point, so floor() is the integer shift.
  return halvings >= MAX_HALVINGS ? 0 : Math.floor(INITIAL_SUBSIDY_SATS / 2 ** halvings);
}

/** Block subsidy at `height`, in BTC. */
export function blockSubsidy(height: number): number {
  return subsidySats(height) / SATS_PER_BTC;
}

/** The reference block for heights derived from dates: the fourth halving. */
export const REFERENCE_BLOCK = 840_000;
/** Excel serial of 20 Apr 2024, the day block 840,000 was mined. */
export const REFERENCE_BLOCK_DATE = 45_402;

/**
 * Chain height on `dateSerial`, counting 144 blocks a day from block 840,000 (20 Apr 2024).
 * Real blocks drift from the schedule by a few days a year; a dated `block_height` overrides.
 */
export function blockHeightAt(dateSerial: number): number {
  return Math.max(0, REFERENCE_BLOCK + Math.round(BLOCKS_PER_DAY * (dateSerial - REFERENCE_BLOCK_DATE)));
}

/** The chain height to use on `dateSerial`: `height` when given (above 0), else the one the date implies. */
export function heightOn(height: number, dateSerial: number): number {
  return height > 0 ? height : blockHeightAt(dateSerial);
}

/** Height of the first block after `height` whose subsidy is halved. */
export function nextHalvingHeight(height: number): number {
  checkHeight(height);
  return (Math.floor(height / HALVING_INTERVAL) + 1) * HALVING_INTERVAL;
}

/** Excel serial date of the next halving, at 144 blocks a day from `height` on `dateSerial`. */
export function halvingDate(height: number, dateSerial: number): number {
  return dateSerial + (nextHalvingHeight(height) - height) / BLOCKS_PER_DAY;
}

/** Total subsidy in BTC of the `count` blocks from `startHeight` on (spans halvings exactly). */
export function subsidyOverBlocks(startHeight: number, count: number): number {
  let sats = 0;
  let height = startHeight;
  const end = startHeight + count;
  while (height < end) {
    const boundary = Math.min(end, nextHalvingHeight(height));
    sats += (boundary - height) * subsidySats(height);
    height = boundary;
  }
  return sats / SATS_PER_BTC;
}

/** Fees per block in BTC when fees are `feeShare` of the total reward at `height`. */
export function feesPerBlock(height: number, feeShare: number): number {
  if (!(feeShare >= 0 && feeShare < 1)) throw new InputError("fee_share", feeShare, "a share from 0 to below 1");
  return (blockSubsidy(height) * feeShare) / (1 - feeShare);
}

/**
 * Hashprice in USD per PH/s per day: the reward a petahash earns in a day at today's price.
 * 144 × (subsidy + fees) × price / network hashrate in PH/s.
 */
export function hashprice(btcPriceUsd: number, networkHashrateEhs: number, feeShare: number, height: number): number {
  if (!(networkHashrateEhs > 0) || !Number.isFinite(networkHashrateEhs)) {
    throw new InputError("network_hashrate", networkHashrateEhs, "a positive hashrate in EH/s");
  }
  if (!(btcPriceUsd > 0) || !Number.isFinite(btcPriceUsd)) throw new InputError("btc_price", btcPriceUsd, "a positive price in USD");
  const rewardBtc = blockSubsidy(height) + feesPerBlock(height, feeShare);
  return (BLOCKS_PER_DAY * rewardBtc * btcPriceUsd) / (networkHashrateEhs * 1_000);
}
