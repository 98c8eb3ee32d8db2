/**
 * The workbook's Risk sheet: the engine's simulation of the first site written as values, the
 * same numbers as `minepivot simulate` for the same paths and seed, marked as a snapshot, with a
 * histogram per scenario that both writers can chart.
 */
import * as xlsx from "wasm-xlsxwriter";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { writeFileAtomic } from "../src/cli/main.js";
import { DEFAULTS, InputError, histogram, simulateRisk, switchSummary, valueSwitchOption, withValues, type BaseScenario } from "../src/core/index.js";
import { buildWorkbookPlan, type WorkbookOptions, type WorkbookSite } from "../src/workbook/build.js";
import type { CellPlan, SheetPlan, WorkbookPlan } from "../src/workbook/plan.js";
import { cellRef } from "../src/workbook/refs.js";
import { RISK_SHEET_DEFAULT_PATHS, RISK_SHEET_SWITCH_PATHS } from "../src/workbook/sheets/risk.js";
import { writeXlsx } from "../src/workbook/xlsx.js";
import { runCli } from "./helpers/cli.js";
import { readValues } from "./helpers/xlsx.js";

const PATHS = 300;
const SITE = withValues(DEFAULTS, { btc_price_vol: 0.7, seed: 17 });

function plan(sites: WorkbookSite[], options: WorkbookOptions = {}): WorkbookPlan {
  return buildWorkbookPlan(sites, { riskPaths: PATHS, ...options });
}

function riskOf(p: WorkbookPlan): SheetPlan {
  const sheet = p.sheets.find((s) => s.name === "Risk");
  if (!sheet) throw new Error("no Risk sheet");
  return sheet;
}

function at(sheet: SheetPlan, row: number, col: number): CellPlan | undefined {
  return sheet.cells.find((c) => c.row === row && c.col === col);
}

/** The row whose first cell is `label`. */
function rowOf(sheet: SheetPlan, label: string | RegExp, from = 0): number {
  const found = sheet.cells.filter((c) => c.col === 0 && c.row >= from && (typeof label === "string" ? c.value === label : label.test(String(c.value))));
  if (found.length === 0) throw new Error(`no row ${String(label)}`);
  return Math.min(...found.map((c) => c.row));
}

const SCENARIOS: BaseScenario[] = ["mining", "powered_shell", "colocated_gpu"];

