/**
 * The Checks sheet: every headline result reconciled with the engine that built the workbook,
 * integrity checks (debt repaid, hybrid shares, no error cells), and the master check.
 */
import { SCENARIO_LABELS, getDef, type AssumptionDef, type Metrics } from "../../core/index.js";
import { COL_CONST, SHEET_NAMES, SheetBuilder, isShare } from "../layout.js";
import type { DefinedName, ResultCell, StyleName } from "../plan.js";
import { absRange, absRef, cellRef } from "../refs.js";
import { inputCellValue, type InputsSheet } from "./inputs.js";
import { RESULT_KEY } from "./metrics.js";
import type { Layouts, Model } from "./model.js";

/** How a checked value reads: each kind has one number format, the same for the workbook's value and the engine's. */
type ValueKind = "whole" | "pct" | "num";

const VALUE_STYLES: Readonly<Record<ValueKind, { link: StyleName; engine: StyleName }>> = {
  whole: { link: "link_usd", engine: "engine_usd" },
  pct: { link: "link_pct", engine: "engine_pct" },
  num: { link: "link", engine: "engine_num" },
};

function valueKind(metric: keyof Metrics): ValueKind {
  if (metric === "irr") return "pct";
  if (metric.endsWith("_usd") || metric.endsWith("_per_mw") || metric === "gpu_count") return "whole";
  return "num";
}

/** The snapshot of an input in the input's own format: dates as dates, shares as percentages. */
function snapshotStyle(def: AssumptionDef): StyleName {
  if (def.kind === "date") return "calc_date";
  if (def.kind === "boolean") return "engine";
  return isShare(def) ? "engine_pct" : "engine_num";
}

export interface ChecksSheet {
  readonly sheet: SheetBuilder;
  readonly names: DefinedName[];
  readonly results: ResultCell[];
  readonly checkCount: number;
}

