/**
 * The Risk sheet: a Monte Carlo snapshot of the first site. Unlike every other output sheet it
 * holds numbers, not formulas: a simulation of thousands of paths has no spreadsheet form that
 * Excel 2016 and LibreOffice share, so the engine's results are written as values and marked
 * as a snapshot (paths, seed, date), with a live flag that says when the inputs have changed
 * since. The same paths and seed give the same numbers as `minepivot simulate`.
 *
 * It holds, for each base scenario with a workings sheet: the distribution of equity per watt
 * with standard errors, a histogram, and a fan of cumulative cash flow; and the switch option
 * (keep mining, convert at the best time) for the first conversion, on its own smaller run.
 */
import {
  BASE_SCENARIOS,
  InputError,
  REGISTRY,
  SCENARIO_LABELS,
  FAN_QUANTILES,
  SWITCH_TARGETS,
  getDef,
  REPORT_HISTOGRAM_BINS,
  histogram,
  serialToIso,
  simulateRisk,
  switchEstimates,
  switchSummary,
  valueSwitchOption,
  type SwitchSummary,
  type Assumptions,
  type BaseScenario,
  type ScenarioRisk,
  type SiteRisk,
} from "../../core/index.js";
import { SHEET_NAMES, SheetBuilder } from "../layout.js";
import type { ChartPlan, StyleName } from "../plan.js";
import type { Model } from "./model.js";

/** Paths of the snapshot when the caller does not say: standard errors near 2 % of the spread, in a fraction of a second. */
export const RISK_SHEET_DEFAULT_PATHS = 2_000;
/**
 * The switch option runs on its own paths, at most this many: it values about seventeen
 * conversions a path, so 500 paths cost about what the 2,000-path simulation does.
 */
export const RISK_SHEET_SWITCH_PATHS = 500;
/** Where the charts go: right of the tables. */
const CHART_COL = 10;

/** The snapshot's paths: the option, or the default; 0 means no Risk sheet. */
export function riskPathsOf(model: Pick<Model, "options">): number {
  const paths = model.options.riskPaths ?? RISK_SHEET_DEFAULT_PATHS;
  if (paths === 0) return 0;
  const def = getDef("paths");
  if (!Number.isSafeInteger(paths) || paths < def.min || paths > def.max) {
    throw new InputError("risk paths", paths, `0 (no Risk sheet) or a whole number from ${def.min} to ${def.max.toLocaleString("en-US")}`);
  }
  return paths;
}

interface Statistic {
  readonly label: string;
  readonly unit: string;
  readonly style: StyleName;
  readonly value: (risk: ScenarioRisk) => number | undefined;
  readonly se?: (risk: ScenarioRisk) => number | undefined;
}

function probability(label: string, key: "prob_loss" | "prob_never_pays_back" | "prob_beats_mining"): Statistic {
  return { label, unit: "share", style: "calc_pct", value: (r) => r[key], se: (r) => r[`${key}_se` as const] };
}

const STATISTICS: readonly Statistic[] = [
  { label: "Mean", unit: "USD/W", style: "calc", value: (r) => r.equity_per_watt.mean, se: (r) => r.equity_per_watt.mean_se },
  { label: "Standard deviation", unit: "USD/W", style: "calc", value: (r) => r.equity_per_watt.std },
  { label: "P5", unit: "USD/W", style: "calc", value: (r) => r.equity_per_watt.p5 },
  { label: "P25", unit: "USD/W", style: "calc", value: (r) => r.equity_per_watt.p25 },
  { label: "P50 (median)", unit: "USD/W", style: "calc", value: (r) => r.equity_per_watt.p50 },
  { label: "P75", unit: "USD/W", style: "calc", value: (r) => r.equity_per_watt.p75 },
  { label: "P95", unit: "USD/W", style: "calc", value: (r) => r.equity_per_watt.p95 },
  probability("P(loss): equity value below 0", "prob_loss"),
  probability("P(never pays back within the horizon)", "prob_never_pays_back"),
  probability("P(beats mining on the same path)", "prob_beats_mining"),
  {
    label: "Uplift over mining (mean)",
    unit: "USD/W",
    style: "calc",
    value: (r) => r.uplift_over_mining_per_watt,
    se: (r) => r.uplift_over_mining_per_watt_se,
  },
];

/**
 * The Risk sheet, or nothing when the snapshot is switched off. `inputsChanged` is the Checks
 * sheet's count of inputs edited since the workbook was built.
 */
