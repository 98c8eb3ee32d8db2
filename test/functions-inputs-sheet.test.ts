/**
 * The functions pointed at the Inputs sheet of a generated workbook, as a user would: the whole
 * table (or the sheet's whole used range) of a one-site workbook, or one site's column of a
 * several-site workbook. Each must value that site exactly as the core does with the site's
 * assumptions; a table of several sites must say which sites it holds and how to pick one.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { REGISTRY, SCENARIOS, valueScenario, type Assumptions } from "../src/core/index.js";
import * as adapter from "../src/functions/adapter.js";
import { buildWorkbookPlan } from "../src/workbook/build.js";
import { evaluatePlan } from "../src/workbook/evaluate.js";
import type { CellValue, WorkbookPlan } from "../src/workbook/plan.js";
import { randomSite, seeded } from "./helpers/sites.js";

type Grid = (CellValue | null)[][];

/** The Inputs sheet's values as Excel hands a range to a function: empty cells are null. */
function inputsGrid(plan: WorkbookPlan): Grid {
  const sheet = plan.sheets.find((s) => s.role === "inputs")!;
  const rows = Math.max(...sheet.cells.map((cell) => cell.row)) + 1;
  const cols = Math.max(...sheet.cells.map((cell) => cell.col)) + 1;
  const grid: Grid = Array.from({ length: rows }, () => Array.from({ length: cols }, () => null));
  // Formula cells hold what Excel would calculate: the workbook's own evaluator gives it.
  const calculated = evaluatePlan(plan).sheet(sheet.name);
  for (const cell of sheet.cells)
    grid[cell.row]![cell.col] = cell.formula === undefined ? (cell.value ?? null) : (calculated(cell.row, cell.col) as CellValue | null);
  return grid;
}

/** A sub-range, inclusive, 0-based: what Inputs!<from>:<to> passes. */
function slice(grid: Grid, top: number, left: number, bottom: number, right: number): Grid {
  return grid.slice(top, bottom + 1).map((row) => row.slice(left, right + 1));
}

/** Row and column of a cell holding exactly `text`. */
function find(grid: Grid, text: string): [number, number] {
  for (let r = 0; r < grid.length; r++) {
    const c = grid[r]!.indexOf(text);
    if (c >= 0) return [r, c];
  }
  throw new Error(`no cell holds ${text}`);
}

function value<T>(outcome: adapter.Outcome<T>): T {
  if (!outcome.ok) throw new Error(`expected a value, got ${outcome.code} ${outcome.message}`);
  return outcome.value;
}

/** Every scenario's equity per watt and NPV through the functions equal the core's on `site`. */
function expectSite(range: Grid, site: Assumptions): void {
  for (const scenario of SCENARIOS) {
    const metrics = valueScenario(scenario, site).metrics;
    expect(value(adapter.equityPerWatt(scenario, range))).toBeCloseTo(metrics.equity_per_watt, 9);
    expect(value(adapter.npv(scenario, range)) / metrics.npv_usd).toBeCloseTo(1, 12);
  }
}

const random = seeded(20_261_129);
const sites = Array.from({ length: 3 }, (_, i) => ({ name: `Site ${String.fromCharCode(65 + i)}`, values: randomSite(random) }));
const one = inputsGrid(buildWorkbookPlan([sites[0]!]));
const three = inputsGrid(buildWorkbookPlan(sites));

beforeEach(() => adapter.clearCaches());

describe("functions read the generated Inputs sheet", () => {
  it("the sites differ from each other and from the defaults, so reading the wrong column fails", () => {
    const differing = REGISTRY.filter((def) => new Set(sites.map((s) => s.values[def.key as keyof Assumptions])).size === sites.length);
    expect(differing.length).toBeGreaterThan(20);
  });

  it("the whole table of a one-site workbook, from its header row to its last assumption", () => {
    const [header, keyCol] = find(one, "Key (defined name)");
    const last = REGISTRY[REGISTRY.length - 1]!.key;
    const [lastRow] = find(one, last);
    const table = slice(one, header, 0, lastRow, one[header]!.length - 1);
    expect(table[0]![keyCol]).toBe("Key (defined name)");
    expectSite(table, sites[0]!.values);
  });

  it("the whole used range of a one-site Inputs sheet, title and constants included", () => {
    expectSite(one, sites[0]!.values);
  });

  it("one site's column of a three-site workbook, with or without the site's name on top", () => {
    const [header] = find(three, "Key (defined name)");
    const [lastRow] = find(three, REGISTRY[REGISTRY.length - 1]!.key);
    sites.forEach((site) => {
      const [, col] = find(three, site.name);
      expectSite(slice(three, header, col, lastRow, col), site.values);
      expectSite(slice(three, header + 1, col, lastRow + 1, col), site.values);
    });
  });

  it("the whole table of a three-site workbook asks for one site and names the sites", () => {
    const outcome = adapter.npv("shell", three);
    expect(outcome.ok).toBe(false);
    expect(!outcome.ok && outcome.message).toMatch(/^assumptions: the range holds 3 sites \(Site A, Site B, Site C\); point at one site's column/);
  });

  it("a column that stops short of the last assumption is refused, not misread", () => {
    const [header] = find(three, "Key (defined name)");
    const [lastRow] = find(three, REGISTRY[REGISTRY.length - 1]!.key);
    const [, col] = find(three, "Site B");
    const outcome = adapter.npv("shell", slice(three, header, col, lastRow - 1, col));
    expect(outcome.ok).toBe(false);
    expect(!outcome.ok && outcome.message).toMatch(new RegExp(`one site's column of the Inputs sheet \\(${REGISTRY.length} values`));
  });

  it("a bad value in the table names the row of the range and the key", () => {
    const [header, keyCol] = find(one, "Key (defined name)");
    const [lastRow] = find(one, REGISTRY[REGISTRY.length - 1]!.key);
    const table = slice(one, header, 0, lastRow, one[header]!.length - 1);
    const [leaseRow] = find(table, "lease_rate");
    table[leaseRow]![keyCol + 2] = -5;
    const outcome = adapter.npv("shell", table);
    expect(!outcome.ok && outcome.message).toMatch(new RegExp(`^assumptions row ${leaseRow + 1}, lease_rate: -5 is out of range`));
  });
});
