/**
 * Dated market snapshots: the default is the registry's defaults exactly (reproducible), a
 * later snapshot stays inside the registry's ranges and reproduces the hashprice published for
 * its weeks, every value has a source and as-of date, and a `market` row picks a snapshot.
 */
import { describe, expect, it } from "vitest";
import {
  effectiveBlockHeight,
  DEFAULTS,
  DEFAULT_MARKET_ID,
  InputError,
  MARKETS,
  REGISTRY,
  defaultMarket,
  estimatedBlockHeight,
  getDef,
  hashrateFromDifficulty,
  isoToSerial,
  marketAssumptions,
  marketProvenance,
  parseAssumptionsInMarket,
  parseMarket,
  parseValue,
  snapshotHashprice,
  valueScenario,
  type AssumptionKey,
} from "../src/core/index.js";

const june = parseMarket("2026-06");

describe("snapshots", () => {
  it("the default snapshot is the registry's defaults, value for value", () => {
    expect(defaultMarket().id).toBe(DEFAULT_MARKET_ID);
    expect(marketAssumptions(defaultMarket())).toEqual(DEFAULTS);
    for (const def of REGISTRY) expect(marketProvenance(defaultMarket(), def.key)).toEqual({ source: def.source, asOf: def.asOf });
  });

  it.each(MARKETS.map((snapshot) => snapshot.id))("%s: every value is inside its key's range and has a source and an as-of date", (id) => {
    const snapshot = parseMarket(id);
    for (const [key, entry] of Object.entries(snapshot.values)) {
      expect(parseValue(getDef(key as AssumptionKey), entry.value), key).toBe(entry.value);
      expect(entry.source.length, key).toBeGreaterThan(10);
      expect(entry.asOf, key).toMatch(/^\d{4}-\d{2}(-\d{2})?$/);
    }
  });

  it.each(MARKETS.map((snapshot) => snapshot.id))("%s: the engine's hashprice is within 3 %% of the one published for those weeks", (id) => {
    const snapshot = parseMarket(id);
    expect(Math.abs(snapshotHashprice(snapshot) / snapshot.reportedHashprice.value - 1)).toBeLessThan(0.03);
  });

  it("2026-06 moves the BTC price, hashrate, GPU rate and date, and keeps every other default with its source", () => {
    const a = marketAssumptions(june);
    expect(a.btc_price).toBe(60_000);
    expect(a.gpu_rate).toBe(2.65);
    expect(a.valuation_date).toBe(isoToSerial("2026-07-01"));
    expect(a.power_price).toBe(DEFAULTS.power_price);
    expect(marketProvenance(june, "power_price")).toEqual({ source: getDef("power_price").source, asOf: getDef("power_price").asOf });
    expect(marketProvenance(june, "btc_price").asOf).toBe("2026-06-28");
  });

  it("derives the hashrate from the published difficulty, inside the reported 886-984 EH/s", () => {
    // By hand: 133.87e12 × 4,294,967,296 / 600 s = 9.5828e20 H/s.
    expect(hashrateFromDifficulty(133.87)).toBeCloseTo(958.28, 2);
    const hashrate = marketAssumptions(june).network_hashrate;
    expect(hashrate).toBeGreaterThan(886);
    expect(hashrate).toBeLessThan(984);
  });

  it("estimates block heights by the defaults' rule (the default height is reproduced)", () => {
    // The defaults leave block_height at 0, so the engine derives it from the date by the same rule.
    expect(estimatedBlockHeight("2026-01-01")).toBe(effectiveBlockHeight(DEFAULTS));
    // 181 days of 2026's first half at 144 blocks a day.
    expect(marketAssumptions(june).block_height).toBe(effectiveBlockHeight(DEFAULTS) + 181 * 144);
  });

  it("the mid-2026 market is worse for mining than the late-2025 one", () => {
    const late = valueScenario("mining", DEFAULTS).metrics;
    const mid = valueScenario("mining", marketAssumptions(june)).metrics;
    expect(mid.hashprice!).toBeLessThan(late.hashprice!);
    expect(mid.rev_per_mw).toBeLessThan(late.rev_per_mw);
  });
});

describe("choosing a snapshot", () => {
  it.each([
    ["2026-06", "2026-06"],
    ["2026_06", "2026-06"],
    ["mid-2026", "2026-06"],
    ["Late 2025", "2025-12"],
    ["default", "2025-12"],
    // Excel turns "2026-06" typed into a cell into 1 June 2026.
    [isoToSerial("2026-06-01")!, "2026-06"],
  ])("%j is %s", (raw, id) => {
    expect(parseMarket(raw).id).toBe(id);
  });

  it.each([["2024-01"], [""], [null], [true], [1e300], [-5], [Number.NaN], [isoToSerial("2024-01-15")!]])(
    "%j is an input error naming the snapshots",
    (raw) => {
      expect(() => parseMarket(raw, "--market")).toThrow(InputError);
      expect(() => parseMarket(raw, "--market")).toThrow(/--market: .* expected one of "2025-12", "2026-06"/);
    },
  );

  it("a market row sets the base of the other rows, which still win", () => {
    const set = parseAssumptionsInMarket([
      ["key", "value"],
      ["Market", "2026-06"],
      ["btc_price", 70_000],
    ]);
    expect(set.market.id).toBe("2026-06");
    expect(set.values.btc_price).toBe(70_000);
    expect(set.values.gpu_rate).toBe(2.65);
    expect([...set.provided]).toEqual(["btc_price"]);
  });

  it("without a market row the fallback (the defaults) is the base", () => {
    const set = parseAssumptionsInMarket([["btc_price", 70_000]]);
    expect(set.market.id).toBe(DEFAULT_MARKET_ID);
    expect(set.values).toEqual({ ...DEFAULTS, btc_price: 70_000 });
  });

  it("errors still name the user's row, counting the market row", () => {
    expect(() =>
      parseAssumptionsInMarket([
        ["market", "2026-06"],
        ["btc_prise", 1],
      ]),
    ).toThrow(/assumptions row 2: unknown assumption key "btc_prise"; did you mean "btc_price"\?/);
    expect(() =>
      parseAssumptionsInMarket([
        ["market", "2026-06"],
        ["market", "2025-12"],
      ]),
    ).toThrow(/assumptions row 2: key "market" is given twice/);
    expect(() => parseAssumptionsInMarket([["market", "2030-01"]])).toThrow(/assumptions row 1, market: "2030-01" is not a market snapshot/);
  });
});
