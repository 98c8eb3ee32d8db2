// @vitest-environment jsdom
/**
 * The Build panel: the example site is ready, so one click on Generate makes the workbook; picks sites, scenarios and the output; shows progress and allows cancel;
 * reports failures (and that an insert was rolled back).
 */
import { act, cleanup, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { openAsNewWorkbook } from "../src/excel/newWorkbook.js";
import type { InsertResult } from "../src/excel/planWriter.js";
import { XLSX_FILENAME, generateWorkbook } from "../src/taskpane/generate.js";
import type { WorkbookPlan } from "../src/workbook/plan.js";
import { fakeServices, fileOf, openBuild, renderPane } from "./helpers/taskpane.js";

afterEach(cleanup);

describe("Build panel", () => {
  it("has the example site selected and downloads the workbook in one click outside Office", async () => {
    const user = userEvent.setup();
    const { services } = renderPane();
    await openBuild();
    expect(screen.getByRole("tab", { name: "Build" }).getAttribute("aria-selected")).toBe("true");
    expect((screen.getByRole("checkbox", { name: "Example 100 MW site" }) as HTMLInputElement).checked).toBe(true);
    expect((screen.getByRole("radio", { name: "Download an .xlsx file" }) as HTMLInputElement).checked).toBe(true);
    await user.click(screen.getByRole("button", { name: "Generate workbook" }));
    await screen.findByText(/minepivot-comparison\.xlsx: 11 sheets/);
    expect(services.generate.buildXlsx).toHaveBeenCalledTimes(1);
    expect(services.generate.buildPlan).not.toHaveBeenCalled();
    const [sites, scenarios, date] = vi.mocked(services.generate.buildXlsx).mock.calls[0]!;
    expect(sites.map((site) => site.name)).toEqual(["Example 100 MW site"]);
    expect(scenarios).toEqual(["mining", "powered_shell", "colocated_gpu", "hybrid"]);
    expect(date).toBe("2026-01-15");
    expect(services.generate.download).toHaveBeenCalledWith(expect.any(Blob), "minepivot-comparison.xlsx");
  });

  it("passes only the chosen scenarios and disables Generate, saying why, when nothing is chosen", async () => {
    const user = userEvent.setup();
    const { services } = renderPane();
    await openBuild();
    for (const name of ["Colocated GPU", "Hybrid"]) await user.click(screen.getByRole("checkbox", { name }));
    await user.click(screen.getByRole("button", { name: "Generate workbook" }));
    await screen.findByText(/Downloaded/);
    expect(vi.mocked(services.generate.buildXlsx).mock.calls[0]![1]).toEqual(["mining", "powered_shell"]);
    await user.click(screen.getByRole("checkbox", { name: "Example 100 MW site" }));
    expect(screen.getByText("Pick at least one site.")).toBeTruthy();
    expect((screen.getByRole("button", { name: "Generate workbook" }) as HTMLButtonElement).disabled).toBe(true);
  });

  it("in Excel, inserts into this workbook by default, shows progress, and reports renamed sheets", async () => {
    const user = userEvent.setup();
    let finish: (result: InsertResult) => void = () => undefined;
    const insertPlan = vi.fn(
      (_plan: WorkbookPlan, options: { onProgress?: (p: { done: number; total: number; label: string }) => void }) =>
        new Promise<InsertResult>((resolve) => {
          options.onProgress?.({ done: 3, total: 8, label: "Writing Powered shell" });
          finish = resolve;
        }),
    );
    const base = fakeServices();
    renderPane(fakeServices({ host: "excel", generate: { ...base.generate, insertPlan, openAsNewWorkbook: vi.fn() } }));
    await openBuild();
    expect((screen.getByRole("radio", { name: "Insert the sheets into this workbook" }) as HTMLInputElement).checked).toBe(true);
    expect(screen.queryByRole("radio", { name: /Download/ })).toBeNull();
    await user.click(screen.getByRole("button", { name: "Generate workbook" }));
    await screen.findByText("Writing Powered shell");
    const bar = screen.getByRole("progressbar");
    // The plan fills the first quarter of the bar; Excel's writes, 3 of 8 done, the rest.
    expect(Number(bar.getAttribute("aria-valuenow"))).toBeCloseTo(0.25 + 0.75 * (3 / 8), 5);
    expect(screen.getByRole("button", { name: "Cancel generation" })).toBeTruthy();
    await act(async () =>
      finish({ sheets: ["Cover (2)", "Inputs (2)", "Mining"], renamedSheets: { Cover: "Cover (2)", Inputs: "Inputs (2)" }, renamedNames: {} }),
    );
    await screen.findByText("Inserted 3 sheets");
    expect(screen.getByText(/Cover → Cover \(2\), Inputs → Inputs \(2\)/)).toBeTruthy();
    expect(screen.queryByRole("progressbar")).toBeNull();
  });

  it("cancel aborts the insert and says nothing was added", async () => {
    const user = userEvent.setup();
    const insertPlan = vi.fn(
      (_plan: WorkbookPlan, options: { signal?: AbortSignal }) =>
        new Promise<InsertResult>((_resolve, reject) => {
          options.signal?.addEventListener("abort", () => reject(Object.assign(new Error("cancelled"), { name: "AbortError" })));
        }),
    );
    const base = fakeServices();
    renderPane(fakeServices({ host: "excel", generate: { ...base.generate, insertPlan } }));
    await openBuild();
    await user.click(screen.getByRole("button", { name: "Generate workbook" }));
    await user.click(await screen.findByRole("button", { name: "Cancel generation" }));
    await screen.findByText("Cancelled. Nothing was added to the workbook.");
    expect(insertPlan.mock.calls[0]![1].signal?.aborted).toBe(true);
  });

  it("a failed insert says its additions were removed, with the error", async () => {
    const user = userEvent.setup();
    const base = fakeServices();
    const insertPlan = vi.fn(async () => {
      throw new Error("The sheet limit was reached");
    });
    renderPane(fakeServices({ host: "excel", generate: { ...base.generate, insertPlan } }));
    await openBuild();
    await user.click(screen.getByRole("button", { name: "Generate workbook" }));
    await screen.findByText("Generation failed");
    expect(screen.getByText(/Everything it had added was removed.*The sheet limit was reached/)).toBeTruthy();
  });

  it("opens the workbook as a new workbook when asked", async () => {
    const user = userEvent.setup();
    const base = fakeServices();
    const openAsNewWorkbook = vi.fn(async () => undefined);
    renderPane(fakeServices({ host: "excel", generate: { ...base.generate, insertPlan: vi.fn(), openAsNewWorkbook } }));
    await openBuild();
    await user.click(screen.getByRole("radio", { name: "Open as a new workbook" }));
    await user.click(screen.getByRole("button", { name: "Generate workbook" }));
    await screen.findByText("Opened as a new workbook");
    expect(openAsNewWorkbook).toHaveBeenCalledWith(new Uint8Array([0x50, 0x4b, 3, 4]));
  });

  it("keeps Generate focusable while running, so keyboard focus is not lost", async () => {
    const user = userEvent.setup();
    const base = fakeServices();
    renderPane(fakeServices({ host: "excel", generate: { ...base.generate, insertPlan: vi.fn(() => new Promise<InsertResult>(() => undefined)) } }));
    await openBuild();
    const button = screen.getByRole("button", { name: "Generate workbook" });
    button.focus();
    await user.keyboard("{Enter}");
    await waitFor(() => expect(button.getAttribute("aria-disabled")).toBe("true"));
    expect(document.activeElement).toBe(button);
  });
});

describe("a new workbook too large for Excel.createWorkbook", () => {
  const request = { sites: [], scenarios: ["mining" as const], output: "new" as const, generatedOn: "2026-01-15" };
  const plan = { sheets: [{}, {}] } as unknown as WorkbookPlan;

  afterEach(() => {
    delete (globalThis as Record<string, unknown>).Excel;
  });

  it("is downloaded instead, with the reason, when its base64 passes 4 MB; a smaller one opens", async () => {
    const createWorkbook = vi.fn(async () => undefined);
    (globalThis as Record<string, unknown>).Excel = { createWorkbook };
    const deps = (bytes: Uint8Array) => ({
      runsOn: "worker" as const,
      buildPlan: vi.fn(async () => plan),
      buildXlsx: vi.fn(async () => ({ file: fileOf(bytes), sheets: plan.sheets.length })),
      openAsNewWorkbook,
      download: vi.fn(),
    });
    // 3,000,000 bytes are exactly 4,000,000 characters of base64: the most that is sent.
    const fits = deps(new Uint8Array(3_000_000));
    expect(await generateWorkbook(request, fits)).toEqual({ output: "new", sheets: 2 });
    expect(createWorkbook).toHaveBeenCalledTimes(1);
    const large = deps(new Uint8Array(3_000_001));
    const result = await generateWorkbook(request, large);
    expect(createWorkbook).toHaveBeenCalledTimes(1);
    expect(large.download).toHaveBeenCalledWith(expect.objectContaining({ size: 3_000_001 }), XLSX_FILENAME);
    expect(result).toMatchObject({ output: "download", filename: XLSX_FILENAME });
    expect(result.output === "download" && result.reason).toMatch(/^The workbook is 4\.0 MB as Excel receives it, more than the 4 MB .* downloaded instead/);
  });
});
