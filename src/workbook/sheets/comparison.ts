/** The Comparison sheet: each headline metric by site and scenario, the uplift over mining, annual cash flows and charts. */
import { SCENARIO_LABELS, type ScenarioName } from "../../core/index.js";
import { COL_FIRST_MONTH, ROW_YEAR, SHEET_NAMES, SheetBuilder, resultRef } from "../layout.js";
import type { ChartPlan, StyleName } from "../plan.js";
import { absRange, cellRef } from "../refs.js";
import { METRIC_ROWS, RESULT_KEY } from "./metrics.js";
import type { Layouts, Model } from "./model.js";

const LINK_STYLE: Partial<Record<StyleName, StyleName>> = { calc: "link", calc_usd: "link_usd", calc_pct: "link_pct", calc_ratio: "link" };

export function comparisonSheet(model: Model, layouts: Layouts): { sheet: SheetBuilder; charts: ChartPlan[] } {
  const { sites, scenarios, months, lastCol } = model;
  const charts: ChartPlan[] = [];
  const comparison = new SheetBuilder(SHEET_NAMES.comparison, "outputs");
  comparison.text(0, 0, "Comparison", "title");
  comparison.text(1, 0, "Metrics by site and scenario, linked from the workings sheets. Uplift is each scenario's equity per watt minus mining's.", "subtitle");
  let row = 3;
  const tableAt = new Map<string, { firstRow: number; lastRow: number }>();
  const metricTables: ReadonlyArray<{ id: string; title: string; style: StyleName; cell: (s: number, scenario: ScenarioName) => string | undefined }> = [
    ...METRIC_ROWS.map((m) => ({
      id: m.metric,
      title: m.label,
      style: m.style,
      cell: (s: number, scenario: ScenarioName) => `=${resultRef(layouts[s]![scenario]!, RESULT_KEY[m.metric]!)}`,
    })),
    {
      id: "uplift",
      title: "Uplift over mining (USD/W)",
      style: "calc",
      cell: (s: number, scenario: ScenarioName) =>
        scenario === "mining" || !layouts[s]!.mining
          ? undefined
          : `=${resultRef(layouts[s]![scenario]!, "equity_per_watt")}-${resultRef(layouts[s]!.mining!, "equity_per_watt")}`,
    },
  ];
  for (const table of metricTables) {
    comparison.text(row, 0, table.title, "heading");
    row++;
    comparison.text(row, 0, "Site", "header");
    scenarios.forEach((scenario, j) => comparison.text(row, 1 + j, SCENARIO_LABELS[scenario], "header"));
    row++;
    const firstRow = row;
    sites.forEach((site, s) => {
      comparison.text(row, 0, site.name, "label");
      scenarios.forEach((scenario, j) => {
        const formula = table.cell(s, scenario);
        if (formula) comparison.put({ row, col: 1 + j, formula, style: LINK_STYLE[table.style] ?? "link" });
      });
      row++;
    });
    tableAt.set(table.id, { firstRow, lastRow: row - 1 });
    row++;
  }
  // Annual cash flow to equity by scenario, all sites together.
  comparison.text(row, 0, "Annual cash flow to equity incl. terminal value, all sites (USD)", "heading");
  row++;
  comparison.text(row, 0, "Model year", "header");
  scenarios.forEach((scenario, j) => comparison.text(row, 1 + j, SCENARIO_LABELS[scenario], "header"));
  row++;
  const years = Math.ceil(months / 12);
  const annualFirst = row;
  for (let y = 1; y <= years; y++) {
    comparison.put({ row, col: 0, formula: y === 1 ? "=1" : `=${cellRef(row - 1, 0)}+1`, style: "calc_flag" });
    scenarios.forEach((scenario, j) => {
      const terms = sites.map((_, s) => {
        const layout = layouts[s]![scenario]!;
        const flowRow = layout.lines.get("flow")!;
        return `SUMPRODUCT((${absRange(ROW_YEAR, COL_FIRST_MONTH, ROW_YEAR, lastCol, layout.sheet)}=${cellRef(row, 0, false, true)})*${absRange(flowRow, COL_FIRST_MONTH, flowRow, lastCol, layout.sheet)})`;
      });
      comparison.put({ row, col: 1 + j, formula: `=${terms.join("+")}`, style: "calc_usd" });
    });
    row++;
  }
  const annualLast = row - 1;
  comparison.widths.push([0, 34], ...scenarios.map((_, j) => [1 + j, 16] as const));
  const chartCol = scenarios.length + 2;
  const seriesFor = (id: string) =>
    scenarios.map((scenario, j) => ({
      name: SCENARIO_LABELS[scenario],
      sheet: SHEET_NAMES.comparison,
      categories: [tableAt.get(id)!.firstRow, 0, tableAt.get(id)!.lastRow, 0] as const,
      values: [tableAt.get(id)!.firstRow, 1 + j, tableAt.get(id)!.lastRow, 1 + j] as const,
    }));
  charts.push(
    {
      sheet: SHEET_NAMES.comparison,
      row: 3,
      col: chartCol,
      type: "column",
      title: "Equity value per watt by scenario",
      yAxisTitle: "USD per watt",
      series: seriesFor("equity_per_watt"),
    },
    {
      sheet: SHEET_NAMES.comparison,
      row: 20,
      col: chartCol,
      type: "line",
      title: "Annual cash flow to equity by scenario",
      yAxisTitle: "USD",
      series: scenarios.map((scenario, j) => ({
        name: SCENARIO_LABELS[scenario],
        sheet: SHEET_NAMES.comparison,
        categories: [annualFirst, 0, annualLast, 0] as const,
        values: [annualFirst, 1 + j, annualLast, 1 + j] as const,
      })),
    },
    {
      sheet: SHEET_NAMES.comparison,
      row: 37,
      col: chartCol,
      type: "column",
      title: "Revenue per MW-year by scenario",
      yAxisTitle: "USD per MW-year",
      series: seriesFor("rev_per_mw"),
    },
  );
  return { sheet: comparison, charts };
}
