/**
 * Where the assumptions are in a range that a user points a function at. Three layouts:
 *
 * - **Pairs:** key in the first column, value in the second; further columns (units, sources,
 *   notes) are ignored. This is what `MINEPIVOT.ASSUMPTIONS()` spills.
 * - **The Inputs table** of a generated workbook, whole or in part: label, key, unit, one value
 *   column per site, then source, as-of and note, with headings and a header row between. The
 *   key column is the one that holds the most assumption keys (when that is not the first); the
 *   value column is the one site column the range holds: a column right of the keys whose cells
 *   on key rows are mostly numbers or TRUE/FALSE (units, sources and notes are text). Rows whose
 *   key cell is not an assumption key (titles, headings, the header row, the constants below the
 *   table) are not assumptions and are passed over.
 * - **One site's column** of the Inputs sheet: a single column holding one value per assumption
 *   in the sheet's order, which is the registry's, optionally under the site's name. Its values
 *   must number exactly the registry's keys, so a column that starts or ends elsewhere is
 *   refused rather than misread.
 *
 * Pure TypeScript: the functions and the task pane's audit read ranges the same way.
 */
import { InputError, REGISTRY, findDef, normalizeName, parseValue, type AssumptionKey } from "../core/index.js";

/** One candidate assumption: its key and value cells, and where the value sits in the range (0-based). */
export interface RangeEntry {
  readonly key: unknown;
  readonly value: unknown;
  readonly row: number;
  readonly col: number;
}

export type RangeLayout =
  { readonly kind: "pairs" } | { readonly kind: "table"; readonly keyCol: number } | { readonly kind: "column" } | { readonly kind: "empty" };

function isBlank(value: unknown): boolean {
  return value === null || value === undefined || (typeof value === "string" && value.trim() === "");
}

function isKey(value: unknown): boolean {
  return typeof value === "string" && value.trim() !== "" && findDef(normalizeName(value)) !== undefined;
}

/** Rows of a range argument; a single value counts as a 1×1 range, an omitted one as none. */
export function rowsOf(raw: unknown): unknown[][] {
  if (raw === null || raw === undefined) return [];
  if (!Array.isArray(raw)) return [[raw]];
  return raw.map((row) => (Array.isArray(row) ? row : [row]));
}

/** Which layout a range has. Never throws: the content key of a range depends on it. */
export function rangeLayout(rows: readonly (readonly unknown[])[]): RangeLayout {
  if (!rows.some((row) => row.some((cell) => !isBlank(cell)))) return { kind: "empty" };
  const width = Math.max(...rows.map((row) => row.length));
  if (width < 2) return { kind: "column" };
  const keysIn = Array.from({ length: width }, () => 0);
  for (const row of rows) row.forEach((cell, c) => isKey(cell) && keysIn[c]!++);
  const most = Math.max(...keysIn);
  // Ties go to the leftmost column, so a pairs range whose values are also key names stays pairs.
  const keyCol = keysIn.indexOf(most);
  return most === 0 || keyCol === 0 ? { kind: "pairs" } : { kind: "table", keyCol };
}

/** Site values are numbers and TRUE/FALSE; units, sources and notes are text. */
function looksLikeValue(cell: unknown): boolean {
  return typeof cell === "number" || typeof cell === "boolean";
}

/**
 * The (key, value) cells of a range in its layout. Pairs come one per row, blank rows included,
 * so that the core's row numbers are the range's; table and column entries come only for
 * assumption rows.
 */
export function assumptionEntries(rows: readonly (readonly unknown[])[], layout: RangeLayout = rangeLayout(rows)): RangeEntry[] {
  switch (layout.kind) {
    case "empty":
      return [];
    case "pairs":
      return rows.map((row, r) => ({ key: row[0], value: row[1], row: r, col: 1 }));
    case "table":
      return tableEntries(rows, layout.keyCol);
    case "column":
      return columnEntries(rows);
  }
}

function tableEntries(rows: readonly (readonly unknown[])[], keyCol: number): RangeEntry[] {
  const keyRows = rows.map((row, r) => [row, r] as const).filter(([row]) => isKey(row[keyCol]));
  const width = Math.max(...rows.map((row) => row.length));
  const valueCols: number[] = [];
  for (let c = keyCol + 1; c < width; c++) {
    const filled = keyRows.map(([row]) => row[c]).filter((cell) => !isBlank(cell));
    if (filled.length > 0 && filled.filter(looksLikeValue).length * 2 >= filled.length) valueCols.push(c);
  }
  if (valueCols.length === 0) {
    throw new InputError(
      "assumptions",
      `keys in column ${keyCol + 1}`,
      "a column of values right of the keys",
      `assumptions: found assumption keys in column ${keyCol + 1} of the range but no column of values to their right`,
    );
  }
  if (valueCols.length > 1) {
    const firstKeyRow = keyRows[0]![1];
    const name = (c: number) => {
      for (let r = firstKeyRow - 1; r >= 0; r--) if (typeof rows[r]![c] === "string" && !isBlank(rows[r]![c])) return String(rows[r]![c]);
      return `column ${c + 1}`;
    };
    const names = valueCols.map(name).join(", ");
    throw new InputError(
      "assumptions",
      `${valueCols.length} site columns`,
      "one site's values",
      `assumptions: the range holds ${valueCols.length} sites (${names}); point at one site's column instead, or at a range with one site`,
    );
  }
  const valueCol = valueCols[0]!;
  return keyRows.map(([row, r]) => ({ key: row[keyCol], value: row[valueCol], row: r, col: valueCol }));
}

function columnEntries(rows: readonly (readonly unknown[])[]): RangeEntry[] {
  let filled = rows.map((row, r) => ({ value: row[0], row: r })).filter((cell) => !isBlank(cell.value));
  const first = filled[0];
  // A text cell above the values that is not a valid first value is the site's name.
  if (first && typeof first.value === "string" && !acceptsValue(REGISTRY[0]!.key as AssumptionKey, first.value)) filled = filled.slice(1);
  if (filled.length !== REGISTRY.length) {
    throw new InputError(
      "assumptions",
      `one column of ${filled.length} values`,
      "two columns",
      `assumptions: expected a range of two columns (key, value), the Inputs table, or one site's column of the Inputs sheet (${REGISTRY.length} values, ${REGISTRY[0]!.key} first and ${REGISTRY[REGISTRY.length - 1]!.key} last); this range has one column of ${filled.length} values`,
    );
  }
  return filled.map((cell, i) => ({ key: REGISTRY[i]!.key, value: cell.value, row: cell.row, col: 0 }));
}

function acceptsValue(key: AssumptionKey, value: unknown): boolean {
  try {
    parseValue(findDef(key)!, value);
    return true;
  } catch (error) {
    if (error instanceof InputError) return false;
    throw error;
  }
}
