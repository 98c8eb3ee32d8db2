/**
 * The Sensitivity sheet: a snapshot of engine values, marked as one. Its tornados are the core's
 * (core/tornado.ts, as `minepivot sensitivity` computes them), checked bar by bar, and one end
 * of each against a direct valuation; its grid against direct valuations of each corner and
 * the middle. Tolerance: relative 1e-12 (floor 1): the file holds the engine's doubles as written.
 */
import * as xlsx from "wasm-xlsxwriter";
import { describe, expect, it } from "vitest";
import { DEFAULTS, SCENARIO_LABELS, tornado, valueScenario, withValues, type Assumptions, type ScenarioName } from "../src/core/index.js";
import { buildWorkbookPlan, SHEET_NAMES, type WorkbookSite } from "../src/workbook/build.js";
import { cellRef } from "../src/workbook/refs.js";
import { GRID_BTC_STEPS, GRID_LEASE_STEPS, TORNADO_BARS, TORNADO_RANGE } from "../src/workbook/sheets/sensitivity.js";
import { writeXlsx } from "../src/workbook/xlsx.js";
import { randomSite, seeded } from "./helpers/sites.js";
import { readValues, readZip, sheetPaths, type XlsxValue } from "./helpers/xlsx.js";

const ALL: ScenarioName[] = ["mining", "powered_shell", "colocated_gpu", "hybrid"];

function close(actual: XlsxValue | undefined, expected: number, label: string): void {
  expect(typeof actual, label).toBe("number");
  expect(Math.abs((actual as number) - expected) / Math.max(1, Math.abs(expected)), label).toBeLessThanOrEqual(1e-12);
}

function written(sites: WorkbookSite[], scenarios: ScenarioName[] = ALL) {
  const plan = buildWorkbookPlan(sites, { scenarios, generatedOn: "2026-01-15" });
  const bytes = writeXlsx(plan, xlsx);
  const values = readValues(bytes).get(SHEET_NAMES.sensitivity)!;
  const at = (row: number, col: number) => values.get(cellRef(row, col));
  const rowOf = (text: string) => {
    for (const [ref, value] of values) if (value === text && ref.startsWith("A") && /^A\d+$/.test(ref)) return Number(ref.slice(1)) - 1;
    throw new Error(`no row "${text}" on the Sensitivity sheet`);
  };
  return { plan, bytes, values, at, rowOf };
}

const upliftOf = (scenario: ScenarioName, a: Assumptions) =>
  valueScenario(scenario, a).metrics.equity_per_watt - valueScenario("mining", a).metrics.equity_per_watt;

