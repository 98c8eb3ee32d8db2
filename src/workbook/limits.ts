/**
 * How large a portfolio the comparison workbook holds. The Comparison sheet's annual cash
 * flow to equity sums every site's block of the workings, one term per site (about 80
 * characters each, more when sheets are renamed on insertion), and Excel refuses a formula
 * longer than 8,192 characters. Larger portfolios are refused before any work, with a message
 * that says what to do; the CLI values them without a workbook.
 */
import { InputError } from "../core/index.js";

/** Excel's limit on the length of a formula, in characters. */
export const EXCEL_MAX_FORMULA_CHARS = 8_192;

/** The most sites one comparison workbook holds (a test checks the formulas at this size). */
export const MAX_WORKBOOK_SITES = 80;

/** Throws an InputError naming `argument` when `count` sites are too many for one workbook. */
export function checkWorkbookSites(count: number, argument: string): void {
  if (count <= MAX_WORKBOOK_SITES) return;
  throw new InputError(
    argument,
    count,
    `at most ${MAX_WORKBOOK_SITES} sites`,
    `${argument}: ${count.toLocaleString("en-US")} sites are too many for one workbook; it holds at most ${MAX_WORKBOOK_SITES} ` +
      `(Excel's ${EXCEL_MAX_FORMULA_CHARS.toLocaleString("en-US")}-character formula limit). Split the portfolio into several workbooks, or value it without one`,
  );
}
