/**
 * The task pane's data: sites (a name and the values that differ from the shared set), the
 * shared assumption set edited on the Assumptions tab, and the rules that turn both into
 * validated inputs for the core. Pure: no React, no Office.
 *
 * Values are kept as the text the user typed, so a field can show its error without losing
 * the input; they are parsed by the core's own parser, so the pane accepts exactly what the
 * custom functions and the CLI accept ("90,000", "10%", "2026-01-01").
 */
import {
  DEFAULTS,
  EXAMPLE_SITE,
  InputError,
  REGISTRY,
  getDef,
  parseAssumptions,
  parseCsv,
  parseSitesTable,
  parseValue,
  serialToIso,
  type AssumptionDef,
  type AssumptionGroup,
  type AssumptionKey,
  type Assumptions,
  type ScenarioName,
} from "../core/index.js";

/** Raw text by key: only the keys that are set (the rest take the defaults). */
export type Overrides = Partial<Record<AssumptionKey, string>>;

export interface PaneSite {
  readonly id: string;
  readonly name: string;
  /** Values of this site that win over the shared set. */
  readonly overrides: Overrides;
}

let nextId = 0;
export function newSiteId(): string {
  nextId += 1;
  return `site-${Date.now().toString(36)}-${nextId}`;
}

/** The keys a site editor shows first: the site's own facts. */
export const SITE_KEYS: readonly AssumptionKey[] = REGISTRY.filter((def) => def.group === "site").map((def) => def.key);

export const GROUP_LABELS: Readonly<Record<AssumptionGroup, string>> = {
  site: "Site and tax",
  market: "Bitcoin market",
  mining: "Mining fleet",
  conversion: "Conversion",
  lease: "Powered-shell lease",
  debt: "Project debt",
  gpu: "GPU cloud",
  hybrid: "Hybrid split",
  risk: "Risk (Monte Carlo)",
};

export const GROUP_ORDER: readonly AssumptionGroup[] = ["site", "market", "mining", "conversion", "lease", "debt", "gpu", "hybrid", "risk"];

export function exampleSite(): PaneSite {
  return { id: newSiteId(), name: EXAMPLE_SITE.name, overrides: {} };
}

/** A value as the pane shows it in a field: ISO dates, TRUE/FALSE, plain numbers. */
export function formatInput(def: AssumptionDef, value: number): string {
  if (def.kind === "date") return serialToIso(value);
  if (def.kind === "boolean") return value ? "TRUE" : "FALSE";
  return String(value);
}

/** The error of one field's text, or undefined when it is valid (empty text is valid: the default). */
export function fieldError(key: AssumptionKey, text: string | undefined): string | undefined {
  if (text === undefined || text.trim() === "") return undefined;
  try {
    parseValue(getDef(key), text);
    return undefined;
  } catch (error) {
    return error instanceof InputError ? error.message : String(error);
  }
}

/** Errors of a set of overrides, by key. */
export function overrideErrors(overrides: Overrides): Partial<Record<AssumptionKey, string>> {
  const errors: Partial<Record<AssumptionKey, string>> = {};
  for (const [key, text] of Object.entries(overrides) as [AssumptionKey, string][]) {
    const error = fieldError(key, text);
    if (error) errors[key] = error;
  }
  return errors;
}

/** Non-empty overrides as pairs for the core's parser. */
function pairs(overrides: Overrides): Array<[string, string]> {
  return (Object.entries(overrides) as [string, string | undefined][]).filter((entry): entry is [string, string] => !!entry[1] && entry[1].trim() !== "");
}

/** The shared set as values; throws the core's InputError when a field is invalid. */
export function baseValues(base: Overrides): Assumptions {
  return parseAssumptions(pairs(base)).values;
}

export interface EffectiveSite {
  readonly name: string;
  readonly values: Assumptions;
  /** Keys set by the site or the shared set: the rest are defaults. */
  readonly provided: ReadonlySet<AssumptionKey>;
}

