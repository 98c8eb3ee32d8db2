/**
 * MINEPIVOT.DEALS, MINEPIVOT.DEAL and the `market` row of an assumptions range, through the
 * adapter: Excel-shaped arguments in, Excel-safe values and errors out.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { DEALS, DEAL_FIELDS, DEFAULTS, compare, isoToSerial, marketAssumptions, parseMarket, valueScenario, withValues, SCENARIOS } from "../src/core/index.js";
import * as adapter from "../src/functions/adapter.js";
import { failure, value } from "./helpers/outcome.js";

beforeEach(() => adapter.clearCaches());

describe("DEALS", () => {
  it("spills a header of field names and one rectangular row per deal, empty cells where the source is silent", () => {
    const table = value(adapter.dealsTable());
    expect(table[0]).toEqual([...DEAL_FIELDS, "qualifiers", "missing"]);
    expect(table).toHaveLength(DEALS.length + 1);
    for (const row of table) expect(row).toHaveLength(table[0]!.length);
    const hut8 = table.find((row) => row[0] === "hut8-fluidstack")!;
    expect(hut8[DEAL_FIELDS.indexOf("usd_per_kw_month")]).toBe(DEALS[0]!.usd_per_kw_month);
    expect(hut8[DEAL_FIELDS.indexOf("pue")]).toBe("");
    expect(String(hut8.at(-1))).toMatch(/pue: not disclosed/);
  });
});

describe("DEAL", () => {
  it("gives numbers and text by field", () => {
    expect(value(adapter.dealField("Hut 8", "usd_per_kw_month"))).toBeCloseTo(7e9 / (245_000 * 180), 10);
    expect(value(adapter.dealField("hut8-fluidstack", "lease_type"))).toBe("triple net");
    expect(value(adapter.dealField([["iren"]], "usd_per_it_mw_year"))).toBeCloseTo(9.7e6, 4);
  });

  it("a term the source does not give is #NUM! with the reason", () => {
    expect(failure(adapter.dealField("cipher-aws", "escalator"))).toMatchObject({
      code: "#NUM!",
      message: "cipher-aws escalator: not disclosed in the cited source",
    });
  });

  it("an unknown or ambiguous deal, or an unknown field, is #VALUE! naming what is allowed", () => {
    expect(failure(adapter.dealField("nope", "it_mw"))).toMatchObject({
      code: "#VALUE!",
      message: expect.stringMatching(/^name: "nope" is not a deal in the library; expected one of hut8-fluidstack/),
    });
    expect(failure(adapter.dealField("coreweave", "it_mw")).message).toMatch(/matches 3 deals/);
    expect(failure(adapter.dealField("hut8", "rent")).message).toMatch(/^field: "rent" is not allowed; expected one of id, name/);
    expect(failure(adapter.dealField(null, "it_mw")).code).toBe("#VALUE!");
  });
});

describe("the market row of an assumptions range", () => {
  const june = marketAssumptions(parseMarket("2026-06"));

  it("values on the snapshot, with the range's other rows on top", () => {
    const range = [
      ["market", "2026-06"],
      ["power_price", 40],
    ];
    const expected = withValues(june, { power_price: 40 });
    expect(value(adapter.npv("mining", range))).toBe(valueScenario("mining", expected).metrics.npv_usd);
  });

  it("reads the date Excel makes of a typed 2026-06", () => {
    const range = [["market", isoToSerial("2026-06-01")]];
    expect(value(adapter.equityPerWatt("mining", range))).toBe(valueScenario("mining", june).metrics.equity_per_watt);
  });

  it("COMPARE and EXPLAIN end with a row naming the snapshot the range chose, and only then", () => {
    const range = [["market", "2026-06"]];
    const table = value(adapter.compareTable(range));
    expect(table.at(-1)).toEqual(["Market snapshot", "Market snapshot 2026-06: Mid-2026 market", "", "", "", ""]);
    const { valuations } = compare(june, SCENARIOS);
    expect(table[1]!.slice(2)).toEqual(SCENARIOS.map((s) => valuations[s]!.metrics.equity_per_watt));
    expect(value(adapter.explainTable("mining", "npv", range)).at(-1)![0]).toBe("Market snapshot");
    expect(value(adapter.compareTable()).at(-1)![0]).toBe("Uplift over mining");
  });

  it("an unknown snapshot is #VALUE! naming the row and the snapshots", () => {
    expect(
      failure(
        adapter.npv("mining", [
          ["btc_price", 1],
          ["market", "2027"],
        ]),
      ).message,
    ).toBe('assumptions row 2, market: "2027" is not a market snapshot; expected one of "2025-12", "2026-06" (market snapshots)');
  });
});

describe("ASSUMPTIONS with a market", () => {
  it("spills the snapshot's values and sources, and its first two columns value on that snapshot", () => {
    const table = value(adapter.assumptionsTable(null, "2026-06"));
    const btc = table.find((row) => row[0] === "btc_price")!;
    expect(btc[1]).toBe(60_000);
    expect(btc[5]).toBe("2026-06-28");
    expect(table.at(-1)!.slice(0, 2)).toEqual(["market", "2026-06"]);
    expect(value(adapter.npv("hybrid", table))).toBe(valueScenario("hybrid", marketAssumptions(parseMarket("2026-06"))).metrics.npv_usd);
    expect(value(adapter.assumptionsTable()).find((row) => row[0] === "btc_price")![1]).toBe(DEFAULTS.btc_price);
    expect(failure(adapter.assumptionsTable(null, "2019")).code).toBe("#VALUE!");
  });
});
