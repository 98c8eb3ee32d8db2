/**
 * Where the workbook is made. In a Web Worker (src/worker/workbook.worker.ts) wherever the
 * browser has one: valuing 50 sites and writing their .xlsx takes seconds, which on the page's
 * own thread would freeze the pane and leave Cancel unable to act. Cancel terminates the
 * worker. Only where there is no Worker do the same steps run on the page, loaded on first use
 * (the builder as a webpack chunk, the writer as a native ES module), and the Build panel says
 * so.
 */
import type { ScenarioName } from "../core/index.js";
import type { WorkbookSite } from "../workbook/build.js";
import type { SheetPlan, WorkbookPlan } from "../workbook/plan.js";
import { XLSX_MIME_TYPE, type WorkbookJob, type WorkbookReply } from "../worker/workbook-protocol.js";
import { abortError, checkAborted, type JobOptions, type WorkbookJobs } from "./generate.js";
import type * as XlsxWeb from "wasm-xlsxwriter/web";

/** Where the .xlsx writer is served: wasm-xlsxwriter's web build, copied beside the page by the build. */
export const XLSX_MODULE = "xlsx/wasm_xlsxwriter.js";

/** The worker's script: its own webpack entry (webpack.config.js), beside the page. */
export const WORKER_SCRIPT = "workbook-worker.js";

const besideThePage = (file: string) => new URL(file, document.baseURI).href;

/** Runs one job in a fresh worker; `settle` turns the job's result messages into its value. */
function inWorker<T>(job: WorkbookJob, options: JobOptions, settle: (reply: WorkbookReply, resolve: (value: T) => void) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const { signal, onProgress } = options;
    if (signal?.aborted) {
      reject(abortError());
      return;
    }
    const worker = new Worker(besideThePage(WORKER_SCRIPT));
    const cancel = () => finish(() => reject(abortError()));
    function finish(then: () => void) {
      worker.terminate();
      signal?.removeEventListener("abort", cancel);
      then();
    }
    signal?.addEventListener("abort", cancel, { once: true });
    worker.onmessage = (event: MessageEvent<WorkbookReply>) => {
      const reply = event.data;
      if (reply.type === "progress") onProgress?.(reply);
      else if (reply.type === "error") finish(() => reject(Object.assign(new Error(reply.message), { name: reply.name })));
      else settle(reply, (value) => finish(() => resolve(value)));
    };
    worker.onerror = (event) => {
      event.preventDefault();
      finish(() => reject(new Error(`The workbook worker stopped: ${event.message || "its script did not load"}`)));
    };
    worker.postMessage(job);
  });
}

const workerJobs: WorkbookJobs = {
  runsOn: "worker",
  buildPlan(sites, scenarios, generatedOn, options = {}) {
    const sheets: SheetPlan[] = [];
    return inWorker<WorkbookPlan>({ kind: "plan", sites, scenarios, generatedOn }, options, (reply, resolve) => {
      if (reply.type === "sheet") sheets.push(reply.sheet);
      else if (reply.type === "plan") resolve({ ...reply.rest, sheets });
    });
  },
  buildXlsx(sites, scenarios, generatedOn, options = {}) {
    return inWorker({ kind: "xlsx", sites, scenarios, generatedOn, xlsxModuleUrl: besideThePage(XLSX_MODULE) }, options, (reply, resolve) => {
      if (reply.type === "xlsx") resolve({ file: reply.file, sheets: reply.sheets });
    });
  },
};

/** Lets the progress bar paint between steps that block the thread. */
const nextFrame = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

async function planOnPage(sites: readonly WorkbookSite[], scenarios: readonly ScenarioName[], generatedOn: string, options: JobOptions): Promise<WorkbookPlan> {
  const { buildWorkbookPlan } = await import(/* webpackChunkName: "workbook" */ "../workbook/build.js");
  options.onProgress?.({ done: 0, total: 2, label: `Valuing ${sites.length} site${sites.length === 1 ? "" : "s"} and laying out the sheets` });
  await nextFrame();
  checkAborted(options.signal);
  return buildWorkbookPlan(sites, { scenarios, generatedOn });
}

const pageJobs: WorkbookJobs = {
  runsOn: "page",
  buildPlan: (sites, scenarios, generatedOn, options = {}) => planOnPage(sites, scenarios, generatedOn, options),
  async buildXlsx(sites, scenarios, generatedOn, options = {}) {
    const plan = await planOnPage(sites, scenarios, generatedOn, options);
    const [{ writeXlsx }, lib] = await Promise.all([
      import(/* webpackChunkName: "workbook" */ "../workbook/xlsx.js"),
      import(/* webpackIgnore: true */ besideThePage(XLSX_MODULE)) as Promise<typeof XlsxWeb>,
    ]);
    await lib.default();
    options.onProgress?.({ done: 1, total: 2, label: "Writing the .xlsx file" });
    await nextFrame();
    checkAborted(options.signal);
    return { file: new Blob([writeXlsx(plan, lib) as BlobPart], { type: XLSX_MIME_TYPE }), sheets: plan.sheets.length };
  },
};

/** The worker where the browser has Web Workers, else the page. */
export function workbookJobs(): WorkbookJobs {
  return typeof Worker === "undefined" ? pageJobs : workerJobs;
}