export function riskSheet(model: Model, inputsChanged: string): { sheet: SheetBuilder; charts: ChartPlan[] } | undefined {
  const paths = riskPathsOf(model);
  if (paths === 0) return undefined;
  const site = model.sites[0]!;
  const scenarios = BASE_SCENARIOS.filter((s) => model.bases.includes(s));
  const risk = simulateRisk(site.values, scenarios, { paths, seed: site.values.seed, fan: true });
  // The conversion the switch starts: the powered shell, else the GPUs, as minepivot simulate picks.
  const target = SWITCH_TARGETS.find((t) => scenarios.includes(t));
  const switchPaths = Math.max(4, Math.min(paths, RISK_SHEET_SWITCH_PATHS));
  const option = target ? switchSummary(valueSwitchOption(site.values, { paths: switchPaths, seed: risk.seed, target })) : undefined;
  const sheet = new SheetBuilder(SHEET_NAMES.risk, "outputs");
  const charts: ChartPlan[] = [];
  sheet.text(0, 0, "Risk: Monte Carlo snapshot", "title");
  const when = model.options.generatedOn ? `simulated on ${model.options.generatedOn}` : "simulated when the workbook was built";
  const others = model.sites.length > 1 ? ` (the first of ${model.sites.length} sites; run minepivot simulate --sites for the others)` : "";
  sheet.text(
    1,
    0,
    `${site.name}${others}: ${paths.toLocaleString("en-US")} paths, seed ${risk.seed}, ${when}, valued as of ${serialToIso(site.values.valuation_date)}.`,
    "subtitle",
  );
  sheet.text(
    2,
    0,
    `Not live: these are the engine's numbers, written as values. Editing the Inputs sheet does not change them; regenerate the workbook to refresh them. minepivot simulate --paths ${paths} --seed ${risk.seed} with the same inputs gives the same numbers.`,
    "note",
  );
  sheet.put({
    row: 3,
    col: 0,
    formula: `=IF(${inputsChanged}>0,"STALE: inputs have changed since this snapshot; regenerate the workbook","Inputs as simulated: the snapshot is current")`,
    style: "check",
  });
  sheet.text(4, 0, riskInputs(site.values), "note");
  let row = 6;
  row = distributionTable(sheet, row, risk, scenarios);
  if (model.scenarios.includes("hybrid")) {
    sheet.text(row, 0, "The hybrid is not simulated: it is the share-weighted sum of the scenarios above.", "note");
    row++;
  }
  row++;
  if (option) row = switchTable(sheet, row, option) + 1;
  for (const scenario of scenarios) row = histogramTable(sheet, charts, row, risk, scenario);
  for (const scenario of scenarios) row = fanTable(sheet, charts, row, risk, scenario);
  sheet.widths.push([0, 40], [1, 10], ...[2, 3, 4, 5, 6, 7].map((col) => [col, 14] as const));
  sheet.freeze = [1, 0];
  return { sheet, charts };
}

/** One line naming the risk keys the snapshot stands on, with their values. */
function riskInputs(values: Assumptions): string {
  const items = REGISTRY.filter((def) => def.group === "risk" && def.key !== "paths" && def.key !== "seed").map(
    (def) => `${def.key} ${values[def.key]} ${def.unit}`,
  );
  return `Risk inputs (see the Inputs sheet for sources): ${items.join(", ")}.`;
}

/** Statistic | unit | per scenario: value, standard error. Returns the next free row. */
function distributionTable(sheet: SheetBuilder, top: number, risk: SiteRisk, scenarios: readonly BaseScenario[]): number {
  sheet.text(top, 0, `Equity value per watt of site power: distribution over ${risk.paths.toLocaleString("en-US")} paths`, "heading");
  const header = top + 1;
  sheet.text(header, 0, "Statistic", "header");
  sheet.text(header, 1, "Unit", "header");
  scenarios.forEach((scenario, j) => {
    sheet.text(header, 2 + 2 * j, SCENARIO_LABELS[scenario], "header_num");
    sheet.text(header, 3 + 2 * j, "± s.e.", "header_num");
  });
  let row = header + 1;
  for (const statistic of STATISTICS) {
    if (scenarios.every((s) => statistic.value(risk.scenarios[s]!) === undefined)) continue;
    sheet.text(row, 0, statistic.label, "label");
    sheet.text(row, 1, statistic.unit, "unit");
    scenarios.forEach((scenario, j) => {
      const found = risk.scenarios[scenario]!;
      const value = statistic.value(found);
      if (value !== undefined) sheet.put({ row, col: 2 + 2 * j, value, style: statistic.style });
      const se = statistic.se?.(found);
      if (se !== undefined) sheet.put({ row, col: 3 + 2 * j, value: se, style: statistic.style });
    });
    row++;
  }
  sheet.text(row, 0, "± s.e. is the Monte Carlo standard error; percentiles carry none. Percentiles interpolate as Excel's PERCENTILE.INC does.", "note");
  return row + 1;
}

/**
 * A histogram of one scenario's equity per watt: bin label | share of paths | from | to | paths,
 * with a column chart of the shares. The label and share columns sit side by side under their
 * header row, the shape both writers chart from.
 */
