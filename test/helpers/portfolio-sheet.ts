/** The Portfolio comparison sheet checked against the core's portfolio table, cell by cell. */
import { expect } from "vitest";
import { portfolioCells, portfolioColumns, portfolioTable, type ScenarioName } from "../../src/core/index.js";
import type { WorkbookSite } from "../../src/workbook/build.js";

/**
 * Checks the sheet (read through `at(row, col)`, 0-based) against the core's table: the header
 * row of labels, the unit row, a row per site, the totals and the MW-weighted averages.
 */
export function expectPortfolioSheet(at: (row: number, col: number) => unknown, sites: readonly WorkbookSite[], scenarios: readonly ScenarioName[]): void {
  const columns = portfolioColumns(scenarios);
  columns.forEach((column, col) => {
    expect(at(3, col), `header of ${column.key}`).toBe(column.label);
    expect(at(4, col) ?? "", `unit of ${column.key}`).toBe(column.unit);
  });
  const [, ...rows] = portfolioCells(portfolioTable(sites, { scenarios }));
  expect(rows.length).toBe(sites.length + 2);
  rows.forEach((cells, r) =>
    cells.forEach((expected, col) => {
      const actual = at(5 + r, col);
      const label = `${String(cells[0])}: ${columns[col]!.key}`;
      if (expected === "") expect(actual ?? "", label).toBe("");
      else if (typeof expected === "string") expect(actual, label).toBe(expected);
      else {
        expect(typeof actual, label).toBe("number");
        expect(Math.abs((actual as number) - expected) / Math.max(1, Math.abs(expected)), label).toBeLessThanOrEqual(1e-9);
      }
    }),
  );
}
