/// <reference types="office-js" />
/**
 * Writes a workbook plan into the open Excel workbook through Office.js: the same plan the CLI
 * writes to .xlsx. Its promises:
 * - never touch what is there: clashing sheet names get " (2)", clashing defined names "_2";
 * - all or nothing: on any failure, or when cancelled, every sheet and name it added is removed;
 * - requests Excel on the web accepts: it refuses a request over 5 MB, so writes are sent in
 *   batches whose estimated size stays under REQUEST_BUDGET_BYTES, measured with Office.js's
 *   own request builder in a test (timeline rows go in one call each, as R1C1 formulas).
 */
import { serialToIso } from "../core/index.js";
import {
  COLOR_SCALE_RGB,
  type CellPlan,
  type ChartPlan,
  type ColorScalePlan,
  type PrintPlan,
  type SheetPlan,
  type StyleName,
  type ValidationPlan,
  type ValidationRule,
  type WorkbookPlan,
} from "../workbook/plan.js";
import { columnName } from "../workbook/refs.js";
import { renamePlan } from "../workbook/rename.js";

export interface InsertProgress {
  readonly done: number;
  readonly total: number;
  readonly label: string;
}

export interface InsertResult {
  readonly sheets: readonly string[];
  readonly renamedSheets: Readonly<Record<string, string>>;
  readonly renamedNames: Readonly<Record<string, string>>;
}

export interface InsertOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: InsertProgress) => void;
}

/**
 * The most a batch of writes may add up to, as estimated below, before it is sent. Excel on the
 * web refuses requests over 5 MB; the estimate runs high, and the test that measures the real
 * requests holds them under 4 MB.
 */
export const REQUEST_BUDGET_BYTES = 3_000_000;

/**
 * Office.js's JSON for one range write: its object paths (the sheet lookup, the range, format,
 * font, fill) and actions cost a few hundred bytes before the data itself. Set from the request
 * builder's output, with room to spare.
 */
const RANGE_OVERHEAD_BYTES = 1_200;

/** Bytes a value adds to the request: its JSON, with non-ASCII text counted at 3 bytes a character. */
function jsonBytes(value: unknown): number {
  const json = JSON.stringify(value) ?? "";
  let bytes = json.length;
  for (let i = 0; i < json.length; i++) if (json.charCodeAt(i) > 0x7f) bytes += 2;
  return bytes;
}

/** Queues writes and sends them whenever the next one would take the batch over the budget. */
class Batcher {
  private bytes = 0;
  constructor(
    private readonly context: Excel.RequestContext,
    private readonly signal: AbortSignal | undefined,
    private readonly budget = REQUEST_BUDGET_BYTES,
  ) {}

  /** Makes room for a write of about `bytes`, sending what is queued first if need be. */
  async reserve(bytes: number): Promise<void> {
    if (this.bytes > 0 && this.bytes + bytes > this.budget) await this.flush();
    this.bytes += bytes;
  }

  async flush(): Promise<void> {
    if (this.signal?.aborted) throw abortError();
    await this.context.sync();
    this.bytes = 0;
  }
}

interface Look {
  readonly numberFormat?: string;
  readonly font?: string;
  readonly fill?: string;
  readonly bold?: boolean;
  readonly italic?: boolean;
  readonly align?: "Right";
}

// The same FAST colours as the .xlsx writer: inputs blue on pale yellow, links green.
const BLUE = "#0000FF";
const GREEN = "#008000";
const GREY = "#595959";
const PALE_YELLOW = "#FFF2CC";
const USD = "#,##0;[Red]-#,##0";
const NUMBER = "#,##0.00;[Red]-#,##0.00";
const PCT = "0.00%";

const LOOKS: Readonly<Record<StyleName, Look>> = {
  title: { bold: true },
  subtitle: { italic: true, font: GREY },
  heading: { bold: true },
  header: { bold: true, fill: "#D9E1F2" },
  header_num: { bold: true, fill: "#D9E1F2", align: "Right" },
  label: {},
  text: {},
  note: { font: GREY },
  unit: { font: GREY, italic: true },
  input: { font: BLUE, fill: PALE_YELLOW, numberFormat: NUMBER },
  input_pct: { font: BLUE, fill: PALE_YELLOW, numberFormat: PCT },
  input_date: { font: BLUE, fill: PALE_YELLOW, numberFormat: "yyyy-mm-dd" },
  input_text: { font: BLUE, fill: PALE_YELLOW },
  link: { font: GREEN, numberFormat: NUMBER },
  link_pct: { font: GREEN, numberFormat: PCT },
  link_usd: { font: GREEN, numberFormat: USD },
  calc: { numberFormat: NUMBER },
  calc_usd: { numberFormat: USD },
  calc_pct: { numberFormat: PCT },
  calc_ratio: { numberFormat: "#,##0.0000" },
  calc_date: { numberFormat: "yyyy-mm-dd" },
  calc_flag: { numberFormat: "0" },
  calc_sci: { numberFormat: "0.0E+00", align: "Right" },
  check: { bold: true, numberFormat: "0" },
  engine: { font: GREY },
  engine_num: { font: GREY, numberFormat: NUMBER, align: "Right" },
  engine_usd: { font: GREY, numberFormat: USD, align: "Right" },
  engine_pct: { font: GREY, numberFormat: PCT, align: "Right" },
  legend_input: { font: BLUE, fill: PALE_YELLOW },
  legend_calc: {},
  legend_link: { font: GREEN },
};

