/**
 * Renders a workbook plan to .xlsx bytes with wasm-xlsxwriter. The library is passed in, so
 * the same code serves Node (the `nodejs` build, ready at import) and the browser (the `web`
 * build, initialised first by the caller, and only when a workbook is generated).
 */
import type * as XlsxLib from "wasm-xlsxwriter";
import { unzipSync } from "fflate";
import { evaluatePlan, type Evaluation } from "./evaluate.js";
import type { StyleName, WorkbookPlan } from "./plan.js";
import { chartCaches } from "./charts.js";
import { columnName } from "./refs.js";
import { ByteWriter, cellCount, colorScalesXml, estimatedBytes, rowBreaksXml, sheetDimension, validationsXml, writeSheetData } from "./sheetxml.js";
import { JS_COMPRESSOR, packEntry, zip, type Compressor, type ZipEntry } from "./zip.js";

export type XlsxModule = Pick<
  typeof XlsxLib,
  | "Workbook"
  | "Format"
  | "Formula"
  | "Color"
  | "Note"
  | "Chart"
  | "ChartSeries"
  | "ChartRange"
  | "FormatBorder"
  | "ChartFont"
  | "ChartLegendPosition"
  | "FormatAlign"
>;

// FAST colour conventions: inputs blue on a pale fill, links green, formulas black.
const BLUE = 0x0000ff;
const GREEN = 0x008000;
const PALE_YELLOW = 0xfff2cc;
const HEADER_FILL = 0xd9e1f2;
const GREY = 0x595959;

const USD = "#,##0;[Red]-#,##0";
const PCT = "0.00%";
const RATIO = "#,##0.0000";
const NUMBER = "#,##0.00;[Red]-#,##0.00";
const DATE = "yyyy-mm-dd";
const SCI = "0.0E+00";

function formats(lib: XlsxModule): Record<StyleName, XlsxLib.Format> {
  const f = () => new lib.Format();
  const input = () => f().setFontColor(lib.Color.rgb(BLUE)).setBackgroundColor(lib.Color.rgb(PALE_YELLOW)).setBorder(lib.FormatBorder.Thin);
  // Results right-aligned, text results ("n/a") included, under right-aligned column headers.
  const link = () => f().setFontColor(lib.Color.rgb(GREEN)).setAlign(lib.FormatAlign.Right);
  const calc = () => f().setAlign(lib.FormatAlign.Right);
  return {
    title: f().setBold().setFontSize(16),
    subtitle: f().setItalic().setFontColor(lib.Color.rgb(GREY)),
    heading: f().setBold().setFontSize(12),
    header: f().setBold().setBackgroundColor(lib.Color.rgb(HEADER_FILL)),
    header_num: f().setBold().setBackgroundColor(lib.Color.rgb(HEADER_FILL)).setAlign(lib.FormatAlign.Right),
    label: f(),
    text: f().setTextWrap(),
    note: f().setFontColor(lib.Color.rgb(GREY)),
    // Indented: a unit sits right of a right-aligned number and would touch it.
    unit: f().setFontColor(lib.Color.rgb(GREY)).setItalic().setIndent(1),
    input: input().setNumFormat(NUMBER),
    input_pct: input().setNumFormat(PCT),
    input_date: input().setNumFormat(DATE),
    input_text: input(),
    link: link().setNumFormat(NUMBER),
    link_pct: link().setNumFormat(PCT),
    link_usd: link().setNumFormat(USD),
    calc: calc().setNumFormat(NUMBER),
    calc_usd: calc().setNumFormat(USD),
    calc_pct: calc().setNumFormat(PCT),
    calc_ratio: calc().setNumFormat(RATIO),
    calc_date: f().setNumFormat(DATE),
    calc_flag: f().setNumFormat("0"),
    calc_sci: calc().setNumFormat(SCI),
    check: f().setBold().setNumFormat("0"),
    engine: f().setFontColor(lib.Color.rgb(GREY)).setNumFormat("General"),
    engine_num: f().setFontColor(lib.Color.rgb(GREY)).setAlign(lib.FormatAlign.Right).setNumFormat(NUMBER),
    engine_usd: f().setFontColor(lib.Color.rgb(GREY)).setAlign(lib.FormatAlign.Right).setNumFormat(USD),
    engine_pct: f().setFontColor(lib.Color.rgb(GREY)).setAlign(lib.FormatAlign.Right).setNumFormat(PCT),
    legend_input: input(),
    legend_calc: f().setBorder(lib.FormatBorder.Thin),
    legend_link: link().setBorder(lib.FormatBorder.Thin),
  };
}

