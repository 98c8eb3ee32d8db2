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

const PLAIN_ASCII = /^[\x20-\x7e]*$/;

/** A growing UTF-8 buffer. */
export class ByteWriter {
  private buffer: Uint8Array<ArrayBuffer> = new Uint8Array(1 << 16);
  private length = 0;
  private readonly encoder = new TextEncoder();

  private reserve(bytes: number): void {
    if (this.length + bytes <= this.buffer.length) return;
    let size = this.buffer.length * 2;
    while (size < this.length + bytes) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.buffer.subarray(0, this.length));
    this.buffer = grown;
  }

  /** Text known to be ASCII with nothing to escape (markup, numbers, references). */
  ascii(text: string): void {
    this.reserve(text.length);
    const buffer = this.buffer;
    let at = this.length;
    for (let i = 0; i < text.length; i++) buffer[at++] = text.charCodeAt(i);
    this.length = at;
  }

  /** Any text, escaped for XML and encoded as UTF-8. */
  text(text: string): void {
    const escaped = escapeXml(text);
    if (PLAIN_ASCII.test(escaped)) return this.ascii(escaped);
    this.reserve(escaped.length * 3);
    this.length += this.encoder.encodeInto(escaped, this.buffer.subarray(this.length)).written;
  }

  bytes(data: Uint8Array): void {
    this.reserve(data.length);
    this.buffer.set(data, this.length);
    this.length += data.length;
  }

  result(): Uint8Array<ArrayBuffer> {
    return this.buffer.subarray(0, this.length);
  }
}

/** A number as the file stores it: shortest round-trip form; non-finite numbers never reach here. */
function numberText(n: number): string {
  return Object.is(n, -0) ? "0" : String(n);
}

/** Writes a formula cell from after its reference: `t` for the result's type, the formula, the result. */
function formulaCell(out: ByteWriter, style: string, f: string, value: Scalar): void {
  if (typeof value === "number") {
    out.ascii(`${style}>${f}<v>`);
    out.ascii(numberText(value));
  } else if (typeof value === "string") {
    out.ascii(`${style} t="str">${f}<v>`);
    out.text(value);
  } else if (typeof value === "boolean") {
    out.ascii(`${style} t="b">${f}<v>${value ? 1 : 0}`);
  } else if (value instanceof CellError) {
    out.ascii(`${style} t="e">${f}<v>`);
    out.text(value.code);
  } else {
    // A formula that refers to an empty cell shows 0.
    out.ascii(`${style}>${f}<v>0`);
  }
  out.ascii("</v></c>");
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
  out.ascii("<sheetData>");
  let shared = 0;
  for (let row = 0; row <= maxRow; row++) {
    const cells = byRow[row];
    const line = lines[row];
    if (cells === undefined && line === undefined) continue;
    const r = String(row + 1);
    const close = `${r}"`;
    out.ascii(`<row r="${r}">`);
    const sorted = cells === undefined ? [] : cells.length > 1 ? [...cells].sort((a, b) => a.col - b.col) : cells;
    let next = 0;
    const writeCell = (cell: CellPlan) => {
      const s = styleAttr(cell.style);
      out.ascii(names[cell.col]!);
      out.ascii(close);
      if (cell.formula !== undefined) {
        formulaCell(out, s, `<f>${escapeXml(cell.formula.slice(1))}</f>`, value(row, cell.col));
      } else if (typeof cell.value === "number") out.ascii(`${s}><v>${numberText(cell.value)}</v></c>`);
      else if (typeof cell.value === "boolean") out.ascii(`${s} t="b"><v>${cell.value ? 1 : 0}</v></c>`);
      else if (typeof cell.value === "string") {
        out.ascii(`${s} t="inlineStr"><is><t xml:space="preserve">`);
        out.text(cell.value);
        out.ascii("</t></is></c>");
      } else out.ascii(`${s}/>`);
    };
    if (line !== undefined) {
      while (next < sorted.length && sorted[next]!.col < line.firstCol) writeCell(sorted[next++]!);
      const s = styleAttr(line.style);
      const si = shared++;
      const first = escapeXml(toA1(line.formulaR1C1, row, line.firstCol).slice(1));
      const master =
        line.lastCol > line.firstCol
          ? `<f t="shared" ref="${columnName(line.firstCol)}${r}:${columnName(line.lastCol)}${r}" si="${si}">${first}</f>`
          : `<f>${first}</f>`;
      const copy = `<f t="shared" si="${si}"/>`;
      const numeric = `${s}>${copy}<v>`;
      for (let col = line.firstCol; col <= line.lastCol; col++) {
        if (next < sorted.length && sorted[next]!.col === col) {
          writeCell(sorted[next++]!);
          continue;
        }
        out.ascii(names[col]!);
        out.ascii(close);
        const result = value(row, col);
        if (col !== line.firstCol && typeof result === "number") {
          // The bulk of the workbook: a copied formula with a number.
          out.ascii(numeric);
          out.ascii(numberText(result));
          out.ascii("</v></c>");
        } else formulaCell(out, s, col === line.firstCol ? master : copy, result);
      }
    }
    while (next < sorted.length) writeCell(sorted[next++]!);
    out.ascii("</row>");
  }
  out.ascii("</sheetData>");
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
