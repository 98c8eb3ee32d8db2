/**
 * Everything the pane asks of Office, behind one interface so that the panels never touch
 * Office.js: host detection (which works with Office.js absent, as in a plain browser), the
 * Office theme, the selected range, the active cell, jumping to a cell, the workbook's settings
 * (assumption sets saved with the workbook) and the plan writer of src/excel.
 *
 * Round trips: each operation is one Excel.run with a fixed number of context.sync() calls
 * (reading a selection: 1; auditing a cell: 2, however many arguments; inserting a formula: 1).
 */
import type { WorkbookPlan } from "../workbook/plan.js";
import type { InsertProgress, InsertResult } from "../excel/planWriter.js";
import { parseMinepivotCall, type FormulaArg } from "../excel/formulaCall.js";
import { freeSheetName } from "../workbook/rename.js";
import type { ResolvedArg } from "./audit.js";

export type HostKind = "excel" | "browser";

/** The selected range: its address (with the sheet), values and formulas, row-major. */
export interface SelectionRead {
  readonly address: string;
  readonly values: unknown[][];
  readonly formulas: unknown[][];
}

/** A selected cell's MINEPIVOT call, with each argument read from the workbook. */
export interface CellCall {
  readonly address: string;
  readonly formula: string;
  /** What the cell shows (its first value). */
  readonly value: unknown;
  /** undefined when the formula holds no MINEPIVOT call. */
  readonly call?: { readonly id: string; readonly args: readonly ResolvedArg[] };
}

export interface ExcelBridge {
  readSelection(): Promise<SelectionRead>;
  readSelectedCall(): Promise<CellCall>;
  select(address: string): Promise<void>;
  /** Writes the formula into the active cell; returns the cell's address. */
  insertFormula(formula: string): Promise<string>;
  insertPlan(plan: WorkbookPlan, options: { signal?: AbortSignal; onProgress?: (progress: InsertProgress) => void }): Promise<InsertResult>;
  openAsNewWorkbook(bytes: Uint8Array): Promise<void>;
  /**
   * Writes a table on a new sheet (named after `sheetName`, suffixed if taken): the header and
   * the first `bodyRows` rows as an Excel table, the remaining rows (totals) under it after a
   * blank row. Text is stored as text (never run as a formula). Returns the sheet and the table's address.
   */
  insertTable(cells: ReadonlyArray<ReadonlyArray<string | number>>, bodyRows: number, sheetName: string): Promise<{ sheet: string; address: string }>;
  /** Calls `listener` whenever the user selects other cells; resolves to a function that stops it. */
  onSelectionChanged(listener: () => void): Promise<() => Promise<void>>;
}

interface OfficeGlobal {
  onReady(): Promise<{ host: unknown; platform?: unknown }>;
  context?: {
    officeTheme?: { bodyBackgroundColor?: string };
    document?: { settings?: Office.Settings };
  };
}

/** Office.js when it is loaded, whether or not there is a host. */
export function officeGlobal(): OfficeGlobal | undefined {
  const office = (globalThis as { Office?: Partial<OfficeGlobal> }).Office;
  return office && typeof office.onReady === "function" ? (office as OfficeGlobal) : undefined;
}

/**
 * "excel" inside Excel, "browser" anywhere else (no Office.js, or Office.js without a host).
 * There is no time limit: Office.onReady answers at once outside Office, but inside Excel it can
 * take many seconds on a slow start, and giving up then would leave the pane in browser mode for
 * good. The pane renders in browser mode meanwhile (main.tsx) and switches when this resolves.
 */
export async function detectHost(): Promise<HostKind> {
  const office = officeGlobal();
  if (!office) return "browser";
  try {
    const info = await office.onReady();
    const excel = (globalThis as { Excel?: { run?: unknown } }).Excel;
    return info && String(info.host) === "Excel" && typeof excel?.run === "function" ? "excel" : "browser";
  } catch {
    return "browser";
  }
}

