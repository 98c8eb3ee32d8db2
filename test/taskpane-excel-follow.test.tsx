// @vitest-environment jsdom
/**
 * The pane's newer Excel glue: the portfolio written as an Excel table with text kept as text
 * (a site named "=1+1" must never become a formula), the audit following the selection
 * (debounced: one read per pause), and the theme following Office's when it changes.
 */
import { cleanup, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { excelBridge, watchOfficeTheme, type CellCall, type ExcelBridge } from "../src/taskpane/office.js";
import { SELECTION_DEBOUNCE_MS } from "../src/taskpane/panels/AuditPanel.js";
import { fakeServices, renderPane } from "./helpers/taskpane.js";

const globals = globalThis as { Excel?: unknown; Office?: unknown };
afterEach(() => {
  cleanup();
  vi.useRealTimers();
  delete globals.Excel;
  delete globals.Office;
});

/** A recording stand-in for Excel.run: every property set and call, in order, per sheet and range. */
function recordingExcel(existing: string[]) {
  const log: string[] = [];
  let syncs = 0;
  const range = (sheet: string, r: number, c: number, rows: number, cols: number) => {
    const target: Record<string, unknown> = {
      format: { autofitColumns: () => log.push(`${sheet}!R${r}C${c}: autofit`) },
      load: () => undefined,
      address: `'${sheet}'!A${r + 1}`,
    };
    return new Proxy(target, {
      set(object, key, value) {
        log.push(`${sheet}!R${r}C${c}x${rows}x${cols}: ${String(key)} = ${JSON.stringify(value)}`);
        object[key as string] = value;
        return true;
      },
    });
  };
  const items = existing.map((name) => ({ name }));
  const context = {
    workbook: {
      worksheets: {
        items,
        load: () => undefined,
        add: (name: string) => {
          log.push(`add sheet ${name}`);
          return {
            name,
            load: () => undefined,
            activate: () => log.push(`activate ${name}`),
            getRangeByIndexes: (r: number, c: number, rows: number, cols: number) => range(name, r, c, rows, cols),
            tables: { add: (target: { address: string }, headers: boolean) => log.push(`table at ${target.address}, headers ${headers}`) },
          };
        },
      },
    },
    sync: async () => void syncs++,
  };
  globals.Excel = { run: async (callback: (c: unknown) => Promise<unknown>) => callback(context) };
  return { log, syncs: () => syncs };
}

describe("insertTable", () => {
  it("writes text as text before any value, on a new sheet whose name is free, as a table with the totals below", async () => {
    const excel = recordingExcel(["Portfolio", "portfolio (2)"]);
    const bridge = excelBridge(vi.fn(), vi.fn());
    const cells = [
      ["Site", "Site MW (MW)"],
      ["=1+1", 10],
      ["@risky", 20],
      ["Total", 30],
      ["MW-weighted average", ""],
    ];
    const where = await bridge.insertTable(cells, 2, "Portfolio");
    expect(where.sheet).toBe("Portfolio (3)");
    const writes = excel.log.filter((line) => line.includes(": numberFormat") || line.includes(": values"));
    expect(writes).toEqual([
      `Portfolio (3)!R0C0x3x2: numberFormat = ${JSON.stringify([
        ["@", "@"],
        ["@", "General"],
        ["@", "General"],
      ])}`,
      `Portfolio (3)!R0C0x3x2: values = ${JSON.stringify(cells.slice(0, 3))}`,
      `Portfolio (3)!R4C0x2x2: numberFormat = ${JSON.stringify([
        ["@", "General"],
        ["@", "@"],
      ])}`,
      `Portfolio (3)!R4C0x2x2: values = ${JSON.stringify(cells.slice(3))}`,
    ]);
    expect(excel.log).toContain("table at 'Portfolio (3)'!A1, headers true");
    expect(excel.syncs()).toBe(2);
  });
});

describe("the audit follows the selection", () => {
  function followingBridge(cells: CellCall[]) {
    let listener: (() => void) | undefined;
    const readSelectedCall = vi.fn(async () => cells.shift()!);
    const excel = {
      readSelectedCall,
      select: vi.fn(async () => undefined),
      onSelectionChanged: vi.fn(async (next: () => void) => {
        listener = next;
        return async () => undefined;
      }),
    } as unknown as ExcelBridge;
    return { excel, readSelectedCall, select: () => listener!() };
  }

  it("reads the selected cell once per pause and shows its trail; a plain cell keeps the last audit", async () => {
    const user = userEvent.setup();
    const { excel, readSelectedCall, select } = followingBridge([
      { address: "Model!C3", formula: '=MINEPIVOT.NPV("gpu")', value: 1, call: { id: "NPV", args: [{ kind: "value", value: "gpu" }] } },
      { address: "Model!D4", formula: "=SUM(A1:A2)", value: 3 },
    ]);
    renderPane(fakeServices({ host: "excel", excel }));
    await user.click(screen.getByRole("tab", { name: "Audit" }));
    await screen.findByRole("button", { name: "Audit the selected cell" });
    await vi.waitFor(() => expect(excel.onSelectionChanged).toHaveBeenCalled());
    select();
    select();
    select();
    expect(readSelectedCall).not.toHaveBeenCalled();
    expect(await screen.findByText("Equity value, Colocated GPU", {}, { timeout: SELECTION_DEBOUNCE_MS + 5000 })).toBeTruthy();
    expect(readSelectedCall).toHaveBeenCalledTimes(1);
    select();
    expect(await screen.findByText(/Model!D4 holds no MINEPIVOT formula; the audit below is of the last one/)).toBeTruthy();
    expect(screen.getByText("Equity value, Colocated GPU")).toBeTruthy();
  });
});

describe("watchOfficeTheme", () => {
  it("reports a change of Office's theme, once per change", () => {
    vi.useFakeTimers();
    const theme = { bodyBackgroundColor: "#ffffff" };
    globals.Office = { onReady: async () => ({}), context: { officeTheme: theme } };
    const changes: boolean[] = [];
    const stop = watchOfficeTheme((dark) => changes.push(dark), 100);
    vi.advanceTimersByTime(300);
    expect(changes).toEqual([]);
    theme.bodyBackgroundColor = "#262626";
    vi.advanceTimersByTime(300);
    theme.bodyBackgroundColor = "#fafafa";
    vi.advanceTimersByTime(100);
    stop();
    theme.bodyBackgroundColor = "#000000";
    vi.advanceTimersByTime(300);
    expect(changes).toEqual([true, false]);
  });
});