/** A site's validated inputs: defaults, then the shared set, then the site's own values. Throws InputError. */
export function effectiveSite(site: PaneSite, base: Overrides): EffectiveSite {
  const shared = parseAssumptions(pairs(base), DEFAULTS, "assumptions");
  const own = parseAssumptions(pairs(site.overrides), shared.values, site.name);
  return { name: site.name, values: own.values, provided: new Set([...shared.provided, ...own.provided]) };
}

/** The site's problem in one line, or undefined when it can be valued. */
export function siteProblem(site: PaneSite, base: Overrides, allSites: readonly PaneSite[]): string | undefined {
  if (site.name.trim() === "") return "The site needs a name.";
  if (allSites.some((other) => other.id !== site.id && other.name.trim().toLowerCase() === site.name.trim().toLowerCase())) {
    return `Two sites are called "${site.name.trim()}"; names must differ.`;
  }
  try {
    effectiveSite(site, base);
    return undefined;
  } catch (error) {
    return error instanceof InputError ? error.message : String(error);
  }
}

/** Sites from a table with a header row (an Excel range or parsed CSV); throws InputError. */
export function sitesFromTable(rows: readonly (readonly unknown[])[], argument = "sites"): PaneSite[] {
  return parseSitesTable(rows, DEFAULTS, argument).map((site) => {
    const overrides: Overrides = {};
    for (const key of site.provided) overrides[key] = formatInput(getDef(key), site.values[key]);
    return { id: newSiteId(), name: site.name, overrides };
  });
}

/** Sites from pasted CSV text; throws InputError. */
export function sitesFromCsv(text: string): PaneSite[] {
  return sitesFromTable(parseCsv(text, "csv"), "csv");
}

/** Overrides from a loose object ({ key: value } or [[key, value], ...]), validated; throws InputError. */
export function overridesFromJson(data: unknown, argument = "file"): Overrides {
  let entries: Array<readonly [unknown, unknown]>;
  if (Array.isArray(data)) entries = data.map((row) => (Array.isArray(row) ? ([row[0], row[1]] as const) : ([row, undefined] as const)));
  else if (data !== null && typeof data === "object") entries = Object.entries(data as Record<string, unknown>);
  else throw new InputError(argument, data, 'a JSON object such as { "btc_price": 90000 }');
  const set = parseAssumptions(entries, DEFAULTS, argument);
  const overrides: Overrides = {};
  for (const key of set.provided) overrides[key] = formatInput(getDef(key), set.values[key]);
  return overrides;
}

/** Overrides as a JSON object the CLI reads (`minepivot value --assumptions FILE.json`): numbers, ISO dates, booleans. */
export function overridesToJson(overrides: Overrides): Record<string, number | string | boolean> {
  const values = baseValues(overrides);
  const out: Record<string, number | string | boolean> = {};
  for (const def of REGISTRY) {
    const text = overrides[def.key];
    if (text === undefined || text.trim() === "") continue;
    const value = values[def.key];
    out[def.key] = def.kind === "date" ? serialToIso(value) : def.kind === "boolean" ? value === 1 : value;
  }
  return out;
}

/** Keys shown for a scenario filter ("all" shows every key). */
export function keyAffects(def: AssumptionDef, scenario: ScenarioName | "all"): boolean {
  return scenario === "all" || (def.scenarios as readonly string[]).includes(scenario);
}

/** A number for people: grouped thousands, a sensible number of decimals; percentages for rates and shares. */
export function formatNumber(value: number | string | null | undefined, unit = ""): string {
  if (value === null || value === undefined) return "n/a";
  if (typeof value === "string") return value;
  if (!Number.isFinite(value)) return "n/a";
  if (unit === "/yr" || unit === "share" || unit === "share of revenue") return `${(value * 100).toLocaleString("en-US", { maximumFractionDigits: 2 })} %`;
  const abs = Math.abs(value);
  const digits = abs >= 1000 ? 0 : abs >= 100 ? 1 : abs >= 1 ? 2 : abs === 0 ? 0 : 4;
  const fraction = Number.isInteger(value) ? 0 : digits;
  const text = value.toLocaleString("en-US", { maximumFractionDigits: fraction, minimumFractionDigits: fraction });
  return unit && unit !== "date" ? `${text} ${unit}` : text;
}
