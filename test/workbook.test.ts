import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as xlsx from "wasm-xlsxwriter";
import { afterAll, describe, expect, it } from "vitest";
import { run, writeFileAtomic, type Io } from "../src/cli/main.js";
import { DEFAULTS, InputError, REGISTRY, compare, withValues } from "../src/core/index.js";
import { buildWorkbookPlan, SHEET_NAMES } from "../src/workbook/build.js";
import { lintPlan, relativeForm } from "../src/workbook/lint.js";
import { toA1, toR1C1 } from "../src/workbook/refs.js";
import type { WorkbookPlan } from "../src/workbook/plan.js";
import { writeXlsx } from "../src/workbook/xlsx.js";
import { randomSite, seeded } from "./helpers/sites.js";
import { readValues, readZip, sheetPaths } from "./helpers/xlsx.js";

const example = buildWorkbookPlan([{ name: "Example", values: DEFAULTS }]);
const random = seeded(7);
const portfolio = buildWorkbookPlan([0, 1, 2].map((i) => ({ name: `Site ${i + 1}`, values: randomSite(random) })));

/** The plan with one cell's formula replaced. */
function withFormula(plan: WorkbookPlan, sheet: string, row: number, col: number, formula: string): WorkbookPlan {
  return {
    ...plan,
    sheets: plan.sheets.map((s) => (s.name !== sheet ? s : { ...s, cells: s.cells.map((c) => (c.row === row && c.col === col ? { ...c, formula } : c)) })),
  };
}

describe("workbook plan", () => {
  it("orders sheets by role: cover, inputs, workings, outputs, checks", () => {
    expect(example.sheets.map((s) => s.name)).toEqual([
      "Cover",
      "Inputs",
      "Mining",
      "Powered shell",
      "Colocated GPU",
      "Hybrid",
      "Comparison",
      "Portfolio comparison",
      "Sensitivity",
      "Risk",
      "Checks",
    ]);
    expect(example.sheets.map((s) => s.role)).toEqual([
      "cover",
      "inputs",
      "workings",
      "workings",
      "workings",
      "workings",
      "outputs",
      "outputs",
      "outputs",
      "outputs",
      "checks",
    ]);
  });

  it("gives every assumption key a defined name on its input cell, and each headline result <scenario>_<metric>", () => {
    const names = new Map(example.names.map((n) => [n.name, n.refersTo]));
    for (const def of REGISTRY) expect(names.get(def.key)).toMatch(/^=Inputs!\$D\$\d+$/);
    for (const scenario of ["mining", "powered_shell", "colocated_gpu", "hybrid"]) {
      for (const metric of ["equity_per_watt", "npv_usd", "rev_per_mw", "ebitda_per_mw", "irr", "payback_years"]) {
        expect(names.get(`${scenario}_${metric}`), `${scenario}_${metric}`).toMatch(/^='?[A-Za-z ]+'?!\$B\$\d+$/);
      }
    }
    expect(names.get("powered_shell_equity_per_watt")).toMatch(/^='Powered shell'!/);
  });

  it("names whole input rows in a portfolio and leaves per-site metrics unnamed", () => {
    const names = new Map(portfolio.names.map((n) => [n.name, n.refersTo]));
    expect(names.get("btc_price")).toMatch(/^=Inputs!\$D\$\d+:\$F\$\d+$/);
    expect(names.has("mining_equity_per_watt")).toBe(false);
  });

  it("writes each input with its unit, source and as-of date, in blue input style", () => {
    const inputs = example.sheets.find((s) => s.name === SHEET_NAMES.inputs)!;
    const at = (row: number, col: number) => inputs.cells.find((c) => c.row === row && c.col === col);
    for (const def of REGISTRY) {
      const keyCell = inputs.cells.find((c) => c.col === 1 && c.value === def.key)!;
      expect(at(keyCell.row, 2)?.value).toBe(def.unit);
      expect(at(keyCell.row, 3)?.style).toMatch(/^input/);
      expect(at(keyCell.row, 4)?.value).toBe(def.source);
      expect(at(keyCell.row, 5)?.value).toBe(def.asOf);
    }
  });

  it("records every headline result with the engine's value", () => {
    const engine = compare(DEFAULTS, ["mining", "powered_shell", "colocated_gpu", "hybrid"]);
    const epw = example.results.filter((r) => r.metric === "equity_per_watt");
    expect(epw).toHaveLength(4);
    for (const r of epw) expect(r.engine).toBe(engine.valuations[r.scenario as "mining"]!.metrics.equity_per_watt);
  });

  it("refuses a bad site naming it, and duplicate site names, before building anything", () => {
    const bad = { ...DEFAULTS, fleet_age_years: 9 };
    expect(() =>
      buildWorkbookPlan([
        { name: "Good", values: DEFAULTS },
        { name: "Old fleet", values: bad },
      ]),
    ).toThrow(/site "Old fleet": fleet_age_years/);
    expect(() =>
      buildWorkbookPlan([
        { name: "Twin", values: DEFAULTS },
        { name: "Twin", values: DEFAULTS },
      ]),
    ).toThrow(InputError);
    expect(() => buildWorkbookPlan([])).toThrow(InputError);
    const shares = withValues(DEFAULTS, { share_mining: 0.9 });
    expect(() => buildWorkbookPlan([{ name: "Split", values: shares }], { scenarios: ["hybrid"] })).toThrow(/site "Split".*sum/);
  });

  it("includes only the chosen scenarios (hybrid brings its three parts; a conversion brings Mining, whose rows it reads while it builds)", () => {
    const shellOnly = buildWorkbookPlan([{ name: "S", values: DEFAULTS }], { scenarios: ["powered_shell"] });
    expect(shellOnly.sheets.map((s) => s.name)).toEqual([
      "Cover",
      "Inputs",
      "Mining",
      "Powered shell",
      "Comparison",
      "Portfolio comparison",
      "Sensitivity",
      "Risk",
      "Checks",
    ]);
    const hybrid = buildWorkbookPlan([{ name: "S", values: DEFAULTS }], { scenarios: ["hybrid"] });
    expect(hybrid.sheets.map((s) => s.name)).toContain("Colocated GPU");
  });
});

