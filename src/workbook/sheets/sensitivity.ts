/**
 * The Sensitivity sheet: a snapshot of engine values, not formulas. A tornado of each scenario's
 * equity per watt and of each conversion's uplift over mining (core/tornado.ts, as `minepivot
 * sensitivity` computes it), and a grid of BTC price against lease rate. Sensitivities need
 * the engine run once per moved input, which no spreadsheet formula can do over the workings
 * sheets without copying them; so the values are written as numbers and the sheet says so.
 *
 * Only the first site is analysed: the cost is a few hundred valuations per site, and a
 * portfolio's tornado is best read site by site in the CLI.
 */
import {
  SCENARIO_LABELS,
  clampToRange,
  getDef,
  memoizedValuer,
  serialToIso,
  tornado,
  withValues,
  type AssumptionKey,
  type Assumptions,
  type ScenarioName,
  type TornadoMetric,
} from "../../core/index.js";
import { SHEET_NAMES, SheetBuilder, isShare } from "../layout.js";
import type { ChartPlan, ColorScalePlan } from "../plan.js";
import type { Model } from "./model.js";

/** Each assumption moves by this share of its base value, down and up (the CLI's default). */
export const TORNADO_RANGE = 0.2;
/** The assumptions shown per tornado: those that move the metric most. */
export const TORNADO_BARS = 10;
/** The grid's steps, as shares of the base value. */
export const GRID_BTC_STEPS = [-0.4, -0.3, -0.2, -0.1, 0, 0.1, 0.2, 0.3, 0.4] as const;
export const GRID_LEASE_STEPS = [-0.3, -0.2, -0.1, 0, 0.1, 0.2, 0.3] as const;
const GRID_ROW_KEY: AssumptionKey = "btc_price";
const GRID_COL_KEY: AssumptionKey = "lease_rate";

/** Tornado table columns: the label and the two bars first, where the chart reads them. */
const COL = { label: 0, lowChange: 1, highChange: 2, lowInput: 3, highInput: 4, unit: 5, low: 6, high: 7, key: 8 } as const;
const CHART_COL = 10;
/** Rows a chart covers (320 px at the default 20 px a row), so that blocks do not overlap them. */
const CHART_ROWS = 17;
/**
 * Rows a printed page holds: the sheet is always as wide (one site's tables and their charts),
 * so fitted to one page wide it always prints at the same scale, about a hundred rows a page.
 */
const PAGE_ROWS = 90;

const percent = (share: number) => `${Math.round(share * 100)} %`;

function metricTitle(metric: TornadoMetric): string {
  return metric === "uplift_per_watt" ? "uplift over mining (USD/W)" : "equity value per watt (USD/W)";
}

type Valuer = ReturnType<typeof memoizedValuer>;

/** The metric of `scenario` on the site `a`, as the tornado reads it. */
function metricAt(value: Valuer, scenario: ScenarioName, metric: TornadoMetric, a: Assumptions): number {
  const equity = value(scenario, a).metrics.equity_per_watt;
  return metric === "uplift_per_watt" ? equity - value("mining", a).metrics.equity_per_watt : equity;
}

/** The grid's inputs: the base moved by each step, inside the key's allowed range. */
function gridInputs(key: AssumptionKey, base: number, steps: readonly number[]): number[] {
  return steps.map((step) => clampToRange(getDef(key), base * (1 + step)));
}

