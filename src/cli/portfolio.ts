/** The portfolio table for the terminal and as CSV: the core's columns, short headers, rounded cells. */
import {
  SCENARIO_LABELS,
  SCENARIO_SHORT_LABELS,
  portfolioCells,
  portfolioColumns,
  toCsv,
  type PortfolioColumnKey,
  type PortfolioTable,
  type ScenarioName,
} from "../core/index.js";
import { renderTable, wrapText } from "./format.js";

const SHORT_SCENARIO = SCENARIO_SHORT_LABELS;

const SHORT_HEADERS: Readonly<Partial<Record<PortfolioColumnKey, string>>> = {
  name: "Site",
  weight_mw: "MW",
  best: "Best",
  uplift_per_watt: "Uplift",
  uplift_usd: "Uplift M",
  best_equity_usd: "Value M",
};

function shortHeader(key: PortfolioColumnKey): string {
  return key.startsWith("equity_per_watt:") ? SHORT_SCENARIO[key.slice("equity_per_watt:".length) as ScenarioName] : SHORT_HEADERS[key]!;
}

function shownCell(unit: string, value: string | number): string {
  if (typeof value === "string") return value;
  switch (unit) {
    case "USD":
      return (value / 1e6).toLocaleString("en-US", { maximumFractionDigits: 1, minimumFractionDigits: 1 });
    case "USD/W":
      return value.toFixed(2);
    default:
      return value.toLocaleString("en-US", { maximumFractionDigits: 1 });
  }
}

/** The table with a legend: per-watt figures in USD/W, USD in millions. */
export function renderPortfolio(table: PortfolioTable): string {
  const columns = portfolioColumns(table.scenarios);
  const [, ...body] = portfolioCells(table);
  const bestShort = new Map(table.scenarios.map((s) => [SCENARIO_LABELS[s], SHORT_SCENARIO[s]]));
  const rows = body.map((row) =>
    row.map((value, i) => (columns[i]!.key === "best" && typeof value === "string" ? (bestShort.get(value) ?? value) : shownCell(columns[i]!.unit, value))),
  );
  const header = columns.map((column) => shortHeader(column.key));
  // The two summary rows go under a rule of their own.
  const lines = renderTable([header, ...rows]).split("\n");
  const siteLines = 2 + table.rows.length;
  const renamed = table.scenarios.filter((s) => SHORT_SCENARIO[s] !== SCENARIO_LABELS[s]).map((s) => `${SHORT_SCENARIO[s]} = ${SCENARIO_LABELS[s]}`);
  const legend = [
    `Scenario columns: equity value per watt (USD/W)${renamed.length > 0 ? `; ${renamed.join(", ")}` : ""}.`,
    "Best: the option with the highest equity value. Uplift: its equity value minus mining's (USD/W, and USD M).",
    "Value M: its equity value, USD M. Total sums MW and USD; a per-watt column's MW-weighted average is its",
    "total USD over total watts.",
  ].join(" ");
  return [
    `Portfolio: ${table.rows.length} site(s), ${shownCell("MW", table.summary.weightMw)} MW`,
    "",
    ...lines.slice(0, siteLines),
    lines[1]!,
    ...lines.slice(siteLines),
    "",
    wrapText(legend, 100, ""),
  ]
    .map((line) => line.trimEnd())
    .join("\n");
}

/** The table as CSV, full precision, with the core's long headers (label and unit). */
export function portfolioCsv(table: PortfolioTable): string {
  return toCsv(portfolioCells(table));
}
