/**
 * The add-in as shipped: a production build (webpack, as `npm run build` runs it) loaded in
 * Node with a stand-in for Excel's custom-functions runtime. Every id in functions.json must be
 * registered; each function, called with Excel-shaped arguments, must agree with the core; and
 * 10,000 random Excel-shaped calls must each return a finite number, text, a boolean, a 2-D
 * array of those, or an Excel error with a message. Never a bare exception, NaN or Infinity.
 */
import { execFile } from "node:child_process";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { gzipSync } from "node:zlib";
import { parse } from "acorn";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import {
  DEALS,
  DEAL_FIELDS,
  DEFAULTS,
  REGISTRY,
  SCENARIOS,
  annualize,
  blockSubsidy,
  compare,
  explain,
  halvingDate,
  hashprice,
  sensitivity,
  simulateRisk,
  solve,
  valueSwitchOption,
  valueScenario,
  withValues,
  type AssumptionDef,
  effectiveBlockHeight,
} from "../src/core/index.js";
import type { FunctionsMetadata } from "../src/docs/functions-reference.js";
import { StubExcelError, loadBundle, type ExcelFunction, type LoadedBundle } from "./helpers/excel-runtime.js";
import { readManifest, urls } from "./helpers/manifest.js";
import { officeJsFile, officePage } from "./helpers/office-js.js";

const root = new URL("../", import.meta.url);
const dist = (file: string) => fileURLToPath(new URL(`dist/${file}`, root));
const golden = JSON.parse(readFileSync(new URL("test/golden/functions.json", root), "utf8")) as FunctionsMetadata;

let bundle: LoadedBundle;
let metadata: FunctionsMetadata;
let buildSeconds = 0;
const call = (id: string, ...args: unknown[]): unknown => {
  const fn = bundle.functions.get(id);
  if (!fn) throw new Error(`${id} is not registered`);
  return fn(...args);
};

beforeAll(async () => {
  const started = performance.now();
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.MINEPIVOT_URL;
  delete env.OFFICE_JS;
  const webpack = fileURLToPath(new URL("node_modules/webpack-cli/bin/cli.js", root));
  await promisify(execFile)(process.execPath, [webpack, "--mode", "production"], { cwd: fileURLToPath(root), env, maxBuffer: 16 * 1024 * 1024 });
  buildSeconds = (performance.now() - started) / 1000;
  bundle = loadBundle(dist("functions.js"));
  metadata = JSON.parse(readFileSync(dist("functions.json"), "utf8")) as FunctionsMetadata;
}, 600_000); // A production webpack build takes minutes on a busy two-core machine.

