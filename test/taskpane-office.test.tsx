// @vitest-environment jsdom
/**
 * The pane's Excel glue on office-addin-mock: reading the selection, auditing a cell (every
 * reference of the call read in one round trip), jumping to a cell, inserting a formula;
 * host detection with and without Office.js; the Office theme.
 */
import { OfficeMockObject } from "office-addin-mock";
import { afterEach, describe, expect, it, vi } from "vitest";
import { detectHost, excelBridge, isDarkColor, officeThemeIsDark, splitAddress } from "../src/taskpane/office.js";

type Mock = OfficeMockObject & Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const globals = globalThis as { Excel?: unknown; Office?: unknown };
afterEach(() => {
  delete globals.Excel;
  delete globals.Office;
});

/** A workbook mock: a selected cell on Model, an Inputs sheet, and a counter of context.sync() calls. */
function workbookMock(formula: string) {
  const ranges: Record<string, object> = {
    "Inputs!A2:B4": {
      address: "Inputs!A2:B4",
      values: [
        ["lease_rate", 150],
        ["exit_cap_rate", 0.07],
        ["", ""],
      ],
    },
    "Model!E1": { address: "Model!E1", values: [["shell"]] },
  };
  const ref: { mock?: Mock } = {};
  const data = {
    context: {
      workbook: {
        selected: {
          address: "Model!C3",
          formulas: [[formula]],
          values: [[6.2]],
          worksheet: {
            name: "Model",
            getRange(address: string) {
              return ref.mock!.context.workbook.ranges[`Model!${address}`];
            },
          },
          getCell() {
            return this;
          },
        },
        active: { address: "Model!D9", formulas: [[""]] },
        ranges,
        worksheets: {
          sheet: {
            getRange(address: string) {
              return ref.mock!.context.workbook.ranges[`Inputs!${address}`];
            },
          },
          getItem() {
            return this.sheet;
          },
          getActiveWorksheet() {
            return this.sheet;
          },
        },
        getSelectedRange() {
          return this.selected;
        },
        getActiveCell() {
          return this.active;
        },
      },
    },
    run: async function (callback: (context: unknown) => Promise<unknown>) {
      return callback(this.context);
    },
  };
  const excel = new OfficeMockObject(data) as Mock;
  ref.mock = excel;
  let syncs = 0;
  const sync = excel.context.sync.bind(excel.context);
  excel.context.sync = async () => {
    syncs++;
    await sync();
  };
  globals.Excel = excel;
  return { excel, syncs: () => syncs };
}

const bridge = () =>
  excelBridge(
    () => Promise.reject(new Error("not used")),
    () => Promise.reject(new Error("not used")),
  );

describe("Excel glue", () => {
  it("reads the selected cell's MINEPIVOT call and every referenced range in two syncs", async () => {
    const { syncs } = workbookMock('=MINEPIVOT.NPV(E1, Inputs!A2:B4) * 2 + MINEPIVOT.IRR("gpu")');
    const cell = await bridge().readSelectedCall();
    expect(cell.address).toBe("Model!C3");
    expect(cell.value).toBe(6.2);
    expect(cell.call?.id).toBe("NPV");
    expect(cell.call?.args).toEqual([
      { kind: "range", address: "Model!E1", values: [["shell"]] },
      {
        kind: "range",
        address: "Inputs!A2:B4",
        values: [
          ["lease_rate", 150],
          ["exit_cap_rate", 0.07],
          ["", ""],
        ],
      },
    ]);
    expect(syncs()).toBe(2);
  });

  it("reads a cell without a MINEPIVOT call in one sync", async () => {
    const { syncs } = workbookMock("=SUM(A1:A3)");
    const cell = await bridge().readSelectedCall();
    expect(cell.call).toBeUndefined();
    expect(syncs()).toBe(1);
  });

  it("reads the selection, inserts a formula into the active cell, one sync each", async () => {
    const { excel, syncs } = workbookMock("=1");
    const selection = await bridge().readSelection();
    expect(selection).toEqual({ address: "Model!C3", values: [[6.2]], formulas: [["=1"]] });
    const address = await bridge().insertFormula("=MINEPIVOT.COMPARE(Inputs!A2:B4)");
    expect(address).toBe("Model!D9");
    expect(excel.context.workbook.active.formulas).toEqual([["=MINEPIVOT.COMPARE(Inputs!A2:B4)"]]);
    expect(syncs()).toBe(2);
  });

  it("jumps to a cell on another sheet: activates the sheet, then selects the cell", async () => {
    const { excel } = workbookMock("=1");
    const target = { address: "Inputs!B3", activated: 0, selected: 0 };
    const range = { ...target, worksheet: { activate: vi.fn() }, select: vi.fn() };
    excel.context.workbook.worksheets.sheet.getRange = (address: string) => (address === "B3" ? range : undefined);
    await bridge().select("Inputs!B3");
    expect(range.worksheet.activate).toHaveBeenCalledTimes(1);
    expect(range.select).toHaveBeenCalledTimes(1);
  });

  it("splits sheet-qualified addresses, quoted names included", () => {
    expect(splitAddress("Inputs!A2:B40")).toEqual({ sheet: "Inputs", local: "A2:B40" });
    expect(splitAddress("'Bob''s sheet'!C3")).toEqual({ sheet: "Bob's sheet", local: "C3" });
    expect(splitAddress("my_inputs")).toEqual({ local: "my_inputs" });
  });
});

describe("host detection and theme", () => {
  it("is the browser without Office.js, or with Office.js but no host", async () => {
    expect(await detectHost()).toBe("browser");
    globals.Office = { onReady: async () => ({ host: null, platform: null }) };
    expect(await detectHost()).toBe("browser");
  });

  it("is Excel when Office.js reports the Excel host and Excel.run exists", async () => {
    globals.Office = { onReady: async () => ({ host: "Excel", platform: "OfficeOnline" }) };
    globals.Excel = { run: () => undefined };
    expect(await detectHost()).toBe("excel");
  });

  it("waits for Office.onReady however long Excel takes to start: no time limit to lose", async () => {
    vi.useFakeTimers();
    try {
      globals.Office = { onReady: () => new Promise((resolve) => setTimeout(() => resolve({ host: "Excel", platform: "PC" }), 60_000)) };
      globals.Excel = { run: () => undefined };
      let detected: string | undefined;
      void detectHost().then((host) => (detected = host));
      await vi.advanceTimersByTimeAsync(59_000);
      expect(detected).toBeUndefined();
      await vi.advanceTimersByTimeAsync(1_000);
      expect(detected).toBe("excel");
    } finally {
      vi.useRealTimers();
    }
  });

  it("follows the Office theme's background colour", () => {
    expect(isDarkColor("#1f1f1f")).toBe(true);
    expect(isDarkColor("#FFFFFF")).toBe(false);
    expect(isDarkColor("#333")).toBe(true);
    expect(officeThemeIsDark()).toBeUndefined();
    globals.Office = { onReady: async () => ({ host: "Excel" }), context: { officeTheme: { bodyBackgroundColor: "#262626" } } };
    expect(officeThemeIsDark()).toBe(true);
  });
});
