/**
 * The messages between the task pane and its workbook worker (workbook.worker.ts). Everything
 * here crosses by structured clone: plain data, no classes.
 */
import type { ScenarioName } from "../core/index.js";
import type { WorkbookSite } from "../workbook/build.js";
import type { SheetPlan, WorkbookPlan } from "../workbook/plan.js";

/** The .xlsx file's media type. */
export const XLSX_MIME_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

export interface WorkbookRequest {
  readonly sites: readonly WorkbookSite[];
  readonly scenarios: readonly ScenarioName[];
  readonly generatedOn: string;
}

/** "plan": the plan back, for Office.js to write; "xlsx": the file's bytes, for a download or a new workbook. */
export type WorkbookJob = WorkbookRequest & ({ readonly kind: "plan" } | { readonly kind: "xlsx"; readonly xlsxModuleUrl: string });

export type WorkbookReply =
  | { readonly type: "progress"; readonly done: number; readonly total: number; readonly label: string }
  /** The plan goes back a sheet at a time, so that no one message holds the page long while it is read. */
  | { readonly type: "sheet"; readonly sheet: SheetPlan }
  | { readonly type: "plan"; readonly rest: Omit<WorkbookPlan, "sheets"> }
  /**
   * The file as a Blob, made here: making a Blob copies its bytes, which for a 50-site workbook
   * (some 17 MB) blocks the thread that does it for hundreds of milliseconds.
   */
  | { readonly type: "xlsx"; readonly file: Blob; readonly sheets: number }
  | { readonly type: "error"; readonly name: string; readonly message: string };