function histogramTable(sheet: SheetBuilder, charts: ChartPlan[], top: number, risk: SiteRisk, scenario: BaseScenario): number {
  const values = risk.simulation.scenarios[scenario]!.equityPerWatt;
  const { edges, counts } = histogram(values, REPORT_HISTOGRAM_BINS);
  const label = SCENARIO_LABELS[scenario];
  sheet.text(top, 0, `${label}: histogram of equity value per watt`, "heading");
  const header = top + 1;
  ["Equity per watt (USD/W)", `${label}: share of paths`, "From (USD/W)", "To (USD/W)", "Paths"].forEach((text, col) =>
    sheet.text(header, col, text, col === 0 ? "header" : "header_num"),
  );
  const first = header + 1;
  counts.forEach((count, i) => {
    const row = first + i;
    sheet.text(row, 0, `${edges[i]!.toFixed(2)} to ${edges[i + 1]!.toFixed(2)}`, "label");
    sheet.put({ row, col: 1, value: count / risk.paths, style: "calc_pct" });
    sheet.put({ row, col: 2, value: edges[i]!, style: "calc" });
    sheet.put({ row, col: 3, value: edges[i + 1]!, style: "calc" });
    sheet.put({ row, col: 4, value: count, style: "calc_flag" });
  });
  const last = first + counts.length - 1;
  charts.push({
    sheet: SHEET_NAMES.risk,
    row: top,
    col: CHART_COL,
    type: "column",
    title: `${label}: equity value per watt over ${risk.paths.toLocaleString("en-US")} paths`,
    yAxisTitle: "Share of paths",
    yNumFormat: "0%",
    rotateLabels: true,
    series: [{ name: `${label}: share of paths`, sheet: SHEET_NAMES.risk, categories: [first, 0, last, 0], values: [first, 1, last, 1] }],
  });
  // A chart is about 15 rows tall: leave room so that the next one does not overlap it.
  return Math.max(last + 2, top + 16);
}

/** The switch option: its values with standard errors, the rule, and when the conversions start. */
function switchTable(sheet: SheetBuilder, top: number, option: SwitchSummary): number {
  const label = SCENARIO_LABELS[option.target];
  sheet.text(
    top,
    0,
    `Switch option: keep mining and convert to ${label.toLowerCase()} (or sell) at the best time, on its own ${option.paths.toLocaleString("en-US")} paths, seed ${option.seed}`,
    "heading",
  );
  ["Value", "Unit", "Estimate", "± s.e."].forEach((text, col) => sheet.text(top + 1, col, text, col === 0 ? "header" : "header_num"));
  let row = top + 2;
  const line = (text: string, unit: string, value: number | string, style: StyleName, se?: number): void => {
    sheet.text(row, 0, text, "label");
    sheet.text(row, 1, unit, "unit");
    sheet.put({ row, col: 2, value, style });
    if (se !== undefined) sheet.put({ row, col: 3, value: se, style });
    row++;
  };
  for (const estimate of switchEstimates(option)) line(estimate.label, estimate.unit, estimate.value, "calc", estimate.se);
  line("P(converts within the horizon)", "share", option.prob_convert, "calc_pct");
  line("Mean conversion month, over the paths that convert", "month", option.expected_conversion_month ?? "never", "calc");
  sheet.text(row, 0, "Rule", "label");
  sheet.text(row, 2, option.rule, "text");
  row++;
  if (option.conversion_months.length === 0 || option.convert_now) return row;
  sheet.text(row, 0, "Conversion month (end of month)", "header");
  sheet.text(row, 2, "Paths", "header_num");
  row++;
  for (const { month, paths } of option.conversion_months) {
    sheet.put({ row, col: 0, value: month, style: "calc_flag" });
    sheet.put({ row, col: 2, value: paths, style: "calc_flag" });
    row++;
  }
  return row;
}

/**
 * The fan of one scenario: the P5 to P95 of cumulative cash flow to equity (operating flows and
 * the exit, undiscounted) at each year end, and a line chart of the bands.
 */
function fanTable(sheet: SheetBuilder, charts: ChartPlan[], top: number, risk: SiteRisk, scenario: BaseScenario): number {
  const fan = risk.simulation.scenarios[scenario]!.fan!;
  const label = SCENARIO_LABELS[scenario];
  sheet.text(top, 0, `${label}: cumulative cash flow to equity incl. exit, undiscounted (USD/W)`, "heading");
  const header = top + 1;
  sheet.text(header, 0, "Month (year end)", "header");
  FAN_QUANTILES.forEach((q, j) => sheet.text(header, 1 + j, `P${Math.round(q * 100)}`, "header_num"));
  const months: number[] = [];
  for (let m = 12; m < fan.months; m += 12) months.push(m);
  months.push(fan.months);
  const first = header + 1;
  months.forEach((month, i) => {
    sheet.put({ row: first + i, col: 0, value: month, style: "calc_flag" });
    FAN_QUANTILES.forEach((_, j) => sheet.put({ row: first + i, col: 1 + j, value: fan.bands[(month - 1) * fan.quantiles.length + j]!, style: "calc" }));
  });
  const last = first + months.length - 1;
  charts.push({
    sheet: SHEET_NAMES.risk,
    row: top,
    col: CHART_COL,
    type: "line",
    title: `${label}: cumulative cash flow to equity, P5 to P95`,
    yAxisTitle: "USD per watt",
    yNumFormat: "0.00",
    series: FAN_QUANTILES.map((q, j) => ({
      name: `P${Math.round(q * 100)}`,
      sheet: SHEET_NAMES.risk,
      categories: [first, 0, last, 0] as const,
      values: [first, 1 + j, last, 1 + j] as const,
    })),
  });
  return Math.max(last + 2, top + 16);
}
