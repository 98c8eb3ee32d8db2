/**
 * The shared layout of the workbook plan: a sheet builder, the workings sheets' column layout,
 * and scenario blocks laid out from row specs. Every sheet module builds on this.
 *
 * Workings sheets share one column layout: label | constant | unit | total | (blank) | months.
 * Each block (one site, one scenario) first links its inputs into the constant column, then
 * derives constants, then lays out timeline rows: one formula per row, copied unchanged across
 * the months, with timing by flag rows. The column left of the timeline stays blank so that
 * balance rows (opening = previous closing) start from zero.
 */
import { getDef, type AssumptionDef, type AssumptionKey, type Metrics } from "../core/index.js";
import type { CellPlan, ColorScalePlan, PrintPlan, SheetPlan, SheetRole, StyleName, ValidationPlan } from "./plan.js";
import { absRange, absRef, cellRef, sheetPrefix, toR1C1 } from "./refs.js";

export const SHEET_NAMES = {
  cover: "Cover",
  inputs: "Inputs",
  mining: "Mining",
  powered_shell: "Powered shell",
  colocated_gpu: "Colocated GPU",
  hybrid: "Hybrid",
  comparison: "Comparison",
  portfolio: "Portfolio comparison",
  sensitivity: "Sensitivity",
  checks: "Checks",
} as const;

// Workings column layout.
export const COL_LABEL = 0;
export const COL_CONST = 1;
export const COL_UNIT = 2;
export const COL_TOTAL = 3;
export const COL_FIRST_MONTH = 5;
export const ROW_MONTH = 3;
export const ROW_YEAR = 4;
export const FIRST_BLOCK_ROW = 6;

export class SheetBuilder {
  readonly cells: CellPlan[] = [];
  readonly timelineRows: SheetPlan["timelineRows"] = [];
  readonly widths: Array<readonly [number, number]> = [];
  readonly validations: ValidationPlan[] = [];
  readonly colorScales: ColorScalePlan[] = [];
  freeze?: readonly [number, number];
  print?: PrintPlan;

  constructor(
    readonly name: string,
    readonly role: SheetRole,
  ) {}

  put(cell: CellPlan): void {
    this.cells.push(cell);
  }

  text(row: number, col: number, value: string, style: StyleName = "text", note?: string): void {
    this.put({ row, col, value, style, ...(note ? { note } : {}) });
  }

  plan(): SheetPlan {
    return {
      name: this.name,
      role: this.role,
      cells: this.cells,
      columnWidths: this.widths,
      timelineRows: this.timelineRows,
      ...(this.freeze ? { freeze: this.freeze } : {}),
      ...(this.validations.length > 0 ? { validations: this.validations } : {}),
      ...(this.colorScales.length > 0 ? { colorScales: this.colorScales } : {}),
      // By default the frozen panes repeat: header rows above, label columns to the left.
      print: this.print ?? {
        ...(this.freeze && this.freeze[0] > 0 ? { repeatRows: [0, this.freeze[0] - 1] as const } : {}),
        ...(this.freeze && this.freeze[1] > 0 ? { repeatCols: [0, this.freeze[1] - 1] as const } : {}),
      },
    };
  }
}

/** What a row's formula can refer to, within its block. */
export type Ctx = {
  /** Absolute reference to a constant or result of this block. */
  c(key: string): string;
  /** This column of a timeline row of this block. */
  t(key: string): string;
  /** The previous column of a timeline row (balances). */
  p(key: string): string;
  /** Whole timeline range of a row, absolute. */
  r(key: string): string;
  /** The month counter in this column (or its range in results). */
  readonly m: string;
  /** This column of a row in another sheet's block (hybrid). */
  x(sheet: string, row: number): string;
  /** The last timeline column of a row, absolute (a running row's final value). */
  last(key: string): string;
};

export interface RowSpec {
  readonly kind: "input" | "const" | "result" | "line";
  readonly key: string;
  readonly label: string;
  readonly unit: string;
  readonly f?: (x: Ctx) => string;
  /** For inputs: the assumption key linked from the inputs sheet. */
  readonly input?: AssumptionKey;
  /** Line rows that are flows get a total; balances and rates do not. */
  readonly total?: boolean;
  readonly style?: StyleName;
  readonly note?: string;
  /** For results: the engine metric it reproduces. */
  readonly metric?: keyof Metrics;
}

export function input(key: AssumptionKey): RowSpec {
  const def = getDef(key);
  return { kind: "input", key, label: def.label, unit: def.unit, input: key };
}

export const konst = (key: string, label: string, unit: string, f: (x: Ctx) => string, note?: string): RowSpec => ({
  kind: "const",
  key,
  label,
  unit,
  f,
  ...(note ? { note } : {}),
});

export const line = (key: string, label: string, unit: string, f: (x: Ctx) => string, total = false, style?: StyleName): RowSpec => ({
  kind: "line",
  key,
  label,
  unit,
  f,
  total,
  ...(style ? { style } : {}),
});

export const result = (
  key: string,
  label: string,
  unit: string,
  f: (x: Ctx) => string,
  metric: keyof Metrics,
  note: string,
  style: StyleName = "calc",
): RowSpec => ({
  kind: "result",
  key,
  label,
  unit,
  f,
  metric,
  note,
  style,
});

