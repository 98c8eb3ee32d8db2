/**
 * Generating the comparison workbook: the plan from the core (src/workbook/build.ts), then one
 * of three outputs: its sheets inserted into the open workbook, a new Excel workbook, or a
 * downloaded .xlsx. The plan and the .xlsx are made by WorkbookJobs (workbookJobs.ts: a Web
 * Worker, or the page itself where there is none); Office.js writes on the page.
 */
import type { ScenarioName } from "../core/index.js";
import type { WorkbookSite } from "../workbook/build.js";
import type { WorkbookPlan } from "../workbook/plan.js";
import { checkWorkbookSites } from "../workbook/limits.js";
import type { InsertProgress, InsertResult } from "../excel/planWriter.js";

export type OutputKind = "insert" | "new" | "download";

export interface GenerateProgress {
  readonly done: number;
  readonly total: number;
  readonly label: string;
}

export interface JobOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: GenerateProgress) => void;
}

/** Makes the plan and the .xlsx file. */
export interface WorkbookJobs {
  /** "worker": off the page's thread, so the pane stays responsive; "page": on it, where the browser has no Web Workers. */
  readonly runsOn: "worker" | "page";
  buildPlan(sites: readonly WorkbookSite[], scenarios: readonly ScenarioName[], generatedOn: string, options?: JobOptions): Promise<WorkbookPlan>;
  buildXlsx(
    sites: readonly WorkbookSite[],
    scenarios: readonly ScenarioName[],
    generatedOn: string,
    options?: JobOptions,
  ): Promise<{ readonly file: Blob; readonly sheets: number }>;
}

export interface GenerateDeps extends WorkbookJobs {
  insertPlan?(plan: WorkbookPlan, options: { signal?: AbortSignal; onProgress?: (progress: InsertProgress) => void }): Promise<InsertResult>;
  openAsNewWorkbook?(bytes: Uint8Array): Promise<void>;
  download(file: Blob, filename: string): void;
}

export type GenerateResult =
  | { readonly output: "insert"; readonly sheets: readonly string[]; readonly renamedSheets: Readonly<Record<string, string>> }
  | { readonly output: "new"; readonly sheets: number }
  | { readonly output: "download"; readonly filename: string; readonly bytes: number; readonly sheets: number; readonly reason?: string };

export const XLSX_FILENAME = "minepivot-comparison.xlsx";

/** Share of the progress bar for the plan when inserting: Excel's own writes take most of the time. */
const PLAN_SHARE = 0.25;

export function abortError(): Error {
  const error = new Error("Generation was cancelled");
  error.name = "AbortError";
  return error;
}

export function checkAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw abortError();
}

export async function generateWorkbook(
  request: { sites: readonly WorkbookSite[]; scenarios: readonly ScenarioName[]; output: OutputKind; generatedOn: string },
  deps: GenerateDeps,
  options: JobOptions = {},
): Promise<GenerateResult> {
  const { signal, onProgress } = options;
  const report = (done: number, total: number, label: string) => onProgress?.({ done, total, label });
  checkAborted(signal);
  checkWorkbookSites(request.sites.length, "Sites");
  const withSignal = signal ? { signal } : {};
  report(0, 1, "Building the workbook plan");
  if (request.output === "insert") {
    if (!deps.insertPlan) throw new Error("Inserting sheets needs Excel");
    const plan = await deps.buildPlan(request.sites, request.scenarios, request.generatedOn, {
      ...withSignal,
      onProgress: (progress) => report((PLAN_SHARE * progress.done) / progress.total, 1, progress.label),
    });
    checkAborted(signal);
    const result = await deps.insertPlan(plan, {
      ...withSignal,
      onProgress: (progress) => report(PLAN_SHARE + ((1 - PLAN_SHARE) * progress.done) / progress.total, 1, progress.label),
    });
    return { output: "insert", sheets: result.sheets, renamedSheets: result.renamedSheets };
  }
  // After the jobs' steps: opening in Excel (a new workbook), then saving the file.
  const after = request.output === "new" ? 2 : 1;
  let steps = 1;
  const { file, sheets } = await deps.buildXlsx(request.sites, request.scenarios, request.generatedOn, {
    ...withSignal,
    onProgress: (progress) => {
      steps = progress.total;
      report(progress.done, progress.total + after, progress.label);
    },
  });
  checkAborted(signal);
  const total = steps + after;
  let reason: string | undefined;
  if (request.output === "new") {
    if (!deps.openAsNewWorkbook) throw new Error("Opening a new workbook needs Excel");
    report(steps, total, "Opening it in Excel");
    try {
      await deps.openAsNewWorkbook(new Uint8Array(await file.arrayBuffer()));
      report(total, total, "Done");
      return { output: "new", sheets };
    } catch (error) {
      if (!(error instanceof Error && error.name === "WorkbookTooLargeError")) throw error;
      reason = `${error.message}, so it was downloaded instead: open ${XLSX_FILENAME} from your downloads.`;
    }
  }
  report(total - 1, total, "Saving the file");
  deps.download(file, XLSX_FILENAME);
  report(total, total, "Done");
  return { output: "download", filename: XLSX_FILENAME, bytes: file.size, sheets, ...(reason ? { reason } : {}) };
}