export function sensitivitySheet(model: Model): { sheet: SheetBuilder; charts: ChartPlan[] } {
  const site = model.sites[0]!;
  const base = site.values;
  const engine = model.engine[0]!;
  const sheet = new SheetBuilder(SHEET_NAMES.sensitivity, "outputs");
  const charts: ChartPlan[] = [];
  sheet.text(0, 0, "Sensitivity", "title");
  sheet.text(1, 0, "Snapshot: engine values, not live; regenerate to refresh. Editing the Inputs sheet does not change this sheet.", "heading");
  const when = model.options.generatedOn ? `on ${model.options.generatedOn}` : "when the workbook was built";
  sheet.text(2, 0, `Computed by the MinePivot engine ${when}, valued as of ${serialToIso(base.valuation_date)}.`, "note");
  sheet.text(
    3,
    0,
    model.sites.length === 1
      ? `Base case: ${site.name} with its inputs as built (the Inputs sheet when the workbook was generated).`
      : `Base case: ${site.name}, the first of ${model.sites.length} sites, with its inputs as built; the other sites are not analysed here (minepivot sensitivity analyses any site).`,
    "note",
  );
  sheet.text(
    4,
    0,
    `Tornados: each assumption moved ${percent(TORNADO_RANGE)} below and above its base value alone (kept inside its allowed range); the ${TORNADO_BARS} that move the metric most, largest first. Bars show the change from the base value.`,
    "note",
  );

  // The tornados and the grid move the same inputs to the same values: each valuation is made once.
  const value = memoizedValuer(base);
  const breaks: number[] = [];
  let pageTop = 0;
  /** Starts a new page at `top` when a block of `rows` from there would cross the page's end. */
  const keepTogether = (top: number, rows: number) => {
    if (top + rows - pageTop <= PAGE_ROWS) return;
    breaks.push(top);
    pageTop = top;
  };
  let row = 6;
  sheet.text(row, 0, "Base case (USD/W)", "heading");
  row++;
  ["Scenario", "Equity per watt", "Uplift over mining"].forEach((text, col) => sheet.text(row, col, text, col === 0 ? "header" : "header_num"));
  row++;
  for (const scenario of model.scenarios) {
    const metrics = engine.valuations[scenario]!.metrics;
    sheet.text(row, 0, SCENARIO_LABELS[scenario], "label");
    sheet.put({ row, col: 1, value: metrics.equity_per_watt, style: "engine_num" });
    if (scenario !== "mining") sheet.put({ row, col: 2, value: engine.upliftPerWatt[scenario]!, style: "engine_num" });
    row++;
  }
  row++;

  const wanted: Array<{ scenario: ScenarioName; metric: TornadoMetric }> = [
    ...model.scenarios.map((scenario) => ({ scenario, metric: "equity_per_watt" as const })),
    ...model.scenarios.filter((s) => s !== "mining").map((scenario) => ({ scenario, metric: "uplift_per_watt" as const })),
  ];
  for (const { scenario, metric } of wanted) {
    const result = tornado(scenario, metric, base, { range: TORNADO_RANGE, value });
    const bars = result.bars.filter((bar) => bar.swing > 0).slice(0, TORNADO_BARS);
    const top = row;
    keepTogether(top, Math.max(bars.length + 2, CHART_ROWS));
    const title = `${SCENARIO_LABELS[scenario]}: ${metricTitle(metric)}`;
    sheet.text(row, 0, title, "heading");
    sheet.text(row, COL.lowInput, "Base value", "label");
    if (result.base !== null) sheet.put({ row, col: COL.highInput, value: result.base, style: "engine_num" });
    row++;
    const headers = [
      "Assumption (moved alone)",
      `Change at −${percent(TORNADO_RANGE)}`,
      `Change at +${percent(TORNADO_RANGE)}`,
      "Low input",
      "High input",
      "Input unit",
      "Metric at low",
      "Metric at high",
      "Key",
    ];
    headers.forEach((text, col) => sheet.text(row, col, text, col === COL.label || col === COL.unit || col === COL.key ? "header" : "header_num"));
    row++;
    const firstBarRow = row;
    for (const bar of bars) {
      sheet.text(row, COL.label, bar.label, "label");
      if (bar.low !== null && result.base !== null) sheet.put({ row, col: COL.lowChange, value: bar.low - result.base, style: "engine_num" });
      if (bar.high !== null && result.base !== null) sheet.put({ row, col: COL.highChange, value: bar.high - result.base, style: "engine_num" });
      // Shares and rates as percentages, as on the Inputs sheet.
      const inputStyle = isShare(getDef(bar.key)) ? "engine_pct" : "engine_num";
      sheet.put({ row, col: COL.lowInput, value: bar.lowInput, style: inputStyle });
      sheet.put({ row, col: COL.highInput, value: bar.highInput, style: inputStyle });
      sheet.text(row, COL.unit, bar.unit, "unit");
      sheet.put({ row, col: COL.low, value: bar.low ?? "n/a", style: "engine_num" });
      sheet.put({ row, col: COL.high, value: bar.high ?? "n/a", style: "engine_num" });
      sheet.text(row, COL.key, bar.key, "unit");
      row++;
    }
    if (bars.length === 0) sheet.text(row++, 0, `No assumption moves this metric by ±${percent(TORNADO_RANGE)}.`, "note");
    else {
      const series = (name: string, col: number) => ({
        name,
        sheet: SHEET_NAMES.sensitivity,
        categories: [firstBarRow, COL.label, row - 1, COL.label] as const,
        values: [firstBarRow, col, row - 1, col] as const,
      });
      charts.push({
        sheet: SHEET_NAMES.sensitivity,
        row: top,
        col: CHART_COL,
        type: "bar",
        title: `${SCENARIO_LABELS[scenario]} ${metric === "uplift_per_watt" ? "uplift over mining" : "equity per watt"}: change from base`,
        yAxisTitle: metric === "uplift_per_watt" ? "Change in uplift, USD per watt" : "Change in equity value, USD per watt",
        yNumFormat: "0.00",
        series: [series(`Input −${percent(TORNADO_RANGE)}`, COL.lowChange), series(`Input +${percent(TORNADO_RANGE)}`, COL.highChange)],
      });
    }
    row = Math.max(row, top + CHART_ROWS) + 1;
  }

  keepTogether(row, GRID_BTC_STEPS.length + 4);
  gridBlock(sheet, model, base, row, value);
  sheet.widths.push(
    [0, 40],
    ...[1, 2].map((col) => [col, 19] as const),
    ...[3, 4, 6, 7].map((col) => [col, 15] as const),
    [COL.unit, 16],
    [COL.key, 22],
    [9, 2],
  );
  // The title and the snapshot warning stay in view, and print on every page.
  sheet.freeze = [2, 0];
  sheet.print = { repeatRows: [0, 1], rowBreaks: breaks };
  return { sheet, charts };
}