describe("Sensitivity sheet: engine values, marked as a snapshot", () => {
  const site = { name: "Example", values: DEFAULTS };
  const { plan, bytes, at, rowOf, values } = written([site]);

  it("says it is a snapshot, with the date, the base case and how to refresh it, and holds no formula", () => {
    const texts = [...values.values()].filter((v): v is string => typeof v === "string");
    expect(texts).toContain("Snapshot: engine values, not live; regenerate to refresh. Editing the Inputs sheet does not change this sheet.");
    expect(texts.some((t) => t.includes("on 2026-01-15") && t.includes("valued as of 2026-01-01"))).toBe(true);
    expect(texts.some((t) => t.startsWith("Base case: Example with its inputs as built"))).toBe(true);
    const sheet = plan.sheets.find((s) => s.name === SHEET_NAMES.sensitivity)!;
    expect(sheet.cells.filter((c) => c.formula !== undefined)).toEqual([]);
    expect(sheet.timelineRows).toEqual([]);
  });

  it("has the core's tornado for each scenario's equity per watt and each conversion's uplift over mining", () => {
    const wanted = [
      ...ALL.map((scenario) => [scenario, "equity_per_watt", "equity value per watt (USD/W)"] as const),
      ...ALL.filter((s) => s !== "mining").map((scenario) => [scenario, "uplift_per_watt", "uplift over mining (USD/W)"] as const),
    ];
    for (const [scenario, metric, title] of wanted) {
      const expected = tornado(scenario, metric, DEFAULTS, { range: TORNADO_RANGE });
      const bars = expected.bars.filter((bar) => bar.swing > 0).slice(0, TORNADO_BARS);
      expect(bars.length).toBe(TORNADO_BARS);
      const heading = rowOf(`${SCENARIO_LABELS[scenario]}: ${title}`);
      close(at(heading, 4), expected.base!, `${scenario} ${metric} base`);
      bars.forEach((bar, i) => {
        const row = heading + 2 + i;
        const label = `${scenario} ${metric} ${bar.key}`;
        expect(at(row, 0), label).toBe(bar.label);
        expect(at(row, 8), label).toBe(bar.key);
        close(at(row, 1), bar.low! - expected.base!, label);
        close(at(row, 2), bar.high! - expected.base!, label);
        close(at(row, 3), bar.lowInput, label);
        close(at(row, 4), bar.highInput, label);
        close(at(row, 6), bar.low!, label);
        close(at(row, 7), bar.high!, label);
      });
      // The largest bar's high end, valued directly.
      const top = bars[0]!;
      const moved = withValues(DEFAULTS, { [top.key]: top.highInput });
      const direct = metric === "uplift_per_watt" ? upliftOf(scenario, moved) : valueScenario(scenario, moved).metrics.equity_per_watt;
      close(at(heading + 2, 7), direct, `${scenario} ${metric} ${top.key} valued directly`);
    }
    // A bar chart per tornado, reading the two change columns beside the assumptions' names.
    const charts = plan.charts.filter((c) => c.sheet === SHEET_NAMES.sensitivity);
    expect(charts.length).toBe(wanted.length);
    for (const chart of charts) {
      expect(chart.type).toBe("bar");
      expect(chart.series.map((s) => s.values[1])).toEqual([1, 2]);
      expect(chart.series.every((s) => s.categories[1] === 0 && s.values[2] - s.values[0] === TORNADO_BARS - 1)).toBe(true);
    }
  });

  it("draws each tornado's bars overlapped around the base, the largest on top", () => {
    const zip = readZip(bytes);
    const tornados = [...zip.keys()].filter((path) => path.startsWith("xl/charts/") && zip.get(path)!.toString("utf8").includes('<c:barDir val="bar"/>'));
    expect(tornados.length).toBe(7);
    for (const path of tornados) {
      const xml = zip.get(path)!.toString("utf8");
      expect(xml).toContain('<c:overlap val="100"/>');
      expect(xml).toMatch(/<c:catAx>[\s\S]*?<c:orientation val="maxMin"\/>/);
    }
  });

  it("has a grid of the powered shell's uplift by BTC price and lease rate, valued directly, under a colour scale", () => {
    const header = rowOf("Bitcoin price (USD) ↓");
    expect(at(header - 1, 1)).toBe("Lease rate (USD/kW-month) →");
    const last = { row: GRID_BTC_STEPS.length, col: GRID_LEASE_STEPS.length };
    for (const [i, j] of [
      [1, 1],
      [1, last.col],
      [last.row, 1],
      [last.row, last.col],
      [(last.row + 1) / 2, (last.col + 1) / 2],
    ] as const) {
      const btc = at(header + i, 0) as number;
      const lease = at(header, j) as number;
      close(btc, DEFAULTS.btc_price * (1 + GRID_BTC_STEPS[i - 1]!), "btc_price");
      close(lease, DEFAULTS.lease_rate * (1 + GRID_LEASE_STEPS[j - 1]!), "lease_rate");
      close(at(header + i, j), upliftOf("powered_shell", withValues(DEFAULTS, { btc_price: btc, lease_rate: lease })), `grid ${btc} x ${lease}`);
    }
    // The middle cell is the base case.
    close(at(header + (last.row + 1) / 2, (last.col + 1) / 2), upliftOf("powered_shell", DEFAULTS), "base case");
    const zip = readZip(bytes);
    const xml = zip.get(sheetPaths(zip).get(SHEET_NAMES.sensitivity)!)!.toString("utf8");
    expect(xml).toContain(`<conditionalFormatting sqref="${cellRef(header + 1, 1)}:${cellRef(header + last.row, last.col)}"><cfRule type="colorScale"`);
  });

  it("in a portfolio, analyses the first site and says so", () => {
    const random = seeded(4);
    const sites = ["First", "Second", "Third"].map((name) => ({ name, values: randomSite(random) }));
    const book = written(sites, ["mining", "colocated_gpu"]);
    const texts = [...book.values.values()].filter((v): v is string => typeof v === "string");
    expect(texts.some((t) => t.startsWith("Base case: First, the first of 3 sites"))).toBe(true);
    const expected = tornado("colocated_gpu", "uplift_per_watt", sites[0]!.values, { range: TORNADO_RANGE });
    const heading = book.rowOf("Colocated GPU: uplift over mining (USD/W)");
    close(book.at(heading, 4), expected.base!, "first site's base");
    // Without a powered shell, the grid shows the colocated GPU's uplift.
    expect(book.rowOf("Grid: Colocated GPU uplift over mining (USD/W) by bitcoin price and lease rate")).toBeGreaterThan(heading);
  });
});
