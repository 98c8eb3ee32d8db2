/**
 * Renders a workbook plan to .xlsx bytes with wasm-xlsxwriter. The library is passed in, so
 * the same code serves Node (the `nodejs` build, ready at import) and the browser (the `web`
 * build, initialised first by the caller, and only when a workbook is generated).
 */
import type * as XlsxLib from "wasm-xlsxwriter";
import type { StyleName, WorkbookPlan } from "./plan.js";
import { toA1 } from "./refs.js";

export type XlsxModule = Pick<typeof XlsxLib, "Workbook" | "Format" | "Formula" | "Color" | "Note" | "Chart" | "ChartSeries" | "ChartRange" | "FormatBorder">;

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

function formats(lib: XlsxModule): Record<StyleName, XlsxLib.Format> {
  const f = () => new lib.Format();
  const input = () => f().setFontColor(lib.Color.rgb(BLUE)).setBackgroundColor(lib.Color.rgb(PALE_YELLOW)).setBorder(lib.FormatBorder.Thin);
  const link = () => f().setFontColor(lib.Color.rgb(GREEN));
  return {
    title: f().setBold().setFontSize(16),
    subtitle: f().setItalic().setFontColor(lib.Color.rgb(GREY)),
    heading: f().setBold().setFontSize(12),
    header: f().setBold().setBackgroundColor(lib.Color.rgb(HEADER_FILL)),
    label: f(),
    text: f().setTextWrap(),
    note: f().setFontColor(lib.Color.rgb(GREY)),
    unit: f().setFontColor(lib.Color.rgb(GREY)).setItalic(),
    input: input().setNumFormat(NUMBER),
    input_pct: input().setNumFormat(PCT),
    input_date: input().setNumFormat(DATE),
    input_text: input(),
    link: link().setNumFormat(NUMBER),
    link_pct: link().setNumFormat(PCT),
    link_usd: link().setNumFormat(USD),
    calc: f().setNumFormat(NUMBER),
    calc_usd: f().setNumFormat(USD),
    calc_pct: f().setNumFormat(PCT),
    calc_ratio: f().setNumFormat(RATIO),
    calc_date: f().setNumFormat(DATE),
    calc_flag: f().setNumFormat("0"),
    check: f().setBold().setNumFormat("0"),
    engine: f().setFontColor(lib.Color.rgb(GREY)).setNumFormat("General"),
    legend_input: input(),
    legend_calc: f().setBorder(lib.FormatBorder.Thin),
    legend_link: link().setBorder(lib.FormatBorder.Thin),
  };
}

/**
 * Frees a wrapper that a builder-style call returned. Every write returns a fresh JavaScript
 * handle to the worksheet; left to the garbage collector, a million of them make each
 * collection slower than the last (writing a 50-site workbook went from seconds to minutes).
 */
function release(handle: { free(): void }): void {
  handle.free();
}

/** Writes the plan; returns the .xlsx file's bytes. */
export function writeXlsx(plan: WorkbookPlan, lib: XlsxModule): Uint8Array {
  const workbook = new lib.Workbook();
  const styles = formats(lib);
  const sheets = new Map<string, XlsxLib.Worksheet>();
  for (const sheetPlan of plan.sheets) {
    const sheet = workbook.addWorksheet();
    sheet.setName(sheetPlan.name);
    sheets.set(sheetPlan.name, sheet);
    for (const [col, width] of sheetPlan.columnWidths) release(sheet.setColumnWidth(col, width));
    if (sheetPlan.freeze) release(sheet.setFreezePanes(sheetPlan.freeze[0], sheetPlan.freeze[1]));
    for (const line of sheetPlan.timelineRows) {
      const format = styles[line.style];
      for (let col = line.firstCol; col <= line.lastCol; col++) {
        const formula = new lib.Formula(toA1(line.formulaR1C1, line.row, col));
        release(sheet.writeFormulaWithFormat(line.row, col, formula, format));
        formula.free();
      }
    }
    for (const cell of sheetPlan.cells) {
      const format = styles[cell.style];
      if (cell.formula !== undefined) {
        // The writer copies formulas (and setResult returns a copy): free each wrapper at once.
        const bare = new lib.Formula(cell.formula);
        const formula = cell.expected === undefined ? bare : bare.setResult(String(cell.expected));
        release(sheet.writeFormulaWithFormat(cell.row, cell.col, formula, format));
        if (formula !== bare) formula.free();
        bare.free();
      } else if (typeof cell.value === "number") release(sheet.writeNumberWithFormat(cell.row, cell.col, cell.value, format));
      else if (typeof cell.value === "boolean") release(sheet.writeBooleanWithFormat(cell.row, cell.col, cell.value, format));
      else if (typeof cell.value === "string") release(sheet.writeStringWithFormat(cell.row, cell.col, cell.value, format));
      if (cell.note) {
        const note = new lib.Note(cell.note).addAuthorPrefix(false);
        release(sheet.insertNote(cell.row, cell.col, note));
        note.free();
      }
    }
  }
  for (const name of plan.names) workbook.defineName(name.name, name.refersTo);
  for (const chartPlan of plan.charts) {
    const chart = chartPlan.type === "line" ? lib.Chart.newLine() : lib.Chart.newColumn();
    chart.title().setName(chartPlan.title);
    chart.yAxis().setName(chartPlan.yAxisTitle);
    for (const series of chartPlan.series) {
      chart.pushSeries(
        new lib.ChartSeries()
          .setName(series.name)
          .setCategories(lib.ChartRange.newFromRange(series.sheet, ...series.categories))
          .setValues(lib.ChartRange.newFromRange(series.sheet, ...series.values)),
      );
    }
    chart.setWidth(720).setHeight(300);
    sheets.get(chartPlan.sheet)!.insertChart(chartPlan.row, chartPlan.col, chart);
  }
  const bytes = workbook.saveToBufferSync();
  workbook.free();
  for (const format of Object.values(styles)) format.free();
  return bytes;
}