/** True when a CSS colour (#rrggbb or #rgb) is dark. */
export function isDarkColor(color: string): boolean {
  let hex = color.trim().replace(/^#/, "");
  if (hex.length === 3) hex = [...hex].map((ch) => ch + ch).join("");
  if (!/^[0-9a-f]{6}$/i.test(hex)) return false;
  const [r, g, b] = [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b < 0.5;
}

/**
 * Follows Office's theme: `onChange` gets true (dark) or false whenever Office's body colour
 * changes. Office.js raises OfficeThemeChanged only in some hosts, so the colour is also read
 * every few seconds (a property read, no round trip to Excel). Returns a function that stops.
 */
export function watchOfficeTheme(onChange: (dark: boolean) => void, intervalMs = 2000): () => void {
  let last = officeThemeIsDark();
  const check = () => {
    const now = officeThemeIsDark();
    if (now !== undefined && now !== last) {
      last = now;
      onChange(now);
    }
  };
  const office = (globalThis as { Office?: { context?: { document?: Partial<Office.Document> }; EventType?: { OfficeThemeChanged?: unknown } } }).Office;
  const eventType = office?.EventType?.OfficeThemeChanged as Office.EventType | undefined;
  if (eventType && typeof office?.context?.document?.addHandlerAsync === "function") {
    try {
      office.context.document.addHandlerAsync(eventType, check);
    } catch {
      // Hosts without the event throw or report failure; the timer below covers them.
    }
  }
  const timer = setInterval(check, intervalMs);
  return () => clearInterval(timer);
}

/** The Office theme when the host tells it, else undefined. */
export function officeThemeIsDark(): boolean | undefined {
  const color = officeGlobal()?.context?.officeTheme?.bodyBackgroundColor;
  return typeof color === "string" && color !== "" ? isDarkColor(color) : undefined;
}

// --- the Excel bridge ------------------------------------------------------------------------

/** Splits "Sheet!A1:B2" / "'My sheet'!A1" into the sheet name (unquoted) and the address. */
export function splitAddress(address: string): { sheet?: string; local: string } {
  const bang = address.lastIndexOf("!");
  if (bang < 0) return { local: address };
  let sheet = address.slice(0, bang);
  if (sheet.startsWith("'") && sheet.endsWith("'")) sheet = sheet.slice(1, -1).replace(/''/g, "'");
  return { sheet, local: address.slice(bang + 1) };
}

function rangeAt(context: Excel.RequestContext, address: string, defaultSheet: Excel.Worksheet): Excel.Range {
  const { sheet, local } = splitAddress(address);
  return (sheet === undefined ? defaultSheet : context.workbook.worksheets.getItem(sheet)).getRange(local);
}

function resolveLiteral(arg: FormulaArg): ResolvedArg | undefined {
  switch (arg.kind) {
    case "string":
    case "number":
    case "boolean":
      return { kind: "value", value: arg.value };
    case "missing":
      return { kind: "missing" };
    case "other":
      return { kind: "unsupported", text: arg.text };
    default:
      return undefined;
  }
}

/** The Excel bridge on Office.js. Loaded lazily by the pane only inside Excel. */
export function excelBridge(
  planWriter: () => Promise<typeof import("../excel/planWriter.js")>,
  newWorkbook: () => Promise<typeof import("../excel/newWorkbook.js")>,
): ExcelBridge {
  return {
    readSelection: () =>
      Excel.run(async (context) => {
        const range = context.workbook.getSelectedRange();
        range.load(["address", "values", "formulas"]);
        await context.sync();
        return { address: range.address, values: range.values as unknown[][], formulas: range.formulas as unknown[][] };
      }),

    readSelectedCall: () =>
      Excel.run(async (context) => {
        const cell = context.workbook.getSelectedRange().getCell(0, 0);
        cell.load(["address", "formulas", "values"]);
        // A navigation to the cell's sheet object, queued with the load; nothing is read before the sync.
        // eslint-disable-next-line office-addins/call-sync-before-read, office-addins/load-object-before-read
        const sheet = cell.worksheet;
        await context.sync();
        const formula = String(cell.formulas[0]?.[0] ?? "");
        const value = cell.values[0]?.[0];
        const parsed = formula.startsWith("=") ? parseMinepivotCall(formula) : undefined;
        if (!parsed) return { address: cell.address, formula, value };
        // Every reference of the call in one round trip.
        const pending: Array<{ index: number; range: Excel.Range }> = [];
        const args: ResolvedArg[] = parsed.args.map((arg, index) => {
          const literal = resolveLiteral(arg);
          if (literal) return literal;
          const address = (arg as { address: string }).address;
          const range = rangeAt(context, address, sheet);
          range.load(["address", "values"]);
          pending.push({ index, range });
          return { kind: "missing" };
        });
        if (pending.length > 0) await context.sync();
        for (const { index, range } of pending) args[index] = { kind: "range", address: range.address, values: range.values as unknown[][] };
        return { address: cell.address, formula, value, call: { id: parsed.id, args } };
      }),

    select: (address) =>
      Excel.run(async (context) => {
        const range = rangeAt(context, address, context.workbook.worksheets.getActiveWorksheet());
        range.worksheet.activate();
        range.select();
        await context.sync();
      }),

    insertFormula: (formula) =>
      Excel.run(async (context) => {
        const cell = context.workbook.getActiveCell();
        cell.formulas = [[formula]];
        cell.load("address");
        await context.sync();
        return cell.address;
      }),

    insertPlan: async (plan, options) => {
      const { insertPlan } = await planWriter();
      return Excel.run((context) => insertPlan(context, plan, options));
    },

    openAsNewWorkbook: async (bytes) => {
      const { openAsNewWorkbook } = await newWorkbook();
      await openAsNewWorkbook(bytes);
    },

    insertTable: (cells, bodyRows, sheetName) =>
      Excel.run(async (context) => {
        const sheets = context.workbook.worksheets;
        sheets.load("items/name");
        await context.sync();
        const sheet = sheets.add(
          freeSheetName(
            sheetName,
            sheets.items.map((item) => item.name),
          ),
        );
        const width = cells[0]?.length ?? 0;
        const write = (rows: ReadonlyArray<ReadonlyArray<string | number>>, firstRow: number): Excel.Range => {
          const range = sheet.getRangeByIndexes(firstRow, 0, rows.length, width);
          // The text format first, so that a site called "=1+1" stays text: values never become formulas.
          range.numberFormat = rows.map((row) => row.map((value) => (typeof value === "string" ? "@" : "General")));
          range.values = rows.map((row) => [...row]);
          return range;
        };
        const table = write(cells.slice(0, bodyRows + 1), 0);
        const summary = cells.slice(bodyRows + 1);
        if (summary.length > 0) write(summary, bodyRows + 2);
        sheet.tables.add(table, true);
        table.format.autofitColumns();
        sheet.activate();
        table.load("address");
        sheet.load("name");
        await context.sync();
        return { sheet: sheet.name, address: table.address };
      }),

    onSelectionChanged: (listener) =>
      Excel.run(async (context) => {
        const registration = context.workbook.onSelectionChanged.add(async () => listener());
        await context.sync();
        return () =>
          Excel.run(registration.context, async (again) => {
            registration.remove();
            await again.sync();
          });
      }),
  };
}
