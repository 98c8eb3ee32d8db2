/**
 * Builds the comparison workbook plan from the core: the valuation re-expressed as native
 * spreadsheet formulas that any engine recalculates (Excel 2016+, LibreOffice 7.4+), laid out
 * in the spirit of the FAST Standard:
 *
 *   Cover → Inputs → one workings sheet per scenario → Comparison (tables, charts)
 *   → Portfolio comparison → Sensitivity (engine snapshot) → Checks
 *
 * Each sheet has its own module under sheets/; the scenarios' row specs live under scenarios/;
 * the shared layout (sheet builder, block layout) is layout.ts.
 */
import { InputError, compare, type BaseScenario, type Comparison, type ScenarioName } from "../core/index.js";
import { COL_FIRST_MONTH } from "./layout.js";
import type { WorkbookPlan } from "./plan.js";
import { checksSheet } from "./sheets/checks.js";
import { comparisonSheet } from "./sheets/comparison.js";
import { coverSheet } from "./sheets/cover.js";
import { inputsSheet } from "./sheets/inputs.js";
import { metricNames } from "./sheets/metrics.js";
import type { Model, WorkbookOptions, WorkbookSite } from "./sheets/model.js";
import { portfolioSheet } from "./sheets/portfolio.js";
import { sensitivitySheet } from "./sheets/sensitivity.js";
import { workingsSheets } from "./sheets/workings.js";

export { SHEET_NAMES } from "./layout.js";
export type { WorkbookOptions, WorkbookSite } from "./sheets/model.js";

/**
 * Builds the plan for `sites` (one or more) and the chosen scenarios. Every site is valued by
 * the core first, so bad input fails here, naming the site, before anything is written.
 */
export function buildWorkbookPlan(sites: readonly WorkbookSite[], options: WorkbookOptions = {}): WorkbookPlan {
  const model = modelOf(sites, options);
  const inputs = inputsSheet(model);
  const workings = workingsSheets(model, inputs);
  const comparison = comparisonSheet(model, workings.layouts);
  const portfolio = portfolioSheet(model, inputs, workings.layouts);
  const sensitivity = sensitivitySheet(model);
  const checks = checksSheet(model, inputs, workings.layouts, workings.sheets);
  const cover = coverSheet(model, workings.sheets);
  return {
    sheets: [cover, inputs.sheet, ...workings.sheets, comparison.sheet, portfolio, sensitivity.sheet, checks.sheet].map((s) => s.plan()),
    names: [...inputs.names, ...metricNames(model, workings.layouts), ...checks.names],
    charts: [...comparison.charts, ...sensitivity.charts],
    results: checks.results,
    checkCount: checks.checkCount,
  };
}

/** Validates the sites and values each with the core. */
function modelOf(sites: readonly WorkbookSite[], options: WorkbookOptions): Model {
  if (sites.length === 0) throw new InputError("sites", "(none)", "at least one site");
  const scenarios: ScenarioName[] = [...new Set(options.scenarios ?? (["mining", "powered_shell", "colocated_gpu", "hybrid"] as const))];
  if (scenarios.length === 0) throw new InputError("scenarios", "(none)", "at least one scenario");
  // Mining is always there: a conversion mines the unconverted part while it builds, reading
  // the Mining block's market rows, and every comparison measures the uplift over mining.
  const bases: BaseScenario[] = (["mining", "powered_shell", "colocated_gpu"] as const).filter(
    (s) => s === "mining" || scenarios.includes(s) || scenarios.includes("hybrid"),
  );
  const names = new Set<string>();
  sites.forEach((site, i) => {
    if (site.name.trim() === "") throw new InputError(`site ${i + 1}`, site.name, "a non-empty name");
    if (names.has(site.name))
      throw new InputError(`site ${i + 1}`, site.name, "a name no other site has", `site ${i + 1}: the name "${site.name}" is used twice`);
    names.add(site.name);
  });
  const engine: Comparison[] = sites.map((site) => {
    try {
      return compare(site.values, [...bases, ...(scenarios.includes("hybrid") ? (["hybrid"] as const) : [])]);
    } catch (error) {
      if (error instanceof InputError) throw new InputError(error.argument, error.value, error.allowed, `site "${site.name}": ${error.message}`);
      throw error;
    }
  });
  // At least 12 months: the first-year metrics (cost to mine, revenue per MW) read 12 columns.
  const months = Math.max(12, ...engine.flatMap((c) => bases.map((s) => c.valuations[s]!.schedule.months)));
  return { sites, options, scenarios, bases, engine, months, lastCol: COL_FIRST_MONTH + months - 1, single: sites.length === 1 };
}
