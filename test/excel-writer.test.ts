/**
 * The Office.js writer against office-addin-mock: a fake Excel whose operations take effect
 * as they are queued (so a failing sync leaves a half-done batch, as real Excel can), with a
 * count of context.sync() calls.
 */
import { OfficeMockObject } from "office-addin-mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DEFAULTS, REGISTRY } from "../src/core/index.js";
import { insertPlan } from "../src/excel/planWriter.js";
import { buildWorkbookPlan } from "../src/workbook/build.js";
import { randomSite, seeded } from "./helpers/sites.js";

interface FakeRange {
  writes: number;
  /** Where the range starts: [row, col], 0-based. */
  at: [number, number];
  formulas?: unknown[][];
  formulasR1C1?: unknown[][];
  values?: unknown[][];
  numberFormat?: unknown[][];
  format: { font: Record<string, unknown>; fill: Record<string, unknown>; columnWidth?: number };
  dataValidation: { rule?: Record<string, unknown>; prompt?: Record<string, unknown>; errorAlert?: Record<string, unknown> };
  conditionalFormats: { added: Array<{ type: string; colorScale: Record<string, unknown> }>; add(type: string): { colorScale: Record<string, unknown> } };
}

interface FakeChart {
  title: Record<string, unknown>;
  axes: { valueAxis: Record<string, unknown>; categoryAxis: Record<string, unknown> };
  series: { items: Array<Record<string, unknown>>; getItemAt(i: number): Record<string, unknown> };
  setPosition(): void;
}

interface FakeSheet {
  name: string;
  owner: "user" | "minepivot";
  ranges: FakeRange[];
  deleted: boolean;
  charts: number;
  chartLooks: FakeChart[];
  /** Rows (0-based) above which a page break was added. */
  pageBreaks: number[];
  printTitleRows?: string;
}

function fakeExcel(options: { sheets?: string[]; names?: Record<string, string>; failOnSync?: number }) {
  const state = {
    syncs: 0,
    sheets: new Map<string, FakeSheet>(),
    names: new Map<string, string>(Object.entries(options.names ?? {})),
    userNames: new Map<string, string>(Object.entries(options.names ?? {})),
  };
  const sheetApi = (sheet: FakeSheet) => ({
    getRangeByIndexes(row: number, col: number) {
      const added: FakeRange["conditionalFormats"]["added"] = [];
      const conditionalFormats = {
        added,
        add(type: string) {
          const format = { type, colorScale: {} };
          added.push(format);
          return format;
        },
      };
      const range: FakeRange = { writes: 0, at: [row, col], format: { font: {}, fill: {} }, dataValidation: {}, conditionalFormats };
      sheet.ranges.push(range);
      return new Proxy(range, {
        set(target, key, value) {
          (target as unknown as Record<string | symbol, unknown>)[key] = value;
          target.writes++;
          return true;
        },
      });
    },
    freezePanes: { freezeAt() {} },
    horizontalPageBreaks: {
      add(range: FakeRange) {
        sheet.pageBreaks.push(range.at[0]);
      },
    },
    pageLayout: {
      headersFooters: { defaultForAllPages: {} },
      setPrintTitleRows(rows: string) {
        sheet.printTitleRows = rows;
      },
      setPrintTitleColumns() {},
    },
    charts: {
      add() {
        sheet.charts++;
        const items: Array<Record<string, unknown>> = [];
        const chart: FakeChart = {
          title: {},
          axes: { valueAxis: { title: {} }, categoryAxis: {} },
          series: {
            items,
            getItemAt(i: number) {
              return (items[i] ??= {});
            },
          },
          setPosition() {},
        };
        sheet.chartLooks.push(chart);
        return chart;
      },
    },
    activate() {},
    delete() {
      sheet.deleted = true;
      state.sheets.delete(sheet.name);
    },
  });
  for (const name of options.sheets ?? [])
    state.sheets.set(name, { name, owner: "user", ranges: [], deleted: false, charts: 0, chartLooks: [], pageBreaks: [] });
  const lookup = (name: string) => [...state.sheets.values()].find((s) => s.name.toLowerCase() === name.toLowerCase());
  const data = {
    context: {
      workbook: {
        worksheets: {
          load() {},
          add(name: string) {
            if (lookup(name)) throw new Error(`a sheet named ${name} exists`);
            const sheet: FakeSheet = { name, owner: "minepivot", ranges: [], deleted: false, charts: 0, chartLooks: [], pageBreaks: [] };
            state.sheets.set(name, sheet);
            return sheetApi(sheet);
          },
          getItem(name: string) {
            const sheet = lookup(name);
            if (!sheet) throw new Error(`no sheet ${name}`);
            return sheetApi(sheet);
          },
          getItemOrNullObject(name: string) {
            const sheet = lookup(name);
            return { isNullObject: !sheet, load() {}, delete: () => sheet && sheetApi(sheet).delete() };
          },
        },
        names: {
          load() {},
          add(name: string, reference: string) {
            if (state.names.has(name.toLowerCase())) throw new Error(`a name ${name} exists`);
            state.names.set(name.toLowerCase(), reference);
          },
          getItemOrNullObject(name: string) {
            const has = state.names.has(name.toLowerCase());
            return { isNullObject: !has, load() {}, delete: () => state.names.delete(name.toLowerCase()) };
          },
        },
      },
      async sync() {
        state.syncs++;
        if (state.syncs === options.failOnSync) throw new Error("forced failure in Excel");
      },
    },
  };
  const mock = new OfficeMockObject(data) as unknown as { context: Excel.RequestContext & { workbook: { worksheets: { items: unknown } } } };
  // Collections are read after load + sync; the fake lists them live.
  Object.defineProperty(mock.context.workbook.worksheets, "items", { get: () => [...state.sheets.values()].map((s) => ({ name: s.name })) });
  Object.defineProperty(mock.context.workbook.names, "items", { get: () => [...state.names.keys()].map((name) => ({ name })) });
  return { context: mock.context as unknown as Excel.RequestContext, state };
}

