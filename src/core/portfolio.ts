/**
 * The portfolio table: one row per site with each scenario's equity per watt, the best option
 * and its uplift over mining, then a totals row and a row of MW-weighted averages. This is the
 * table's one definition: the CLI prints it, the task pane shows and exports it, and the
 * workbook's portfolio sheet lays it out, all from `portfolioTable` and `PORTFOLIO_COLUMNS`.
 *
 * Weights: a per-watt figure of the whole portfolio is total USD over total watts, which is the
 * average of the sites' per-watt figures weighted by their MW. The weight is the per-watt
 * denominator (`site_mw` today); when per-MW metrics gain another basis, the weight follows it
 * through `weightMw`, so the averages stay equal to the ratio of the totals.
 */
import { InputError } from "./errors.js";
import type { Assumptions } from "./registry.js";
import { compare, type Comparison } from "./analysis.js";
import { BASE_SCENARIOS, SCENARIO_LABELS, normalizeName, parseScenario, type ScenarioName } from "./scenarios.js";

export interface PortfolioSite {
  readonly name: string;
  readonly values: Assumptions;
}

export interface PortfolioRow {
  readonly name: string;
  /** The MW that per-watt figures divide by (and that weights the averages). */
  readonly weightMw: number;
  /** Equity value per watt by scenario, USD/W. */
  readonly equityPerWatt: Readonly<Partial<Record<ScenarioName, number>>>;
  /** The scenario with the highest equity value (the first in scenario order on a tie). */
  readonly best: ScenarioName;
  readonly bestEquityPerWatt: number;
  /** The best option's equity value minus mining's, USD/W (0 when mining is best). */
  readonly upliftPerWatt: number;
  /** The same uplift in USD: what choosing the best option adds to the site's equity value. */
  readonly upliftUsd: number;
  /** The best option's equity value, USD. */
  readonly bestEquityUsd: number;
}

export interface PortfolioSummary {
  readonly weightMw: number;
  /** Total equity value by scenario (every site on that scenario), USD. */
  readonly equityUsd: Readonly<Partial<Record<ScenarioName, number>>>;
  /** MW-weighted equity value per watt by scenario, USD/W (= total USD / total W). */
  readonly equityPerWatt: Readonly<Partial<Record<ScenarioName, number>>>;
  /** Every site on its own best option. */
  readonly bestEquityUsd: number;
  readonly bestEquityPerWatt: number;
  readonly upliftUsd: number;
  readonly upliftPerWatt: number;
}

export interface PortfolioTable {
  readonly scenarios: readonly ScenarioName[];
  readonly rows: readonly PortfolioRow[];
  readonly summary: PortfolioSummary;
}

export interface PortfolioOptions {
  /** Scenarios to compare; the three single-use ones by default. */
  readonly scenarios?: readonly ScenarioName[];
  /** The per-watt denominator of a site in MW; site MW by default. */
  readonly weightMw?: (values: Assumptions) => number;
  /** Comparisons already made, by site index (the CLI's JSON output has them); computed when absent. */
  readonly comparisons?: readonly Comparison[];
}

/** A portfolio row from a site's comparison. */
export function portfolioRow(name: string, comparison: Comparison, scenarios: readonly ScenarioName[], weightMw: number): PortfolioRow {
  if (scenarios.length === 0) throw new InputError("scenarios", "(none)", "at least one scenario");
  const equityPerWatt: Partial<Record<ScenarioName, number>> = {};
  let best = scenarios[0]!;
  for (const scenario of scenarios) {
    const valuation = comparison.valuations[scenario];
    if (!valuation) throw new InputError("scenarios", scenario, "a scenario that the comparison valued");
    equityPerWatt[scenario] = valuation.metrics.equity_per_watt;
    if (equityPerWatt[scenario]! > equityPerWatt[best]!) best = scenario;
  }
  const upliftPerWatt = comparison.upliftPerWatt[best] ?? 0;
  const watts = weightMw * 1e6;
  return {
    name,
    weightMw,
    equityPerWatt,
    best,
    bestEquityPerWatt: equityPerWatt[best]!,
    upliftPerWatt,
    upliftUsd: upliftPerWatt * watts,
    bestEquityUsd: equityPerWatt[best]! * watts,
  };
}