describe("the production build", () => {
  it("writes the add-in's files into dist/", () => {
    for (const file of [
      "functions.js",
      "functions.json",
      "taskpane.js",
      "taskpane.html",
      "commands.js",
      "commands.html",
      "manifest.xml",
      "docs/functions.html",
    ]) {
      expect(existsSync(dist(file)), file).toBe(true);
    }
    expect(buildSeconds).toBeGreaterThan(0);
  });

  it("ships the golden functions.json, with allowErrorForDataTypeAny so that error cells reach the functions", () => {
    const { allowErrorForDataTypeAny, ...generated } = metadata as FunctionsMetadata & { allowErrorForDataTypeAny?: boolean };
    expect(generated).toEqual(golden);
    expect(allowErrorForDataTypeAny).toBe(true);
    // Every parameter is of type any, the type that the flag lets errors into.
    for (const fn of metadata.functions) for (const p of fn.parameters) expect((p as { type?: string }).type, `${fn.id} ${p.name}`).toBe("any");
  });

  it("functions.js is at most 60 KB gzipped", () => {
    const gzipped = gzipSync(readFileSync(dist("functions.js")), { level: 9 }).length;
    expect(gzipped).toBeLessThanOrEqual(60 * 1024);
  });

  it("the task pane page loads Office.js from Microsoft's CDN, then the functions, commands and task pane scripts", () => {
    const html = readFileSync(dist("taskpane.html"), "utf8");
    const scripts = [...html.matchAll(/<script[^>]*src="?([^"\s>]+)/g)].map((match) => match[1]);
    expect(scripts).toEqual(["https://appsforoffice.microsoft.com/lib/1/hosted/office.js", "functions.js", "commands.js", "taskpane.js"]);
  });

  it("the shipped manifest has no localhost left: every URL is HTTPS on the production host", () => {
    const elements = readManifest(readFileSync(dist("manifest.xml"), "utf8"));
    const all = urls(elements);
    expect(all.length).toBeGreaterThan(8);
    for (const url of all) expect(url).toMatch(/^https:\/\/minepivot\.example\.com(\/|$)/);
  });

  it("the reference page has an anchor for every help link", () => {
    const html = readFileSync(dist("docs/functions.html"), "utf8");
    const anchors = new Set([...html.matchAll(/\bid="?([\w-]+)/g)].map((match) => match[1]));
    for (const fn of metadata.functions) expect(anchors.has(new URL(fn.helpUrl!).hash.slice(1)), fn.id).toBe(true);
  });

  it("every shipped script parses as ES2021, the syntax of Office on Mac's oldest declared WebKit (Safari 14.1)", () => {
    // dist/node is the CLI, not shipped to browsers; the .xlsx writer is loaded as an ES module.
    const scripts = readdirSync(dist(""), { recursive: true, encoding: "utf8" })
      .map((file) => file.replaceAll("\\", "/"))
      .filter((file) => file.endsWith(".js") && !file.startsWith("node/"))
      .sort();
    expect(scripts).toEqual(expect.arrayContaining(["functions.js", "taskpane.js", "commands.js", "xlsx/wasm_xlsxwriter.js"]));
    for (const file of scripts) {
      const source = readFileSync(dist(file), "utf8");
      expect(() => parse(source, { ecmaVersion: 2021, sourceType: file.startsWith("xlsx/") ? "module" : "script" }), file).not.toThrow();
    }
    const declared = (JSON.parse(readFileSync(new URL("package.json", root), "utf8")) as { browserslist: string[] }).browserslist;
    expect(declared).toContain("Safari >= 14.1");
  });

  it("loads without Excel's runtime, Office.js or a DOM, without throwing", () => {
    expect(() => loadBundle(dist("functions.js"), false)).not.toThrow();
    expect(() => loadBundle(dist("taskpane.js"), false)).not.toThrow();
    expect(() => loadBundle(dist("commands.js"), false)).not.toThrow();
  });
});

describe("registration", () => {
  it("registers every id of functions.json exactly once, and nothing else", () => {
    expect([...bundle.functions.keys()].sort()).toEqual(metadata.functions.map((fn) => fn.id).sort());
    expect(bundle.duplicates).toEqual([]);
  });
});

describe("registration with Microsoft's Office.js (office.debug.js, then the Excel host script)", () => {
  type Runtime = { _association: { mappings: Record<string, (...args: unknown[]) => unknown> }; Error?: new (...args: never[]) => object };
  const HOST_SCRIPT = "excel-win32-16.01.debug.js";
  const registered = (runtime: Runtime) => Object.keys(runtime._association.mappings).sort();
  const ids = () => metadata.functions.map((fn) => fn.id.toUpperCase()).sort();

  /** A #VALUE! and a #NUM! through the host's own error class, with the message kept. */
  function expectHostErrors(runtime: Runtime): void {
    const bad = runtime._association.mappings.EQUITY_PER_WATT!("data centre", null) as { code: string; message: string };
    expect(bad).toBeInstanceOf(runtime.Error!);
    expect(bad.code).toBe("#VALUE!");
    expect(bad.message).toMatch(/^scenario: "data centre" is not allowed/);
    // An error cell in the range, as the host's own error object: the message names the cell.
    const errorCell = new runtime.Error!("#N/A" as never);
    const named = runtime._association.mappings.NPV!("shell", [
      ["btc_price", 90_000],
      ["lease_rate", errorCell],
    ]) as { code: string; message: string };
    expect(named.code).toBe("#VALUE!");
    expect(named.message).toBe("assumptions row 2, column 2: the cell holds the error #N/A; fix that cell first");
    const unreachable = runtime._association.mappings.SOLVE!("powered_shell", "equity_per_watt", 1e9, "lease_rate", null) as { code: string };
    expect(unreachable).toBeInstanceOf(runtime.Error!);
    expect(unreachable.code).toBe("#NUM!");
  }

  it("functions.js before the host script: every id is associated at once and kept when the host script arrives", () => {
    const page = officePage();
    try {
      page.run(officeJsFile("office.debug.js"));
      const runtime = page.window.CustomFunctions as Runtime;
      // The bootstrap's state at this moment: associate exists, Error does not yet.
      expect(typeof runtime.Error).toBe("undefined");
      page.run(readFileSync(dist("functions.js"), "utf8"));
      expect(registered(runtime)).toEqual(ids());
      page.run(officeJsFile(HOST_SCRIPT));
      expect(typeof runtime.Error).toBe("function");
      expect(registered(runtime)).toEqual(ids());
      expectHostErrors(runtime);
    } finally {
      page.close();
    }
  });

  it("functions.js after the host script: every id is associated", () => {
    const page = officePage();
    try {
      page.run(officeJsFile("office.debug.js"));
      page.run(officeJsFile(HOST_SCRIPT));
      const runtime = page.window.CustomFunctions as Runtime;
      page.run(readFileSync(dist("functions.js"), "utf8"));
      expect(registered(runtime)).toEqual(ids());
      expectHostErrors(runtime);
    } finally {
      page.close();
    }
  });
});

/** An Inputs sheet as Excel passes it: header, units column, a blank row, text numbers, a date serial. */
const INPUTS = [
  ["key", "value", "unit"],
  ["site_mw", 150, "MW"],
  ["btc_price", "$100,000", "USD"],
  ["power_price", 38.5, "USD/MWh"],
  [null, null, null],
  ["lease_rate", 145, "USD/kW-month"],
  ["gpu_rate", 2.1, "USD/GPU-hour"],
  ["valuation_date", 46054, "date"],
  ["tax_loss_carryforward", true, ""],
];
const A = withValues(DEFAULTS, {
  site_mw: 150,
  btc_price: 100_000,
  power_price: 38.5,
  lease_rate: 145,
  gpu_rate: 2.1,
  valuation_date: 46054,
  tax_loss_carryforward: 1,
});

function expectClose(actual: unknown, expected: number): void {
  expect(typeof actual).toBe("number");
  expect(Math.abs((actual as number) - expected)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(expected)));
}