describe("formula lint", () => {
  it("passes the example workbook and a three-site portfolio", () => {
    expect(lintPlan(example)).toEqual([]);
    expect(lintPlan(portfolio)).toEqual([]);
  });

  it("covers every timeline row of every workings sheet", () => {
    for (const sheet of example.sheets.filter((s) => s.role === "workings")) expect(sheet.timelineRows.length).toBeGreaterThan(10);
  });

  const mining = example.sheets.find((s) => s.name === "Mining")!;
  const line = mining.timelineRows[5]!;

  it("catches a timeline cell overwritten by a different formula, and literals in a row's formula", () => {
    const overwritten: WorkbookPlan = {
      ...example,
      sheets: example.sheets.map((s) =>
        s.name !== "Mining" ? s : { ...s, cells: [...s.cells, { row: line.row, col: line.firstCol + 7, formula: "=1", style: "calc" }] },
      ),
    };
    expect(lintPlan(overwritten).map((i) => i.rule)).toContain("row-formula");
    const withLiteral: WorkbookPlan = {
      ...example,
      sheets: example.sheets.map((s) =>
        s.name !== "Mining" ? s : { ...s, timelineRows: s.timelineRows.map((t, i) => (i === 5 ? { ...t, formulaR1C1: `${t.formulaR1C1}*1.07` } : t)) },
      ),
    };
    expect(lintPlan(withLiteral).map((i) => i.rule)).toEqual(["literal"]);
  });

  it("expands each timeline row to the A1 formula of every month (spot check)", () => {
    const revenue = mining.timelineRows.find((t) => t.formulaR1C1.includes("(1-R"))!;
    expect(toA1(revenue.formulaR1C1, revenue.row, revenue.firstCol)).toMatch(/^=F\d+\*F\d+\*\(1-\$B\$\d+\)$/);
    expect(toA1(revenue.formulaR1C1, revenue.row, revenue.firstCol + 1)).toMatch(/^=G\d+\*G\d+\*\(1-\$B\$\d+\)$/);
  });

  it("catches typed-in constants, banned functions and nested IFs", () => {
    const resultRow = mining.cells.find((c) => c.col === 1 && c.formula?.startsWith("=SUM("))!;
    const rules = (formula: string) => lintPlan(withFormula(example, "Mining", resultRow.row, 1, formula)).map((i) => i.rule);
    expect(rules("=B7*1.05")).toContain("literal");
    expect(rules("=XLOOKUP(1,A1:A2,B1:B2)")).toContain("function");
    expect(rules("=OFFSET(A1,1,1)")).toContain("function");
    expect(rules("=LET(x,1,x)")).toContain("function");
    expect(rules("=IF(A1>0,IF(A2>0,1,0),0)")).toContain("nested-if");
    expect(rules('=IFERROR(B7/B8,"n/a 1000")')).toEqual([]);
  });

  it("reads references in relative R1C1 form, keeping $ anchors and sheet prefixes", () => {
    expect(relativeForm("=F5+E5*$B$7-'Powered shell'!G9", 4, 5)).toBe("=R[0]C[0]+R[0]C[-1]*R7C2-'Powered shell'!R[4]C[1]");
    expect(relativeForm("=F$4+blocks_per_day", 9, 5)).toBe("=R4C[0]+blocks_per_day");
    expect(toA1("=R[0]C[0]+R[0]C[-1]*R7C2-'Powered shell'!R[4]C[1]", 4, 5)).toBe("=F5+E5*$B$7-'Powered shell'!G9");
    expect(toA1('=IF(R1C1=0,"R1C1",1)', 0, 0)).toBe('=IF($A$1=0,"R1C1",1)');
    // Text in quotes and the tail of a name are not references.
    expect(toR1C1('=IF(A1="B2 ""C3""",SUM(B2:C3),x_A1)', 0, 0)).toBe('=IF(R[0]C[0]="B2 ""C3""",SUM(R[1]C[1]:R[2]C[2]),x_A1)');
  });
});