/** Totals and MW-weighted averages of portfolio rows. */
export function portfolioSummary(rows: readonly PortfolioRow[], scenarios: readonly ScenarioName[]): PortfolioSummary {
  let weightMw = 0;
  let bestEquityUsd = 0;
  let upliftUsd = 0;
  const equityUsd: Partial<Record<ScenarioName, number>> = {};
  for (const scenario of scenarios) equityUsd[scenario] = 0;
  for (const row of rows) {
    weightMw += row.weightMw;
    bestEquityUsd += row.bestEquityUsd;
    upliftUsd += row.upliftUsd;
    for (const scenario of scenarios) equityUsd[scenario]! += row.equityPerWatt[scenario]! * row.weightMw * 1e6;
  }
  const perWatt = (usd: number): number => (weightMw > 0 ? usd / (weightMw * 1e6) : 0);
  const equityPerWatt: Partial<Record<ScenarioName, number>> = {};
  for (const scenario of scenarios) equityPerWatt[scenario] = perWatt(equityUsd[scenario]!);
  return { weightMw, equityUsd, equityPerWatt, bestEquityUsd, bestEquityPerWatt: perWatt(bestEquityUsd), upliftUsd, upliftPerWatt: perWatt(upliftUsd) };
}

/** Values every site and lays out the portfolio table. A bad site is an InputError naming it. */
export function portfolioTable(sites: readonly PortfolioSite[], options: PortfolioOptions = {}): PortfolioTable {
  const scenarios = options.scenarios ?? BASE_SCENARIOS;
  const weightOf = options.weightMw ?? ((values: Assumptions) => values.site_mw);
  const rows = sites.map((site, index) => {
    try {
      const comparison = options.comparisons?.[index] ?? compare(site.values, scenarios);
      return portfolioRow(site.name, comparison, scenarios, weightOf(site.values));
    } catch (error) {
      if (error instanceof InputError) throw new InputError(error.argument, error.value, error.allowed, `site "${site.name}": ${error.message}`);
      throw error;
    }
  });
  return { scenarios, rows, summary: portfolioSummary(rows, scenarios) };
}

// --- columns: what each front end shows, in order ---------------------------------------------

export type PortfolioColumnKey = "name" | "weight_mw" | `equity_per_watt:${ScenarioName}` | "best" | "uplift_per_watt" | "uplift_usd" | "best_equity_usd";

export interface PortfolioColumn {
  readonly key: PortfolioColumnKey;
  readonly label: string;
  readonly unit: string;
  readonly kind: "text" | "number";
  /** The cell of a site's row. */
  readonly cell: (row: PortfolioRow) => string | number;
  /** The cell of the totals row and of the MW-weighted average row; undefined where it means nothing. */
  readonly total?: (summary: PortfolioSummary) => number;
  readonly average?: (summary: PortfolioSummary) => number;
}

/** The table's columns for a set of scenarios. */
export function portfolioColumns(scenarios: readonly ScenarioName[]): PortfolioColumn[] {
  return [
    { key: "name", label: "Site", unit: "", kind: "text", cell: (row) => row.name },
    { key: "weight_mw", label: "Site MW", unit: "MW", kind: "number", cell: (row) => row.weightMw, total: (s) => s.weightMw },
    ...scenarios.map((scenario): PortfolioColumn => ({
      key: `equity_per_watt:${scenario}`,
      label: `${SCENARIO_LABELS[scenario]} equity per watt`,
      unit: "USD/W",
      kind: "number",
      cell: (row) => row.equityPerWatt[scenario]!,
      average: (s) => s.equityPerWatt[scenario]!,
    })),
    { key: "best", label: "Best option", unit: "", kind: "text", cell: (row) => SCENARIO_LABELS[row.best] },
    {
      key: "uplift_per_watt",
      label: "Best's uplift over mining",
      unit: "USD/W",
      kind: "number",
      cell: (row) => row.upliftPerWatt,
      average: (s) => s.upliftPerWatt,
    },
    { key: "uplift_usd", label: "Best's uplift over mining", unit: "USD", kind: "number", cell: (row) => row.upliftUsd, total: (s) => s.upliftUsd },
    { key: "best_equity_usd", label: "Best's equity value", unit: "USD", kind: "number", cell: (row) => row.bestEquityUsd, total: (s) => s.bestEquityUsd },
  ];
}

export const PORTFOLIO_TOTAL_LABEL = "Total";
export const PORTFOLIO_AVERAGE_LABEL = "MW-weighted average";

/**
 * The table as cells: a header row (label and unit), a row per site, the totals row and the
 * MW-weighted average row. Numbers stay numbers (unrounded); empty cells are "".
 */