function applyLook(range: Excel.Range, style: StyleName, columns = 1): void {
  const look = LOOKS[style];
  if (look.numberFormat) range.numberFormat = [new Array<string>(columns).fill(look.numberFormat)];
  if (look.font) range.format.font.color = look.font;
  if (look.fill) range.format.fill.color = look.fill;
  if (look.bold) range.format.font.bold = true;
  if (look.italic) range.format.font.italic = true;
  if (look.align) range.format.horizontalAlignment = look.align;
}

function abortError(): Error {
  const error = new Error("Workbook generation was cancelled; nothing was left in the workbook.");
  error.name = "AbortError";
  return error;
}

/**
 * Queues one sheet's widths, timeline rows, cells and panes, sending batches as they fill. The
 * sheet is looked up by name for every write: an object returned by worksheets.add is not valid
 * in the requests after its own.
 */
async function queueSheet(worksheets: Excel.WorksheetCollection, plan: SheetPlan, batch: Batcher): Promise<void> {
  const sheet = () => worksheets.getItem(plan.name);
  for (const [col, width] of plan.columnWidths) {
    await batch.reserve(RANGE_OVERHEAD_BYTES);
    sheet().getRangeByIndexes(0, col, 1, 1).format.columnWidth = width * 7;
  }
  for (const line of plan.timelineRows) {
    const count = line.lastCol - line.firstCol + 1;
    const formulas = [new Array<string>(count).fill(line.formulaR1C1)];
    const look = LOOKS[line.style];
    await batch.reserve(RANGE_OVERHEAD_BYTES + jsonBytes(formulas) + (look.numberFormat ? count * (jsonBytes(look.numberFormat) + 1) : 0));
    const range = sheet().getRangeByIndexes(line.row, line.firstCol, 1, count);
    range.formulasR1C1 = formulas;
    applyLook(range, line.style, count);
  }
  for (const cell of plan.cells) {
    await batch.reserve(RANGE_OVERHEAD_BYTES + jsonBytes(cell.formula ?? cell.value) + jsonBytes(LOOKS[cell.style].numberFormat));
    queueCell(sheet(), cell);
  }
  for (const validation of plan.validations ?? []) {
    await batch.reserve(RANGE_OVERHEAD_BYTES + jsonBytes(validation));
    queueValidation(sheet(), validation);
  }
  if (supportsExcelApi("1.6")) {
    for (const scale of plan.colorScales ?? []) {
      await batch.reserve(RANGE_OVERHEAD_BYTES);
      queueColorScale(sheet(), scale);
    }
  }
  await batch.reserve(RANGE_OVERHEAD_BYTES);
  queuePrint(sheet(), plan.print ?? {});
  if (plan.freeze) {
    await batch.reserve(RANGE_OVERHEAD_BYTES);
    sheet().freezePanes.freezeAt(sheet().getRangeByIndexes(0, 0, Math.max(1, plan.freeze[0]), Math.max(1, plan.freeze[1])));
  }
}

function excelRule(rule: ValidationRule): Excel.DataValidationRule {
  switch (rule.kind) {
    case "list":
      return { list: { inCellDropDown: true, source: rule.items.join(",") } };
    case "custom":
      return { custom: { formula: `=${rule.formula}` } };
    case "date":
      return { date: { formula1: serialToIso(rule.min), formula2: serialToIso(rule.max), operator: "Between" } };
    default: {
      const between = { formula1: String(rule.min), formula2: String(rule.max), operator: "Between" as const };
      return rule.kind === "whole" ? { wholeNumber: between } : { decimal: between };
    }
  }
}

