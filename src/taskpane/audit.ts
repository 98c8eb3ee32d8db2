/**
 * The audit of a MINEPIVOT cell: from the call in its formula (function id and arguments, with
 * references already read from the workbook) to the explain trace and the assumptions used,
 * each marked as read from the range (with its row, to jump to) or left at its default.
 * Pure: the Office side reads the cells, this module does the rest.
 */
import {
  DEFAULTS,
  InputError,
  METRIC_DEFS,
  NoSolutionError,
  SCENARIO_LABELS,
  explain,
  getDef,
  keysFor,
  normalizeName,
  parseAssumptions,
  parseMetric,
  parseScenario,
  type AssumptionKey,
  type Assumptions,
  type ExplainStep,
  type ScenarioName,
  type SolvableMetric,
} from "../core/index.js";
import { explainTable } from "../functions/adapter.js";
import { assumptionEntries, rowsOf } from "../functions/ranges.js";

/** An argument as read from the workbook: a value, a range's values, or something the pane cannot evaluate. */
export type ResolvedArg =
  | { readonly kind: "value"; readonly value: unknown }
  | { readonly kind: "range"; readonly address: string; readonly values: unknown[][] }
  | { readonly kind: "missing" }
  | { readonly kind: "unsupported"; readonly text: string };

export interface UsedAssumption {
  readonly key: AssumptionKey;
  readonly label: string;
  readonly value: number;
  readonly unit: string;
  readonly source: string;
  readonly asOf: string;
  /** "range": read from the assumptions range (or set in the pane); "default": the registry's default. */
  readonly origin: "range" | "default";
  /** Where the value sits, when it came from a range: the value cell's address. */
  readonly cell?: string;
}

export interface AuditResult {
  readonly scenario: ScenarioName;
  readonly metric: SolvableMetric;
  readonly title: string;
  readonly steps: readonly ExplainStep[];
  readonly assumptions: readonly UsedAssumption[];
  /** The assumptions range's address, when the call had one. */
  readonly rangeAddress?: string;
}

/** How each function's arguments map onto explain's scenario, metric and assumptions. */
interface CallShape {
  readonly scenario?: number | ScenarioName;
  readonly metric: number | SolvableMetric | ((args: readonly ResolvedArg[]) => SolvableMetric);
  readonly assumptions: number;
}

const SHAPES: ReadonlyMap<string, CallShape> = new Map(
  Object.entries<CallShape>({
    EQUITY_PER_WATT: { scenario: 0, metric: "equity_per_watt", assumptions: 1 },
    REV_PER_MW: { scenario: 0, metric: "rev_per_mw", assumptions: 1 },
    EBITDA_PER_MW: { scenario: 0, metric: "ebitda_per_mw", assumptions: 1 },
    NPV: { scenario: 0, metric: "npv_usd", assumptions: 1 },
    IRR: { scenario: 0, metric: "irr", assumptions: 1 },
    PAYBACK: { scenario: 0, metric: "payback_years", assumptions: 1 },
    EXPLAIN: { scenario: 0, metric: 1, assumptions: 2 },
    CASHFLOWS: { scenario: 0, metric: "npv_usd", assumptions: 1 },
    COMPARE: { metric: "equity_per_watt", assumptions: 0 },
    COST_TO_MINE: {
      scenario: "mining",
      metric: (args) => {
        const basis = scalarOf(args[1]);
        return typeof basis === "string" && normalizeName(basis).replace(/^allin$/, "all_in") === "all_in" ? "cost_to_mine_all_in" : "cost_to_mine_cash";
      },
      assumptions: 0,
    },
    BREAKEVEN_POWER: { scenario: "mining", metric: "breakeven_power", assumptions: 0 },
  }),
);

/** The functions the audit explains. */
export const AUDITABLE = [...SHAPES.keys()];

/** Functions whose scenario the cell does not fix (the pane lets the user pick one). */
export function needsScenarioChoice(id: string): boolean {
  const shape = SHAPES.get(id);
  return !!shape && shape.scenario === undefined;
}

function scalarOf(arg: ResolvedArg | undefined): unknown {
  if (!arg || arg.kind === "missing") return undefined;
  if (arg.kind === "value") return arg.value;
  if (arg.kind === "range") return arg.values[0]?.[0];
  return undefined;
}

/** Column letters → 0-based index, and back. */
function columnIndex(letters: string): number {
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}
function columnLetters(index: number): string {
  let n = index + 1;
  let text = "";
  while (n > 0) {
    const rem = (n - 1) % 26;
    text = String.fromCharCode(65 + rem) + text;
    n = Math.floor((n - 1) / 26);
  }
  return text;
}