function expectError(result: unknown, code: string, message: RegExp): void {
  expect(result).toBeInstanceOf(StubExcelError);
  expect((result as StubExcelError).code).toBe(code);
  expect((result as StubExcelError).message).toMatch(message);
}

describe("each function through the bundle agrees with the core", () => {
  it.each(SCENARIOS)("%s: EQUITY_PER_WATT, REV_PER_MW, EBITDA_PER_MW, NPV, IRR, PAYBACK", (scenario) => {
    const m = valueScenario(scenario, A).metrics;
    expectClose(call("EQUITY_PER_WATT", scenario, INPUTS), m.equity_per_watt);
    expectClose(call("REV_PER_MW", scenario, INPUTS), m.rev_per_mw);
    expectClose(call("EBITDA_PER_MW", scenario, INPUTS), m.ebitda_per_mw);
    expectClose(call("NPV", scenario, INPUTS), m.npv_usd);
    if (m.irr === null) expectError(call("IRR", scenario, INPUTS), "#NUM!", /IRR/);
    else expectClose(call("IRR", scenario, INPUTS), m.irr);
    if (m.payback_years === null) expectError(call("PAYBACK", scenario, INPUTS), "#NUM!", /./);
    else expectClose(call("PAYBACK", scenario, INPUTS), m.payback_years);
  });

  it("HASHPRICE, BLOCK_SUBSIDY and HALVING_DATE", () => {
    expectClose(call("HASHPRICE", 90_000, 1_045, null, null), hashprice(90_000, 1_045, DEFAULTS.fee_share, effectiveBlockHeight(DEFAULTS)));
    expectClose(call("HASHPRICE", "95,000", 1_100, "1%", 900_000), hashprice(95_000, 1_100, 0.01, 900_000));
    expectClose(call("BLOCK_SUBSIDY", 840_000), blockSubsidy(840_000));
    // block_height 0 (the default) is derived from the valuation date.
    expectClose(call("HALVING_DATE", null, null), halvingDate(effectiveBlockHeight(DEFAULTS), DEFAULTS.valuation_date));
    expectClose(call("HALVING_DATE", 900_000, "2025-05-01"), halvingDate(900_000, 45_778));
  });

  it("COST_TO_MINE and BREAKEVEN_POWER", () => {
    const m = valueScenario("mining", A).metrics;
    expectClose(call("COST_TO_MINE", INPUTS, null), m.cost_to_mine_cash!);
    expectClose(call("COST_TO_MINE", INPUTS, "all_in"), m.cost_to_mine_all_in!);
    expectClose(call("BREAKEVEN_POWER", INPUTS), m.breakeven_power!);
  });

  it("CASHFLOWS spills the annual schedule with a header row", () => {
    const table = call("CASHFLOWS", "shell", INPUTS, null) as unknown[][];
    const annual = annualize(valueScenario("powered_shell", A).schedule);
    expect(table).toHaveLength(annual.length + 1);
    const column = table[0]!.indexOf("Operating cash flow to equity (USD)");
    expect(column).toBeGreaterThan(0);
    table.slice(1).forEach((row, i) => expectClose(row[column], annual[i]!.values.equity_cash_flow!));
  });

  it("COMPARE spills metrics by scenario", () => {
    const table = call("COMPARE", INPUTS) as unknown[][];
    const { valuations } = compare(A, SCENARIOS);
    expect(table[0]).toEqual(["Metric", "Unit", "Mining", "Powered shell", "Colocated GPU", "Hybrid"]);
    SCENARIOS.forEach((s, i) => expectClose(table[1]![i + 2], valuations[s]!.metrics.equity_per_watt));
  });

  it("ASSUMPTIONS spills the registry", () => {
    const table = call("ASSUMPTIONS", null) as unknown[][];
    expect(table.map((row) => row[0])).toEqual(["Key", ...REGISTRY.map((def) => def.key)]);
  });

  it("SOLVE", () => {
    expectClose(call("SOLVE", "powered_shell", "equity_per_watt", 7, "lease_rate", INPUTS), solve("powered_shell", "equity_per_watt", 7, "lease_rate", A));
    expectError(call("SOLVE", "powered_shell", "equity_per_watt", 1e9, "lease_rate", INPUTS), "#NUM!", /no value of lease_rate/);
  });

  it("SENSITIVITY, 2-D and 1-D", () => {
    const rows = [[100], [130], [160]];
    const cols = [[0.065, 0.075, 0.085]];
    const table = call("SENSITIVITY", "shell", "equity_per_watt", "lease_rate", rows, "exit_cap_rate", cols, INPUTS) as unknown[][];
    const grid = sensitivity("powered_shell", "equity_per_watt", A, "lease_rate", [100, 130, 160], "exit_cap_rate", [0.065, 0.075, 0.085]);
    grid.values.forEach((row, r) => row.forEach((cell, c) => expectClose(table[r + 1]![c + 1], cell!)));
    const oneWay = call("SENSITIVITY", "shell", "npv", "lease_rate", rows, null, null, INPUTS) as unknown[][];
    expect(oneWay).toHaveLength(4);
    expect(oneWay[0]).toEqual(["lease_rate", "npv_usd"]);
  });

  it("EXPLAIN", () => {
    const table = call("EXPLAIN", "gpu", "npv", INPUTS) as unknown[][];
    const steps = explain("colocated_gpu", "npv_usd", A);
    expect(table.slice(1).map((row) => row[0])).toEqual(steps.map((s) => s.label));
  });

  it("SIMULATE, PROB_BEATS and SWITCH_VALUE: the core's simulation of the same paths", () => {
    const risk = simulateRisk(A, ["powered_shell"], { paths: 60, seed: 9 }).scenarios.powered_shell!;
    const table = call("SIMULATE", "shell", null, INPUTS, 60, 9) as unknown[][];
    expect(table[0]).toEqual(["Statistic", "Value"]);
    expect(Object.fromEntries(table.slice(1))).toMatchObject({ mean: risk.equity_per_watt.mean, p5: risk.equity_per_watt.p5, prob_loss: risk.prob_loss });
    expect(call("SIMULATE", "shell", "prob_beats_mining", INPUTS, 60, 9)).toEqual([[risk.prob_beats_mining]]);
    expect(call("PROB_BEATS", "shell", null, INPUTS, 60, 9)).toBe(risk.prob_beats_mining);
    expectError(call("SIMULATE", "hybrid", null, INPUTS, 60, 9), "#VALUE!", /^scenario: "hybrid" is not allowed/);
    const option = valueSwitchOption(withValues(A, { paths: 40, seed: 9 }), { target: "colocated_gpu" });
    expect(call("SWITCH_VALUE", INPUTS, 40, 9, null, "gpu")).toBe(option.option_value_per_watt);
    expect(call("SWITCH_VALUE", INPUTS, 40, 9, "rule", "gpu")).toBe(option.rule);
  });

  it("bad input is a #VALUE! error object whose message names the argument, key, value and range", () => {
    expectError(
      call("NPV", "shell", [["lease_rate", -5]]),
      "#VALUE!",
      /^assumptions row 1, lease_rate: -5 is out of range; expected a number from 0 to 10,000 USD\/kW-month$/,
    );
    expectError(call("EQUITY_PER_WATT", "data centre", INPUTS), "#VALUE!", /^scenario: "data centre" is not allowed; expected one of mining/);
  });
});

