/**
 * Generating the comparison workbook: the plan from the core (src/workbook/build.ts), then one
 * of three outputs: its sheets inserted into the open workbook, a new Excel workbook, or a
 * downloaded .xlsx. The workbook builder and the .xlsx writer (with its .wasm) are loaded on
 * first use, so the pane starts without them.
 */
import type { ScenarioName } from "../core/index.js";
import type { WorkbookSite } from "../workbook/build.js";
import type { WorkbookPlan } from "../workbook/plan.js";
import { checkWorkbookSites } from "../workbook/limits.js";
import type { InsertProgress, InsertResult } from "../excel/planWriter.js";
import type * as XlsxWeb from "wasm-xlsxwriter/web";

export type OutputKind = "insert" | "new" | "download";

export interface GenerateProgress {
  readonly done: number;
  readonly total: number;
  readonly label: string;
}

export interface GenerateDeps {
  buildPlan(sites: readonly WorkbookSite[], scenarios: readonly ScenarioName[], generatedOn: string): Promise<WorkbookPlan>;
  writeXlsx(plan: WorkbookPlan): Promise<Uint8Array>;
  insertPlan?(plan: WorkbookPlan, options: { signal?: AbortSignal; onProgress?: (progress: InsertProgress) => void }): Promise<InsertResult>;
  openAsNewWorkbook?(bytes: Uint8Array): Promise<void>;
  download(bytes: Uint8Array, filename: string): void;
}

export type GenerateResult =
  | { readonly output: "insert"; readonly sheets: readonly string[]; readonly renamedSheets: Readonly<Record<string, string>> }
  | { readonly output: "new"; readonly sheets: number }
  | { readonly output: "download"; readonly filename: string; readonly bytes: number; readonly sheets: number; readonly reason?: string };

export const XLSX_FILENAME = "minepivot-comparison.xlsx";

function abortError(): Error {
  const error = new Error("Generation was cancelled");
  error.name = "AbortError";
  return error;
}

function checkAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw abortError();
}

/** Lets the progress bar paint between steps that block the thread. */
const nextFrame = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

export async function generateWorkbook(
  request: { sites: readonly WorkbookSite[]; scenarios: readonly ScenarioName[]; output: OutputKind; generatedOn: string },
  deps: GenerateDeps,
  options: { signal?: AbortSignal; onProgress?: (progress: GenerateProgress) => void } = {},
): Promise<GenerateResult> {
  const { signal, onProgress } = options;
  const report = (done: number, total: number, label: string) => onProgress?.({ done, total, label });
  checkAborted(signal);
  checkWorkbookSites(request.sites.length, "Sites");
  if (request.output === "insert") {
    if (!deps.insertPlan) throw new Error("Inserting sheets needs Excel");
    report(0, 1, "Building the workbook plan");
    await nextFrame();
    const plan = await deps.buildPlan(request.sites, request.scenarios, request.generatedOn);
    checkAborted(signal);
    // The plan counts as the first of the writer's steps.
    const result = await deps.insertPlan(plan, {
      ...(signal ? { signal } : {}),
      onProgress: (progress) => report(progress.done + 1, progress.total + 1, progress.label),
    });
    return { output: "insert", sheets: result.sheets, renamedSheets: result.renamedSheets };
  }
  const total = request.output === "new" ? 4 : 3;
  report(0, total, "Building the workbook plan");
  await nextFrame();
  const plan = await deps.buildPlan(request.sites, request.scenarios, request.generatedOn);
  checkAborted(signal);
  report(1, total, "Writing the .xlsx file");
  await nextFrame();
  const bytes = await deps.writeXlsx(plan);
  checkAborted(signal);
  let reason: string | undefined;
  if (request.output === "new") {
    if (!deps.openAsNewWorkbook) throw new Error("Opening a new workbook needs Excel");
    report(2, total, "Opening it in Excel");
    try {
      await deps.openAsNewWorkbook(bytes);
      report(total, total, "Done");
      return { output: "new", sheets: plan.sheets.length };
    } catch (error) {
      if (!(error instanceof Error && error.name === "WorkbookTooLargeError")) throw error;
      reason = `${error.message}, so it was downloaded instead: open ${XLSX_FILENAME} from your downloads.`;
    }
  }
  report(2, total, "Saving the file");
  deps.download(bytes, XLSX_FILENAME);
  report(total, total, "Done");
  return { output: "download", filename: XLSX_FILENAME, bytes: bytes.length, sheets: plan.sheets.length, ...(reason ? { reason } : {}) };
}

/** Where the .xlsx writer is served: wasm-xlsxwriter's web build, copied beside the page by the build. */
export const XLSX_MODULE = "xlsx/wasm_xlsxwriter.js";

/**
 * The real builder and writer, each loaded on first use: the builder as a webpack chunk, the
 * writer as a native ES module (webpack leaves it alone), which fetches its .wasm itself.
 */
export const lazyWorkbook: Pick<GenerateDeps, "buildPlan" | "writeXlsx"> = {
  async buildPlan(sites, scenarios, generatedOn) {
    const { buildWorkbookPlan } = await import(/* webpackChunkName: "workbook" */ "../workbook/build.js");
    return buildWorkbookPlan(sites, { scenarios, generatedOn });
  },
  async writeXlsx(plan) {
    const url = new URL(XLSX_MODULE, document.baseURI).href;
    const [{ writeXlsx }, lib] = await Promise.all([
      import(/* webpackChunkName: "workbook" */ "../workbook/xlsx.js"),
      import(/* webpackIgnore: true */ url) as Promise<typeof XlsxWeb>,
    ]);
    await lib.default();
    return writeXlsx(plan, lib);
  },
};