export function checksSheet(model: Model, inputs: InputsSheet, layouts: Layouts, workings: readonly SheetBuilder[]): ChecksSheet {
  const { sites, scenarios, engine, lastCol } = model;
  const { keyRow, lastInputRow, siteCol, inputRef } = inputs;
  const checks = new SheetBuilder(SHEET_NAMES.checks, "checks");
  checks.text(0, 0, "Checks", "title");
  checks.text(
    1,
    0,
    "Each figure is reconciled with the MinePivot engine that built the workbook. Once inputs are edited, the reconciliation no longer applies and those rows pass; the integrity checks always apply.",
    "subtitle",
  );
  ["Check", "Workbook value", "Engine value", "Difference", "Tolerance", "OK (1 = pass)"].forEach((text, col) => checks.text(3, col, text, "header"));
  let row = 4;
  // Inputs as built: a snapshot of the input block, compared cell by cell.
  const snapshotCol = 8;
  checks.text(3, snapshotCol, "Inputs as built (snapshot)", "header");
  for (const [key, r] of keyRow)
    sites.forEach((site, s) =>
      checks.put({ row: r, col: snapshotCol + s, value: inputCellValue(getDef(key), site.values[key]), style: snapshotStyle(getDef(key)) }),
    );
  const changedTerms = sites.map(
    (_, s) =>
      `SUMPRODUCT((${absRange(4, siteCol(s), lastInputRow, siteCol(s), SHEET_NAMES.inputs)}<>${absRange(4, snapshotCol + s, lastInputRow, snapshotCol + s)})*1)`,
  );
  const changedRow = row;
  checks.text(row, 0, "Inputs changed since the workbook was built (count)", "label");
  checks.put({ row, col: 1, formula: `=${changedTerms.join("+")}`, style: "calc_flag" });
  checks.put({ row, col: 2, value: 0, style: "engine_usd" });
  checks.text(row, 5, "info", "note");
  row++;
  const asBuilt = absRef(changedRow, 1);
  const okRows: number[] = [];
  const results: ResultCell[] = [];
  let checkCount = 0;
  const addCheck = (label: string, workbook: string, engineValue: number | string, tolerance: string, reconciliation: boolean, kind: ValueKind = "num") => {
    checks.text(row, 0, label, "label");
    checks.put({ row, col: 1, formula: workbook, style: VALUE_STYLES[kind].link });
    checks.put({ row, col: 2, value: engineValue, style: VALUE_STYLES[kind].engine });
    const [b, c, d, e] = [cellRef(row, 1), cellRef(row, 2), cellRef(row, 3), cellRef(row, 4)];
    checks.put({ row, col: 3, formula: `=IFERROR(ABS(${b}-${c}),"")`, style: "calc_sci" });
    checks.put({ row, col: 4, formula: `=${tolerance}`, style: "calc_sci" });
    const match = `IFERROR(ISNUMBER(${c})*(${d}<=${e}*MAX(1,ABS(${c}))),0)+ISTEXT(${c})*(${b}=${c})`;
    checks.put({ row, col: 5, formula: reconciliation ? `=MAX((${asBuilt}>0)*1,${match})` : `=(${match})*1`, style: "check" });
    okRows.push(row);
    checkCount++;
    row++;
  };
  sites.forEach((site, s) => {
    for (const scenario of scenarios) {
      const layout = layouts[s]![scenario]!;
      const metrics = engine[s]!.valuations[scenario]!.metrics;
      for (const [metric, key] of Object.entries(RESULT_KEY) as Array<[keyof Metrics, string]>) {
        const at = layout.consts.get(key);
        if (at === undefined) continue;
        const value = metrics[metric];
        if (value === undefined) continue;
        results.push({ site: site.name, scenario, metric, sheet: layout.sheet, row: at, col: COL_CONST, engine: value === null ? "n/a" : value });
        addCheck(
          `${site.name}: ${SCENARIO_LABELS[scenario]} ${metric}`,
          `=${absRef(at, COL_CONST, layout.sheet)}`,
          value === null ? "n/a" : value,
          metric === "irr" ? "irr_check_tolerance" : "check_tolerance",
          true,
          valueKind(metric),
        );
      }
      if (scenario === "powered_shell" || scenario === "colocated_gpu") {
        const closeRow = layout.lines.get("debt_close")!;
        addCheck(
          `${site.name}: ${SCENARIO_LABELS[scenario]} debt repaid by the horizon (closing balance)`,
          `=${absRef(closeRow, lastCol, layout.sheet)}`,
          0,
          "check_tolerance",
          false,
          "whole",
        );
      }
    }
    if (scenarios.includes("hybrid")) {
      addCheck(
        `${site.name}: hybrid shares sum to 1`,
        `=${inputRef("share_mining", s)}+${inputRef("share_shell", s)}+${inputRef("share_gpu", s)}`,
        1,
        "share_tolerance",
        false,
      );
    }
  });
  for (const sheet of workings) {
    const maxRow = Math.max(
      sheet.cells.reduce((max, c) => Math.max(max, c.row), 0),
      sheet.timelineRows.reduce((max, t) => Math.max(max, t.row), 0),
    );
    addCheck(`No error cells on ${sheet.name}`, `=SUMPRODUCT(ISERROR(${absRange(0, 0, maxRow, lastCol, sheet.name)})*1)`, 0, "0", false, "whole");
  }
  const masterRow = row + 1;
  checks.text(masterRow, 0, "Master check (1 = every check passes)", "heading");
  checks.put({ row: masterRow, col: 5, formula: `=MIN(${absRange(okRows[0]!, 5, okRows[okRows.length - 1]!, 5)})`, style: "check" });
  const names: DefinedName[] = [{ name: "master_check", refersTo: `=${absRef(masterRow, 5, SHEET_NAMES.checks)}` }];
  checks.widths.push([0, 70], [1, 18], [2, 18], [3, 12], [4, 12], [5, 14], ...sites.map((_, s) => [snapshotCol + s, 14] as const));
  checks.freeze = [4, 1];
  return { sheet: checks, names, results, checkCount };
}