// --- fuzzing -------------------------------------------------------------------------------

const KEYS = REGISTRY.map((def) => def.key);
const number = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.double({ min: -1e3, max: 1e6, noNaN: true }),
  fc.integer({ min: -10, max: 2_000_000 }),
  fc.constantFrom(0, -0, 1, 0.5, 1e-300, -1e300, 1e300, Number.MAX_VALUE, Number.MIN_VALUE, 840_000, 46_023, 100, NaN, Infinity),
);
const word = fc.constantFrom(
  ...SCENARIOS,
  "btc",
  "Shell",
  "GPU cloud",
  "solar",
  "npv",
  "irr",
  "equity_per_watt",
  "payback_years",
  "cost_to_mine_cash",
  "cash",
  "all_in",
  "monthly",
  "annual",
  "key",
  "#N/A",
  "#VALUE!",
  "10%",
  "$90,000",
  "1e3",
  "2026-01-01",
  "TRUE",
  " ",
  "",
  ...KEYS,
);
const text = fc.oneof(word, fc.string({ maxLength: 12 }));
const errorCell = fc.constantFrom("#N/A", "#DIV/0!", "#REF!").map((code) => new StubExcelError(code));
const cell = fc.oneof(
  { weight: 4, arbitrary: number },
  { weight: 4, arbitrary: text },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 2, arbitrary: fc.constantFrom(null, "") },
  { weight: 1, arbitrary: errorCell },
);
/** A plausible value for a key: inside its range mostly, sometimes outside or as text. */
const keyValue = (key: string) => {
  const def: AssumptionDef = REGISTRY.find((entry) => entry.key === key)!;
  const span = def.max - def.min;
  return fc.oneof(
    fc.double({ min: def.min, max: def.max, noNaN: true }).map((x) => (def.integer ? Math.round(x) : x)),
    fc.constant(def.default),
    fc.double({ min: def.min - span, max: def.max + span, noNaN: true }),
    fc.constant(String(def.default)),
    cell,
  );
};
const assumptionRow = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .constantFrom(...KEYS)
      .chain((key) => fc.tuple(fc.constantFrom(key, key.toUpperCase()), keyValue(key), fc.constantFrom("unit", null, "#REF!"))),
  },
  { weight: 1, arbitrary: fc.tuple(text, cell) },
  { weight: 1, arbitrary: fc.array(cell, { minLength: 0, maxLength: 5 }) },
);
const range = fc.oneof(
  { weight: 5, arbitrary: fc.array(assumptionRow, { minLength: 1, maxLength: 6 }) },
  { weight: 2, arbitrary: fc.array(fc.array(cell, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 5 }) },
  { weight: 1, arbitrary: fc.constantFrom([], [[]], [[null]], [[""]], [[null, null]]) },
);
const valueRange = fc.oneof(
  fc.array(fc.double({ min: 0, max: 200, noNaN: true }), { minLength: 1, maxLength: 4 }).map((values) => [values]),
  fc.array(fc.double({ min: 0, max: 2, noNaN: true }), { minLength: 1, maxLength: 4 }).map((values) => values.map((v) => [v])),
  fc.array(fc.array(cell, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 3 }),
);

