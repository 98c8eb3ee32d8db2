/**
 * The task pane's workbook worker: values the sites, lays out the plan, evaluates its cached
 * values and writes the .xlsx off the page's thread, so the pane keeps painting and answering
 * clicks while a large portfolio is generated, and Cancel ends the work at once (the pane
 * terminates this worker). One job per worker; every step done is reported as progress.
 */
import { buildWorkbookPlan } from "../workbook/build.js";
import { writeSteps, writeXlsx, type XlsxModule } from "../workbook/xlsx.js";
import { XLSX_MIME_TYPE, type WorkbookJob, type WorkbookReply } from "./workbook-protocol.js";

/** The dedicated worker's scope, declared here because the add-in compiles against the DOM library. */
interface WorkerScope {
  onmessage: ((event: { data: WorkbookJob }) => void) | null;
  postMessage(message: WorkbookReply): void;
}

const scope = globalThis as unknown as WorkerScope;
const post = (reply: WorkbookReply) => scope.postMessage(reply);

async function run(job: WorkbookJob): Promise<void> {
  const count = job.sites.length;
  post({ type: "progress", done: 0, total: 1, label: `Valuing ${count} site${count === 1 ? "" : "s"} and laying out the sheets` });
  const plan = buildWorkbookPlan(job.sites, { scenarios: job.scenarios, generatedOn: job.generatedOn });
  const { sheets, ...rest } = plan;
  if (job.kind === "plan") {
    sheets.forEach((sheet, index) => {
      post({ type: "sheet", sheet });
      post({ type: "progress", done: index + 1, total: sheets.length, label: `Built ${sheet.name} (${index + 1} of ${sheets.length} sheets)` });
    });
    post({ type: "plan", rest });
    return;
  }
  // Building the plan and loading the writer are the two steps before the writer's own.
  const total = 2 + writeSteps(plan);
  post({ type: "progress", done: 1, total, label: `Built ${sheets.length} sheets; loading the .xlsx writer` });
  // wasm-xlsxwriter's web build, an ES module served beside the page; it fetches its .wasm itself.
  const lib = (await import(/* webpackIgnore: true */ job.xlsxModuleUrl)) as XlsxModule & { default: () => Promise<unknown> };
  await lib.default();
  post({ type: "progress", done: 2, total, label: "Evaluating the cached values" });
  const bytes = writeXlsx(plan, lib, undefined, (progress) => post({ type: "progress", done: 2 + progress.done, total, label: progress.label }));
  post({ type: "xlsx", file: new Blob([bytes as BlobPart], { type: XLSX_MIME_TYPE }), sheets: sheets.length });
}

scope.onmessage = (event) => {
  run(event.data).catch((error: unknown) =>
    post({ type: "error", name: error instanceof Error ? error.name : "Error", message: error instanceof Error ? error.message : String(error) }),
  );
};