export function portfolioCells(table: PortfolioTable): Array<Array<string | number>> {
  const columns = portfolioColumns(table.scenarios);
  const header = columns.map((column) => (column.unit ? `${column.label} (${column.unit})` : column.label));
  const rows = table.rows.map((row) => columns.map((column) => column.cell(row)));
  const total = columns.map((column, i) => (i === 0 ? PORTFOLIO_TOTAL_LABEL : (column.total?.(table.summary) ?? "")));
  const average = columns.map((column, i) => (i === 0 ? PORTFOLIO_AVERAGE_LABEL : (column.average?.(table.summary) ?? "")));
  return [header, ...rows, total, average];
}

// --- sorting --------------------------------------------------------------------------------

export interface PortfolioSort {
  readonly key: PortfolioColumnKey;
  readonly descending: boolean;
}

/**
 * Sorted rows (a new array; the input is untouched). Text sorts by locale, numbers by value;
 * ties keep the input order, so sorting by one column then another is predictable.
 */
export function sortPortfolioRows(table: PortfolioTable, sort: PortfolioSort): PortfolioRow[] {
  const column = portfolioColumns(table.scenarios).find((entry) => entry.key === sort.key);
  if (!column)
    throw new InputError(
      "sort",
      sort.key,
      `one of ${portfolioColumns(table.scenarios)
        .map((entry) => entry.key)
        .join(", ")}`,
    );
  const sign = sort.descending ? -1 : 1;
  return table.rows
    .map((row, index) => ({ row, index, value: column.cell(row) }))
    .sort((x, y) => {
      const order =
        typeof x.value === "number" && typeof y.value === "number"
          ? x.value - y.value
          : String(x.value).localeCompare(String(y.value), "en", { numeric: true });
      return order !== 0 ? sign * order : x.index - y.index;
    })
    .map((entry) => entry.row);
}

/** The table with its rows sorted. */
export function sortPortfolio(table: PortfolioTable, sort: PortfolioSort): PortfolioTable {
  return { ...table, rows: sortPortfolioRows(table, sort) };
}

const SORT_ALIASES: Readonly<Record<string, PortfolioColumnKey>> = {
  name: "name",
  site: "name",
  mw: "weight_mw",
  site_mw: "weight_mw",
  weight_mw: "weight_mw",
  best: "best",
  uplift: "uplift_per_watt",
  uplift_per_watt: "uplift_per_watt",
  uplift_usd: "uplift_usd",
  value: "best_equity_usd",
  best_equity_usd: "best_equity_usd",
};

/**
 * Reads a sort such as "uplift", "-uplift", "name:asc", "shell:desc" or "equity_per_watt:gpu".
 * A scenario name (or alias) sorts by its equity per watt. Numbers sort largest first and text
 * A to Z unless a direction is given ("asc"/"desc", or a leading "-" for descending).
 */
export function parsePortfolioSort(text: string, scenarios: readonly ScenarioName[], argument = "--sort"): PortfolioSort {
  const allowed = `name, mw, best, uplift, uplift_usd, value or a scenario (${scenarios.join(", ")}), optionally with :asc or :desc`;
  let body = text.trim();
  let descending: boolean | undefined;
  if (body.startsWith("-")) {
    descending = true;
    body = body.slice(1);
  }
  const direction = /:(asc|desc)$/i.exec(body);
  if (direction) {
    descending = direction[1]!.toLowerCase() === "desc";
    body = body.slice(0, direction.index);
  }
  const name = normalizeName(body).replace(/^equity_per_watt[:_]/, "");
  let key: PortfolioColumnKey | undefined = SORT_ALIASES[name];
  if (!key) {
    try {
      const scenario = parseScenario(name, argument);
      if (scenarios.includes(scenario)) key = `equity_per_watt:${scenario}`;
    } catch {
      key = undefined;
    }
  }
  if (!key) throw new InputError(argument, text, allowed);
  return { key, descending: descending ?? !(key === "name" || key === "best") };
}

// --- CSV --------------------------------------------------------------------------------------

/**
 * RFC 4180 CSV of cells (CRLF line ends). Text that a spreadsheet would read as a formula
 * (starting =, +, -, @, tab or CR) gets a leading apostrophe, so a site name can never run as
 * a formula when the file is opened; numbers are written in full precision.
 */
export function toCsv(cells: readonly (readonly (string | number)[])[]): string {
  const field = (value: string | number): string => {
    if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
    const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
    return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  return cells.map((row) => row.map(field).join(",")).join("\r\n") + "\r\n";
}