/** Arguments by parameter name, biased towards valid values so the engine runs, not just the parser. */
function argument(name: string, matrix: boolean): fc.Arbitrary<unknown> {
  const scalarRange = fc.array(fc.array(cell, { minLength: 1, maxLength: 2 }), { minLength: 1, maxLength: 2 });
  const named: Record<string, fc.Arbitrary<unknown>> = {
    scenario: fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...SCENARIOS, "btc", "lease", "neocloud") }, { weight: 1, arbitrary: cell }),
    other: fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...SCENARIOS, "shell", undefined) }, { weight: 1, arbitrary: cell }),
    paths: fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 2, max: 12 }) }, { weight: 1, arbitrary: cell }),
    seed: fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 0, max: 4_294_967_295 }) }, { weight: 1, arbitrary: cell }),
    conversion: fc.oneof({ weight: 4, arbitrary: fc.constantFrom("powered_shell", "gpu", "mining", undefined) }, { weight: 1, arbitrary: cell }),
    metric: fc.oneof(
      {
        weight: 6,
        arbitrary: fc.constantFrom(
          "npv_usd",
          "equity_per_watt",
          "rev_per_mw",
          "irr",
          "payback",
          "cost_to_mine_all_in",
          "breakeven_power",
          "p5",
          "prob_beats_mining",
          "value_of_waiting_per_watt",
          "rule",
        ),
      },
      { weight: 1, arbitrary: cell },
    ),
    key: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...KEYS) }, { weight: 1, arbitrary: cell }),
    row_key: fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom("lease_rate", "btc_price", "power_price", "exit_cap_rate", "utilization") },
      { weight: 1, arbitrary: cell },
    ),
    col_key: fc.oneof(fc.constantFrom("noi_margin", "pue_dc", "", null, undefined), cell),
    basis: fc.oneof(fc.constantFrom("cash", "all_in", "All in", undefined), cell),
    period: fc.oneof(fc.constantFrom("annual", "monthly", undefined), cell),
    block_height: fc.oneof(fc.integer({ min: 0, max: 14_000_000 }), cell),
    target: number,
    name: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...DEALS.map((deal) => deal.id), "Hut 8", "coreweave") }, { weight: 1, arbitrary: cell }),
    field: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...DEAL_FIELDS) }, { weight: 1, arbitrary: cell }),
    market: fc.oneof(fc.constantFrom("2025-12", "2026-06", "mid-2026", undefined), cell),
    assumptions: range,
    row_values: valueRange,
    col_values: fc.oneof(valueRange, fc.constant(null)),
  };
  const base = named[name] ?? (matrix ? range : cell);
  // Now and then a range where a value belongs, or a value where a range belongs.
  return fc.oneof({ weight: 12, arbitrary: base }, { weight: 1, arbitrary: matrix ? cell : scalarRange });
}

