/**
 * A lint over a workbook plan's formulas, for the modelling rules the workbook promises:
 * only functions that Excel 2016 and LibreOffice 7.4 both evaluate (no LET, XLOOKUP, FILTER,
 * SEQUENCE, dynamic arrays, OFFSET or INDIRECT), no constants typed into formulas beyond
 * universal ones, no nested IFs, and one formula per timeline row (the relative form of every
 * cell in the row is the same).
 */
import type { WorkbookPlan } from "./plan.js";
import { columnName, toA1, toR1C1 } from "./refs.js";

export interface LintIssue {
  readonly sheet: string;
  readonly cell: string;
  readonly rule: "function" | "literal" | "nested-if" | "row-formula";
  readonly message: string;
}

/** Functions the workbook may use: each exists in Excel 2016 and LibreOffice 7.4. */
export const ALLOWED_FUNCTIONS: ReadonlySet<string> = new Set([
  "ABS",
  "CHOOSE",
  "IF",
  "IFERROR",
  "INDEX",
  "INT",
  "IRR",
  "ISERROR",
  "ISNUMBER",
  "ISTEXT",
  "MATCH",
  "MAX",
  "MIN",
  "MOD",
  "PMT",
  "ROUND",
  "SIGN",
  "SUM",
  "SUMIF",
  "SUMPRODUCT",
]);

/** Numbers that may appear in formulas: 0 and 1, 2 (the halving), 12 months, 365.25 days. */
export const UNIVERSAL_LITERALS: ReadonlySet<number> = new Set([0, 1, 2, 12, 365.25]);

const STRING = /"(?:[^"]|"")*"/g;
const SHEET_PREFIX = /(?:'(?:[^']|'')+'|[A-Za-z_][A-Za-z0-9_]*)!/g;
const REF = /(\$?)([A-Z]{1,3})(\$?)(\d+)(?![\w(])/g;

function withoutStrings(formula: string): string {
  return formula.replace(STRING, '""');
}

/** The formula with every A1 reference written relative to (row, col) in R1C1 style. */
export function relativeForm(formula: string, row: number, col: number): string {
  return toR1C1(withoutStrings(formula), row, col);
}

function literals(formula: string): number[] {
  const bare = withoutStrings(formula)
    .replace(SHEET_PREFIX, "")
    .replace(REF, " ")
    .replace(/[A-Za-z_][A-Za-z0-9_.]*/g, " ");
  return [...bare.matchAll(/(?<![\w.])(\d+\.?\d*(?:[eE][+-]?\d+)?)/g)].map((m) => Number(m[1]));
}

function functions(formula: string): string[] {
  // Quoted sheet names ('Powered shell (3)'!) hold words and parentheses that are not calls.
  return [
    ...withoutStrings(formula)
      .replace(/'(?:[^']|'')*'!/g, "Sheet!")
      .matchAll(/([A-Za-z_][A-Za-z0-9_.]*)\s*\(/g),
  ].map((m) => m[1]!.toUpperCase());
}

function lintFormula(issues: LintIssue[], sheet: string, where: string, formula: string): void {
  for (const name of functions(formula)) {
    if (!ALLOWED_FUNCTIONS.has(name))
      issues.push({ sheet, cell: where, rule: "function", message: `${name} is not on the list of functions Excel 2016 and LibreOffice 7.4 share` });
  }
  for (const value of literals(formula)) {
    if (!UNIVERSAL_LITERALS.has(value))
      issues.push({ sheet, cell: where, rule: "literal", message: `the constant ${value} is typed into the formula; give it a named input` });
  }
  if ((withoutStrings(formula).match(/\bIF\s*\(/gi) ?? []).length > 1) {
    issues.push({ sheet, cell: where, rule: "nested-if", message: "more than one IF in a formula; multiply by flags instead" });
  }
}

/** Every issue in the plan; an empty list means it keeps the rules. */
export function lintPlan(plan: WorkbookPlan): LintIssue[] {
  const issues: LintIssue[] = [];
  for (const sheet of plan.sheets) {
    const occupied = new Set<string>();
    for (const cell of sheet.cells) {
      occupied.add(`${cell.row}:${cell.col}`);
      if (cell.formula !== undefined) lintFormula(issues, sheet.name, `${columnName(cell.col)}${cell.row + 1}`, cell.formula);
    }
    for (const line of sheet.timelineRows) {
      const first = toA1(line.formulaR1C1, line.row, line.firstCol);
      lintFormula(issues, sheet.name, `${columnName(line.firstCol)}${line.row + 1}`, first);
      // Each column's A1 formula, read back relative to its own cell, must be the row's formula.
      for (let col = line.firstCol; col <= line.lastCol; col++) {
        const where = `${columnName(col)}${line.row + 1}`;
        if (occupied.has(`${line.row}:${col}`))
          issues.push({ sheet: sheet.name, cell: where, rule: "row-formula", message: "a timeline cell is also written as a single cell" });
        const form = relativeForm(toA1(line.formulaR1C1, line.row, col), line.row, col);
        if (form !== line.formulaR1C1)
          issues.push({ sheet: sheet.name, cell: where, rule: "row-formula", message: `differs from the row's formula (${line.formulaR1C1} vs ${form})` });
      }
    }
  }
  return issues;
}
