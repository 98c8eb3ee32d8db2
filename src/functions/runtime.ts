/**
 * The bridge to Excel's custom-functions runtime. In Excel, Office.js defines a global
 * `CustomFunctions` with `associate`, `Error` and `ErrorCode`; in a plain browser tab or in
 * Node there is none. functions.ts imports `CustomFunctions` from here, so the
 * `CustomFunctions.associate(id, fn)` calls that the metadata plugin appends to it at build
 * time reach this module: it registers with Excel's runtime when there is one and does nothing
 * otherwise, so the bundle loads anywhere without throwing.
 */
import type { ExcelErrorCode, Outcome } from "./adapter.js";

/** The part of Excel's runtime MinePivot uses. */
interface HostRuntime {
  associate(id: string, fn: (...args: never[]) => unknown): void;
  Error: new (code: string, message?: string) => object;
  ErrorCode: { invalidValue: string; invalidNumber: string };
}

/** Stands in for Excel's error object where there is no runtime (a browser tab, Node). */
export class OfflineExcelError {
  constructor(
    readonly code: ExcelErrorCode,
    readonly message: string,
  ) {}
}

function host(): HostRuntime | undefined {
  const candidate = (globalThis as { CustomFunctions?: Partial<HostRuntime> }).CustomFunctions;
  return candidate && typeof candidate.associate === "function" && typeof candidate.Error === "function" ? (candidate as HostRuntime) : undefined;
}

export const CustomFunctions = {
  associate(id: string, fn: (...args: never[]) => unknown): void {
    host()?.associate(id, fn);
  },
};

/**
 * An outcome as Excel wants it: the value, or an Excel error object. The message goes with
 * every error; Excel shows it for #VALUE! (and #N/A) and ignores it for #NUM!.
 */
export function toExcel<T>(outcome: Outcome<T>): T | object {
  if (outcome.ok) return outcome.value;
  const runtime = host();
  if (!runtime) return new OfflineExcelError(outcome.code, outcome.message);
  const code = outcome.code === "#NUM!" ? runtime.ErrorCode.invalidNumber : runtime.ErrorCode.invalidValue;
  return new runtime.Error(code, outcome.message);
}