/** The address of the cell `rowOffset` rows down and `colOffset` columns right of a range's top-left cell. */
export function offsetAddress(rangeAddress: string, rowOffset: number, colOffset: number): string | undefined {
  const bang = rangeAddress.lastIndexOf("!");
  const sheet = bang >= 0 ? rangeAddress.slice(0, bang + 1) : "";
  const match = /^\$?([A-Za-z]{1,3})\$?(\d+)/.exec(rangeAddress.slice(bang + 1));
  if (!match) return undefined;
  return `${sheet}${columnLetters(columnIndex(match[1]!) + colOffset)}${Number(match[2]) + rowOffset}`;
}

function used(key: AssumptionKey, values: Assumptions, fromRange: boolean, cell?: string): UsedAssumption {
  const def = getDef(key);
  return {
    key,
    label: def.label,
    value: values[key],
    unit: def.unit,
    source: def.source,
    asOf: def.asOf,
    origin: fromRange ? "range" : "default",
    ...(cell ? { cell } : {}),
  };
}

/** The trace of `metric` for `scenario` with a site's values; `provided` marks the keys that are not defaults. */
export function auditValues(scenario: ScenarioName, metric: SolvableMetric, values: Assumptions, provided: ReadonlySet<AssumptionKey>): AuditResult {
  const steps = explain(scenario, metric, values);
  return {
    scenario,
    metric,
    title: `${METRIC_DEFS.find((def) => def.key === metric)!.label}, ${SCENARIO_LABELS[scenario]}`,
    steps,
    assumptions: keysFor(scenario).map((key) => used(key, values, provided.has(key))),
  };
}

export type AuditOutcome = { readonly ok: true; readonly result: AuditResult } | { readonly ok: false; readonly message: string };

/**
 * Audits a call. `scenarioChoice` fills in the scenario for functions that cover every scenario
 * (COMPARE). Errors read as the cell's own #VALUE! message would.
 */
export function auditCall(id: string, args: readonly ResolvedArg[], scenarioChoice: ScenarioName = "powered_shell"): AuditOutcome {
  const shape = SHAPES.get(id);
  if (!shape) {
    return { ok: false, message: `MINEPIVOT.${id} has no audit trail. The audit explains ${AUDITABLE.map((name) => `MINEPIVOT.${name}`).join(", ")}.` };
  }
  const unsupported = args.find((arg) => arg.kind === "unsupported");
  if (unsupported && unsupported.kind === "unsupported") {
    return { ok: false, message: `The argument ${unsupported.text} is an expression the audit cannot evaluate; use a value, a range or a defined name.` };
  }
  try {
    const scenario = typeof shape.scenario === "number" ? parseScenario(scalarOf(args[shape.scenario])) : (shape.scenario ?? scenarioChoice);
    const metric =
      typeof shape.metric === "number" ? parseMetric(scalarOf(args[shape.metric])) : typeof shape.metric === "function" ? shape.metric(args) : shape.metric;
    const rangeArg = args[shape.assumptions];
    const rows = rangeArg?.kind === "range" ? rangeArg.values : rangeArg?.kind === "value" ? [[rangeArg.value]] : null;
    // The adapter validates exactly as the cell does: its message is the cell's #VALUE! message.
    const checked = explainTable(scenario, metric, rows);
    if (!checked.ok) return { ok: false, message: checked.message };
    // Read as the functions read it: key-value pairs, the Inputs table or one site's column.
    const entries = assumptionEntries(rowsOf(rows));
    const set =
      entries.length > 0
        ? parseAssumptions(entries.map((entry) => [entry.key, entry.value] as const))
        : { values: DEFAULTS, provided: new Set<AssumptionKey>() };
    const steps = explain(scenario, metric, set.values);
    const rangeAddress = rangeArg?.kind === "range" ? rangeArg.address : undefined;
    const cellOf = (key: AssumptionKey) => entries.find((entry) => typeof entry.key === "string" && normalizeName(entry.key) === key);
    return {
      ok: true,
      result: {
        scenario,
        metric,
        title: `${METRIC_DEFS.find((def) => def.key === metric)!.label}, ${SCENARIO_LABELS[scenario]}`,
        steps,
        assumptions: keysFor(scenario).map((key) => {
          const cell = set.provided.has(key) ? cellOf(key) : undefined;
          return used(key, set.values, set.provided.has(key), cell && rangeAddress ? offsetAddress(rangeAddress, cell.row, cell.col) : undefined);
        }),
        ...(rangeAddress ? { rangeAddress } : {}),
      },
    };
  } catch (error) {
    if (error instanceof InputError || error instanceof NoSolutionError) return { ok: false, message: error.message };
    throw error;
  }
}