/** The same data validation as the .xlsx file: input message and stop alert. */
function queueValidation(sheet: Excel.Worksheet, validation: ValidationPlan): void {
  const [r1, c1, r2, c2] = validation.range;
  const target = sheet.getRangeByIndexes(r1, c1, r2 - r1 + 1, c2 - c1 + 1).dataValidation;
  target.rule = excelRule(validation.rule);
  target.prompt = { showPrompt: true, title: validation.title, message: validation.prompt };
  target.errorAlert = { showAlert: true, style: "Stop", title: validation.errorTitle, message: validation.error };
}

/**
 * Whether the host has the ExcelApi requirement set `version`. Features beyond what the
 * manifest requires (conditional formats from 1.6, chart axis and series looks from 1.7 and
 * 1.8, page breaks from 1.9) are left out where it does not: the workbook is the same, only plainer. Outside Office
 * (the tests' fakes and Office.js's own request builder) everything is written.
 */
function supportsExcelApi(version: string): boolean {
  const requirements = (globalThis as { Office?: { context?: { requirements?: { isSetSupported(set: string, version: string): boolean } } } }).Office?.context
    ?.requirements;
  return requirements ? requirements.isSetSupported("ExcelApi", version) : true;
}

/** The same colour scale as the .xlsx file: red, white at the midpoint, green (two colours when the values lie on one side). */
function queueColorScale(sheet: Excel.Worksheet, scale: ColorScalePlan): void {
  const [r1, c1, r2, c2] = scale.range;
  const format = sheet.getRangeByIndexes(r1, c1, r2 - r1 + 1, c2 - c1 + 1).conditionalFormats.add("ColorScale");
  const color = (rgb: string): string => `#${rgb}`;
  const lowest = { type: "LowestValue" as const };
  const highest = { type: "HighestValue" as const };
  format.colorScale.criteria =
    scale.sides === "both"
      ? {
          minimum: { ...lowest, color: color(COLOR_SCALE_RGB.low) },
          midpoint: { formula: String(scale.midpoint), type: "Number", color: color(COLOR_SCALE_RGB.mid) },
          maximum: { ...highest, color: color(COLOR_SCALE_RGB.high) },
        }
      : scale.sides === "above"
        ? { minimum: { ...lowest, color: color(COLOR_SCALE_RGB.mid) }, maximum: { ...highest, color: color(COLOR_SCALE_RGB.high) } }
        : { minimum: { ...lowest, color: color(COLOR_SCALE_RGB.low) }, maximum: { ...highest, color: color(COLOR_SCALE_RGB.mid) } };
}

/**
 * The chart's look as in the .xlsx file: the value axis' number format, category labels at the
 * bottom of the plot (clear of bars below zero) and turned where many, and tornados with each
 * assumption's low and high bars overlapped on one line, the largest swing on top.
 */
function queueChartLook(chart: Excel.Chart, plan: ChartPlan): void {
  const categories = chart.axes.categoryAxis;
  if (plan.type === "bar" && supportsExcelApi("1.7")) categories.reversePlotOrder = true;
  if (!supportsExcelApi("1.8")) return;
  categories.tickLabelPosition = "Low";
  if (plan.rotateLabels) categories.textOrientation = -45;
  if (plan.yNumFormat) chart.axes.valueAxis.numberFormat = plan.yNumFormat;
  if (plan.type === "bar") {
    for (let i = 0; i < plan.series.length; i++) {
      const series = chart.series.getItemAt(i);
      series.overlap = 100;
      series.gapWidth = 40;
    }
  }
}

/** The same print setup as the .xlsx file: landscape, one page wide, repeated titles, footer. */
function queuePrint(sheet: Excel.Worksheet, print: PrintPlan): void {
  const layout = sheet.pageLayout;
  layout.orientation = "Landscape";
  layout.zoom = { horizontalFitToPages: 1, verticalFitToPages: print.onePage ? 1 : 0 };
  if (print.repeatRows) layout.setPrintTitleRows(`$${print.repeatRows[0] + 1}:$${print.repeatRows[1] + 1}`);
  if (print.repeatCols) layout.setPrintTitleColumns(`$${columnName(print.repeatCols[0])}:$${columnName(print.repeatCols[1])}`);
  layout.headersFooters.defaultForAllPages.leftFooter = "&A";
  layout.headersFooters.defaultForAllPages.rightFooter = "Page &P of &N";
  // A page break goes above the top-left cell of the range given: the row starts a new page.
  if (supportsExcelApi("1.9")) for (const row of print.rowBreaks ?? []) sheet.horizontalPageBreaks.add(sheet.getRangeByIndexes(row, 0, 1, 1));
}

