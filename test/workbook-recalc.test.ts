/**
 * The comparison workbook recalculated by an independent engine: LibreOffice opens each file
 * with recalculation forced, and every headline result must equal the core's.
 *
 * Tolerance: relative 1e-9 (floor 1) for values, the same formulas in the same order give
 * ~1e-15, and SUM/SUMPRODUCT may add in another order; IRR 1e-6 absolute, because
 * LibreOffice's IRR stops iterating at about 1e-7 (seen differences: ~1e-12).
 */
import * as xlsx from "wasm-xlsxwriter";
import { beforeAll, describe, expect, it } from "vitest";
import { DEFAULTS, compare, withValues, type Assumptions, type ScenarioName } from "../src/core/index.js";
import { SHEET_NAMES, buildWorkbookPlan, type WorkbookSite } from "../src/workbook/build.js";
import type { WorkbookPlan } from "../src/workbook/plan.js";
import { cellRef } from "../src/workbook/refs.js";
import { writeXlsx } from "../src/workbook/xlsx.js";
import { findSoffice, recalculateXlsx } from "./helpers/libreoffice.js";
import { expectPortfolioSheet } from "./helpers/portfolio-sheet.js";
import { randomSite, seeded } from "./helpers/sites.js";
import { readValues, readZip, setNumber, sheetPaths, type XlsxValue } from "./helpers/xlsx.js";

const soffice = findSoffice();
if (!soffice) console.log("LibreOffice not found: skipping workbook recalculation tests (install: apt-get install -y libreoffice-calc-nogui)");

const SCENARIOS: ScenarioName[] = ["mining", "powered_shell", "colocated_gpu", "hybrid"];

function expectMatches(plan: WorkbookPlan, values: Map<string, Map<string, XlsxValue>>, engineFor: (site: string) => Assumptions): void {
  const engines = new Map<string, ReturnType<typeof compare>>();
  let compared = 0;
  for (const result of plan.results) {
    if (!engines.has(result.site)) engines.set(result.site, compare(engineFor(result.site), SCENARIOS));
    const metrics = engines.get(result.site)!.valuations[result.scenario as ScenarioName]!.metrics as unknown as Record<string, number | null>;
    const expected = metrics[result.metric]!;
    const actual = values.get(result.sheet)!.get(cellRef(result.row, result.col));
    const label = `${result.site} ${result.scenario} ${result.metric}`;
    if (expected === null || expected === undefined) {
      expect(actual, label).toBe("n/a");
    } else if (result.metric === "irr") {
      expect(typeof actual, label).toBe("number");
      expect(Math.abs((actual as number) - expected), label).toBeLessThanOrEqual(1e-6);
    } else {
      expect(typeof actual, label).toBe("number");
      expect(Math.abs((actual as number) - expected) / Math.max(1, Math.abs(expected)), label).toBeLessThanOrEqual(1e-9);
    }
    compared++;
  }
  expect(compared).toBeGreaterThan(20);
}

function expectNoErrorCells(values: Map<string, Map<string, XlsxValue>>): void {
  for (const [sheet, cells] of values) {
    for (const [ref, value] of cells) {
      if (typeof value === "object") expect.fail(`error ${value.error} in ${sheet}!${ref}`);
    }
  }
}

/** The Portfolio comparison sheet of a file, read cell by cell (0-based). */
function portfolioCells(values: Map<string, Map<string, XlsxValue>>): (row: number, col: number) => XlsxValue | undefined {
  const sheet = values.get(SHEET_NAMES.portfolio)!;
  return (row, col) => sheet.get(cellRef(row, col));
}

function masterCheck(plan: WorkbookPlan, values: Map<string, Map<string, XlsxValue>>): XlsxValue | undefined {
  const name = plan.names.find((n) => n.name === "master_check")!.refersTo;
  const match = /^=Checks!\$([A-Z]+)\$(\d+)$/.exec(name)!;
  return values.get("Checks")!.get(`${match[1]}${match[2]}`);
}

describe("workbook as written: cached results, read without recalculating", () => {
  const random = seeded(5);
  const sites: WorkbookSite[] = Array.from({ length: 4 }, (_, i) => ({ name: `Cached ${i + 1}`, values: randomSite(random) }));
  const plan = buildWorkbookPlan(sites);
  const values = readValues(writeXlsx(plan, xlsx));
  const bySite = new Map(sites.map((s) => [s.name, s.values]));

  it("holds every headline metric of the core, and no error cell", () => {
    expectNoErrorCells(values);
    expectMatches(plan, values, (site) => bySite.get(site)!);
  });

  it("caches a result in every formula cell, and the master check from the checks' results", () => {
    const checks = values.get("Checks")!;
    const okColumn = [...checks].filter(([ref]) => /^F\d+$/.test(ref) && Number(ref.slice(1)) >= 5);
    expect(okColumn.length).toBeGreaterThan(plan.checkCount);
    expect(masterCheck(plan, values)).toBe(1);
    expect(values.get("Cover")!.get("B5")).toBe("OK: every check passes");
    const mining = values.get("Mining")!;
    for (const line of plan.sheets.find((s) => s.name === "Mining")!.timelineRows) {
      for (let col = line.firstCol; col <= line.lastCol; col++) expect(mining.get(cellRef(line.row, col)), cellRef(line.row, col)).toBeDefined();
    }
  });
});

