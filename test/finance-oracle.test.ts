/**
 * The finance primitives against two independent spreadsheet engines, on the same seeded set of
 * conventional cash flows: HyperFormula in-process, LibreOffice Calc headless (skipped when
 * soffice is not installed).
 *
 * Tolerances. NPV and XNPV are direct sums: the engines differ from us only by rounding
 * (~1e-15 relative; LibreOffice's CSV adds its 15-significant-digit display, 5e-15), so a
 * relative 1e-9 is loose and still catches any convention slip (a period, a 365 vs 366 day).
 * IRR and XIRR are iterative in the oracles: HyperFormula stops once |NPV| or the Newton step is
 * below 1e-10, LibreOffice's IRR once the step is below 1e-7 and its XIRR below 1e-10, while
 * ours refines to machine precision. Newton converges quadratically, so the oracles' last
 * iterate is far closer than its stopping threshold, but 1e-7 absolute is what they promise.
 */
import { HyperFormula } from "hyperformula";
import { beforeAll, describe, expect, it } from "vitest";
import { irr, npv, xirr, xnpv } from "../src/core/finance.js";
import { type Cell, evaluateWithLibreOffice, findSoffice } from "./helpers/libreoffice.js";
import { seeded } from "./helpers/random.js";

const NPV_RELATIVE = 1e-9;
const IRR_ABSOLUTE = 1e-7;
const CASES = 50;

interface Case {
  rate: number;
  flows: number[];
  dates: number[];
}

/**
 * Conventional flows: 1-3 outflows, then 2-30 inflows totalling 0.8-3 × the outflows, so the IRR
 * is unique and in a range where the oracles' Newton iteration from 10 % converges. Dates are
 * whole day serials (HyperFormula's XIRR truncates dates), 1-400 days apart, from 2015 on.
 */
function makeCases(count: number): Case[] {
  const random = seeded(20_260_101);
  const between = (low: number, high: number): number => low + (high - low) * random();
  const cases: Case[] = [];
  for (let c = 0; c < count; c++) {
    const outflows = Array.from({ length: 1 + Math.floor(random() * 3) }, () => -Math.round(between(1e3, 1e6) * 100) / 100);
    const weights = Array.from({ length: 2 + Math.floor(random() * 29) }, () => random());
    const invested = -outflows.reduce((a, b) => a + b, 0);
    const total = between(0.8, 3) * invested;
    const weightSum = weights.reduce((a, b) => a + b, 0);
    const flows = [...outflows, ...weights.map((w) => Math.round((w / weightSum) * total * 100) / 100)];
    const dates = [42_005 + Math.floor(random() * 3_000)];
    for (let i = 1; i < flows.length; i++) dates.push(dates[i - 1]! + 1 + Math.floor(random() * 400));
    cases.push({ rate: Math.round(between(0, 0.25) * 1e4) / 1e4, flows, dates });
  }
  return cases;
}

/** Column letters of a 0-based index: 0 → A, 25 → Z, 26 → AA. */
function column(index: number): string {
  let name = "";
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
}

/** Where each case's results sit: formulas in fixed columns to the right of the widest row. */
const FORMULA_COLUMN = 40;
const FUNCTIONS = ["NPV", "IRR", "XNPV", "XIRR"] as const;
type Fn = (typeof FUNCTIONS)[number];

/**
 * One grid for both engines. Case c uses rows 2c (rate in A, flows from B) and 2c + 1 (dates
 * from B), with NPV, IRR, XNPV, XIRR formulas in columns AO..AR of row 2c (Excel syntax).
 */
function buildGrid(cases: Case[]): Cell[][] {
  const grid: Cell[][] = [];
  cases.forEach(({ rate, flows, dates }, c) => {
    const row = 2 * c + 1; // 1-based spreadsheet row of the flows
    const values = `B${row}:${column(flows.length)}${row}`;
    const days = `B${row + 1}:${column(flows.length)}${row + 1}`;
    const flowRow: Cell[] = [rate, ...flows];
    while (flowRow.length < FORMULA_COLUMN) flowRow.push("");
    flowRow.push(`=NPV(A${row},${values})`, `=IRR(${values})`, `=XNPV(A${row},${values},${days})`, `=XIRR(${values},${days})`);
    grid.push(flowRow, ["", ...dates]);
  });
  return grid;
}

function ours(fn: Fn, { rate, flows, dates }: Case): number {
  switch (fn) {
    case "NPV":
      return npv(rate, flows);
    case "IRR":
      return irr(flows);
    case "XNPV":
      return xnpv(rate, flows, dates);
    case "XIRR":
      return xirr(flows, dates);
  }
}

/** Asserts our value matches the oracle's within the tolerance of the function. */
function expectAgreement(fn: Fn, mine: number, theirs: unknown, label: string): void {
  expect(typeof theirs, `${label}: oracle returned ${String(theirs)}`).toBe("number");
  const other = theirs as number;
  if (fn === "NPV" || fn === "XNPV") expect(Math.abs(mine - other), label).toBeLessThanOrEqual(NPV_RELATIVE * Math.max(1, Math.abs(other)));
  else expect(Math.abs(mine - other), label).toBeLessThanOrEqual(IRR_ABSOLUTE);
}

const cases = makeCases(CASES);
const grid = buildGrid(cases);

describe("the generated oracle cases", () => {
  it("are conventional (outflows, then inflows) and dated in increasing whole days", () => {
    for (const { flows, dates } of cases) {
      const firstIn = flows.findIndex((v) => v > 0);
      expect(flows.slice(0, firstIn).every((v) => v < 0)).toBe(true);
      expect(flows.slice(firstIn).every((v) => v >= 0)).toBe(true);
      expect(dates.every((d, i) => Number.isInteger(d) && (i === 0 || d > dates[i - 1]!))).toBe(true);
    }
  });
});

describe("finance primitives agree with HyperFormula", () => {
  const hf = HyperFormula.buildFromArray(grid, { licenseKey: "gpl-v3" });
  const sheet = hf.getSheetId("Sheet1") ?? 0;

  for (const [offset, fn] of FUNCTIONS.entries()) {
    it(`${fn} on ${CASES} seeded conventional cash-flow sets`, () => {
      cases.forEach((one, c) => {
        const theirs = hf.getCellValue({ sheet, row: 2 * c, col: FORMULA_COLUMN + offset });
        expectAgreement(fn, ours(fn, one), theirs, `${fn} case ${c}`);
      });
    });
  }
});

const soffice = findSoffice();
if (!soffice) console.log("LibreOffice not found: skipping LibreOffice oracle tests (install: apt-get install -y libreoffice-calc-nogui)");

describe.skipIf(!soffice)("finance primitives agree with LibreOffice Calc", () => {
  let results: Cell[][] = [];

  // One soffice run evaluates every case: its start-up dominates the cost.
  beforeAll(async () => {
    results = (await evaluateWithLibreOffice(grid)) ?? [];
  }, 180_000);

  it("returns the inputs it was given (15 significant digits)", () => {
    cases.forEach(({ rate, flows, dates }, c) => {
      expect(results[2 * c]?.[0]).toBeCloseTo(rate, 12);
      expect(results[2 * c]?.[1]).toBe(flows[0]);
      expect(results[2 * c + 1]?.[1]).toBe(dates[0]);
    });
  });

  for (const [offset, fn] of FUNCTIONS.entries()) {
    it(`${fn} on ${CASES} seeded conventional cash-flow sets`, () => {
      cases.forEach((one, c) => {
        expectAgreement(fn, ours(fn, one), results[2 * c]?.[FORMULA_COLUMN + offset], `${fn} case ${c}`);
      });
    });
  }
});