type Verdict = "value" | "error";

/** Why `result` is not something Excel can show, or the kind of result it is. */
function verdict(result: unknown, table: boolean, anyValue = false): Verdict | string {
  if (result instanceof StubExcelError) {
    if (result.code !== "#VALUE!" && result.code !== "#NUM!") return `unexpected error code ${result.code}`;
    if (/could not compute/.test(result.message)) return `an internal error: ${result.message}`;
    return typeof result.message === "string" && result.message.length > 0 ? "error" : "an error without a message";
  }
  const scalarOk = (value: unknown) => typeof value === "string" || typeof value === "boolean" || (typeof value === "number" && Number.isFinite(value));
  if (!table && anyValue) return scalarOk(result) ? "value" : `not a finite number, text or boolean: ${String(result)}`;
  if (!table) return typeof result === "number" && Number.isFinite(result) ? "value" : `not a finite number: ${String(result)}`;
  if (!Array.isArray(result) || result.length === 0) return "not a non-empty 2-D array";
  const width = Array.isArray(result[0]) ? result[0].length : 0;
  if (width === 0) return "an empty first row";
  for (const row of result) {
    if (!Array.isArray(row) || row.length !== width) return "a ragged 2-D array";
    for (const value of row) if (!scalarOk(value)) return `a cell holding ${String(value)}`;
  }
  return "value";
}

