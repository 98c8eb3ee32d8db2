/**
 * The bridge to Excel's custom-functions runtime. In Excel, Office.js defines a global
 * `CustomFunctions`; in a plain browser tab or in Node there is none. functions.ts imports
 * `CustomFunctions` from here, so the `CustomFunctions.associate(id, fn)` calls that the
 * metadata plugin appends to it at build time reach this module: it registers with Excel's
 * runtime when there is one and does nothing otherwise, so the bundle loads anywhere without
 * throwing.
 *
 * Office.js arrives in two steps: its bootstrap (office.js) defines `associate` at once, while
 * `Error` and `ErrorCode` come with the host script it loads asynchronously afterwards. The
 * bootstrap keeps what was associated and hands it to the host script when that loads, so
 * registration needs `associate` alone; `Error` is looked up only when a function returns.
 */
import type { ExcelErrorCode, Outcome } from "./adapter.js";

/** The part of Excel's runtime MinePivot uses: the bootstrap's, then the host script's. */
interface Registrar {
  associate(id: string, fn: (...args: never[]) => unknown): void;
}
interface HostRuntime extends Registrar {
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

const candidate = (): Partial<HostRuntime> | undefined => (globalThis as { CustomFunctions?: Partial<HostRuntime> }).CustomFunctions;

function registrar(): Registrar | undefined {
  const found = candidate();
  return found && typeof found.associate === "function" ? (found as Registrar) : undefined;
}

function host(): HostRuntime | undefined {
  const found = candidate();
  return found && typeof found.Error === "function" && typeof found.ErrorCode === "object" && found.ErrorCode ? (found as HostRuntime) : undefined;
}

export const CustomFunctions = {
  associate(id: string, fn: (...args: never[]) => unknown): void {
    registrar()?.associate(id, fn);
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
