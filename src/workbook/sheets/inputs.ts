/** The Inputs sheet: one row per assumption, a column per site, then the universal constants. */
import {
  BLOCKS_PER_DAY,
  BLOCKS_PER_MONTH,
  DEFAULTS,
  HALVING_INTERVAL,
  HOURS_PER_MONTH,
  INITIAL_SUBSIDY_SATS,
  REFERENCE_BLOCK,
  REFERENCE_BLOCK_DATE,
  MAX_HALVINGS,
  REGISTRY,
  SATS_PER_BTC,
  describeAllowed,
  serialToIso,
  type AssumptionDef,
  type AssumptionKey,
} from "../../core/index.js";
import { SHEET_NAMES, SheetBuilder, isShare } from "../layout.js";
import type { DefinedName, StyleName, ValidationPlan, ValidationRule } from "../plan.js";
import { absRange, absRef, cellRef } from "../refs.js";
import type { Model } from "./model.js";

/** Universal constants, written once on the inputs sheet and used in formulas by name. */
const CONSTANTS: ReadonlyArray<{ name: string; value: number; label: string; unit: string }> = [
  { name: "blocks_per_day", value: BLOCKS_PER_DAY, label: "Blocks a day (protocol target)", unit: "blocks" },
  { name: "blocks_per_month", value: BLOCKS_PER_MONTH, label: "Blocks a model month (144 × 365.25 / 12)", unit: "blocks" },
  { name: "hours_per_month", value: HOURS_PER_MONTH, label: "Hours a model month (24 × 365.25 / 12)", unit: "hours" },
  { name: "halving_interval", value: HALVING_INTERVAL, label: "Blocks between halvings", unit: "blocks" },
  { name: "initial_subsidy_sats", value: INITIAL_SUBSIDY_SATS, label: "First block subsidy", unit: "satoshis" },
  { name: "max_halvings", value: MAX_HALVINGS, label: "Halvings after which the subsidy is zero", unit: "halvings" },
  { name: "sats_per_btc", value: SATS_PER_BTC, label: "Satoshis per bitcoin", unit: "satoshis" },
  { name: "reference_block", value: REFERENCE_BLOCK, label: "Reference block for derived heights (the fourth halving)", unit: "blocks" },
  { name: "reference_block_date", value: REFERENCE_BLOCK_DATE, label: "Date of the reference block (20 Apr 2024)", unit: "date" },
  { name: "w_per_mw", value: 1_000_000, label: "Watts per megawatt", unit: "W" },
  { name: "kw_per_mw", value: 1_000, label: "Kilowatts per megawatt", unit: "kW" },
  { name: "usd_per_musd", value: 1_000_000, label: "USD per million USD", unit: "USD" },
  { name: "th_per_eh", value: 1_000_000, label: "TH/s per EH/s", unit: "TH/s" },
  { name: "ph_per_eh", value: 1_000, label: "PH/s per EH/s", unit: "PH/s" },
  { name: "irr_guess_monthly", value: 0.01, label: "Starting guess for IRR (monthly)", unit: "/month" },
  { name: "check_tolerance", value: 1e-9, label: "Check tolerance, relative (floor 1)", unit: "share" },
  { name: "irr_check_tolerance", value: 1e-6, label: "Check tolerance for IRR (iterative in every engine)", unit: "/yr" },
  { name: "share_tolerance", value: 1e-6, label: "Tolerance for hybrid shares summing to 1", unit: "share" },
];

const GROUP_TITLES: Readonly<Record<AssumptionDef["group"], string>> = {
  site: "Site and general",
  market: "Bitcoin market",
  mining: "Mining operations",
  conversion: "Conversion to a data centre",
  lease: "Powered-shell lease",
  debt: "Project debt",
  gpu: "Colocated GPU",
  hybrid: "Hybrid split",
  risk: "Risk (Monte Carlo)",
};

function styleForValue(def: AssumptionDef): StyleName {
  if (def.kind === "date") return "input_date";
  if (isShare(def)) return "input_pct";
  return "input";
}

/** An input's cell value: booleans as TRUE/FALSE, everything else as the number. */
export function inputCellValue(def: AssumptionDef, value: number): number | boolean {
  return def.kind === "boolean" ? value === 1 : value;
}