describe.skipIf(!soffice)("workbook recalculated in LibreOffice", () => {
  const exampleSites: WorkbookSite[] = [{ name: "Example", values: DEFAULTS }];
  const random = seeded(20261121);
  const randomSites: WorkbookSite[] = Array.from({ length: 20 }, (_, i) => ({ name: `Random ${i + 1}`, values: randomSite(random) }));
  const examplePlan = buildWorkbookPlan(exampleSites);
  const portfolioPlan = buildWorkbookPlan(randomSites);
  const exampleBytes = writeXlsx(examplePlan, xlsx);
  const btcRef = examplePlan.names
    .find((n) => n.name === "btc_price")!
    .refersTo.replace(/^=Inputs!/, "")
    .replace(/\$/g, "");
  const editedBytes = setNumber(exampleBytes, "Inputs", btcRef, 120_000);
  const portfolioBytes = writeXlsx(portfolioPlan, xlsx);
  let outputs: Map<string, Buffer>;
  let opened: Map<string, Buffer>;

  beforeAll(async () => {
    const result = await recalculateXlsx([
      { name: "example.xlsx", bytes: exampleBytes },
      { name: "portfolio.xlsx", bytes: portfolioBytes },
      { name: "edited.xlsx", bytes: editedBytes },
    ]);
    outputs = result!.outputs;
    // Default settings: LibreOffice shows the results cached in the file.
    const asOpened = await recalculateXlsx(
      [
        { name: "example.xlsx", bytes: exampleBytes },
        { name: "portfolio.xlsx", bytes: portfolioBytes },
      ],
      false,
    );
    opened = asOpened!.outputs;
    // LibreOffice recalculates ~0.5 M formula cells here: minutes on a loaded two-core machine.
  }, 900_000);

  it("opened with LibreOffice's default settings (no recalculation), shows every headline metric of the core", () => {
    const bySite = new Map(randomSites.map((s) => [s.name, s.values]));
    for (const [name, plan, engineFor] of [
      ["example.xlsx", examplePlan, () => DEFAULTS],
      ["portfolio.xlsx", portfolioPlan, (site: string) => bySite.get(site)!],
    ] as const) {
      const values = readValues(opened.get(name)!);
      expectNoErrorCells(values);
      expectMatches(plan, values, engineFor);
      expect(masterCheck(plan, values)).toBe(1);
    }
    expect(readValues(opened.get("example.xlsx")!).get("Cover")!.get("B5")).toBe("OK: every check passes");
    // LibreOffice read the data validation and wrote it back: it understood every rule.
    const zip = readZip(opened.get("example.xlsx")!);
    const inputsXml = zip.get(sheetPaths(zip).get("Inputs")!)!.toString("utf8");
    expect(inputsXml.match(/<dataValidation\b/g)?.length).toBe(examplePlan.sheets.find((s) => s.name === "Inputs")!.validations!.length);
    // ... and the Sensitivity grid's colour scale.
    const sensitivityXml = zip.get(sheetPaths(zip).get(SHEET_NAMES.sensitivity)!)!.toString("utf8");
    expect(sensitivityXml).toMatch(/<conditionalFormatting\b[^>]*>\s*<cfRule type="colorScale"/);
  });

  it("computes every headline metric of the example site as the core does, with no error cell", () => {
    const values = readValues(outputs.get("example.xlsx")!);
    expectNoErrorCells(values);
    expectMatches(examplePlan, values, () => DEFAULTS);
    expect(masterCheck(examplePlan, values)).toBe(1);
    expect(values.get("Cover")!.get("B5")).toBe("OK: every check passes");
    expectPortfolioSheet(portfolioCells(values), exampleSites, SCENARIOS);
  });

  it("computes every headline metric of 20 random sites (one portfolio workbook) as the core does", () => {
    const values = readValues(outputs.get("portfolio.xlsx")!);
    expectNoErrorCells(values);
    const bySite = new Map(randomSites.map((s) => [s.name, s.values]));
    expectMatches(portfolioPlan, values, (site) => bySite.get(site)!);
    expect(masterCheck(portfolioPlan, values)).toBe(1);
    expectPortfolioSheet(portfolioCells(values), randomSites, SCENARIOS);
  });

  it("follows an edited input: btc_price set to 120,000 inside the file gives the core's values for that price", () => {
    const values = readValues(outputs.get("edited.xlsx")!);
    expectNoErrorCells(values);
    expect(values.get("Inputs")!.get(btcRef)).toBe(120_000);
    const edited = withValues(DEFAULTS, { btc_price: 120_000 });
    expectMatches(examplePlan, values, () => edited);
    expectPortfolioSheet(portfolioCells(values), [{ name: "Example", values: edited }], SCENARIOS);
    // The reconciliation with the build-time engine steps aside; the integrity checks still hold.
    expect(values.get("Checks")!.get("B5")).toBe(1);
    expect(masterCheck(examplePlan, values)).toBe(1);
    const mining = examplePlan.results.find((r) => r.scenario === "mining" && r.metric === "rev_per_mw")!;
    expect(values.get("Mining")!.get(cellRef(mining.row, mining.col))).not.toBeCloseTo(mining.engine as number, 0);
  });
});
