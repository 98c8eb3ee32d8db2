/**
 * Fits a plan into a workbook that already has sheets and names: any planned sheet whose name
 * is taken gets a suffix (" (2)", " (3)", ...), any clashing defined name gets "_2", "_3", ...,
 * and every formula, defined name and chart is rewritten to match. Nothing of the user's is
 * touched or shadowed.
 */
import type { WorkbookPlan } from "./plan.js";
import { sheetPrefix } from "./refs.js";

export interface RenamedPlan {
  readonly plan: WorkbookPlan;
  readonly renamedSheets: Readonly<Record<string, string>>;
  readonly renamedNames: Readonly<Record<string, string>>;
}

/** Excel compares sheet and defined names without regard to case. */
const fold = (name: string) => name.toLocaleLowerCase("en-US");

function freeName(wanted: string, taken: Set<string>, suffix: (n: number) => string, maxLength: number): string {
  if (!taken.has(fold(wanted))) return wanted;
  for (let n = 2; ; n++) {
    const tail = suffix(n);
    const candidate = wanted.slice(0, maxLength - tail.length) + tail;
    if (!taken.has(fold(candidate))) return candidate;
  }
}

/** A sheet name that no existing sheet has, suffixed as the plan's sheets are ("Portfolio (2)"). */
export function freeSheetName(wanted: string, existingSheets: Iterable<string>): string {
  return freeName(wanted, new Set([...existingSheets].map(fold)), (n) => ` (${n})`, 31);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Applies `replace` to the parts of a formula outside string literals. */
function outsideStrings(formula: string, replace: (code: string) => string): string {
  return formula
    .split(/("(?:[^"]|"")*")/)
    .map((part, i) => (i % 2 === 1 ? part : replace(part)))
    .join("");
}

export function renamePlan(plan: WorkbookPlan, existingSheets: Iterable<string>, existingNames: Iterable<string>): RenamedPlan {
  const takenSheets = new Set([...existingSheets].map(fold));
  const takenNames = new Set([...existingNames].map(fold));
  const renamedSheets: Record<string, string> = {};
  const renamedNames: Record<string, string> = {};
  for (const sheet of plan.sheets) {
    const name = freeName(sheet.name, takenSheets, (n) => ` (${n})`, 31);
    takenSheets.add(fold(name));
    if (name !== sheet.name) renamedSheets[sheet.name] = name;
  }
  for (const defined of plan.names) {
    const name = freeName(defined.name, takenNames, (n) => `_${n}`, 255);
    takenNames.add(fold(name));
    if (name !== defined.name) renamedNames[defined.name] = name;
  }
  if (Object.keys(renamedSheets).length === 0 && Object.keys(renamedNames).length === 0) return { plan, renamedSheets, renamedNames };

  const sheetRules = Object.entries(renamedSheets).map(([from, to]) => ({
    pattern: new RegExp(`(?<![\\w'.])${escapeRegExp(sheetPrefix(from))}`, "g"),
    to: sheetPrefix(to),
  }));
  const nameRules = Object.entries(renamedNames).map(([from, to]) => ({
    // A defined name as a whole token: not part of a longer name, a function call or a sheet name.
    pattern: new RegExp(`(?<![\\w.!'$])${escapeRegExp(from)}(?![\\w.(!])`, "gi"),
    to,
  }));
  const rewrite = (formula: string): string =>
    outsideStrings(formula, (code) => {
      let out = code;
      for (const rule of sheetRules) out = out.replace(rule.pattern, rule.to);
      for (const rule of nameRules) out = out.replace(rule.pattern, rule.to);
      return out;
    });
  const sheetName = (name: string) => renamedSheets[name] ?? name;
  return {
    renamedSheets,
    renamedNames,
    plan: {
      ...plan,
      sheets: plan.sheets.map((sheet) => ({
        ...sheet,
        name: sheetName(sheet.name),
        cells: sheet.cells.map((cell) => (cell.formula === undefined ? cell : { ...cell, formula: rewrite(cell.formula) })),
        timelineRows: sheet.timelineRows.map((line) => ({ ...line, formulaR1C1: rewrite(line.formulaR1C1) })),
      })),
      names: plan.names.map((defined) => ({ name: renamedNames[defined.name] ?? defined.name, refersTo: rewrite(defined.refersTo) })),
      charts: plan.charts.map((chart) => ({ ...chart, sheet: sheetName(chart.sheet), series: chart.series.map((s) => ({ ...s, sheet: sheetName(s.sheet) })) })),
      results: plan.results.map((result) => ({ ...result, sheet: sheetName(result.sheet) })),
    },
  };
}
