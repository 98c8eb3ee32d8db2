/**
 * The Portfolio comparison sheet: the core's portfolio table (core/portfolio.ts, the one the CLI
 * prints and the task pane shows) as live formulas. Its columns, labels and units come from
 * `portfolioColumns`; each site's equity per watt links to its workings block, the best option
 * is the first scenario holding the row's maximum (the core's rule: a tie goes to the earlier
 * scenario, as MATCH finds the first), and the averages weight by site MW with SUMPRODUCT, which
 * is total USD over total watts, as the core computes them.
 */
import { PORTFOLIO_AVERAGE_LABEL, PORTFOLIO_TOTAL_LABEL, SCENARIO_LABELS, portfolioColumns, type PortfolioColumnKey } from "../../core/index.js";
import { SHEET_NAMES, SheetBuilder, resultRef } from "../layout.js";
import type { StyleName } from "../plan.js";
import { absRange, absRef, cellRef } from "../refs.js";
import type { InputsSheet } from "./inputs.js";
import type { Layouts, Model } from "./model.js";

const HEADER_ROW = 3;
const UNIT_ROW = 4;
const FIRST_SITE_ROW = 5;

const STYLE: Readonly<Record<string, StyleName>> = {
  weight_mw: "link",
  equity_per_watt: "link",
  best: "calc",
  uplift_per_watt: "calc",
  uplift_usd: "calc_usd",
  best_equity_usd: "calc_usd",
};

const styleOf = (key: PortfolioColumnKey): StyleName => STYLE[key.split(":")[0]!] ?? "label";

export function portfolioSheet(model: Model, inputs: InputsSheet, layouts: Layouts): SheetBuilder {
  const { sites, scenarios } = model;
  const columns = portfolioColumns(scenarios);
  const sheet = new SheetBuilder(SHEET_NAMES.portfolio, "outputs");
  sheet.text(0, 0, "Portfolio comparison", "title");
  sheet.text(
    1,
    0,
    "A row per site: each scenario's equity value per watt (linked from the workings sheets), the best option (highest equity value; on a tie the earlier scenario) and its uplift over mining; then totals and MW-weighted averages (total USD over total watts).",
    "subtitle",
  );
  const colOf = new Map(columns.map((column, i) => [column.key, i] as const));
  const col = (key: PortfolioColumnKey) => colOf.get(key)!;
  // Two header rows, label over unit, aligned as the column below them.
  columns.forEach((column, i) => {
    const style = column.key === "name" ? "header" : "header_num";
    sheet.text(HEADER_ROW, i, column.label, style);
    sheet.text(UNIT_ROW, i, column.unit, style);
  });
  const firstEquity = col(`equity_per_watt:${scenarios[0]!}`);
  const lastEquity = col(`equity_per_watt:${scenarios[scenarios.length - 1]!}`);
  const lastSiteRow = FIRST_SITE_ROW + sites.length - 1;
  const totalRow = lastSiteRow + 1;
  const averageRow = totalRow + 1;
  const labels = scenarios.map((scenario) => `"${SCENARIO_LABELS[scenario]}"`).join(",");
  sites.forEach((site, s) => {
    const row = FIRST_SITE_ROW + s;
    const at = (key: PortfolioColumnKey) => cellRef(row, col(key));
    const equities = `${cellRef(row, firstEquity)}:${cellRef(row, lastEquity)}`;
    const miningEquity = scenarios.includes("mining") ? at("equity_per_watt:mining") : resultRef(layouts[s]!.mining!, "equity_per_watt");
    const watts = `(${at("weight_mw")}*w_per_mw)`;
    const formulas: Record<string, string> = {
      weight_mw: `=${inputs.inputRef("site_mw", s)}`,
      best: `=CHOOSE(MATCH(MAX(${equities}),${equities},0),${labels})`,
      uplift_per_watt: `=MAX(${equities})-${miningEquity}`,
      uplift_usd: `=${at("uplift_per_watt")}*${watts}`,
      best_equity_usd: `=MAX(${equities})*${watts}`,
    };
    for (const scenario of scenarios) formulas[`equity_per_watt:${scenario}`] = `=${resultRef(layouts[s]![scenario]!, "equity_per_watt")}`;
    columns.forEach((column, i) => {
      if (column.key === "name") sheet.text(row, i, site.name, "label");
      else sheet.put({ row, col: i, formula: formulas[column.key]!, style: styleOf(column.key) });
    });
  });
  // Totals sum a column; averages weight a per-watt column by the MW column.
  const mwRange = absRange(FIRST_SITE_ROW, col("weight_mw"), lastSiteRow, col("weight_mw"));
  const totalMw = absRef(totalRow, col("weight_mw"));
  sheet.text(totalRow, 0, PORTFOLIO_TOTAL_LABEL, "heading");
  sheet.text(averageRow, 0, PORTFOLIO_AVERAGE_LABEL, "heading");
  columns.forEach((column, i) => {
    const range = absRange(FIRST_SITE_ROW, i, lastSiteRow, i);
    const style = column.key === "weight_mw" ? "calc" : styleOf(column.key);
    if (column.total) sheet.put({ row: totalRow, col: i, formula: `=SUM(${range})`, style });
    if (column.average) sheet.put({ row: averageRow, col: i, formula: `=IF(${totalMw}>0,SUMPRODUCT(${range},${mwRange})/${totalMw},0)`, style });
  });
  sheet.widths.push([0, 30], ...columns.slice(1).map((column, i) => [i + 1, Math.max(14, column.label.length + 2)] as const));
  sheet.freeze = [FIRST_SITE_ROW, 1];
  return sheet;
}