/** The grid of the powered shell's uplift (or the first conversion's; mining's equity per watt alone) by BTC price and lease rate. */
function gridBlock(sheet: SheetBuilder, model: Model, base: Assumptions, top: number, value: Valuer): void {
  const scenario: ScenarioName = model.bases.includes("powered_shell") ? "powered_shell" : (model.scenarios.find((s) => s !== "mining") ?? "mining");
  const metric: TornadoMetric = scenario === "mining" ? "equity_per_watt" : "uplift_per_watt";
  const rowDef = getDef(GRID_ROW_KEY);
  const colDef = getDef(GRID_COL_KEY);
  const rowInputs = gridInputs(GRID_ROW_KEY, base[GRID_ROW_KEY], GRID_BTC_STEPS);
  const colInputs = gridInputs(GRID_COL_KEY, base[GRID_COL_KEY], GRID_LEASE_STEPS);
  let row = top;
  sheet.text(
    row++,
    0,
    `Grid: ${SCENARIO_LABELS[scenario]} ${metricTitle(metric)} by ${rowDef.label.toLowerCase()} and ${colDef.label.toLowerCase()}`,
    "heading",
  );
  sheet.text(
    row++,
    0,
    `Rows: ${GRID_ROW_KEY} from −${percent(-GRID_BTC_STEPS[0])} to +${percent(GRID_BTC_STEPS[GRID_BTC_STEPS.length - 1]!)} of the base (${base[GRID_ROW_KEY].toLocaleString("en-US")} ${rowDef.unit}); ` +
      `columns: ${GRID_COL_KEY} from −${percent(-GRID_LEASE_STEPS[0])} to +${percent(GRID_LEASE_STEPS[GRID_LEASE_STEPS.length - 1]!)} of the base (${base[GRID_COL_KEY].toLocaleString("en-US")} ${colDef.unit}). The middle cell is the base case.`,
    "note",
  );
  sheet.text(row, 1, `${colDef.label} (${colDef.unit}) →`, "header");
  row++;
  sheet.text(row, 0, `${rowDef.label} (${rowDef.unit}) ↓`, "header");
  colInputs.forEach((value, j) => sheet.put({ row, col: 1 + j, value, style: "engine_num" }));
  row++;
  const firstRow = row;
  const values: number[] = [];
  for (const rowValue of rowInputs) {
    sheet.put({ row, col: 0, value: rowValue, style: "engine_usd" });
    colInputs.forEach((colValue, j) => {
      const point = metricAt(value, scenario, metric, withValues(base, { [GRID_ROW_KEY]: rowValue, [GRID_COL_KEY]: colValue }));
      values.push(point);
      sheet.put({ row, col: 1 + j, value: point, style: "engine_num" });
    });
    row++;
  }
  const midpoint = 0;
  const sides: ColorScalePlan["sides"] = values.every((v) => v >= midpoint) ? "above" : values.every((v) => v <= midpoint) ? "below" : "both";
  sheet.colorScales.push({ range: [firstRow, 1, row - 1, colInputs.length], midpoint, sides });
}