/**
 * Frees a wrapper that a builder-style call returned. Every call returns a fresh JavaScript
 * handle to the worksheet; left to the garbage collector, many of them slow every collection.
 */
function release(handle: { free(): void }): void {
  handle.free();
}

/**
 * A step of writeXlsx done: the cached values evaluated, one sheet's cells written, the file
 * compressed. The task pane's worker passes these on as its progress bar.
 */
export interface WriteProgress {
  readonly done: number;
  readonly total: number;
  readonly label: string;
}

/** How many steps writeXlsx reports for `plan`: evaluating, the library's layout, each sheet's cells, compressing. */
export function writeSteps(plan: WorkbookPlan): number {
  return plan.sheets.length + 3;
}

/**
 * Writes the plan; returns the .xlsx file's bytes. The library lays out everything but the
 * cells (sheets, widths, panes, notes, charts, names, styles); the cells, each formula with
 * its cached result, are then written into each sheet's XML directly (sheetxml.ts), and the
 * charts get the cached values of their ranges, so readers that never recalculate show the
 * numbers.
 */
export function writeXlsx(
  plan: WorkbookPlan,
  lib: XlsxModule,
  compressor: Compressor = JS_COMPRESSOR,
  onProgress?: (progress: WriteProgress) => void,
): Uint8Array {
  const total = writeSteps(plan);
  const evaluation = evaluatePlan(plan);
  onProgress?.({ done: 1, total, label: "Evaluated the cached values" });
  const workbook = new lib.Workbook();
  const styles = formats(lib);
  const sheets = new Map<string, XlsxLib.Worksheet>();
  for (const sheetPlan of plan.sheets) {
    const sheet = workbook.addWorksheet();
    sheet.setName(sheetPlan.name);
    sheets.set(sheetPlan.name, sheet);
    for (const [col, width] of sheetPlan.columnWidths) release(sheet.setColumnWidth(col, width));
    if (sheetPlan.freeze) release(sheet.setFreezePanes(sheetPlan.freeze[0], sheetPlan.freeze[1]));
    const print = sheetPlan.print ?? {};
    release(sheet.setLandscape());
    release(sheet.setPrintFitToPages(1, print.onePage ? 1 : 0));
    if (print.repeatRows) release(sheet.setRepeatRows(...print.repeatRows));
    if (print.repeatCols) release(sheet.setRepeatColumns(...print.repeatCols));
    release(sheet.setFooter("&L&A&RPage &P of &N"));
    for (const cell of sheetPlan.cells) {
      if (!cell.note) continue;
      const note = new lib.Note(cell.note).addAuthorPrefix(false);
      release(sheet.insertNote(cell.row, cell.col, note));
      note.free();
    }
  }
  // One probe cell per style on the first sheet registers every format; the probes tell each
  // style's index in styles.xml and are replaced with the sheet's cells below.
  const styleNames = Object.keys(styles) as StyleName[];
  const first = sheets.get(plan.sheets[0]!.name)!;
  styleNames.forEach((style, col) => release(first.writeBlank(0, col, styles[style])));
  for (const name of plan.names) workbook.defineName(name.name, name.refersTo);
  for (const chartPlan of plan.charts) {
    const chart = chartPlan.type === "line" ? lib.Chart.newLine() : chartPlan.type === "bar" ? lib.Chart.newBar() : lib.Chart.newColumn();
    chart.title().setName(chartPlan.title);
    // In a horizontal bar chart the library's x axis is the value axis, and the y axis the categories.
    const bar = chartPlan.type === "bar";
    const valueAxis = bar ? chart.xAxis() : chart.yAxis();
    valueAxis.setName(chartPlan.yAxisTitle);
    if (chartPlan.yNumFormat) valueAxis.setNumFormat(chartPlan.yNumFormat);
    if (chartPlan.rotateLabels) chart.xAxis().setFont(new lib.ChartFont().setRotation(-45));
    // Every assumption's name shows beside its bars, small enough not to skip any.
    if (bar) chart.yAxis().setFont(new lib.ChartFont().setSize(8));
    chart.legend().setPosition(lib.ChartLegendPosition.Bottom);
    for (const series of chartPlan.series) {
      chart.pushSeries(
        new lib.ChartSeries()
          .setName(series.name)
          .setCategories(lib.ChartRange.newFromRange(series.sheet, ...series.categories))
          .setValues(lib.ChartRange.newFromRange(series.sheet, ...series.values)),
      );
    }
    chart.setWidth(720).setHeight(bar ? 320 : 300);
    sheets.get(chartPlan.sheet)!.insertChart(chartPlan.row, chartPlan.col, chart);
  }
  const bytes = workbook.saveToBufferSync();
  workbook.free();
  for (const format of Object.values(styles)) format.free();
  onProgress?.({ done: 2, total, label: "Laid out the sheets, notes and charts" });
  return fillCells(bytes, plan, evaluation, styleNames, compressor, (done, label) => onProgress?.({ done, total, label }));
}

