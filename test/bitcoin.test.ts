import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  blockSubsidy,
  feesPerBlock,
  HALVING_INTERVAL,
  halvingDate,
  hashprice,
  nextHalvingHeight,
  SATS_PER_BTC,
  subsidyOverBlocks,
  subsidySats,
} from "../src/core/bitcoin.js";
import { InputError } from "../src/core/errors.js";
import { isoToSerial, serialToIso } from "../src/core/time.js";

describe("block subsidy by height", () => {
  it.each([
    [0, 50],
    [209_999, 50],
    [210_000, 25],
    [419_999, 25],
    [420_000, 12.5],
    [630_000, 6.25],
    [840_000, 3.125],
    [929_424, 3.125],
    [1_049_999, 3.125],
    [1_050_000, 1.5625],
    [1_260_000, 0.78125],
  ])("height %i pays %f BTC", (height, btc) => {
    expect(blockSubsidy(height)).toBe(btc);
  });

  it("is 50 BTC = 5,000,000,000 sats at genesis", () => {
    expect(subsidySats(0)).toBe(5_000_000_000);
    expect(SATS_PER_BTC).toBe(100_000_000);
  });

  it("shifts satoshis right, dropping fractions: floor(5e9 / 2^k)", () => {
    // 10 halvings: 5e9 / 1024 = 4,882,812.5 → 4,882,812 sats (first halving that drops half a sat)
    expect(subsidySats(10 * HALVING_INTERVAL)).toBe(4_882_812);
    // 11: 4,882,812 >> 1 = 2,441,406; 5e9 / 2048 = 2,441,406.25 → same
    expect(subsidySats(11 * HALVING_INTERVAL)).toBe(2_441_406);
    for (let k = 0; k < 64; k++) {
      // BigInt right shift is the protocol's own arithmetic (nSubsidy >>= halvings).
      expect(subsidySats(k * HALVING_INTERVAL)).toBe(Number(5_000_000_000n >> BigInt(k)));
      expect(subsidySats(k * HALVING_INTERVAL)).toBe(Math.floor(5e9 / 2 ** k));
    }
  });

  it("pays the last single satoshi at height 6,929,999 (32 halvings) and nothing from 6,930,000", () => {
    // 32 halvings: 5e9 / 2^32 = 1.164 → 1 sat = 1e-8 BTC; 33 halvings: 0.58 → 0
    expect(Math.floor(6_929_999 / HALVING_INTERVAL)).toBe(32);
    expect(subsidySats(6_929_999)).toBe(1);
    expect(blockSubsidy(6_929_999)).toBe(1e-8);
    expect(subsidySats(6_930_000)).toBe(0);
  });

  it("is 0 after 64 halvings (where a 64-bit shift would wrap) and far beyond", () => {
    expect(subsidySats(64 * HALVING_INTERVAL)).toBe(0);
    expect(subsidySats(64 * HALVING_INTERVAL - 1)).toBe(0);
    expect(subsidySats(1e12)).toBe(0);
  });

  it("is an integer number of satoshis that never rises with height (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 20_000_000 }), fc.integer({ min: 0, max: 1_000_000 }), (height, ahead) => {
        const sats = subsidySats(height);
        expect(Number.isInteger(sats)).toBe(true);
        expect(subsidySats(height + ahead)).toBeLessThanOrEqual(sats);
      }),
    );
  });

  it.each([-1, 0.5, 840_000.5, Number.NaN, Number.POSITIVE_INFINITY])("rejects the height %s with InputError", (height) => {
    expect(() => subsidySats(height)).toThrow(InputError);
    expect(() => blockSubsidy(height)).toThrow(InputError);
    expect(() => nextHalvingHeight(height)).toThrow(InputError);
  });

  it("names block_height in the error", () => {
    expect(() => blockSubsidy(-1)).toThrow(/block_height/);
  });
});

describe("next halving", () => {
  it.each([
    [0, 210_000],
    [209_999, 210_000],
    [210_000, 420_000],
    [840_000, 1_050_000],
    [929_424, 1_050_000],
    [1_049_999, 1_050_000],
  ])("after height %i comes at %i", (height, next) => {
    expect(nextHalvingHeight(height)).toBe(next);
  });

  it("from block 929,424 on 2026-01-01 falls 837.33 days later, on 2028-04-17", () => {
    const start = isoToSerial("2026-01-01")!;
    expect(start).toBe(46023);
    // 1,050,000 - 929,424 = 120,576 blocks; / 144 a day = 837.333... days
    const date = halvingDate(929_424, start);
    expect(date - start).toBeCloseTo(120_576 / 144, 10);
    expect(date).toBeCloseTo(46023 + 837 + 1 / 3, 10);
    // 2026-01-01 + 365 + 365 = 2028-01-01; + 107 days (31 + 29 + 31 + 16) = 2028-04-17
    expect(serialToIso(date)).toBe("2028-04-17");
  });

  it("is a full interval (1,458.33 days) ahead when standing on a halving block", () => {
    expect(halvingDate(840_000, 45_402) - 45_402).toBeCloseTo(210_000 / 144, 10);
  });

  it("rejects a fractional height with InputError", () => {
    expect(() => halvingDate(929_424.5, 46023)).toThrow(InputError);
  });
});

