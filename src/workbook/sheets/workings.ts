/**
 * The workings sheets: one per base scenario (Mining, Powered shell, Colocated GPU) and Hybrid,
 * each a month header and one block per site laid out from the scenario's row spec.
 */
import { SCENARIO_LABELS, type ScenarioName } from "../../core/index.js";
import {
  COL_CONST,
  COL_FIRST_MONTH,
  COL_LABEL,
  COL_TOTAL,
  COL_UNIT,
  FIRST_BLOCK_ROW,
  ROW_MONTH,
  ROW_YEAR,
  SHEET_NAMES,
  SheetBuilder,
  layBlock,
  type BlockLayout,
  type RowSpec,
} from "../layout.js";
import { hybridSpec } from "../scenarios/hybrid.js";
import { BASE_SPECS } from "../scenarios/index.js";
import type { InputsSheet } from "./inputs.js";
import type { Layouts, Model } from "./model.js";

export const WORKINGS_BLURB: Readonly<Record<string, string>> = {
  [SHEET_NAMES.mining]: "Keep mining: block subsidy and fees, network share, power, fleet replacement, tax; monthly.",
  [SHEET_NAMES.powered_shell]: "Lease a powered shell: conversion capex and debt, escalating triple-net rent, NOI, exit at a cap rate; monthly.",
  [SHEET_NAMES.colocated_gpu]: "Sell GPU capacity: conversion and GPU capex, GPU-hours at a declining rate, power, exit value; monthly.",
  [SHEET_NAMES.hybrid]: "The site split between the three by shares: each line the share-weighted sum of the scenario sheets.",
};

function timelineHeader(sheet: SheetBuilder, title: string, blurb: string, lastCol: number): void {
  sheet.text(0, 0, title, "title");
  sheet.text(1, 0, blurb, "subtitle");
  sheet.text(ROW_MONTH, COL_LABEL, "Month", "header");
  sheet.text(ROW_MONTH, COL_UNIT, "month", "unit");
  sheet.text(ROW_YEAR, COL_LABEL, "Model year", "header");
  sheet.text(ROW_YEAR, COL_UNIT, "year", "unit");
  sheet.text(ROW_MONTH - 1, COL_CONST, "Constant", "header");
  sheet.text(ROW_MONTH - 1, COL_TOTAL, "Total", "header");
  sheet.timelineRows.push(
    { row: ROW_MONTH, firstCol: COL_FIRST_MONTH, lastCol, formulaR1C1: "=R[0]C[-1]+1", style: "header" },
    { row: ROW_YEAR, firstCol: COL_FIRST_MONTH, lastCol, formulaR1C1: "=INT((R[-1]C[0]-1)/12)+1", style: "calc_flag" },
  );
  sheet.widths.push([COL_LABEL, 36], [COL_CONST, 16], [COL_UNIT, 12], [COL_TOTAL, 16], [4, 2]);
  for (let col = COL_FIRST_MONTH; col <= lastCol; col++) sheet.widths.push([col, 13]);
  sheet.freeze = [ROW_YEAR + 1, COL_FIRST_MONTH];
}

/**
 * Seeds IRR's iteration with the engine's IRR at build time, where it has one. Spreadsheet IRR
 * is Newton's method from a guess and fails to converge from a generic guess on flows such as
 * a loss-making mine's (IRR near -85 % a year); from the engine's root it converges at once.
 * IRR still recomputes from the flows whenever an input changes; the seed only says where the
 * search starts, so the cell keeps its heuristic formula where the engine has no IRR.
 */
function seedIrr(sheet: SheetBuilder, block: BlockLayout, irr: number | null): void {
  if (irr === null) return;
  const row = block.consts.get("irr_guess")!;
  const index = sheet.cells.findIndex((c) => c.row === row && c.col === COL_CONST);
  sheet.cells[index] = {
    row,
    col: COL_CONST,
    value: Math.pow(1 + irr, 1 / 12) - 1,
    style: "engine",
    note: "Seed for IRR's iteration: the MinePivot engine's monthly IRR when the workbook was built. IRR recomputes from the flows when inputs change.",
  };
}

/** One workings sheet: a block per site, each from `specFor(site)`. */
function workingsSheet(
  model: Model,
  inputs: InputsSheet,
  scenario: ScenarioName,
  title: string,
  blurb: string,
  specFor: (site: number) => RowSpec[],
  layouts: Array<Partial<Record<ScenarioName, BlockLayout>>>,
): SheetBuilder {
  const sheet = new SheetBuilder(SHEET_NAMES[scenario], "workings");
  timelineHeader(sheet, title, blurb, model.lastCol);
  let next = FIRST_BLOCK_ROW;
  model.sites.forEach((site, s) => {
    const layout = layBlock(sheet, specFor(s), next, site.name, model.lastCol, (key) => inputs.inputRef(key, s));
    layouts[s]![scenario] = layout.block;
    seedIrr(sheet, layout.block, model.engine[s]!.valuations[scenario]!.metrics.irr);
    next = layout.nextRow + 1;
  });
  return sheet;
}

/** The workings sheets in order, and where each site's blocks went. */
export function workingsSheets(model: Model, inputs: InputsSheet): { sheets: SheetBuilder[]; layouts: Layouts } {
  const layouts: Array<Partial<Record<ScenarioName, BlockLayout>>> = model.sites.map(() => ({}));
  const blurb = "Links to inputs in green, formulas in black; each timeline row is one formula copied across the months.";
  const sheets = model.bases.map((scenario) =>
    workingsSheet(model, inputs, scenario, `${SCENARIO_LABELS[scenario]} workings`, blurb, () => BASE_SPECS[scenario](), layouts),
  );
  if (model.scenarios.includes("hybrid")) {
    const parts = (s: number) => model.bases.map((b) => ({ scenario: b, layout: layouts[s]![b]! }));
    sheets.push(
      workingsSheet(
        model,
        inputs,
        "hybrid",
        "Hybrid workings",
        "Each line is the share-weighted sum of the same line in the three scenario sheets.",
        (s) => hybridSpec(parts(s)),
        layouts,
      ),
    );
  }
  return { sheets, layouts };
}
