/**
 * The plan evaluator that caches each formula's result in the written file: Excel's semantics
 * on hand-worked cases, and the master check computed from the checks (never a literal).
 */
import { describe, expect, it } from "vitest";
import { DEFAULTS } from "../src/core/index.js";
import { buildWorkbookPlan } from "../src/workbook/build.js";
import { CellError, evaluatePlan, type Scalar } from "../src/workbook/evaluate.js";
import type { CellPlan, WorkbookPlan } from "../src/workbook/plan.js";

/** A one-sheet plan with constants in A1:A5 (1, 2, "x", TRUE, empty) and `formula` in C1. */
function evaluate(formula: string, extra: Partial<WorkbookPlan> = {}): Scalar {
  const cells: CellPlan[] = [
    { row: 0, col: 0, value: 1, style: "calc" },
    { row: 1, col: 0, value: 2, style: "calc" },
    { row: 2, col: 0, value: "x", style: "calc" },
    { row: 3, col: 0, value: true, style: "calc" },
    { row: 0, col: 2, formula, style: "calc" },
  ];
  const plan: WorkbookPlan = {
    sheets: [{ name: "S", role: "workings", cells, columnWidths: [], timelineRows: [] }],
    names: [{ name: "two", refersTo: "=S!$A$2" }],
    charts: [],
    results: [],
    checkCount: 0,
    ...extra,
  };
  return evaluatePlan(plan).value("S", 0, 2);
}

const errorOf = (v: Scalar) => (v instanceof CellError ? v.code : v);

describe("formula evaluation (Excel semantics)", () => {
  it.each([
    ["=1+2*3", 7],
    ["=-2^2", 4],
    ["=2^3^2", 64],
    ["=(1+2)*3", 9],
    ["=A1+A2", 3],
    ["=A5+1", 1],
    ["=two*10", 20],
    ["=SUM(A1:A5)", 3],
    ["=SUM(A1,A4)", 2],
    ["=MIN(A1:A5)", 1],
    ["=MAX(A1:A5,5)", 5],
    ["=SUMPRODUCT((A1:A2>1)*A1:A2)", 2],
    ['=SUMIF(A1:A3,">1")', 2],
    ["=INT(-1.5)", -2],
    ["=ROUND(2.5,0)", 3],
    ["=ROUND(-2.5,0)", -3],
    ["=ROUND(1.005,2)", 1.01],
    ["=MOD(-1,12)", 11],
    ["=SIGN(-3)", -1],
    ["=ABS(-3)", 3],
    ["=IF(A1=1,10,20)", 10],
    ["=IF(A5=0,10,20)", 10],
    ['=IF(A3="X",1,0)', 1],
    ["=(A1<A3)*1", 1],
    ["=(A3<A4)*1", 1],
    ["=AND(A1=1,A2=2)", true],
    ["=OR(A1=2,A2=3)", false],
    ["=ISNUMBER(A1)*1+ISTEXT(A3)*1", 2],
    ['=A3&"y"', "xy"],
    ["=INDEX(A1:A2,2)", 2],
    ["=MATCH(2,A1:A2,0)", 2],
    ['=CHOOSE(2,"a","b","c")', "b"],
    ['=CHOOSE(MATCH(MAX(A1:A2),A1:A2,0),"first","second")', "second"],
    ['=CHOOSE(2.9,"a","b","c")', "b"],
    ['=CHOOSE(4,"a","b","c")', "#VALUE!"],
    ['=CHOOSE(0,"a")', "#VALUE!"],
    ["=PMT(0,10,-1000)", 100],
    ["=IFERROR(1/0,7)", 7],
    ["=1/0", "#DIV/0!"],
    ["=A3+1", "#VALUE!"],
    ["=NOSUCH(1)", "#NAME?"],
    ["=SUMPRODUCT(ISERROR(A1:B5)*1)", 0],
    ["=SUMPRODUCT(ISERROR($A$1:$B$5)*1)", 0],
    ["=SUMPRODUCT(ISERROR(A1:A3+1)*1)", 1],
  ] as Array<[string, Scalar]>)("%s = %s", (formula, expected) => {
    const value = errorOf(evaluate(formula));
    if (typeof expected === "number") expect(value).toBeCloseTo(expected, 12);
    else expect(value).toBe(expected);
  });

  it("PMT, NPV and IRR agree with hand-worked annuity figures", () => {
    // 1,000 over 12 months at 1 % a month: payment 88.8487886783417 (closed form).
    expect(evaluate("=PMT(0.01,12,-1000)")).toBeCloseTo(88.8487886783417, 10);
    // NPV at 10 % of 110 and 121 one and two periods out: 100 + 100.
    expect(evaluate("=NPV(0.1,110,121)")).toBeCloseTo(200, 10);
  });

  it("evaluates a timeline row left to right, as a balance carried across months", () => {
    const plan: WorkbookPlan = {
      sheets: [
        {
          name: "T",
          role: "workings",
          cells: [{ row: 1, col: 0, formula: "=SUM(B1:K1)", style: "calc" }],
          columnWidths: [],
          // Each month: previous + 1, so B1..K1 = 1..10; A1 is empty (0).
          timelineRows: [{ row: 0, firstCol: 1, lastCol: 10, formulaR1C1: "=R[0]C[-1]+1", style: "calc" }],
        },
      ],
      names: [],
      charts: [],
      results: [],
      checkCount: 0,
    };
    const evaluation = evaluatePlan(plan);
    expect(evaluation.value("T", 1, 0)).toBe(55);
    expect(evaluation.value("T", 0, 10)).toBe(10);
    expect(evaluation.value("T", 0, 11)).toBeNull();
  });
});

