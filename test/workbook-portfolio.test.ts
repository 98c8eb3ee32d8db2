/**
 * The Portfolio comparison sheet against the core's portfolio table (core/portfolio.ts, the
 * table the CLI prints and the pane shows): the same columns, labels and units, and every cell
 * equal to the core's, from the values cached in a generated file (the formulas evaluated when
 * the file was written) and, in workbook-recalc.test.ts, after LibreOffice recalculates them.
 *
 * Tolerance: relative 1e-9 (floor 1). The sheet's averages are SUMPRODUCT over the MW column
 * divided by the total MW, the core's are total USD over total watts: the same quantity summed
 * in another order, equal to ~1e-15.
 */
import * as xlsx from "wasm-xlsxwriter";
import { describe, expect, it } from "vitest";
import { DEFAULTS, portfolioColumns, withValues, type ScenarioName } from "../src/core/index.js";
import { buildWorkbookPlan, SHEET_NAMES, type WorkbookSite } from "../src/workbook/build.js";
import { evaluatePlan } from "../src/workbook/evaluate.js";
import { MAX_WORKBOOK_SITES } from "../src/workbook/limits.js";
import { cellRef } from "../src/workbook/refs.js";
import { writeXlsx } from "../src/workbook/xlsx.js";
import { expectPortfolioSheet } from "./helpers/portfolio-sheet.js";
import { randomSite, seeded } from "./helpers/sites.js";
import { readValues, type XlsxValue } from "./helpers/xlsx.js";

const ALL: ScenarioName[] = ["mining", "powered_shell", "colocated_gpu", "hybrid"];

function fromFile(sites: WorkbookSite[], scenarios: ScenarioName[]) {
  const values = readValues(writeXlsx(buildWorkbookPlan(sites, { scenarios }), xlsx)).get(SHEET_NAMES.portfolio)!;
  return (row: number, col: number): XlsxValue | undefined => values.get(cellRef(row, col));
}

describe("Portfolio comparison sheet: the core's portfolio table as live formulas", () => {
  it("one site: equity per watt by scenario, the best option, its uplift, totals and averages as the core gives them", () => {
    const sites = [{ name: "Example", values: DEFAULTS }];
    expectPortfolioSheet(fromFile(sites, ALL), sites, ALL);
  });

  it("twelve random sites, read from the values cached in the file", () => {
    const random = seeded(909);
    const sites = Array.from({ length: 12 }, (_, i) => ({ name: `Random ${i + 1}`, values: randomSite(random) }));
    expectPortfolioSheet(fromFile(sites, ALL), sites, ALL);
  });

  it("without mining among the columns: the uplift still measures against the Mining workings", () => {
    const random = seeded(17);
    const sites = ["North", "South"].map((name) => ({ name, values: randomSite(random) }));
    expectPortfolioSheet(fromFile(sites, ["hybrid"]), sites, ["hybrid"]);
    expectPortfolioSheet(fromFile(sites, ["powered_shell", "colocated_gpu"]), sites, ["powered_shell", "colocated_gpu"]);
  });

  it("the best option is live: a formula picks the highest equity per watt, so an edited input can change it", () => {
    const plan = buildWorkbookPlan([{ name: "Example", values: DEFAULTS }], { scenarios: ALL });
    const sheet = plan.sheets.find((s) => s.name === SHEET_NAMES.portfolio)!;
    const best = portfolioColumns(ALL).findIndex((c) => c.key === "best");
    const formula = sheet.cells.find((c) => c.row === 5 && c.col === best)!.formula!;
    expect(formula).toMatch(/^=CHOOSE\(MATCH\(MAX\(C6:F6\),C6:F6,0\),"Mining","Powered shell","Colocated GPU","Hybrid"\)$/);
    const average = sheet.cells.find((c) => c.row === 7 && c.col === 2)!.formula!;
    expect(average).toMatch(/SUMPRODUCT\(\$C\$6:\$C\$6,\$B\$6:\$B\$6\)/);
    // Every equity-per-watt cell links to a workings sheet: nothing on this sheet is a pasted number.
    expect(sheet.cells.filter((c) => c.row >= 5 && c.col > 0 && c.formula === undefined)).toEqual([]);
  });

  it(`at the largest portfolio a workbook holds (${MAX_WORKBOOK_SITES} sites), every row, total and average equals the core's`, () => {
    const sites = Array.from({ length: MAX_WORKBOOK_SITES }, (_, i) => ({
      name: `Site ${i + 1}`,
      values: withValues(DEFAULTS, { site_mw: 10 + i * 3, btc_price: 50_000 + i * 3_000, lease_rate: 20 + i * 2 }),
    }));
    const scenarios: ScenarioName[] = ["mining", "powered_shell"];
    const evaluation = evaluatePlan(buildWorkbookPlan(sites, { scenarios }));
    const read = evaluation.sheet(SHEET_NAMES.portfolio);
    expectPortfolioSheet((row, col) => read(row, col) ?? undefined, sites, scenarios);
    // Both options win somewhere in this range of prices, so the best-option rule is exercised both ways.
    const best = new Set(sites.map((_, s) => read(5 + s, 4)));
    expect(best).toEqual(new Set(["Mining", "Powered shell"]));
  }, 120_000);
});