describe("the Risk sheet", () => {
  const built = plan([{ name: "Texas", values: SITE }], { generatedOn: "2026-11-29" });
  const risk = riskOf(built);
  const engine = simulateRisk(SITE, SCENARIOS, { paths: PATHS, seed: 17 });

  it("holds the engine's distribution of every scenario, value and standard error, bit for bit", () => {
    const header = rowOf(risk, "Statistic");
    expect([2, 4, 6].map((col) => at(risk, header, col)!.value)).toEqual(["Mining", "Powered shell", "Colocated GPU"]);
    const expected: Array<[string, (s: BaseScenario) => number | undefined, ((s: BaseScenario) => number | undefined)?]> = [
      ["Mean", (s) => engine.scenarios[s]!.equity_per_watt.mean, (s) => engine.scenarios[s]!.equity_per_watt.mean_se],
      ["Standard deviation", (s) => engine.scenarios[s]!.equity_per_watt.std],
      ["P5", (s) => engine.scenarios[s]!.equity_per_watt.p5],
      ["P50 (median)", (s) => engine.scenarios[s]!.equity_per_watt.p50],
      ["P95", (s) => engine.scenarios[s]!.equity_per_watt.p95],
      ["P(loss): equity value below 0", (s) => engine.scenarios[s]!.prob_loss, (s) => engine.scenarios[s]!.prob_loss_se],
      ["P(never pays back within the horizon)", (s) => engine.scenarios[s]!.prob_never_pays_back, (s) => engine.scenarios[s]!.prob_never_pays_back_se],
      ["P(beats mining on the same path)", (s) => engine.scenarios[s]!.prob_beats_mining, (s) => engine.scenarios[s]!.prob_beats_mining_se],
      ["Uplift over mining (mean)", (s) => engine.scenarios[s]!.uplift_over_mining_per_watt, (s) => engine.scenarios[s]!.uplift_over_mining_per_watt_se],
    ];
    for (const [label, value, se] of expected) {
      const row = rowOf(risk, label, header);
      SCENARIOS.forEach((scenario, j) => {
        expect(at(risk, row, 2 + 2 * j)?.value, `${label} ${scenario}`).toBe(value(scenario));
        expect(at(risk, row, 3 + 2 * j)?.value, `${label} ${scenario} s.e.`).toBe(se?.(scenario));
        // Values, never formulas: a simulation has no formula form.
        expect(at(risk, row, 2 + 2 * j)?.formula).toBeUndefined();
      });
    }
  });

  it("is marked as a snapshot: paths, seed, date, not live, and a live flag for edited inputs", () => {
    expect(at(risk, 1, 0)!.value).toBe("Texas: 300 paths, seed 17, simulated on 2026-11-29, valued as of 2026-01-01.");
    expect(at(risk, 2, 0)!.value).toMatch(/^Not live: .* regenerate the workbook to refresh them\. minepivot simulate --paths 300 --seed 17 /);
    expect(at(risk, 3, 0)!.formula).toMatch(/^=IF\(Checks!\$B\$\d+>0,"STALE/);
    expect(at(risk, 4, 0)!.value).toMatch(/btc_price_vol 0\.7 \/yr/);
    // The flag reads the Checks sheet's count of edited inputs.
    const checks = built.sheets.find((s) => s.name === "Checks")!;
    const flagRow = Number(/\$B\$(\d+)/.exec(at(risk, 3, 0)!.formula!)![1]) - 1;
    expect(at(checks, flagRow, 0)!.value).toBe("Inputs changed since the workbook was built (count)");
    const values = readValues(writeXlsx(built, xlsx));
    expect(values.get("Risk")!.get("A4")).toBe("Inputs as simulated: the snapshot is current");
    expect([...values.get("Cover")!.values()]).toContain("Risk");
  });

  it("has a histogram per scenario: the engine's bins, shares that sum to 1, and a chart of the shares", () => {
    const charts = built.charts.filter((c) => c.sheet === "Risk" && c.type === "column");
    expect(charts).toHaveLength(3);
    SCENARIOS.forEach((scenario, j) => {
      const { edges, counts } = histogram(engine.simulation.scenarios[scenario]!.equityPerWatt, 12);
      const chart = charts[j]!;
      const [first, labelCol, last] = chart.series[0]!.categories;
      expect(last - first + 1).toBe(12);
      expect(chart.series[0]!.values).toEqual([first, labelCol + 1, last, labelCol + 1]);
      // Both writers chart from a header row just above: the series name is there.
      expect(at(risk, first - 1, labelCol + 1)!.value).toBe(chart.series[0]!.name);
      let shares = 0;
      counts.forEach((count, i) => {
        expect(at(risk, first + i, 4)!.value).toBe(count);
        expect(at(risk, first + i, 2)!.value).toBe(edges[i]);
        expect(at(risk, first + i, 3)!.value).toBe(edges[i + 1]);
        shares += at(risk, first + i, 1)!.value as number;
      });
      expect(shares).toBeCloseTo(1, 12);
    });
  });

  it("has a fan per scenario: the engine's P5 to P95 of cumulative cash flow at each year end, charted as lines", () => {
    const fans = built.charts.filter((c) => c.sheet === "Risk" && c.type === "line");
    expect(fans).toHaveLength(3);
    const withFan = simulateRisk(SITE, SCENARIOS, { paths: PATHS, seed: 17, fan: true });
    SCENARIOS.forEach((scenario, j) => {
      const fan = withFan.simulation.scenarios[scenario]!.fan!;
      const chart = fans[j]!;
      expect(chart.series.map((series) => series.name)).toEqual(["P5", "P25", "P50", "P75", "P95"]);
      const [first, , last] = chart.series[0]!.categories;
      expect(last - first + 1).toBe(Math.ceil(fan.months / 12));
      for (let row = first; row <= last; row++) {
        const month = at(risk, row, 0)!.value as number;
        expect(month === fan.months || month % 12 === 0, `month ${month}`).toBe(true);
        const bands = [1, 2, 3, 4, 5].map((col) => at(risk, row, col)!.value as number);
        expect(bands).toEqual([...fan.bands.subarray((month - 1) * 5, month * 5)]);
        // Bands in order: P5 ≤ P25 ≤ ... ≤ P95.
        for (let q = 1; q < 5; q++) expect(bands[q]!).toBeGreaterThanOrEqual(bands[q - 1]!);
      }
      expect(at(risk, last, 0)!.value).toBe(fan.months);
      expect(at(risk, first - 1, 3)!.value).toBe("P50");
    });
  });

  it("values the switch option to the powered shell on its own run of at most RISK_SHEET_SWITCH_PATHS paths", () => {
    const option = switchSummary(valueSwitchOption(SITE, { paths: Math.min(PATHS, RISK_SHEET_SWITCH_PATHS), seed: 17, target: "powered_shell" }));
    const top = rowOf(risk, /^Switch option: keep mining and convert to powered shell/);
    expect(at(risk, top, 0)!.value).toContain(`on its own ${Math.min(PATHS, RISK_SHEET_SWITCH_PATHS)} paths, seed 17`);
    const rows: Array<[string, number, number?]> = [
      ["Value of the site with the option", option.option_value_per_watt, option.option_value_per_watt_se],
      ["Holding the option (mine on, decide later)", option.hold_value_per_watt, option.hold_value_per_watt_se],
      ["Converting to powered shell today", option.convert_today_per_watt, option.convert_today_per_watt_se],
      ["Mining alone (may sell)", option.mining_per_watt, option.mining_per_watt_se],
      ["Value of waiting (holding less converting today)", option.value_of_waiting_per_watt, option.value_of_waiting_per_watt_se],
      ["P(converts within the horizon)", option.prob_convert],
    ];
    for (const [label, estimate, se] of rows) {
      const row = rowOf(risk, label, top);
      expect(at(risk, row, 2)!.value, label).toBe(estimate);
      expect(at(risk, row, 3)?.value, label).toBe(se);
    }
    expect(at(risk, rowOf(risk, "Rule", top), 2)!.value).toBe(option.rule);
    // Mining alone has no switch option.
    const miningOnly = riskOf(plan([{ name: "M", values: SITE }], { scenarios: ["mining"] }));
    expect(miningOnly.cells.some((c) => /^Switch option/.test(String(c.value)))).toBe(false);
    // GPUs without the shell: the switch goes to the GPUs.
    const gpu = riskOf(plan([{ name: "G", values: SITE }], { scenarios: ["colocated_gpu"] }));
    expect(gpu.cells.some((c) => /^Switch option: keep mining and convert to colocated gpu/.test(String(c.value)))).toBe(true);
  });

  it("simulates only the scenarios with a workings sheet, and only the first site, saying so", () => {
    const shell = riskOf(plan([{ name: "Only", values: SITE }], { scenarios: ["powered_shell"] }));
    const header = rowOf(shell, "Statistic");
    expect([2, 4, 6].map((col) => at(shell, header, col)?.value)).toEqual(["Mining", "Powered shell", undefined]);
    const two = riskOf(
      plan([
        { name: "First", values: SITE },
        { name: "Second", values: DEFAULTS },
      ]),
    );
    expect(at(two, 1, 0)!.value).toMatch(/^First \(the first of 2 sites; run minepivot simulate --sites for the others\): 300 paths, seed 17/);
    const hybrid = riskOf(plan([{ name: "H", values: SITE }], { scenarios: ["hybrid"] }));
    expect(hybrid.cells.some((c) => /^The hybrid is not simulated/.test(String(c.value)))).toBe(true);
  });

  it("defaults to RISK_SHEET_DEFAULT_PATHS paths; 0 leaves the sheet, its charts and its cover line out; other counts are refused", () => {
    expect(RISK_SHEET_DEFAULT_PATHS).toBe(2_000);
    const none = buildWorkbookPlan([{ name: "X", values: DEFAULTS }], { riskPaths: 0 });
    expect(none.sheets.map((s) => s.name)).not.toContain("Risk");
    expect(none.charts.filter((c) => c.sheet === "Risk")).toEqual([]);
    expect(none.sheets[0]!.cells.some((c) => c.value === "Risk")).toBe(false);
    for (const bad of [1, 2.5, -3, 100_001, Number.NaN]) {
      expect(() => buildWorkbookPlan([{ name: "X", values: DEFAULTS }], { riskPaths: bad }), String(bad)).toThrow(InputError);
    }
    expect(() => buildWorkbookPlan([{ name: "X", values: DEFAULTS }], { riskPaths: 1 })).toThrow(
      /^risk paths: 1 is not allowed; expected 0 \(no Risk sheet\) or a whole number from 2 to 100,000$/,
    );
  });
});

describe("minepivot compare --out --risk-paths", () => {
  const dir = mkdtempSync(join(tmpdir(), "minepivot-risk-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("writes the same numbers as minepivot simulate for the same inputs, paths and seed", async () => {
    const target = join(dir, "risk.xlsx");
    const sets = ["--set", "btc_price_vol=0.7", "--set", "seed=17"];
    const written = await runCli(["compare", ...sets, "--out", target, "--risk-paths", "250"], { writeBytes: writeFileAtomic });
    expect(written.code, written.stderr).toBe(0);
    const simulated = await runCli(["simulate", ...sets, "--paths", "250", "--json"]);
    const body = JSON.parse(simulated.stdout) as {
      sites: Array<{ scenarios: Record<string, { equity_per_watt: { mean: number; p5: number } }>; switch: { option_value_per_watt: number } }>;
    };
    const scenarios = body.sites[0]!.scenarios;
    const risk = readValues(readFileSync(target)).get("Risk")!;
    const header = [...risk].find(([, v]) => v === "Statistic")![0];
    const headerRow = Number(header.slice(1)) - 1;
    // Mean, then standard deviation, then P5, each in its scenario's column.
    SCENARIOS.forEach((scenario, j) => {
      expect(risk.get(cellRef(headerRow + 1, 2 + 2 * j)), scenario).toBe(scenarios[scenario]!.equity_per_watt.mean);
      expect(risk.get(cellRef(headerRow + 3, 2 + 2 * j)), scenario).toBe(scenarios[scenario]!.equity_per_watt.p5);
    });
    expect(risk.get("A2")).toMatch(/250 paths, seed 17/);
    // Fewer paths than RISK_SHEET_SWITCH_PATHS: the switch ran on the same 250 paths as the CLI's.
    const optionRow = [...risk].find(([, v]) => v === "Value of the site with the option")![0];
    expect(risk.get(`C${optionRow.slice(1)}`)).toBe(body.sites[0]!.switch.option_value_per_watt);
  });

  it("--risk-paths 0 leaves the Risk sheet out; a bad count or no --out is refused", async () => {
    const target = join(dir, "plain.xlsx");
    const plain = await runCli(["compare", "--out", target, "--risk-paths", "0"], { writeBytes: writeFileAtomic });
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stdout).toMatch(/: 10 sheets/);
    const bad = await runCli(["compare", "--out", join(dir, "bad.xlsx"), "--risk-paths", "1"], { writeBytes: writeFileAtomic });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--risk-paths: "1" is not allowed; expected 0 \(no Risk sheet\) or a whole number from 2 to 100,000/);
    const alone = await runCli(["compare", "--risk-paths", "100"]);
    expect(alone.code).toBe(2);
    expect(alone.stderr).toMatch(/--risk-paths only applies with --out/);
  });
});