describe("subsidy over a run of blocks", () => {
  it("sums 4 blocks from 209,998 across the first halving: 2 × 50 + 2 × 25 = 150", () => {
    expect(subsidyOverBlocks(209_998, 4)).toBe(150);
  });

  it("sums a model month (4,383 blocks) from 1,048,000 across the 2028 halving", () => {
    // 2,000 blocks at 3.125 to 1,050,000, then 2,383 at 1.5625: 6,250 + 3,723.4375 = 9,973.4375
    expect(subsidyOverBlocks(1_048_000, 4_383)).toBe(9_973.4375);
  });

  it("spans several halvings: 630,000 blocks from 0 pay 210,000 × (50 + 25 + 12.5)", () => {
    expect(subsidyOverBlocks(0, 630_000)).toBe(210_000 * 87.5);
  });

  it("is 0 for no blocks and count × subsidy inside one era", () => {
    expect(subsidyOverBlocks(929_424, 0)).toBe(0);
    expect(subsidyOverBlocks(929_424, 4_383)).toBe(4_383 * 3.125);
  });

  it("equals the block-by-block sum (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 7_500_000 }), fc.integer({ min: 0, max: 5_000 }), (start, count) => {
        let sats = 0;
        for (let h = start; h < start + count; h++) sats += subsidySats(h);
        expect(subsidyOverBlocks(start, count)).toBe(sats / SATS_PER_BTC);
      }),
      { numRuns: 200 },
    );
  });

  it("rejects a negative or fractional start height with InputError", () => {
    expect(() => subsidyOverBlocks(-5, 10)).toThrow(InputError);
    expect(() => subsidyOverBlocks(0.5, 10)).toThrow(InputError);
  });
});

describe("fees per block", () => {
  it("makes fees fee_share of the total reward: 3.125 × 0.0062 / 0.9938 at height 929,424", () => {
    // 3.125 × 0.0062 = 0.019375; / 0.9938 = 0.0194958744214...
    const fees = feesPerBlock(929_424, 0.0062);
    expect(fees).toBeCloseTo(0.0194958744214128, 15);
    expect(fees / (3.125 + fees)).toBeCloseTo(0.0062, 15);
  });

  it("gives equal fees and subsidy at a 50 % share and no fees at 0", () => {
    expect(feesPerBlock(0, 0.5)).toBe(50);
    expect(feesPerBlock(840_000, 0)).toBe(0);
  });

  it.each([-0.01, 1, 1.5, Number.NaN])("rejects fee_share %s with InputError", (share) => {
    expect(() => feesPerBlock(840_000, share)).toThrow(InputError);
    expect(() => feesPerBlock(840_000, share)).toThrow(/fee_share/);
  });
});

describe("hashprice (USD per PH/s per day)", () => {
  it("is ~38.998 at 90,000 USD, 1,045 EH/s, 0.62 % fees, height 929,424", () => {
    // reward per block = 3.125 + 0.0194958744214128 = 3.1444958744214128 BTC (= 3.125 / 0.9938)
    // × 144 blocks      = 452.807405916683 BTC a day
    // × 90,000 USD      = 40,752,666.5325015 USD a day
    // / 1,045,000 PH/s  = 38.9977670167479 USD per PH/s per day
    expect(hashprice(90_000, 1_045, 0.0062, 929_424)).toBeCloseTo(38.9977670167479, 10);
  });

  it("is 144 × 3.125 × 100,000 / 1,000,000 = 45 with no fees at 1,000 EH/s and 100,000 USD", () => {
    expect(hashprice(100_000, 1_000, 0, 929_424)).toBeCloseTo(45, 12);
  });

  it("halves at the halving for a fixed fee share", () => {
    expect(hashprice(90_000, 1_045, 0.0062, 1_050_000)).toBeCloseTo(hashprice(90_000, 1_045, 0.0062, 1_049_999) / 2, 12);
  });

  it("rejects non-positive or non-finite price and hashrate, bad fee shares and bad heights", () => {
    expect(() => hashprice(0, 1_045, 0.0062, 929_424)).toThrow(/btc_price/);
    expect(() => hashprice(-1, 1_045, 0.0062, 929_424)).toThrow(InputError);
    expect(() => hashprice(Number.NaN, 1_045, 0.0062, 929_424)).toThrow(InputError);
    expect(() => hashprice(90_000, 0, 0.0062, 929_424)).toThrow(/network_hashrate/);
    expect(() => hashprice(90_000, Number.POSITIVE_INFINITY, 0.0062, 929_424)).toThrow(InputError);
    expect(() => hashprice(90_000, 1_045, 1, 929_424)).toThrow(/fee_share/);
    expect(() => hashprice(90_000, 1_045, 0.0062, -1)).toThrow(/block_height/);
    expect(() => hashprice(90_000, 1_045, 0.0062, 929_424.5)).toThrow(InputError);
  });
});