describe("xlsx writer", () => {
  const bytes = writeXlsx(example, xlsx);
  const zip = readZip(bytes);

  it("writes a valid xlsx with every planned sheet, the defined names, four comparison charts, a tornado chart per tornado and the Risk sheet's histograms and fans", () => {
    const workbookXml = zip.get("xl/workbook.xml")!.toString("utf8");
    for (const sheet of example.sheets) expect(workbookXml).toContain(`name="${sheet.name}"`);
    expect(workbookXml).toContain('<definedName name="btc_price">Inputs!$D$');
    // Four on Comparison; on Sensitivity, one per scenario's equity per watt and per conversion's
    // uplift; on Risk, a histogram and a cash-flow fan per base scenario.
    expect([...zip.keys()].filter((name) => /^xl\/charts\/chart\d+\.xml$/.test(name))).toHaveLength(4 + 4 + 3 + 3 + 3);
  });

  it("validates every input cell from the registry: range, TRUE/FALSE list, dates; input message and stop alert", () => {
    const inputsXml = zip.get(sheetPaths(zip).get("Inputs")!)!.toString("utf8");
    const rules = [...inputsXml.matchAll(/<dataValidation ([^>]*)>([\s\S]*?)<\/dataValidation>/g)].map((m) => ({ attrs: m[1]!, body: m[2]! }));
    expect(rules).toHaveLength(REGISTRY.length);
    for (const rule of rules) {
      expect(rule.attrs).toMatch(/errorStyle="stop"/);
      expect(rule.attrs).toMatch(/showInputMessage="1" showErrorMessage="1"/);
      expect(rule.attrs).toMatch(/prompt="[^"]*Allowed: [^"]+"/);
    }
    const keyRow = (key: string) => example.sheets.find((s) => s.name === "Inputs")!.cells.find((c) => c.col === 1 && c.value === key)!.row + 1;
    const at = (key: string) => rules.find((r) => r.attrs.includes(`sqref="D${keyRow(key)}"`))!;
    // pue_dc = 0.5 is what the CLI refuses; the cell refuses it too.
    expect(at("pue_dc").attrs).toMatch(/type="decimal" operator="between"/);
    expect(at("pue_dc").body).toBe("<formula1>1</formula1><formula2>3</formula2>");
    expect(at("tax_loss_carryforward").body).toBe('<formula1>"TRUE,FALSE"</formula1>');
    expect(at("valuation_date").attrs).toMatch(/type="date"/);
    expect(at("btc_price").attrs).toMatch(/type="custom"/);
    expect(at("btc_price").body).toMatch(/D\d+&gt;0,/);
    expect(at("construction_months").attrs).toMatch(/type="whole"/);
  });

  it("sets up every sheet to print: landscape, one page wide, footer with sheet and page; cover on one page", () => {
    const paths = sheetPaths(zip);
    for (const sheet of example.sheets) {
      const xml = zip.get(paths.get(sheet.name)!)!.toString("utf8");
      expect(xml, sheet.name).toMatch(/<pageSetUpPr fitToPage="1"\/>/);
      expect(xml, sheet.name).toMatch(/<pageSetup [^>]*orientation="landscape"/);
      // fitToHeight 0 = as many pages tall as needed; absent = 1 (the cover: one page).
      expect(/<pageSetup [^>]*fitToHeight="0"/.test(xml), sheet.name).toBe(sheet.name !== "Cover");
      expect(xml, sheet.name).toMatch(/<oddFooter>&amp;L&amp;A&amp;RPage &amp;P of &amp;N<\/oddFooter>/);
    }
    const workbookXml = zip.get("xl/workbook.xml")!.toString("utf8");
    const sheetIndex = example.sheets.findIndex((s) => s.name === "Mining");
    expect(workbookXml).toContain(`<definedName name="_xlnm.Print_Titles" localSheetId="${sheetIndex}">Mining!$A:$E,Mining!$1:$5</definedName>`);
  });

  it("stores formulas, not pasted numbers, on the workings sheets", () => {
    const values = readValues(bytes);
    expect(values.get("Inputs")!.size).toBeGreaterThan(REGISTRY.length);
    const sheetXml = [...zip.entries()].find(([name, xml]) => name.startsWith("xl/worksheets/") && /<f[^>]*>[^<]*blocks_per_month/.test(xml.toString("utf8")));
    expect(sheetXml).toBeDefined();
    expect(sheetXml![1].toString("utf8")).toMatch(/<f>[^<]*IRR\(/);
  });
});

describe("minepivot compare --out", () => {
  const dir = mkdtempSync(join(tmpdir(), "minepivot-out-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const io = (): Io & { out: string[]; err: string[] } => {
    const out: string[] = [];
    const err: string[] = [];
    return { out, err, stdout: (t) => out.push(t), stderr: (t) => err.push(t), readText: (p) => readFileSync(p, "utf8"), writeBytes: writeFileAtomic };
  };

  it("writes the workbook and reports it", async () => {
    const target = join(dir, "example.xlsx");
    const cli = io();
    expect(await run(["compare", "--out", target], cli)).toBe(0);
    expect(cli.out.join("")).toMatch(/Wrote .*example\.xlsx: 11 sheets/);
    expect(readZip(readFileSync(target)).has("xl/workbook.xml")).toBe(true);
  });

  it("never overwrites an existing file without --force", async () => {
    const target = join(dir, "mine.xlsx");
    writeFileSync(target, "my own workbook");
    const cli = io();
    expect(await run(["compare", "--out", target], cli)).toBe(2);
    expect(cli.err.join("")).toMatch(/^minepivot: error: --out .*mine\.xlsx: the file exists; add --force to replace it\n$/);
    expect(readFileSync(target, "utf8")).toBe("my own workbook");
    expect(await run(["compare", "--out", target, "--force"], io())).toBe(0);
    expect(readFileSync(target).subarray(0, 2).toString()).toBe("PK");
  });

  it("refuses a sites file with a bad row, naming row and column, and writes nothing", async () => {
    const sites = join(dir, "sites.csv");
    writeFileSync(sites, "name,site_mw,btc_price\nAlpha,50,90000\nBeta,80,-5\n");
    const target = join(dir, "portfolio.xlsx");
    const cli = io();
    expect(await run(["compare", "--sites", sites, "--out", target], cli)).toBe(2);
    expect(cli.err.join("")).toMatch(/row 3, column btc_price/);
    expect(cli.out).toEqual([]);
    expect(existsSync(target)).toBe(false);
  });

  it("refuses an output that is not .xlsx or sits in a missing folder", async () => {
    const a = io();
    expect(await run(["compare", "--out", join(dir, "x.csv")], a)).toBe(2);
    expect(a.err.join("")).toMatch(/\.xlsx/);
    const b = io();
    expect(await run(["compare", "--out", join(dir, "nowhere", "x.xlsx")], b)).toBe(2);
    expect(b.err.join("")).toMatch(/does not exist/);
  });
});
