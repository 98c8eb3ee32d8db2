/**
 * A stand-in for Excel's custom-functions runtime, enough to load the built functions.js in
 * Node as Excel does: a global `CustomFunctions` with `associate`, `Error` and `ErrorCode`.
 */
import { readFileSync } from "node:fs";
import vm from "node:vm";

/** Excel's error codes, as CustomFunctions.ErrorCode spells them. */
export const ErrorCode = {
  invalidValue: "#VALUE!",
  notAvailable: "#N/A",
  divisionByZero: "#DIV/0!",
  invalidNumber: "#NUM!",
  nullReference: "#NULL!",
  invalidName: "#NAME?",
  invalidReference: "#REF!",
} as const;

/** Mirrors CustomFunctions.Error: an Error subclass with an Excel error code. */
export class StubExcelError extends Error {
  readonly code: string;
  constructor(code: string, message?: string) {
    super(message ?? "");
    this.code = code;
  }
}

export type ExcelFunction = (...args: unknown[]) => unknown;

export interface LoadedBundle {
  /** id → function, as registered through CustomFunctions.associate. */
  readonly functions: ReadonlyMap<string, ExcelFunction>;
  /** Ids associated more than once (should be none). */
  readonly duplicates: readonly string[];
}

/** Runs a built script in a fresh global scope with the stand-in runtime (or none). */
export function loadBundle(file: string, withRuntime = true): LoadedBundle {
  const functions = new Map<string, ExcelFunction>();
  const duplicates: string[] = [];
  const CustomFunctions = {
    associate(id: string, fn: ExcelFunction) {
      if (functions.has(id)) duplicates.push(id);
      functions.set(id, fn);
    },
    Error: StubExcelError,
    ErrorCode,
  };
  const context = vm.createContext(withRuntime ? { CustomFunctions, console } : { console });
  vm.runInContext(readFileSync(file, "utf8"), context, { filename: file });
  return { functions, duplicates };
}
