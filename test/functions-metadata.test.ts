/**
 * The custom functions' metadata is public API: Excel stores function ids in workbooks. The
 * metadata generated from the JSDoc of src/functions/functions.ts must equal the locked golden
 * file, so a renamed id, a dropped or reordered argument or a changed optional flag fails here.
 * To change the metadata on purpose: `npm run golden:functions`, then review the diff.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { generateCustomFunctionsMetadata } from "custom-functions-metadata";
import { beforeAll, describe, expect, it } from "vitest";
import { functionsReference, signature, type FunctionsMetadata } from "../src/docs/functions-reference.js";
import { fillGenerated } from "../src/docs/tables.js";

const root = new URL("../", import.meta.url);
const golden = JSON.parse(readFileSync(new URL("test/golden/functions.json", root), "utf8")) as FunctionsMetadata;

/** The contract's table (CONTRACT.md, "Excel custom functions"): ids and arguments in order. */
const CONTRACT: Readonly<Record<string, readonly string[]>> = {
  // [basis] is the second round's addition (CONTRACT.md, "Fair comparison").
  EQUITY_PER_WATT: ["scenario", "[assumptions]", "[basis]"],
  REV_PER_MW: ["scenario", "[assumptions]", "[basis]"],
  EBITDA_PER_MW: ["scenario", "[assumptions]", "[basis]"],
  NPV: ["scenario", "[assumptions]"],
  IRR: ["scenario", "[assumptions]"],
  PAYBACK: ["scenario", "[assumptions]"],
  HASHPRICE: ["btc_price", "network_hashrate", "[fee_share]", "[block_height]"],
  BLOCK_SUBSIDY: ["block_height"],
  HALVING_DATE: ["[block_height]", "[valuation_date]"],
  COST_TO_MINE: ["[assumptions]", "[basis]"],
  BREAKEVEN_POWER: ["[assumptions]"],
  CASHFLOWS: ["scenario", "[assumptions]", "[period]"],
  COMPARE: ["[assumptions]"],
  // market was added after the contract: an optional last argument keeps every existing call valid.
  ASSUMPTIONS: ["[scenario]", "[market]"],
  SOLVE: ["scenario", "metric", "target", "key", "[assumptions]"],
  // col_key and col_values are optional so that a one-way table needs no empty arguments.
  SENSITIVITY: ["scenario", "metric", "row_key", "row_values", "[col_key]", "[col_values]", "[assumptions]"],
  EXPLAIN: ["scenario", "metric", "[assumptions]"],
  // Added in the second round (CONTRACT.md, "Custom functions added").
  DEALS: [],
  DEAL: ["name", "field"],
  // The risk round (CONTRACT.md, "Custom functions added").
  SIMULATE: ["scenario", "[metric]", "[assumptions]", "[paths]", "[seed]"],
  PROB_BEATS: ["scenario", "[other]", "[assumptions]", "[paths]", "[seed]"],
  // [metric] and [conversion] follow the contract's arguments: every call written to it works.
  SWITCH_VALUE: ["[assumptions]", "[paths]", "[seed]", "[metric]", "[conversion]"],
};

const TABLES = new Set(["CASHFLOWS", "COMPARE", "ASSUMPTIONS", "SENSITIVITY", "EXPLAIN", "DEALS", "SIMULATE"]);
/** Functions whose single value is a number or text. */
const ANY_VALUE = new Set(["DEAL", "SWITCH_VALUE"]);

describe("functions.json", () => {
  let generated: FunctionsMetadata;
  beforeAll(async () => {
    const result = await generateCustomFunctionsMetadata([fileURLToPath(new URL("src/functions/functions.ts", root))], false);
    expect(result.errors).toEqual([]);
    generated = JSON.parse(result.metadataJson) as FunctionsMetadata;
  });

  it("generated from the sources equals the golden file", () => {
    expect(generated).toEqual(golden);
  });

  it("has exactly the contract's functions, with its argument names, order and optional flags", () => {
    expect(golden.functions.map((fn) => fn.id).sort()).toEqual(Object.keys(CONTRACT).sort());
    for (const fn of golden.functions) {
      expect(fn.name, fn.id).toBe(fn.id);
      expect(
        fn.parameters.map((p) => (p.optional ? `[${p.name}]` : p.name)),
        fn.id,
      ).toEqual(CONTRACT[fn.id]);
    }
  });

  it("every function and argument has help text; table functions spill a matrix, the others return one value", () => {
    for (const fn of golden.functions) {
      expect(fn.description?.length, fn.id).toBeGreaterThan(20);
      for (const p of fn.parameters) expect(p.description?.length, `${fn.id} ${p.name}`).toBeGreaterThan(5);
      expect(fn.result.dimensionality === "matrix", fn.id).toBe(TABLES.has(fn.id));
      if (!TABLES.has(fn.id)) expect(fn.result.type, fn.id).toBe(ANY_VALUE.has(fn.id) ? undefined : "number");
    }
  });

  it("assumption ranges and value lists are matrix arguments", () => {
    for (const fn of golden.functions) {
      for (const p of fn.parameters) {
        expect(p.dimensionality === "matrix", `${fn.id} ${p.name}`).toBe(
          ["assumptions", "row_values", "col_values"].includes(p.name) && fn.id !== "ASSUMPTIONS",
        );
      }
    }
  });

  it("every help link opens the function's anchor in the reference page", () => {
    for (const fn of golden.functions) expect(fn.helpUrl).toBe(`https://minepivot.example.com/docs/functions.html#${fn.id.toLowerCase()}`);
  });
});

describe("the README's function reference", () => {
  const readme = readFileSync(new URL("README.md", root), "utf8");

  it("is the one generated from functions.json today (run npm run docs to refresh)", () => {
    expect(readme).toContain(`<!-- generated:functions -->\n${functionsReference(golden)}\n<!-- /generated:functions -->`);
    expect(fillGenerated(readme)).toBe(readme);
  });

  it("lists every function's signature once", () => {
    for (const fn of golden.functions) expect(readme.split(`#### \`${signature(fn)}\``).length - 1, fn.id).toBe(1);
  });
});
