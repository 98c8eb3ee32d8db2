// @vitest-environment jsdom
/**
 * Where the task pane makes its workbook: the client side of the workbook worker, against a
 * stand-in Worker that answers as src/worker/workbook.worker.ts does (the real worker runs in
 * Chromium, test/taskpane-e2e.test.ts), and the page fallback where there is no Worker, which
 * the Build panel names.
 */
import { cleanup, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { DEFAULTS } from "../src/core/index.js";
import { workbookJobs } from "../src/taskpane/workbookJobs.js";
import type { WorkbookPlan } from "../src/workbook/plan.js";
import type { WorkbookJob, WorkbookReply } from "../src/worker/workbook-protocol.js";
import { fakeServices, openBuild, renderPane } from "./helpers/taskpane.js";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

/** A Worker that hands each job to `answer`, which replies through `reply`. */
function standInWorker(answer: (job: WorkbookJob, reply: (message: WorkbookReply) => void, fail: (message: string) => void) => void) {
  const made: Array<{ url: string; terminated: boolean }> = [];
  class StandIn {
    onmessage: ((event: { data: WorkbookReply }) => void) | null = null;
    onerror: ((event: { message: string; preventDefault(): void }) => void) | null = null;
    readonly record: { url: string; terminated: boolean };
    constructor(url: string) {
      this.record = { url: new URL(url).pathname, terminated: false };
      made.push(this.record);
    }
    postMessage(job: WorkbookJob) {
      answer(
        structuredClone(job),
        (message) => queueMicrotask(() => !this.record.terminated && this.onmessage?.({ data: message })),
        (message) => queueMicrotask(() => this.onerror?.({ message, preventDefault: () => undefined })),
      );
    }
    terminate() {
      this.record.terminated = true;
    }
  }
  vi.stubGlobal("Worker", StandIn);
  return made;
}

const sites = [{ name: "A", values: DEFAULTS }];
const sheet = (name: string) => ({ name, role: "cover", cells: [], columnWidths: [], timelineRows: [] }) as unknown as WorkbookPlan["sheets"][number];

describe("the workbook worker's client", () => {
  it("runs in the worker script beside the page, and puts the plan together from the sheets sent one at a time", async () => {
    const made = standInWorker((job, reply) => {
      expect(job).toMatchObject({ kind: "plan", scenarios: ["mining"], generatedOn: "2026-01-15" });
      reply({ type: "progress", done: 0, total: 1, label: "Valuing 1 site" });
      reply({ type: "sheet", sheet: sheet("Cover") });
      reply({ type: "progress", done: 1, total: 2, label: "Built Cover (1 of 2 sheets)" });
      reply({ type: "sheet", sheet: sheet("Inputs") });
      reply({ type: "plan", rest: { names: [], charts: [], results: [], checkCount: 3 } });
    });
    const jobs = workbookJobs();
    expect(jobs.runsOn).toBe("worker");
    const labels: string[] = [];
    const plan = await jobs.buildPlan(sites, ["mining"], "2026-01-15", { onProgress: (progress) => labels.push(progress.label) });
    expect(plan.sheets.map((s) => s.name)).toEqual(["Cover", "Inputs"]);
    expect(plan.checkCount).toBe(3);
    expect(labels).toEqual(["Valuing 1 site", "Built Cover (1 of 2 sheets)"]);
    expect(made).toEqual([{ url: "/workbook-worker.js", terminated: true }]);
  });

  it("asks for the .xlsx with the writer's URL beside the page, and returns the file", async () => {
    standInWorker((job, reply) => {
      expect(job.kind === "xlsx" && new URL(job.xlsxModuleUrl).pathname).toMatch(/\/xlsx\/wasm_xlsxwriter\.js$/);
      reply({ type: "xlsx", file: new Blob(["PK"]), sheets: 8 });
    });
    const { file, sheets } = await workbookJobs().buildXlsx(sites, ["mining"], "2026-01-15");
    expect([file.size, sheets]).toEqual([2, 8]);
  });

  it("Cancel terminates the worker at once, mid-job, and rejects with AbortError", async () => {
    const made = standInWorker((_, reply) => reply({ type: "progress", done: 1, total: 12, label: "Wrote 25 cells of Cover" }));
    const abort = new AbortController();
    const job = workbookJobs().buildXlsx(sites, ["mining"], "2026-01-15", {
      signal: abort.signal,
      onProgress: () => abort.abort(),
    });
    await expect(job).rejects.toMatchObject({ name: "AbortError" });
    expect(made[0]!.terminated).toBe(true);
  });

  it("passes on the worker's errors by name and message, and a worker that fails to load", async () => {
    standInWorker((_, reply) => reply({ type: "error", name: "InputError", message: 'site "A": site_mw: -1 is out of range' }));
    await expect(workbookJobs().buildPlan(sites, ["mining"], "2026-01-15")).rejects.toMatchObject({
      name: "InputError",
      message: 'site "A": site_mw: -1 is out of range',
    });
    const made = standInWorker((_, __, fail) => fail(""));
    await expect(workbookJobs().buildPlan(sites, ["mining"], "2026-01-15")).rejects.toThrow("The workbook worker stopped: its script did not load");
    expect(made[0]!.terminated).toBe(true);
  });
});

describe("without Web Workers", () => {
  it("makes the workbook on the page, and the Build panel says what that means", async () => {
    expect(typeof Worker).toBe("undefined");
    expect(workbookJobs().runsOn).toBe("page");
    renderPane(fakeServices({ generate: { ...fakeServices().generate, runsOn: "page" } }));
    await openBuild();
    expect(screen.getByText(/This browser cannot run background workers/).textContent).toMatch(/Cancel acts only between steps/);
  });

  it("says nothing of it where the worker runs", async () => {
    renderPane();
    await openBuild();
    expect(screen.queryByText(/cannot run background workers/)).toBeNull();
  });
});
