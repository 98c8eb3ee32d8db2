/**
 * Builds a MINEPIVOT formula from the Insert formula form: the function, its scenario, metric,
 * period or basis, and an assumptions range. Pure, so every combination is tested in Node.
 */
import { METRIC_DEFS, SCENARIOS, type ScenarioName, type SolvableMetric } from "../core/index.js";

export type FormulaParam = "scenario" | "metric" | "assumptions" | "period" | "basis";

export interface FormulaFunction {
  readonly id: string;
  readonly label: string;
  readonly params: readonly FormulaParam[];
  /** True when the result spills into the cells below and to the right. */
  readonly spills?: boolean;
}

/** The functions the form offers (those whose arguments are a scenario, a metric and a range). */
export const FORMULA_FUNCTIONS: readonly FormulaFunction[] = [
  { id: "EQUITY_PER_WATT", label: "Equity value per watt (USD/W)", params: ["scenario", "assumptions"] },
  { id: "NPV", label: "Equity value (USD)", params: ["scenario", "assumptions"] },
  { id: "REV_PER_MW", label: "Revenue per MW-year (USD)", params: ["scenario", "assumptions"] },
  { id: "EBITDA_PER_MW", label: "EBITDA per MW-year (USD)", params: ["scenario", "assumptions"] },
  { id: "IRR", label: "Equity IRR", params: ["scenario", "assumptions"] },
  { id: "PAYBACK", label: "Payback (years)", params: ["scenario", "assumptions"] },
  { id: "COMPARE", label: "Compare scenarios (spills a table)", params: ["assumptions"], spills: true },
  { id: "CASHFLOWS", label: "Cash-flow schedule (spills a table)", params: ["scenario", "assumptions", "period"], spills: true },
  { id: "EXPLAIN", label: "Explain a metric (spills a table)", params: ["scenario", "metric", "assumptions"], spills: true },
  { id: "COST_TO_MINE", label: "Cost to mine one BTC (USD)", params: ["assumptions", "basis"] },
  { id: "BREAKEVEN_POWER", label: "Breakeven power price (USD/MWh)", params: ["assumptions"] },
  { id: "ASSUMPTIONS", label: "Assumptions table (spills a table)", params: ["scenario"], spills: true },
];

export interface FormulaChoice {
  readonly id: string;
  readonly scenario: ScenarioName;
  readonly metric: SolvableMetric;
  /** An A1 reference or a defined name; empty for the defaults. */
  readonly range: string;
  readonly period: "annual" | "monthly";
  readonly basis: "cash" | "all_in";
}

const CELL = String.raw`\$?[A-Za-z]{1,3}\$?\d+`;
const SHEET = String.raw`(?:'(?:[^']|'')+'|[A-Za-z_][\w.]*)!`;
const REFERENCE = new RegExp(String.raw`^(?:${SHEET})?${CELL}(?::${CELL})?$`);
const NAME = /^[A-Za-z_\\][\w.\\]*$/;

/** Why `range` is not a usable assumptions reference, or undefined when it is (or is empty). */
export function rangeError(range: string): string | undefined {
  const text = range.trim();
  if (text === "" || REFERENCE.test(text) || (NAME.test(text) && !/^[A-Za-z]{1,3}\d+$/.test(text))) return undefined;
  return `"${text}" is not a range: use an address such as Inputs!A2:B40 or 'My inputs'!A2:B40, or a defined name`;
}

/** The formula text, with its leading "=". */
export function buildFormula(choice: FormulaChoice): string {
  const fn = FORMULA_FUNCTIONS.find((entry) => entry.id === choice.id);
  if (!fn) throw new Error(`unknown function ${choice.id}`);
  const range = choice.range.trim();
  const args: string[] = [];
  for (const param of fn.params) {
    switch (param) {
      case "scenario":
        args.push(`"${choice.scenario}"`);
        break;
      case "metric":
        args.push(`"${choice.metric}"`);
        break;
      case "assumptions":
        args.push(range);
        break;
      case "period":
        if (choice.period !== "annual") args.push(`"${choice.period}"`);
        break;
      case "basis":
        if (choice.basis !== "cash") args.push(`"${choice.basis}"`);
        break;
    }
  }
  // Optional arguments at the end may go; an empty one in the middle stays as a gap ("a, , b").
  while (args.length > 0 && args[args.length - 1] === "") args.pop();
  return `=MINEPIVOT.${fn.id}(${args.join(", ")})`;
}

export const DEFAULT_CHOICE: FormulaChoice = {
  id: "EQUITY_PER_WATT",
  scenario: SCENARIOS[1],
  metric: METRIC_DEFS[1].key,
  range: "",
  period: "annual",
  basis: "cash",
};
