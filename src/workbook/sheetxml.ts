/**
 * The cells of a worksheet as SpreadsheetML (`<sheetData>`), written directly as UTF-8 bytes:
 * every formula with its cached result from the plan's evaluation, each timeline row as one
 * shared formula (the file format's own "formula copied across"), constants as numbers,
 * booleans and inline strings. Written here rather than cell by cell through the xlsx
 * library, whose per-cell cost made a 50-site workbook take minutes; bytes rather than
 * strings, because a million small strings cost more in garbage collection than in writing.
 */
import type { Evaluation, Scalar } from "./evaluate.js";
import { CellError } from "./evaluate.js";
import { COLOR_SCALE_RGB, type CellPlan, type ColorScalePlan, type SheetPlan, type StyleName, type ValidationPlan } from "./plan.js";
import { cellRef, columnName, toA1 } from "./refs.js";

const ESCAPE = /[&<>"]/;

export function escapeXml(text: string): string {
  if (!ESCAPE.test(text)) return text;
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/**
 * A growing UTF-8 buffer, filled a row of cells at a time: a row's XML is built as one string
 * (concatenation is the cheapest way to put small pieces together in JavaScript) and encoded
 * at once, rather than written a piece or a character at a time.
 */
export class ByteWriter {
  private buffer: Uint8Array<ArrayBuffer>;
  private length = 0;
  private readonly encoder = new TextEncoder();

  /**
   * `capacity`: the bytes expected. Sized right at the start, the buffer is not grown step by
   * step, and copied each time, as a large sheet is written.
   */
  constructor(capacity = 1 << 16) {
    this.buffer = new Uint8Array(capacity);
  }

  private reserve(bytes: number): void {
    if (this.length + bytes <= this.buffer.length) return;
    let size = this.buffer.length * 2;
    while (size < this.length + bytes) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.buffer.subarray(0, this.length));
    this.buffer = grown;
  }

  /** Markup: any text already escaped for XML, encoded as UTF-8. */
  xml(text: string): void {
    // UTF-8 takes at most 3 bytes for each UTF-16 unit.
    this.reserve(text.length * 3);
    this.length += this.encoder.encodeInto(text, this.buffer.subarray(this.length)).written;
  }

  /** Empties the buffer, keeping its memory for the next sheet. */
  reset(): void {
    this.length = 0;
  }

  result(): Uint8Array<ArrayBuffer> {
    return this.buffer.subarray(0, this.length);
  }
}

/** A number as the file stores it: shortest round-trip form; non-finite numbers never reach here. */
function numberText(n: number): string {
  return Object.is(n, -0) ? "0" : String(n);
}

/** A formula cell from after its reference: `t` for the result's type, the formula, the result. */
function formulaCell(style: string, f: string, value: Scalar): string {
  if (typeof value === "number") return `${style}>${f}<v>${numberText(value)}</v></c>`;
  if (typeof value === "string") return `${style} t="str">${f}<v>${escapeXml(value)}</v></c>`;
  if (typeof value === "boolean") return `${style} t="b">${f}<v>${value ? 1 : 0}</v></c>`;
  if (value instanceof CellError) return `${style} t="e">${f}<v>${escapeXml(value.code)}</v></c>`;
  // A formula that refers to an empty cell shows 0.
  return `${style}>${f}<v>0</v></c>`;
}

/** Cells in a sheet: its plan cells and every column of its timeline rows. */
export function cellCount(sheet: SheetPlan): number {
  return sheet.cells.length + sheet.timelineRows.reduce((n, line) => n + line.lastCol - line.firstCol + 1, 0);
}

/** About what a sheet's cells take in the file: a copied formula with its number is 60 to 70 bytes. */
export function estimatedBytes(sheet: SheetPlan): number {
  return 72 * cellCount(sheet) + (1 << 16);
}

/** The used range of a sheet, e.g. "A1:GZ412". */
export function sheetDimension(sheet: SheetPlan): string {
  let maxRow = 0;
  let maxCol = 0;
  for (const cell of sheet.cells) {
    if (cell.row > maxRow) maxRow = cell.row;
    if (cell.col > maxCol) maxCol = cell.col;
  }
  for (const line of sheet.timelineRows) {
    if (line.row > maxRow) maxRow = line.row;
    if (line.lastCol > maxCol) maxCol = line.lastCol;
  }
  return `A1:${columnName(maxCol)}${maxRow + 1}`;
}

/**
 * Writes a sheet's `<sheetData>` element. `styleId` maps a style to its index in styles.xml
 * (0 is the default and is left out). A plan cell placed inside a timeline row's columns takes
 * precedence, as it does when cells are written after the row.
 */
export function writeSheetData(out: ByteWriter, sheet: SheetPlan, evaluation: Evaluation, styleId: Readonly<Record<StyleName, number>>): void {
  const byRow: CellPlan[][] = [];
  let maxRow = 0;
  let maxCol = 0;
  for (const cell of sheet.cells) {
    (byRow[cell.row] ??= []).push(cell);
    if (cell.row > maxRow) maxRow = cell.row;
    if (cell.col > maxCol) maxCol = cell.col;
  }
  const lines: Array<SheetPlan["timelineRows"][number] | undefined> = [];
  for (const line of sheet.timelineRows) {
    lines[line.row] = line;
    if (line.row > maxRow) maxRow = line.row;
    if (line.lastCol > maxCol) maxCol = line.lastCol;
  }
  const names: string[] = [];
  for (let c = 0; c <= maxCol; c++) names.push(`<c r="${columnName(c)}`);
  const styleAttr = (style: StyleName) => (styleId[style] ? ` s="${styleId[style]}"` : "");
  const value = evaluation.sheet(sheet.name);
  out.xml("<sheetData>");
  let shared = 0;
  for (let row = 0; row <= maxRow; row++) {
    const cells = byRow[row];
    const line = lines[row];
    if (cells === undefined && line === undefined) continue;
    const r = String(row + 1);
    const close = `${r}"`;
    let xml = `<row r="${r}">`;
    const sorted = cells === undefined ? [] : cells.length > 1 ? [...cells].sort((a, b) => a.col - b.col) : cells;
    let next = 0;
    const cellXml = (cell: CellPlan): string => {
      const s = styleAttr(cell.style);
      const ref = names[cell.col]! + close;
      if (cell.formula !== undefined) return ref + formulaCell(s, `<f>${escapeXml(cell.formula.slice(1))}</f>`, value(row, cell.col));
      if (typeof cell.value === "number") return `${ref}${s}><v>${numberText(cell.value)}</v></c>`;
      if (typeof cell.value === "boolean") return `${ref}${s} t="b"><v>${cell.value ? 1 : 0}</v></c>`;
      if (typeof cell.value === "string") return `${ref}${s} t="inlineStr"><is><t xml:space="preserve">${escapeXml(cell.value)}</t></is></c>`;
      return `${ref}${s}/>`;
    };
    if (line !== undefined) {
      while (next < sorted.length && sorted[next]!.col < line.firstCol) xml += cellXml(sorted[next++]!);
      const s = styleAttr(line.style);
      const si = shared++;
      const first = escapeXml(toA1(line.formulaR1C1, row, line.firstCol).slice(1));
      const master =
        line.lastCol > line.firstCol
          ? `<f t="shared" ref="${columnName(line.firstCol)}${r}:${columnName(line.lastCol)}${r}" si="${si}">${first}</f>`
          : `<f>${first}</f>`;
      const copy = `<f t="shared" si="${si}"/>`;
      // What follows a copied cell's reference when its result is a number: the bulk of the workbook.
      const numeric = `${close}${s}>${copy}<v>`;
      const { numbers, others } = evaluation.timeline(sheet.name, row);
      for (let col = line.firstCol; col <= line.lastCol; col++) {
        if (next < sorted.length && sorted[next]!.col === col) {
          xml += cellXml(sorted[next++]!);
          continue;
        }
        const k = col - line.firstCol;
        const other = others?.[k];
        if (col !== line.firstCol && other === undefined) xml += names[col]! + numeric + numberText(numbers[k]!) + "</v></c>";
        else xml += names[col]! + close + formulaCell(s, col === line.firstCol ? master : copy, other === undefined ? numbers[k]! : other);
      }
    }
    while (next < sorted.length) xml += cellXml(sorted[next++]!);
    out.xml(xml + "</row>");
  }
  out.xml("</sheetData>");
}

/** A sheet's `<dataValidations>` element, or "" when it has none. */
export function validationsXml(validations: readonly ValidationPlan[] | undefined): string {
  if (!validations || validations.length === 0) return "";
  const items = validations.map((v) => {
    const [r1, c1, r2, c2] = v.range;
    const sqref = r1 === r2 && c1 === c2 ? cellRef(r1, c1) : `${cellRef(r1, c1)}:${cellRef(r2, c2)}`;
    const rule = v.rule;
    const type = rule.kind === "custom" ? "custom" : rule.kind;
    const operator = rule.kind === "decimal" || rule.kind === "whole" || rule.kind === "date" ? ' operator="between"' : "";
    const formulas =
      rule.kind === "list"
        ? `<formula1>"${escapeXml(rule.items.join(","))}"</formula1>`
        : rule.kind === "custom"
          ? `<formula1>${escapeXml(rule.formula)}</formula1>`
          : `<formula1>${rule.min}</formula1><formula2>${rule.max}</formula2>`;
    const text = (name: string, value: string) => ` ${name}="${escapeXml(value)}"`;
    return (
      `<dataValidation type="${type}"${operator} errorStyle="stop" allowBlank="0" showInputMessage="1" showErrorMessage="1"` +
      `${text("errorTitle", v.errorTitle)}${text("error", v.error)}${text("promptTitle", v.title)}${text("prompt", v.prompt)} sqref="${sqref}">${formulas}</dataValidation>`
    );
  });
  return `<dataValidations count="${validations.length}">${items.join("")}</dataValidations>`;
}

// Excel's own colour-scale colours: red, white, green.
const SCALE_LOW = `FF${COLOR_SCALE_RGB.low}`;
const SCALE_MID = `FF${COLOR_SCALE_RGB.mid}`;
const SCALE_HIGH = `FF${COLOR_SCALE_RGB.high}`;

/**
 * The sheet's colour scales as <conditionalFormatting> elements. A scale whose values all lie on
 * one side of its midpoint runs from white to that side's colour: a midpoint outside the values
 * would colour them all alike.
 */
export function colorScalesXml(scales: readonly ColorScalePlan[] | undefined): string {
  if (!scales) return "";
  return scales
    .map((scale, i) => {
      const [r1, c1, r2, c2] = scale.range;
      const stops =
        scale.sides === "both"
          ? `<cfvo type="min"/><cfvo type="num" val="${scale.midpoint}"/><cfvo type="max"/><color rgb="${SCALE_LOW}"/><color rgb="${SCALE_MID}"/><color rgb="${SCALE_HIGH}"/>`
          : scale.sides === "above"
            ? `<cfvo type="min"/><cfvo type="max"/><color rgb="${SCALE_MID}"/><color rgb="${SCALE_HIGH}"/>`
            : `<cfvo type="min"/><cfvo type="max"/><color rgb="${SCALE_LOW}"/><color rgb="${SCALE_MID}"/>`;
      return `<conditionalFormatting sqref="${cellRef(r1, c1)}:${cellRef(r2, c2)}"><cfRule type="colorScale" priority="${i + 1}"><colorScale>${stops}</colorScale></cfRule></conditionalFormatting>`;
    })
    .join("");
}

/** Manual page breaks above each of `rows` (0-based), as <rowBreaks>. */
export function rowBreaksXml(rows: readonly number[] | undefined): string {
  if (!rows || rows.length === 0) return "";
  const breaks = rows.map((row) => `<brk id="${row}" max="16383" man="1"/>`).join("");
  return `<rowBreaks count="${rows.length}" manualBreakCount="${rows.length}">${breaks}</rowBreaks>`;
}