describe("timeline rows: a row at once, or column by column, alike", () => {
  // Months 1..10 in B1:K1 (a recurrence: column by column); rows computed from it at once; a
  // division by zero in one month; an opening and closing balance that need each other a month
  // apart; text in some months; and a plan cell over one month of a row that another row reads.
  const timeline = (row: number, formulaR1C1: string) => ({ row, firstCol: 1, lastCol: 10, formulaR1C1, style: "calc" as const });
  const plan: WorkbookPlan = {
    sheets: [
      {
        name: "T",
        role: "workings",
        cells: [
          { row: 1, col: 4, value: 100, style: "calc" },
          { row: 8, col: 0, formula: "=SUMPRODUCT(ISERROR($A$1:$K$8)*1)", style: "calc" },
          { row: 9, col: 0, formula: "=SUM(B2:K2)", style: "calc" },
        ],
        columnWidths: [],
        timelineRows: [
          timeline(0, "=R[0]C[-1]+1"),
          timeline(1, "=R[-1]C[0]*2"),
          timeline(2, "=1/(R[-2]C[0]-3)"),
          timeline(3, "=R[1]C[-1]"),
          timeline(4, "=R[-1]C[0]+R[-3]C[0]"),
          timeline(5, '=IF(R[-5]C[0]>5,"big",R[-5]C[0])'),
          timeline(6, "=R[-5]C[0]+1"),
          timeline(7, "=(R[-7]C[0]>2)*R[-6]C[0]"),
        ],
      },
    ],
    names: [],
    charts: [],
    results: [],
    checkCount: 0,
  };
  const months = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  const doubled = months.map((m) => (m === 4 ? 100 : 2 * m));

  it("gives every column its value, whichever row is asked for first", () => {
    for (const order of [
      [8, 9, 0, 1, 2, 3, 4, 5, 6, 7],
      [7, 6, 5, 4, 3, 2, 1, 0, 8, 9],
    ]) {
      const evaluation = evaluatePlan(plan);
      const at = (row: number) => months.map((_, i) => errorOf(evaluation.value("T", row, i + 1)));
      for (const row of order) if (row < 8) at(row);
      expect(errorOf(evaluation.value("T", 8, 0))).toBe(1);
      expect(evaluation.value("T", 9, 0)).toBe(doubled.reduce((s, v) => s + v, 0));
      expect(at(0)).toEqual(months);
      expect(at(1)).toEqual(doubled);
      expect(at(2)).toEqual(months.map((m) => (m === 3 ? "#DIV/0!" : 1 / (m - 3))));
      const closing = doubled.map((_, i) => doubled.slice(0, i + 1).reduce((s, v) => s + v, 0));
      // The first opening reads the blank column left of the timeline: empty, shown as 0.
      expect(at(3)).toEqual(closing.map((_, i) => (i === 0 ? null : closing[i - 1])));
      expect(at(4)).toEqual(closing);
      expect(at(5)).toEqual(months.map((m) => (m > 5 ? "big" : m)));
      expect(at(6)).toEqual(doubled.map((v) => v + 1));
      expect(at(7)).toEqual(months.map((m, i) => (m > 2 ? doubled[i] : 0)));
    }
  });
});

describe("master check", () => {
  const plan = buildWorkbookPlan([{ name: "Example", values: DEFAULTS }]);
  const checks = plan.sheets.find((s) => s.name === "Checks")!;
  const master = plan.names.find((n) => n.name === "master_check")!;
  const masterRow = Number(/\$(\d+)$/.exec(master.refersTo)![1]) - 1;

  it("passes, from the checks' own results, when every check passes", () => {
    const evaluation = evaluatePlan(plan);
    expect(checks.cells.find((c) => c.row === masterRow && c.col === 5)!.formula).toMatch(/^=MIN\(/);
    expect(evaluation.value("Checks", masterRow, 5)).toBe(1);
    expect(evaluation.value("Cover", 4, 1)).toBe("OK: every check passes");
  });

  it("fails when one check fails: an engine value off by 1 %", () => {
    const engineCell = checks.cells.find((c) => c.col === 2 && typeof c.value === "number" && c.value > 1000)!;
    const broken: WorkbookPlan = {
      ...plan,
      sheets: plan.sheets.map((s) =>
        s.name !== "Checks" ? s : { ...s, cells: s.cells.map((c) => (c === engineCell ? { ...c, value: (c.value as number) * 1.01 } : c)) },
      ),
    };
    const evaluation = evaluatePlan(broken);
    expect(evaluation.value("Checks", engineCell.row, 5)).toBe(0);
    expect(evaluation.value("Checks", masterRow, 5)).toBe(0);
    expect(evaluation.value("Cover", 4, 1)).toBe("CHECK: see the Checks sheet");
  });
});