describe("fuzzing", () => {
  it("10,000 random Excel-shaped calls over every function each return an Excel-safe value or an Excel error with a message", () => {
    const functions = metadata.functions;
    const calls = fc.constantFrom(...functions).chain((fn) =>
      fc.tuple(
        fc.constant(fn),
        fc.tuple(
          ...fn.parameters.map((p) =>
            // Paths are always given, and few: at the default 1,000 the simulations would take minutes.
            p.optional && p.name !== "paths"
              ? fc.oneof(argument(p.name, p.dimensionality === "matrix"), fc.constantFrom(null, undefined))
              : argument(p.name, p.dimensionality === "matrix"),
          ),
        ),
      ),
    );
    const tally = new Map<string, { value: number; error: number }>(functions.map((fn) => [fn.id, { value: 0, error: 0 }]));
    let runs = 0;
    fc.assert(
      fc.property(calls, ([fn, args]) => {
        runs++;
        let result: unknown;
        try {
          result = (bundle.functions.get(fn.id) as ExcelFunction)(...args);
        } catch (error) {
          throw new Error(`${fn.id} threw ${String(error)}`);
        }
        // A function typed "any" (DEAL) returns a number or text.
        const kind = verdict(result, fn.result.dimensionality === "matrix", fn.result.type === undefined);
        if (kind !== "value" && kind !== "error") throw new Error(`${fn.id} returned ${kind}`);
        tally.get(fn.id)![kind]++;
      }),
      { seed: 20_260_101, numRuns: 10_000 },
    );
    expect(runs).toBeGreaterThanOrEqual(10_000);
    // The fuzzer reached the engine, not only the parser: every function returned values and errors.
    for (const [id, counts] of tally) {
      expect(counts.value, `${id} values`).toBeGreaterThan(0);
      // A function without arguments (DEALS) has no bad input to give.
      if (functions.find((fn) => fn.id === id)!.parameters.length > 0) expect(counts.error, `${id} errors`).toBeGreaterThan(0);
    }
  });
});