/** Where a block put its rows: for links from other sheets. */
export interface BlockLayout {
  readonly sheet: string;
  /** Rows of inputs, derived constants and results (values in the constant column). */
  readonly consts: ReadonlyMap<string, number>;
  /** Rows of timeline lines. */
  readonly lines: ReadonlyMap<string, number>;
}

/** Shares and annual rates: shown as percentages ("share", "share of revenue", "share of sale price", "/yr"). */
export function isShare(def: AssumptionDef): boolean {
  return def.unit.startsWith("share") || def.unit === "/yr";
}

function linkStyle(def: AssumptionDef): StyleName {
  return isShare(def) ? "link_pct" : "link";
}

/** A result's cell on its workings sheet, for links from outputs and checks. */
export function resultRef(layout: BlockLayout, key: string): string {
  const at = layout.consts.get(key);
  if (at === undefined) throw new Error(`workbook plan: result "${key}" is missing on ${layout.sheet}`);
  return absRef(at, COL_CONST, layout.sheet);
}

/**
 * Lays one block (one site, one scenario) onto a workings sheet from `top`: heading, inputs,
 * constants, results, then timeline rows. Returns where each row went.
 */
export function layBlock(
  sheet: SheetBuilder,
  spec: readonly RowSpec[],
  top: number,
  siteName: string,
  lastCol: number,
  inputRef: (key: AssumptionKey) => string,
): { block: BlockLayout; nextRow: number } {
  const consts = new Map<string, number>();
  const lines = new Map<string, number>();
  let row = top + 1;
  let section: RowSpec["kind"] | undefined;
  const sectionTitles: Record<RowSpec["kind"], string> = { input: "Inputs (linked)", const: "Derived constants", result: "Results", line: "Timeline" };
  // First pass: rows, so formulas can refer to rows laid out below them.
  const placed: Array<{ spec: RowSpec; row: number }> = [];
  for (const entry of spec) {
    if (entry.kind !== section) {
      section = entry.kind;
      sheet.text(row, COL_LABEL, sectionTitles[section], "subtitle");
      row++;
    }
    // Constants and lines are separate namespaces: the input btc_price and the timeline line
    // btc_price (its path month by month) are different rows.
    const names = entry.kind === "line" ? lines : consts;
    if (names.has(entry.key)) throw new Error(`workbook plan: block row "${entry.key}" is defined twice`);
    names.set(entry.key, row);
    placed.push({ spec: entry, row });
    row++;
  }
  sheet.text(top, COL_LABEL, siteName, "heading");
  const find = (names: ReadonlyMap<string, number>, key: string): number => {
    const at = names.get(key);
    if (at === undefined) throw new Error(`workbook plan: block row "${key}" is not defined`);
    return at;
  };
  const constRow = (key: string) => find(consts, key);
  const lineRow = (key: string) => find(lines, key);
  const timelineRange = (key: string) => absRange(lineRow(key), COL_FIRST_MONTH, lineRow(key), lastCol);
  const constantCtx: Ctx = {
    c: (key) => absRef(constRow(key), COL_CONST),
    t: () => {
      throw new Error("workbook plan: a constant cannot refer to a timeline cell");
    },
    p: () => {
      throw new Error("workbook plan: a constant cannot refer to a previous column");
    },
    r: timelineRange,
    m: absRange(ROW_MONTH, COL_FIRST_MONTH, ROW_MONTH, lastCol),
    x: () => {
      throw new Error("workbook plan: a constant cannot refer to another sheet's timeline");
    },
    last: (key) => absRef(lineRow(key), lastCol),
  };
  for (const { spec: entry, row: at } of placed) {
    sheet.text(at, COL_LABEL, entry.label, "label");
    sheet.text(at, COL_UNIT, entry.unit, "unit");
    if (entry.kind === "input") {
      const def = getDef(entry.input!);
      sheet.put({ row: at, col: COL_CONST, formula: `=${inputRef(entry.input!)}`, style: linkStyle(def) });
    } else if (entry.kind === "const" || entry.kind === "result") {
      sheet.put({ row: at, col: COL_CONST, formula: entry.f!(constantCtx), style: entry.style ?? "calc", ...(entry.note ? { note: entry.note } : {}) });
    } else {
      // The row's formula is written for its first month and stored relative (R1C1), which is
      // exactly "the same formula copied across".
      const col = COL_FIRST_MONTH;
      const ctx: Ctx = {
        c: (key) => absRef(constRow(key), COL_CONST),
        t: (key) => cellRef(lineRow(key), col),
        p: (key) => cellRef(lineRow(key), col - 1),
        r: timelineRange,
        m: cellRef(ROW_MONTH, col, true, false),
        x: (other, otherRow) => `${sheetPrefix(other)}${cellRef(otherRow, col)}`,
        last: (key) => absRef(lineRow(key), lastCol),
      };
      sheet.timelineRows.push({ row: at, firstCol: COL_FIRST_MONTH, lastCol, formulaR1C1: toR1C1(entry.f!(ctx), at, col), style: entry.style ?? "calc" });
      if (entry.total)
        sheet.put({ row: at, col: COL_TOTAL, formula: `=SUM(${cellRef(at, COL_FIRST_MONTH)}:${cellRef(at, lastCol)})`, style: entry.style ?? "calc" });
    }
  }
  return { block: { sheet: sheet.name, consts, lines }, nextRow: row };
}
