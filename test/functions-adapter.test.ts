/**
 * The Excel adapter on its own (no bundle, no Excel): Excel-shaped arguments into the core's
 * types, Excel-safe results, errors that name the argument, and the cache.
 */
import { beforeEach, describe, expect, it } from "vitest";
import {
  DEFAULTS,
  REGISTRY,
  SCENARIOS,
  annualize,
  blockSubsidy,
  compare,
  effectiveBlockHeight,
  explain,
  halvingDate,
  hashprice,
  keysFor,
  sensitivity,
  solve,
  serialToIso,
  valueScenario,
  withValues,
} from "../src/core/index.js";
import * as adapter from "../src/functions/adapter.js";
import { LruCache } from "../src/functions/cache.js";

type Outcome = adapter.Outcome<unknown>;

function value<T>(outcome: adapter.Outcome<T>): T {
  if (!outcome.ok) throw new Error(`expected a value, got ${outcome.code} ${outcome.message}`);
  return outcome.value;
}

function failure(outcome: Outcome): { code: string; message: string } {
  if (outcome.ok) throw new Error(`expected an error, got ${JSON.stringify(outcome.value)}`);
  return outcome;
}

/** An assumptions range as Excel passes it: header, extra columns, blank rows, text numbers. */
const RANGE = [
  ["Key", "Value", "Unit", "Note"],
  ["btc_price", "$95,000", "USD", "spot"],
  ["power_price", 40, "USD/MWh", null],
  [null, null, null, null],
  ["Lease Rate", 140, "USD/kW-month", ""],
  ["tax_loss_carryforward", false, "", ""],
  ["valuation_date", 46054, "date", "1 Feb 2026 as an Excel serial"],
  ["hashrate_growth", "10%", "/yr", ""],
  ["", "", "", ""],
];
const RANGE_VALUES = withValues(DEFAULTS, {
  btc_price: 95_000,
  power_price: 40,
  lease_rate: 140,
  tax_loss_carryforward: 0,
  valuation_date: 46054,
  hashrate_growth: 0.1,
});

beforeEach(() => adapter.clearCaches());

describe("scenario metrics", () => {
  it.each(SCENARIOS)("%s: every metric function equals the core on a realistic range", (scenario) => {
    const metrics = valueScenario(scenario, RANGE_VALUES).metrics;
    expect(value(adapter.equityPerWatt(scenario, RANGE))).toBe(metrics.equity_per_watt);
    expect(value(adapter.revPerMw(scenario, RANGE))).toBe(metrics.rev_per_mw);
    expect(value(adapter.ebitdaPerMw(scenario, RANGE))).toBe(metrics.ebitda_per_mw);
    expect(value(adapter.npv(scenario, RANGE))).toBe(metrics.npv_usd);
    if (metrics.irr === null) expect(failure(adapter.irr(scenario, RANGE)).code).toBe("#NUM!");
    else expect(value(adapter.irr(scenario, RANGE))).toBe(metrics.irr);
    if (metrics.payback_years === null) expect(failure(adapter.payback(scenario, RANGE)).code).toBe("#NUM!");
    else expect(value(adapter.payback(scenario, RANGE))).toBe(metrics.payback_years);
  });

  it("takes the defaults when assumptions are omitted, null, a blank cell or a blank range", () => {
    const expected = valueScenario("powered_shell", DEFAULTS).metrics.equity_per_watt;
    for (const empty of [
      undefined,
      null,
      [[null]],
      [[""]],
      [
        [null, null],
        ["", ""],
      ],
    ])
      expect(value(adapter.equityPerWatt("shell", empty))).toBe(expected);
  });

  it("accepts aliases and a 1×1 range for the scenario", () => {
    expect(value(adapter.npv([["Colo-Lease"]]))).toBe(valueScenario("powered_shell", DEFAULTS).metrics.npv_usd);
  });

  it("IRR of a mine without investment is #NUM! with the reason", () => {
    const error = failure(adapter.irr("mining"));
    expect(error.code).toBe("#NUM!");
    expect(error.message).toMatch(/no IRR/);
  });
});

