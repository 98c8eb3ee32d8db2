/**
 * The workbook plan: a comparison workbook as plain data. The plan builder (build.ts) makes it
 * from the core; writers render it (xlsx.ts with wasm-xlsxwriter here, Office.js in the task
 * pane). Rows and columns are 0-based, as in both writers' APIs.
 */

/** Cell styles, FAST-style: inputs blue on pale yellow, formulas black, links green. */
export type StyleName =
  | "title"
  | "subtitle"
  | "heading"
  | "label"
  | "text"
  | "note"
  | "unit"
  | "input"
  | "input_pct"
  | "input_date"
  | "input_text"
  | "link"
  | "link_pct"
  | "link_usd"
  | "calc"
  | "calc_usd"
  | "calc_pct"
  | "calc_ratio"
  | "calc_date"
  | "calc_flag"
  /** A small quantity such as a tolerance: scientific notation, so 1e-9 does not show as 0.00. */
  | "calc_sci"
  | "check"
  | "engine"
  /** An engine value written as a number (a snapshot, not a formula): grey, two decimals. */
  | "engine_num"
  | "engine_usd"
  | "engine_pct"
  | "header"
  /** A header over a column of numbers: right-aligned, like them. */
  | "header_num"
  | "legend_input"
  | "legend_calc"
  | "legend_link";

export type CellValue = number | string | boolean;

export interface CellPlan {
  readonly row: number;
  readonly col: number;
  /** A constant; ignored when `formula` is set. */
  readonly value?: CellValue;
  /** A formula with its leading "=", in Excel's A1 syntax. */
  readonly formula?: string;
  readonly style: StyleName;
  /** A cell note (comment) shown on hover. */
  readonly note?: string;
}

export type SheetRole = "cover" | "inputs" | "workings" | "outputs" | "checks";

/**
 * A timeline row: one formula copied unchanged across the timeline columns, stored once in
 * relative R1C1 form ("R[0]C[-1]" is the cell to the left; "R7C1" is absolute $B$8). Excel takes
 * it as is (Range.formulasR1C1); the xlsx writer expands it to A1 per column. Storing the row
 * once, not a million cells, keeps a 50-site plan small.
 */
export interface TimelineRow {
  readonly row: number;
  readonly firstCol: number;
  readonly lastCol: number;
  readonly formulaR1C1: string;
  readonly style: StyleName;
}

/** What a validated cell accepts. */
export type ValidationRule =
  | { readonly kind: "decimal" | "whole" | "date"; readonly min: number; readonly max: number }
  | { readonly kind: "list"; readonly items: readonly string[] }
  /** A formula written for the range's top-left cell (relative references move with the cell). */
  | { readonly kind: "custom"; readonly formula: string };

/** Data validation on a range: an input message on selection, and a stop alert for a bad value. */
export interface ValidationPlan {
  /** Inclusive 0-based [firstRow, firstCol, lastRow, lastCol]. */
  readonly range: readonly [number, number, number, number];
  readonly rule: ValidationRule;
  /** Input message title (at most 32 characters) and text (at most 255). */
  readonly title: string;
  readonly prompt: string;
  /** Stop alert title (at most 32 characters) and text (at most 225). */
  readonly errorTitle: string;
  readonly error: string;
}

/** Print setup: every sheet prints landscape, one page wide, with a footer naming the sheet and page. */
export interface PrintPlan {
  /** Header rows repeated on every page, inclusive 0-based. */
  readonly repeatRows?: readonly [first: number, last: number];
  /** Label columns repeated on every page, inclusive 0-based. */
  readonly repeatCols?: readonly [first: number, last: number];
  /** Fit the whole sheet on one page (the cover), not just one page wide. */
  readonly onePage?: boolean;
  /** Rows (0-based) that start a new page, so that a block and its chart print together. */
  readonly rowBreaks?: readonly number[];
}

/** The colour scale's colours (RGB hex), shared by the .xlsx and Office.js writers: Excel's own red-white-green. */
export const COLOR_SCALE_RGB = { low: "F8696B", mid: "FFFFFF", high: "63BE7B" } as const;

/**
 * A colour scale over a range of numbers: red for the lowest, white at `midpoint` (when the
 * values straddle it), green for the highest; a two-colour scale when they all lie on one side.
 */
export interface ColorScalePlan {
  /** Inclusive 0-based [firstRow, firstCol, lastRow, lastCol]. */
  readonly range: readonly [number, number, number, number];
  readonly midpoint: number;
  /** Where the values lie relative to the midpoint, known when the plan is built. */
  readonly sides: "both" | "above" | "below";
}

export interface SheetPlan {
  readonly name: string;
  readonly role: SheetRole;
  readonly cells: CellPlan[];
  readonly columnWidths: ReadonlyArray<readonly [col: number, width: number]>;
  /** Rows and columns frozen at the top left. */
  readonly freeze?: readonly [rows: number, cols: number];
  /** Timeline rows: one formula each, copied across the months. */
  readonly timelineRows: TimelineRow[];
  readonly tabColor?: number;
  /** Data validation of input cells. */
  readonly validations?: readonly ValidationPlan[];
  /** Conditional colour scales (the sensitivity grid). */
  readonly colorScales?: readonly ColorScalePlan[];
  readonly print?: PrintPlan;
}

export interface ChartSeriesPlan {
  readonly name: string;
  readonly sheet: string;
  /** Inclusive 0-based ranges [firstRow, firstCol, lastRow, lastCol]. */
  readonly categories: readonly [number, number, number, number];
  readonly values: readonly [number, number, number, number];
}

export interface ChartPlan {
  readonly sheet: string;
  readonly row: number;
  readonly col: number;
  /** "bar" (horizontal) charts are tornados: two series overlapped around zero, the first category on top. */
  readonly type: "column" | "line" | "bar";
  readonly title: string;
  readonly yAxisTitle: string;
  /** The value axis' number format, e.g. '#,##0.0,,"M"' for millions. */
  readonly yNumFormat?: string;
  /** Turn the category labels (site names) so that many of them do not collide. */
  readonly rotateLabels?: boolean;
  readonly series: readonly ChartSeriesPlan[];
}

export interface DefinedName {
  readonly name: string;
  /** The reference, e.g. "=Inputs!$D$7". */
  readonly refersTo: string;
}

/** Where a headline result of one site and scenario lives, with the engine's value. */
export interface ResultCell {
  readonly site: string;
  readonly scenario: string;
  readonly metric: string;
  readonly sheet: string;
  readonly row: number;
  readonly col: number;
  /** The engine's value; "n/a" where the engine has none (no IRR, no payback). */
  readonly engine: number | string;
}

export interface WorkbookPlan {
  readonly sheets: SheetPlan[];
  readonly names: DefinedName[];
  readonly charts: ChartPlan[];
  /** Every headline result cell, for readers that audit or test the workbook. */
  readonly results: ResultCell[];
  /** Number of rows on the checks sheet that roll into the master check. */
  readonly checkCount: number;
}