const decoder = new TextDecoder();
const encoder = new TextEncoder();

/** Puts each sheet's cells into the library's file, and the cached values into its charts. */
function fillCells(
  bytes: Uint8Array,
  plan: WorkbookPlan,
  evaluation: Evaluation,
  styleNames: readonly StyleName[],
  compressor: Compressor,
  report: (done: number, label: string) => void,
): Uint8Array {
  const files = unzipSync(bytes);
  const text = (path: string): string => decoder.decode(files[path]);
  const sheetPath = (index: number) => `xl/worksheets/sheet${index + 1}.xml`;
  const probes = text(sheetPath(0));
  const styleId = {} as Record<StyleName, number>;
  styleNames.forEach((style, col) => {
    // The library leaves out a blank cell in the default format: that style is index 0.
    const match = new RegExp(`<c r="${columnName(col)}1" s="(\\d+)"`).exec(probes);
    styleId[style] = Number(match?.[1] ?? 0);
  });
  // Each sheet is compressed as soon as it is written, into one reused buffer: a 50-site
  // workbook's 140 MB of XML is never held at once.
  const packed = new Map<string, ZipEntry>();
  const out = new ByteWriter(Math.max(...plan.sheets.map(estimatedBytes)));
  plan.sheets.forEach((sheet, index) => {
    const path = sheetPath(index);
    const xml = text(path).replace(/<dimension ref="[^"]*"\/>/, `<dimension ref="${sheetDimension(sheet)}"/>`);
    const data = /<sheetData\/>|<sheetData>[\s\S]*?<\/sheetData>/.exec(xml);
    if (!data) throw new Error(`xlsx writer: no sheetData in ${path}`);
    out.reset();
    out.xml(xml.slice(0, data.index));
    writeSheetData(out, sheet, evaluation, styleId);
    // Colour scales, then data validations, follow the cells (and any merged ranges) in the sheet's schema order.
    const after = xml.slice(data.index + data[0].length);
    const skip = /^(?:<(mergeCells|phoneticPr|conditionalFormatting)\b[\s\S]*?<\/\1>)*/.exec(after)![0].length;
    const tail = after.slice(skip);
    // Page breaks follow the header and footer, before any drawing.
    const breaksAt = /<drawing\b|<legacyDrawing\b|<\/worksheet>/.exec(tail)!.index;
    out.xml(
      after.slice(0, skip) +
        colorScalesXml(sheet.colorScales) +
        validationsXml(sheet.validations) +
        tail.slice(0, breaksAt) +
        rowBreaksXml(sheet.print?.rowBreaks) +
        tail.slice(breaksAt),
    );
    packed.set(path, packEntry(path, out.result(), compressor));
    report(index + 3, `Wrote ${cellCount(sheet).toLocaleString("en-US")} cells of ${sheet.name}`);
  });
  for (const path of Object.keys(files)) {
    if (path.startsWith("xl/charts/chart")) files[path] = encoder.encode(chartCaches(text(path), evaluation));
  }
  const archive = zip(Object.entries(files).map(([path, data]) => packed.get(path) ?? packEntry(path, data, compressor)));
  report(plan.sheets.length + 3, "Compressed the file");
  return archive;
}