function queueCell(sheet: Excel.Worksheet, cell: CellPlan): void {
  const range = sheet.getRangeByIndexes(cell.row, cell.col, 1, 1);
  if (cell.formula !== undefined) range.formulas = [[cell.formula]];
  else if (typeof cell.value === "string") {
    // Excel reads a written value as if typed: "=..." (or "+", "-", "@") in a site name would
    // become a live formula. Cells formatted as text keep what is written, as written.
    range.numberFormat = [["@"]];
    range.values = [[cell.value]];
  } else if (cell.value !== undefined) range.values = [[cell.value]];
  applyLook(range, cell.style);
}

/** Inserts the plan's sheets, names and charts; see the module comment for its promises. */
export async function insertPlan(context: Excel.RequestContext, plan: WorkbookPlan, options: InsertOptions = {}): Promise<InsertResult> {
  const { signal, onProgress } = options;
  if (signal?.aborted) throw abortError();
  const workbook = context.workbook;
  const worksheets = workbook.worksheets;
  worksheets.load("items/name");
  workbook.names.load("items/name");
  await context.sync();
  const fitted = renamePlan(
    plan,
    worksheets.items.map((sheet) => sheet.name),
    workbook.names.items.map((name) => name.name),
  );
  const total = fitted.plan.sheets.length + 2;
  const added: string[] = [];
  const addedNames: string[] = [];
  const batch = new Batcher(context, signal);
  try {
    for (const [index, sheetPlan] of fitted.plan.sheets.entries()) {
      if (signal?.aborted) throw abortError();
      added.push(sheetPlan.name);
      worksheets.add(sheetPlan.name);
      await queueSheet(worksheets, sheetPlan, batch);
      await batch.flush();
      onProgress?.({ done: index + 1, total, label: `Wrote sheet ${sheetPlan.name}` });
    }
    if (signal?.aborted) throw abortError();
    for (const defined of fitted.plan.names) {
      await batch.reserve(RANGE_OVERHEAD_BYTES + jsonBytes(defined));
      workbook.names.add(defined.name, defined.refersTo);
      addedNames.push(defined.name);
    }
    await batch.flush();
    onProgress?.({ done: total - 1, total, label: "Defined names" });
    for (const chartPlan of fitted.plan.charts) {
      const sheet = worksheets.getItem(chartPlan.sheet);
      const first = chartPlan.series[0]!;
      // Each chart's data is one table: categories in the first column, one column per series,
      // with the series names in the header row just above.
      const top = first.categories[0] - 1;
      const rows = first.categories[2] - top + 1;
      const columns = chartPlan.series[chartPlan.series.length - 1]!.values[3] - first.categories[1] + 1;
      const source = worksheets.getItem(first.sheet).getRangeByIndexes(top, first.categories[1], rows, columns);
      const chart = sheet.charts.add(
        { line: Excel.ChartType.line, column: Excel.ChartType.columnClustered, bar: Excel.ChartType.barClustered }[chartPlan.type],
        source,
        Excel.ChartSeriesBy.columns,
      );
      chart.title.text = chartPlan.title;
      chart.axes.valueAxis.title.text = chartPlan.yAxisTitle;
      queueChartLook(chart, chartPlan);
      chart.setPosition(sheet.getRangeByIndexes(chartPlan.row, chartPlan.col, 1, 1));
    }
    if (fitted.plan.sheets[0]) worksheets.getItem(fitted.plan.sheets[0].name).activate();
    await context.sync();
    onProgress?.({ done: total, total, label: "Charts" });
  } catch (error) {
    await rollBack(context, added, addedNames);
    throw error;
  }
  return { sheets: fitted.plan.sheets.map((s) => s.name), renamedSheets: fitted.renamedSheets, renamedNames: fitted.renamedNames };
}

/**
 * Removes what this run added, looked up by name: a batch that failed part-way may or may not
 * have created its sheet. The user's own sheets and names were never touched, and the plan's
 * names were made unique, so deleting by name cannot hit theirs.
 */
async function rollBack(context: Excel.RequestContext, sheetNames: readonly string[], names: readonly string[]): Promise<void> {
  try {
    const sheets = sheetNames.map((name) => context.workbook.worksheets.getItemOrNullObject(name));
    const items = names.map((name) => context.workbook.names.getItemOrNullObject(name));
    for (const item of [...sheets, ...items]) item.load("isNullObject");
    await context.sync();
    for (const item of items) if (!item.isNullObject) item.delete();
    for (const sheet of sheets) if (!sheet.isNullObject) sheet.delete();
    await context.sync();
  } catch {
    // The original error is the one to report; a failed clean-up cannot be retried here.
  }
}