describe("bad input is #VALUE! naming the argument, key, value and what is allowed", () => {
  it("an unknown scenario lists the accepted ones", () => {
    const error = failure(adapter.equityPerWatt("solar"));
    expect(error.code).toBe("#VALUE!");
    expect(error.message).toMatch(/^scenario: "solar" is not allowed; expected one of mining, powered_shell, colocated_gpu, hybrid/);
  });

  it("an out-of-range value names its row, key, value and range", () => {
    const error = failure(
      adapter.npv("shell", [
        ["site_mw", 100],
        ["pue_dc", 0.5],
      ]),
    );
    expect(error.code).toBe("#VALUE!");
    expect(error.message).toBe("assumptions row 2, pue_dc: 0.5 is out of range; expected a number from 1 to 3 ratio");
  });

  it("a misspelt key suggests the nearest one", () => {
    expect(failure(adapter.npv("shell", [["leese_rate", 120]])).message).toMatch(
      /assumptions row 1: unknown assumption key "leese_rate"; did you mean "lease_rate"\?/,
    );
  });

  it("an error cell names the cell", () => {
    expect(failure(adapter.npv("shell", [["lease_rate", { code: "#N/A" }]])).message).toBe(
      "assumptions row 1, column 2: the cell holds the error #N/A; fix that cell first",
    );
    expect(failure(adapter.npv("shell", [["lease_rate", "#DIV/0!"]])).message).toMatch(/row 1, column 2: the cell holds the error #DIV\/0!/);
  });

  it("error cells in ignored columns are ignored", () => {
    expect(value(adapter.npv("shell", [["lease_rate", 120, "#REF!"]]))).toBe(
      valueScenario("powered_shell", withValues(DEFAULTS, { lease_rate: 120 })).metrics.npv_usd,
    );
  });

  it("a one-column range asks for two columns", () => {
    expect(failure(adapter.npv("shell", [["lease_rate"], [120]])).message).toMatch(/two columns \(key, value\)/);
  });

  it("a range where a single value belongs says so", () => {
    expect(failure(adapter.blockSubsidyBtc([[1, 2]])).message).toBe("block_height: expected a single value, got a range of 1 × 2 cells");
  });

  it("a key given twice is refused", () => {
    expect(
      failure(
        adapter.npv("shell", [
          ["lease_rate", 120],
          ["LEASE_RATE", 130],
        ]),
      ).message,
    ).toMatch(/given twice/);
  });

  it("messages stay on one line and short enough for Excel's tooltip", () => {
    const long = "x".repeat(500);
    const error = failure(adapter.solveFor("shell", "npv", 1, long));
    expect(error.message.length).toBeLessThanOrEqual(250);
    expect(error.message).not.toMatch(/\n/);
  });
});

describe("bitcoin functions", () => {
  it("HASHPRICE equals the core, with registry defaults for the optional arguments", () => {
    expect(value(adapter.hashpriceUsd(90_000, 1_045))).toBe(hashprice(90_000, 1_045, DEFAULTS.fee_share, effectiveBlockHeight(DEFAULTS)));
    expect(value(adapter.hashpriceUsd("90,000", "1045", "1%", 840_000))).toBe(hashprice(90_000, 1_045, 0.01, 840_000));
    expect(value(adapter.hashpriceUsd(90_000, 1_045, null, ""))).toBe(hashprice(90_000, 1_045, DEFAULTS.fee_share, effectiveBlockHeight(DEFAULTS)));
  });

  it("HASHPRICE refuses a non-positive hashrate, naming the key and range", () => {
    expect(failure(adapter.hashpriceUsd(90_000, 0)).message).toBe("network_hashrate: 0 is out of range; expected a number from 0.000001 to 1e6 EH/s");
    expect(failure(adapter.hashpriceUsd(true, 1_045)).message).toMatch(/^btc_price: TRUE is not a number/);
  });

  it("BLOCK_SUBSIDY halves every 210,000 blocks and reaches zero", () => {
    for (const [height, btc] of [
      [0, 50],
      [209_999, 50],
      [210_000, 25],
      [840_000, 3.125],
      [13_440_000, 0],
    ] as const) {
      expect(value(adapter.blockSubsidyBtc(height))).toBe(btc);
      expect(blockSubsidy(height)).toBe(btc);
    }
    expect(failure(adapter.blockSubsidyBtc(1.5)).message).toMatch(/whole number/);
    expect(failure(adapter.blockSubsidyBtc(null)).message).toMatch(/^block_height: \(empty\) is empty/);
  });

  it("HALVING_DATE is an Excel serial; dates may be serials or ISO text", () => {
    // block_height 0 (the default) is derived from the date: 144 a day from block 840,000 on 20 Apr 2024.
    expect(value(adapter.halvingDateSerial())).toBe(halvingDate(effectiveBlockHeight(DEFAULTS), DEFAULTS.valuation_date));
    expect(serialToIso(value(adapter.halvingDateSerial()))).toBe("2028-04-17");
    expect(value(adapter.halvingDateSerial(840_000, "2024-04-20"))).toBe(halvingDate(840_000, 45_402));
    expect(failure(adapter.halvingDateSerial(840_000, "2024-02-30")).message).toMatch(/^valuation_date: "2024-02-30" is not a date/);
  });
});

describe("mining cost functions", () => {
  const mining = valueScenario("mining", RANGE_VALUES).metrics;
  it("COST_TO_MINE on a cash (default) or all-in basis", () => {
    expect(value(adapter.costToMine(RANGE))).toBe(mining.cost_to_mine_cash);
    expect(value(adapter.costToMine(RANGE, "All-in"))).toBe(mining.cost_to_mine_all_in);
    expect(failure(adapter.costToMine(RANGE, "total")).message).toMatch(/^basis: "total" is not allowed; expected "cash"/);
  });

  it("COST_TO_MINE is #NUM! once the subsidy has run out", () => {
    const error = failure(adapter.costToMine([["block_height", 13_440_000]]));
    expect(error.code).toBe("#NUM!");
    expect(error.message).toMatch(/no cost to mine/);
  });

  it("BREAKEVEN_POWER equals the core", () => {
    expect(value(adapter.breakevenPower(RANGE))).toBe(mining.breakeven_power);
  });
});

describe("spilled tables", () => {
  it("CASHFLOWS annual: a header row, then one row per model year equal to the core", () => {
    const table = value(adapter.cashflows("gpu", RANGE));
    const annual = annualize(valueScenario("colocated_gpu", RANGE_VALUES).schedule);
    expect(table[0]![0]).toBe("Year");
    expect(table[0]).toContain("Revenue (USD)");
    expect(table).toHaveLength(annual.length + 1);
    const revenueColumn = table[0]!.indexOf("Revenue (USD)");
    expect(table.slice(1).map((row) => row[revenueColumn])).toEqual(annual.map((row) => row.values.revenue));
  });

  it("CASHFLOWS monthly: one row per month", () => {
    const schedule = valueScenario("powered_shell", DEFAULTS).schedule;
    const table = value(adapter.cashflows("shell", null, "Monthly"));
    expect(table).toHaveLength(schedule.months + 1);
    expect(table[1]![0]).toBe(1);
    expect(failure(adapter.cashflows("shell", null, "weekly")).message).toMatch(/^period: "weekly" is not allowed/);
  });

  it("COMPARE: metrics by scenario with the uplift over mining, as the core computes them", () => {
    const table = value(adapter.compareTable(RANGE));
    const { valuations, upliftPerWatt } = compare(RANGE_VALUES, SCENARIOS);
    expect(table[0]).toEqual(["Metric", "Unit", "Mining", "Powered shell", "Colocated GPU", "Hybrid"]);
    expect(table[1]!.slice(2)).toEqual(SCENARIOS.map((s) => valuations[s]!.metrics.equity_per_watt));
    const irrRow = table.find((row) => row[0] === "Equity IRR")!;
    expect(irrRow.slice(2)).toEqual(SCENARIOS.map((s) => valuations[s]!.metrics.irr ?? ""));
    const uplift = table.at(-1)!;
    expect(uplift[0]).toBe("Uplift over mining");
    expect(uplift[2]).toBe("");
    for (const [i, s] of SCENARIOS.entries()) if (s !== "mining") expect(uplift[i + 2]).toBeCloseTo(upliftPerWatt[s]!, 12);
  });

  it("ASSUMPTIONS: key, value, unit, meaning, source, as-of (and the allowed range), all or per scenario", () => {
    const all = value(adapter.assumptionsTable());
    expect(all[0]).toEqual(["Key", "Value", "Unit", "Meaning", "Source", "As of", "Allowed"]);
    expect(all).toHaveLength(REGISTRY.length + 1);
    expect(all.find((row) => row[0] === "valuation_date")![1]).toBe(46023);
    expect(all.find((row) => row[0] === "tax_loss_carryforward")![1]).toBe(true);
    expect(value(adapter.assumptionsTable("btc"))).toHaveLength(keysFor("mining").length + 1);
  });

  it("ASSUMPTIONS' first two columns are a valid assumptions range", () => {
    const table = value(adapter.assumptionsTable());
    expect(value(adapter.npv("hybrid", table))).toBe(valueScenario("hybrid", DEFAULTS).metrics.npv_usd);
  });

  it("EXPLAIN: a header, then the core's steps", () => {
    const table = value(adapter.explainTable("shell", "equity_per_watt", RANGE));
    const steps = explain("powered_shell", "equity_per_watt", RANGE_VALUES);
    expect(table[0]).toEqual(["Step", "Formula", "Value", "Unit"]);
    expect(table.slice(1)).toEqual(steps.map((s) => [s.label, s.formula, s.value, s.unit]));
  });

  it("every table is rectangular and holds only finite numbers, text and booleans", () => {
    const tables = [
      adapter.cashflows("hybrid", RANGE, "monthly"),
      adapter.compareTable(),
      adapter.assumptionsTable(),
      adapter.explainTable("mining", "irr"),
      adapter.sensitivityGrid("mining", "irr", "btc_price", [[50_000, 150_000]], "power_price", [[20], [60]]),
    ].map(value);
    for (const table of tables) {
      for (const row of table) {
        expect(row).toHaveLength(table[0]!.length);
        for (const cell of row) expect(typeof cell === "string" || typeof cell === "boolean" || Number.isFinite(cell)).toBe(true);
      }
    }
  });
});

describe("SOLVE and SENSITIVITY", () => {
  it("SOLVE equals the core's solve", () => {
    expect(value(adapter.solveFor("gpu", "rev_per_mw", 25_000_000, "gpu_rate"))).toBe(solve("colocated_gpu", "rev_per_mw", 25_000_000, "gpu_rate", DEFAULTS));
    expect(value(adapter.solveFor("shell", "Equity per watt", "7", "Lease Rate", RANGE))).toBe(
      solve("powered_shell", "equity_per_watt", 7, "lease_rate", RANGE_VALUES),
    );
  });

  it("SOLVE without a root in the key's range is #NUM! naming the range", () => {
    const error = failure(adapter.solveFor("shell", "equity_per_watt", 1e6, "lease_rate"));
    expect(error.code).toBe("#NUM!");
    expect(error.message).toMatch(/no value of lease_rate in its range/);
  });

  it("SOLVE refuses a non-numeric target and an unknown key", () => {
    expect(failure(adapter.solveFor("shell", "npv", "lots", "lease_rate")).message).toMatch(/^target: "lots" is not a number/);
    expect(failure(adapter.solveFor("shell", "npv", 1, "rent")).message).toMatch(/^key: unknown assumption key "rent"/);
  });

  it("SENSITIVITY 2-D: row values down, column values across, as the core computes them", () => {
    const table = value(
      adapter.sensitivityGrid("shell", "equity_per_watt", "lease_rate", [[100], [130], [160]], "exit_cap_rate", [[0.06, 0.075, 0.09]], RANGE),
    );
    const grid = sensitivity("powered_shell", "equity_per_watt", RANGE_VALUES, "lease_rate", [100, 130, 160], "exit_cap_rate", [0.06, 0.075, 0.09]);
    expect(table[0]!.slice(1)).toEqual([0.06, 0.075, 0.09]);
    expect(table.slice(1).map((row) => row[0])).toEqual([100, 130, 160]);
    expect(table.slice(1).map((row) => row.slice(1))).toEqual(grid.values);
  });

  it("SENSITIVITY 1-D when col_key is empty; points without a value are empty cells", () => {
    const table = value(adapter.sensitivityGrid("mining", "irr", "btc_price", [[60_000, null, 500_000]], "", null));
    expect(table[0]).toEqual(["btc_price", "irr"]);
    expect(table).toHaveLength(3);
    expect(table[1]![1]).toBe("");
  });

  it("SENSITIVITY refuses values out of range (naming the item) and oversized grids", () => {
    expect(failure(adapter.sensitivityGrid("shell", "npv", "pue_dc", [[1.2, 5]])).message).toMatch(/^row_values item 2, pue_dc: 5 is out of range/);
  });

  describe("SENSITIVITY's bound on the work of one call, by its cost in valuation-months", () => {
    // Hand-worked: the defaults' horizon is construction (12 months) plus a 15-year lease, 192
    // months; the longest, 60 months of construction plus a 50-year lease, 660. The bound is
    // 100,000 valuation-months: 520 points of one scenario at 192 months, 50 of hybrid (three
    // valuations a point) at 660.
    const LONGEST = [
      ["construction_months", 60],
      ["lease_term_years", 50],
    ];
    const leaseRates = (n: number) => [Array.from({ length: n }, (_, i) => 100 + i / 100)];
    const caps = (n: number) => [Array.from({ length: n }, (_, i) => 0.06 + i / 1000)];

    it("names the argument, the points asked and the most these inputs allow", () => {
      const refused = failure(
        adapter.sensitivityGrid("shell", "npv", "lease_rate", leaseRates(100), "noi_margin", [Array.from({ length: 50 }, (_, i) => i / 50)]),
      );
      expect(refused.message).toBe(
        "row_values × col_values: 5,000 points; at most 520 are allowed for powered_shell over 192 months, so that one call takes about half a second at most (split the grid over several calls)",
      );
      expect(failure(adapter.sensitivityGrid("hybrid", "npv", "lease_rate", leaseRates(51), "", null, LONGEST)).message).toMatch(
        /^row_values: 51 points; at most 50 are allowed for hybrid over 660 months \(three valuations a point\)/,
      );
    });

    it("allows exactly the bound: 520 points of one scenario refused at 521", () => {
      expect(failure(adapter.sensitivityGrid("shell", "npv", "lease_rate", leaseRates(521))).message).toMatch(
        /^row_values: 521 points; at most 520 are allowed/,
      );
      expect(value(adapter.sensitivityGrid("colocated_gpu", "npv", "lease_rate", leaseRates(52), "exit_cap_rate", caps(10)))).toHaveLength(53);
    });

    it("counts each point's own horizon when the grid varies it", () => {
      // Lease terms of 10 and 50 years: 132 and 612 months a point, 744 for the pair; the most
      // points are sized on the longest, 612 months.
      const terms = [[10, 50]];
      expect(failure(adapter.sensitivityGrid("shell", "npv", "lease_term_years", terms, "lease_rate", leaseRates(135))).message).toMatch(
        /^row_values × col_values: 270 points; at most 163 are allowed for powered_shell over 612 months/,
      );
      expect(value(adapter.sensitivityGrid("shell", "npv", "lease_term_years", terms, "lease_rate", leaseRates(134)))).toHaveLength(3);
    });
  });
});

describe("the cache", () => {
  it("computes identical argument sets once, keyed by content, not by the array passed", () => {
    const copy = () => RANGE.map((row) => [...row]);
    adapter.npv("shell", copy());
    adapter.irr("shell", copy());
    adapter.equityPerWatt("powered_shell", copy());
    adapter.npv("shell", copy());
    expect(adapter.cacheStats.valuationsComputed).toBe(1);
    expect(adapter.cacheStats.scalarHits).toBe(1);
  });

  it("ignores extra columns in the key, and tells different content apart", () => {
    adapter.npv("shell", [["lease_rate", 120, "note a"]]);
    adapter.npv("shell", [["lease_rate", 120, "note b"]]);
    expect(adapter.cacheStats.valuationsComputed).toBe(1);
    const a = value(adapter.npv("shell", [["lease_rate", 120]]));
    const b = value(adapter.npv("shell", [["lease_rate", "120"]]));
    const c = value(adapter.npv("shell", [["lease_rate", 121]]));
    expect(a).toBe(b);
    expect(c).not.toBe(a);
  });

  it("COMPARE reuses the valuations that single-metric cells computed", () => {
    for (const scenario of ["mining", "shell", "gpu"]) adapter.npv(scenario, RANGE);
    const before = adapter.cacheStats.valuationsComputed;
    adapter.compareTable(RANGE);
    expect(adapter.cacheStats.valuationsComputed - before).toBe(1); // only the hybrid
  });

  it("LruCache keeps at most its bound, evicting the least recently used", () => {
    const cache = new LruCache<number>(3);
    cache.set("a", 1);
    cache.set("b", 2);
    cache.set("c", 3);
    expect(cache.get("a")).toBe(1);
    cache.set("d", 4);
    expect(cache.size).toBe(3);
    expect(cache.get("b")).toBeUndefined();
    expect(cache.get("a")).toBe(1);
    expect(() => new LruCache(0)).toThrow(RangeError);
  });

  it("stays within its bounds across many distinct ranges", () => {
    for (let i = 0; i < adapter.CACHE_BOUNDS.valuations + 50; i++) adapter.revPerMw("shell", [["lease_rate", 100 + i]]);
    expect(adapter.cacheStats.valuationsComputed).toBe(adapter.CACHE_BOUNDS.valuations + 50);
    // The first valuation was evicted: another metric of it is computed afresh.
    adapter.npv("shell", [["lease_rate", 100]]);
    expect(adapter.cacheStats.valuationsComputed).toBe(adapter.CACHE_BOUNDS.valuations + 51);
  });
});

describe("layering", () => {
  it("the adapter and its helpers import only the core and each other: no Office, DOM or Node modules", async () => {
    const { readFileSync, readdirSync } = await import("node:fs");
    const folder = new URL("../src/functions/", import.meta.url);
    let imports = 0;
    for (const name of readdirSync(folder)) {
      const source = readFileSync(new URL(name, folder), "utf8");
      const specifiers = [...source.matchAll(/^import[^"]*"([^"]+)"/gm)].map((match) => match[1]!);
      imports += specifiers.length;
      for (const specifier of specifiers) expect(specifier, `${name} imports ${specifier}`).toMatch(/^\.\/[\w-]+\.js$|^\.\.\/core\/index\.js$/);
    }
    expect(imports).toBeGreaterThan(3);
  });
});