/** At most `max` characters, cut at a word with an ellipsis. */
function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(" "), max / 2))}…`;
}

/**
 * The registry's range for a key as data validation on its input cells: the same bounds the
 * CLI and the pane enforce, an input message with meaning, unit and range, and a stop alert.
 */
function validation(def: AssumptionDef, row: number, firstCol: number, lastCol: number): ValidationPlan {
  const at = cellRef(row, firstCol);
  const rule: ValidationRule =
    def.kind === "boolean"
      ? { kind: "list", items: ["TRUE", "FALSE"] }
      : def.kind === "date"
        ? { kind: "date", min: def.min, max: def.max }
        : def.minExclusive
          ? { kind: "custom", formula: `AND(ISNUMBER(${at}),${at}>${def.min},${at}<=${def.max}${def.integer ? `,INT(${at})=${at}` : ""})` }
          : { kind: def.integer ? "whole" : "decimal", min: def.min, max: def.max };
  const allowed = describeAllowed(def).replace(" (ISO text or Excel serial)", "");
  const unit = def.kind === "number" ? ` Unit: ${def.unit}.` : "";
  const limits = `${unit} Allowed: ${allowed}.`;
  return {
    range: [row, firstCol, row, lastCol],
    rule,
    title: clip(def.label, 32),
    prompt: `${clip(def.meaning.replace(/\.?$/, "."), 255 - limits.length - 1)}${limits}`,
    errorTitle: clip(`Invalid ${def.key}`, 32),
    error: clip(`${def.label}: ${allowed}.`, 225),
  };
}

function describeRange(def: AssumptionDef): string {
  if (def.kind === "boolean") return "TRUE or FALSE";
  if (def.kind === "date") return `${serialToIso(def.min)} to ${serialToIso(def.max)}`;
  return `${def.min} to ${def.max} ${def.unit}`;
}

export interface InputsSheet {
  readonly sheet: SheetBuilder;
  /** The assumption keys' and constants' defined names, in sheet order. */
  readonly names: DefinedName[];
  /** The row of each assumption key. */
  readonly keyRow: ReadonlyMap<AssumptionKey, number>;
  readonly firstInputRow: number;
  readonly lastInputRow: number;
  /** The column of a site's values. */
  siteCol(site: number): number;
  /** A site's input cell, absolute, with the sheet name. */
  inputRef(key: AssumptionKey, site: number): string;
}

export function inputsSheet(model: Model): InputsSheet {
  const { sites, single } = model;
  const names: DefinedName[] = [];
  const inputs = new SheetBuilder(SHEET_NAMES.inputs, "inputs");
  const siteCol = (i: number) => 3 + i;
  const afterSites = 3 + sites.length;
  inputs.text(0, 0, "Inputs", "title");
  inputs.text(1, 0, "One row per assumption. Blue cells on a pale fill are inputs: change them and every sheet follows.", "subtitle");
  const header = ["Assumption", "Key (defined name)", "Unit", ...sites.map((s) => s.name), "Source of the default", "As of", "Note"];
  header.forEach((text, col) => inputs.text(3, col, text, "header"));
  const keyRow = new Map<AssumptionKey, number>();
  const firstInputRow = 4;
  let row = firstInputRow;
  let group: string | undefined;
  for (const def of REGISTRY) {
    if (def.group !== group) {
      group = def.group;
      row++;
      inputs.text(row++, 0, GROUP_TITLES[def.group], "heading");
    }
    const key = def.key as AssumptionKey;
    keyRow.set(key, row);
    inputs.text(row, 0, def.label, "label");
    inputs.text(row, 1, key, "note");
    inputs.text(row, 2, def.unit, "unit");
    sites.forEach((site, i) => inputs.put({ row, col: siteCol(i), value: inputCellValue(def, site.values[key]), style: styleForValue(def) }));
    const origin = model.options.provenance?.(key) ?? def;
    inputs.text(row, afterSites, origin.source, "note");
    inputs.text(row, afterSites + 1, origin.asOf, "note");
    const given = sites.filter((s) => s.provided?.has(key)).map((s) => s.name);
    const changed = sites.filter((s) => s.values[key] !== DEFAULTS[key]).map((s) => s.name);
    const note = `${def.meaning}. Allowed: ${describeRange(def)}.${given.length > 0 ? ` Given for: ${given.join(", ")}.` : ""}${changed.length > 0 && given.length === 0 ? " Differs from the default." : ""}`;
    inputs.text(row, afterSites + 2, note, "note");
    inputs.validations.push(validation(def, row, siteCol(0), siteCol(sites.length - 1)));
    names.push({
      name: key,
      refersTo: `=${single ? absRef(row, siteCol(0), SHEET_NAMES.inputs) : absRange(row, siteCol(0), row, siteCol(sites.length - 1), SHEET_NAMES.inputs)}`,
    });
    row++;
  }
  const lastInputRow = row - 1;
  row += 1;
  inputs.text(row++, 0, "Universal constants (used in formulas by name)", "heading");
  for (const constant of CONSTANTS) {
    inputs.text(row, 0, constant.label, "label");
    inputs.text(row, 1, constant.name, "note");
    inputs.text(row, 2, constant.unit, "unit");
    inputs.put({ row, col: 3, value: constant.value, style: "calc" });
    names.push({ name: constant.name, refersTo: `=${absRef(row, 3, SHEET_NAMES.inputs)}` });
    row++;
  }
  // Wide enough for the longest unit, source and note: a cell cut by its neighbour hides them.
  inputs.widths.push(
    [0, 34],
    [1, 24],
    [2, 22],
    ...sites.map((_, i) => [siteCol(i), 16] as const),
    [afterSites, 100],
    [afterSites + 1, 11],
    [afterSites + 2, 125],
  );
  inputs.freeze = [4, 3];
  return {
    sheet: inputs,
    names,
    keyRow,
    firstInputRow,
    lastInputRow,
    siteCol,
    inputRef: (key, site) => absRef(keyRow.get(key)!, siteCol(site), SHEET_NAMES.inputs),
  };
}