const example = buildWorkbookPlan([{ name: "Example", values: DEFAULTS }]);
const random = seeded(99);
const twelve = buildWorkbookPlan(Array.from({ length: 12 }, (_, i) => ({ name: `Site ${i + 1}`, values: randomSite(random) })));

beforeEach(() => {
  (globalThis as Record<string, unknown>).Excel = {
    ChartType: { line: "Line", columnClustered: "ColumnClustered", barClustered: "BarClustered" },
    ChartSeriesBy: { columns: "Columns" },
  };
});
afterEach(() => {
  delete (globalThis as Record<string, unknown>).Excel;
});

describe("inserting a workbook plan into Excel", () => {
  it("never touches an existing sheet or name: clashing ones get suffixes and formulas follow", async () => {
    const { context, state } = fakeExcel({ sheets: ["Sheet1", "Inputs", "mining"], names: { btc_price: "=Sheet1!$A$1" } });
    const result = await insertPlan(context, example);
    expect(result.renamedSheets).toEqual({ Inputs: "Inputs (2)", Mining: "Mining (2)" });
    expect(result.renamedNames).toEqual({ btc_price: "btc_price_2" });
    for (const name of ["Sheet1", "Inputs", "mining"]) {
      const sheet = state.sheets.get(name)!;
      expect(sheet.owner).toBe("user");
      expect(sheet.ranges).toEqual([]);
    }
    expect(state.names.get("btc_price")).toBe("=Sheet1!$A$1");
    expect(state.names.get("btc_price_2")).toMatch(/^='Inputs \(2\)'!\$D\$\d+$/);
    const mining = state.sheets.get("Mining (2)")!;
    const linked = mining.ranges
      .flatMap((r) => r.formulas ?? [])
      .flat()
      .map(String);
    expect(linked.some((f) => f.includes("'Inputs (2)'!"))).toBe(true);
    expect(linked.some((f) => /(^|[^'(\w])Inputs!/.test(f))).toBe(false);
    const renamed: Record<string, string> = { Inputs: "Inputs (2)", Mining: "Mining (2)" };
    expect(result.sheets).toEqual(example.sheets.map((sheet) => renamed[sheet.name] ?? sheet.name));
    expect(result.sheets).toContain("Inputs (2)");
  });

  it("rolls back every sheet and name it added when Excel fails part-way, and rethrows", async () => {
    for (const failOnSync of [2, 5, 9, 10, 11]) {
      const { context, state } = fakeExcel({ sheets: ["Sheet1"], names: { mine: "=Sheet1!$A$1" }, failOnSync });
      await expect(insertPlan(context, example)).rejects.toThrow("forced failure in Excel");
      expect([...state.sheets.keys()], `failure at sync ${failOnSync}`).toEqual(["Sheet1"]);
      expect([...state.names.keys()], `failure at sync ${failOnSync}`).toEqual(["mine"]);
    }
  });

  it("stops on cancel, removes what it wrote and says so", async () => {
    const { context, state } = fakeExcel({ sheets: ["Sheet1"] });
    const controller = new AbortController();
    const progress: number[] = [];
    const attempt = insertPlan(context, example, {
      signal: controller.signal,
      onProgress: (p) => {
        progress.push(p.done);
        if (p.done === 3) controller.abort();
      },
    });
    await expect(attempt).rejects.toMatchObject({ name: "AbortError" });
    expect(progress).toEqual([1, 2, 3]);
    expect([...state.sheets.keys()]).toEqual(["Sheet1"]);
    expect(state.names.size).toBe(0);
  });

  it("sends one request per sheet while a sheet fits the request budget, and splits larger sheets", async () => {
    const one = fakeExcel({ sheets: ["Sheet1"] });
    await insertPlan(one.context, example);
    const many = fakeExcel({ sheets: ["Sheet1"] });
    await insertPlan(many.context, twelve);
    const writes = (state: typeof one.state) => [...state.sheets.values()].reduce((n, s) => n + s.ranges.reduce((k, r) => k + r.writes, 0), 0);
    expect(writes(many.state)).toBeGreaterThan(5 * writes(one.state));
    // One to read what exists, one per sheet, one for names, one for charts.
    expect(one.state.syncs).toBe(example.sheets.length + 3);
    // Twelve sites' workings do not fit one request per sheet (test/excel-requests.test.ts
    // measures the requests); the number of syncs grows with the data, not with the cells.
    expect(many.state.syncs).toBeGreaterThan(one.state.syncs);
    expect(many.state.syncs).toBeLessThan(writes(many.state) / 1_000);
  });

  it("writes each timeline row in one call, as the row's R1C1 formula across every month", async () => {
    const { context, state } = fakeExcel({});
    await insertPlan(context, example);
    const mining = state.sheets.get("Mining")!;
    const rows = mining.ranges.filter((r) => r.formulasR1C1);
    const planned = example.sheets.find((s) => s.name === "Mining")!.timelineRows;
    expect(rows).toHaveLength(planned.length);
    rows.forEach((range, i) => {
      expect(range.formulasR1C1![0]).toHaveLength(planned[i]!.lastCol - planned[i]!.firstCol + 1);
      expect(new Set(range.formulasR1C1![0])).toEqual(new Set([planned[i]!.formulaR1C1]));
    });
    expect(state.sheets.get("Comparison")!.charts).toBe(4);
  });

  it("sets up printing: the workings sheets repeat their month header rows", async () => {
    const { context, state } = fakeExcel({});
    await insertPlan(context, example);
    expect(state.sheets.get("Mining")!.printTitleRows).toBe("$1:$5");
  });

  it("puts the registry's data validation on every input row: rule, input message and stop alert", async () => {
    const { context, state } = fakeExcel({});
    await insertPlan(context, example);
    const validated = state.sheets.get("Inputs")!.ranges.filter((r) => r.dataValidation.rule);
    expect(validated).toHaveLength(REGISTRY.length);
    for (const range of validated) {
      expect(range.dataValidation.prompt).toMatchObject({ showPrompt: true });
      expect(range.dataValidation.errorAlert).toMatchObject({ showAlert: true, style: "Stop" });
    }
    const rules = validated.map((r) => r.dataValidation.rule!);
    expect(rules).toContainEqual({ decimal: { formula1: "1", formula2: "3", operator: "Between" } });
    expect(rules).toContainEqual({ list: { inCellDropDown: true, source: "TRUE,FALSE" } });
  });

  describe("looks beyond the manifest's requirement sets are written only where the host has them", () => {
    afterEach(() => {
      delete (globalThis as Record<string, unknown>).Office;
    });
    /** A host that reports ExcelApi up to 1.`minor`. */
    const hostWith = (minor: number) => {
      (globalThis as Record<string, unknown>).Office = {
        context: { requirements: { isSetSupported: (set: string, version: string) => set === "ExcelApi" && Number(version.split(".")[1]) <= minor } },
      };
    };
    const looks = (state: ReturnType<typeof fakeExcel>["state"]) => {
      const sensitivity = state.sheets.get("Sensitivity")!;
      const breaks = sensitivity.pageBreaks;
      const charts = [...state.sheets.values()].flatMap((sheet) => sheet.chartLooks);
      return {
        scales: sensitivity.ranges.flatMap((range) => range.conditionalFormats.added),
        reversed: charts.filter((chart) => chart.axes.categoryAxis.reversePlotOrder === true).length,
        overlapped: charts.filter((chart) => chart.series.items.some((series) => series.overlap === 100)).length,
        low: charts.filter((chart) => chart.axes.categoryAxis.tickLabelPosition === "Low").length,
        charts: charts.length,
        breaks,
      };
    };
    const tornados = example.charts.filter((chart) => chart.type === "bar").length;
    const plannedBreaks = example.sheets.find((sheet) => sheet.name === "Sensitivity")!.print!.rowBreaks!;

    it("ExcelApi 1.9: the Sensitivity sheet's page breaks, above the rows the plan gives", async () => {
      hostWith(9);
      const { context, state } = fakeExcel({});
      await insertPlan(context, example);
      expect(plannedBreaks.length).toBeGreaterThan(0);
      expect(looks(state).breaks).toEqual(plannedBreaks);
    });

    it("ExcelApi 1.8: the colour scale and every chart look", async () => {
      hostWith(8);
      const { context, state } = fakeExcel({});
      await insertPlan(context, example);
      const got = looks(state);
      expect(got.scales.map((format) => format.type)).toEqual(["ColorScale"]);
      expect(got.scales[0]!.colorScale.criteria).toMatchObject({ minimum: { type: "LowestValue" }, maximum: { type: "HighestValue" } });
      expect(tornados).toBeGreaterThan(0);
      expect(got).toMatchObject({ reversed: tornados, overlapped: tornados, low: got.charts, breaks: [] });
    });

    it("ExcelApi 1.7: tornados in order, but no overlap, label position or axis formats (1.8)", async () => {
      hostWith(7);
      const { context, state } = fakeExcel({});
      await insertPlan(context, example);
      expect(looks(state)).toMatchObject({ reversed: tornados, overlapped: 0, low: 0 });
      expect(looks(state).scales).toHaveLength(1);
    });

    it("ExcelApi 1.5: no colour scale (1.6) and plain charts, and the workbook still goes in whole", async () => {
      hostWith(5);
      const { context, state } = fakeExcel({});
      const result = await insertPlan(context, example);
      expect(result.sheets).toEqual(example.sheets.map((sheet) => sheet.name));
      expect(looks(state)).toMatchObject({ scales: [], reversed: 0, overlapped: 0, low: 0 });
      expect(looks(state).charts).toBe(example.charts.length);
    });
  });
});
