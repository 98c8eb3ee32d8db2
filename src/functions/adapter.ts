/**
 * The Excel adapter: Excel-shaped arguments in, Excel-safe results out, the valuation core in
 * between. Pure TypeScript with no Office dependency, so every rule here is tested in Node.
 *
 * Arguments arrive as Excel sends them: scalars (number, string, boolean, null for an omitted
 * argument) and ranges as row-major 2-D arrays whose empty cells are null or "". Error cells
 * may arrive as error objects ({ code: "#N/A" }) or as their text. Results are finite numbers,
 * text, booleans or 2-D arrays of those; a failure is a tagged result that the custom-function
 * layer turns into an Excel error:
 * - bad input → #VALUE! with a message naming the argument, key, value and what is allowed
 *   (Excel shows custom messages only on #VALUE! and #N/A);
 * - a well-formed question without an answer (no IRR, no payback, no root) → #NUM!.
 */
import {
  ANNUAL_COLUMNS,
  COLUMN_DEFS,
  DEFAULTS,
  InputError,
  NoSolutionError,
  REGISTRY,
  BASE_SCENARIOS,
  SCENARIOS,
  SCENARIO_LABELS,
  annualize,
  blockSubsidy,
  describeAllowed,
  describeValue,
  explainValuation,
  getDef,
  halvingDate,
  hashprice,
  keysFor,
  metricValue,
  normalizeName,
  HEADLINE_METRICS,
  hybridShares,
  metricDef,
  DEALS,
  DEAL_FIELDS,
  MARKETS,
  describeMarket,
  marketAssumptions,
  marketProvenance,
  parseAssumptionsInMarket,
  parseDeal,
  parseDealField,
  parseMarket,
  parseKey,
  parseMetric,
  readNumberText,
  parseScenario,
  parseValue,
  sensitivity,
  solve,
  valueHybrid,
  valueScenario,
  type AssumptionKey,
  type MarketAssumptionSet,
  type ColumnKey,
  type ScenarioName,
  type SolvableMetric,
  type Valuation,
  heightOn,
  effectiveBlockHeight,
  onBasis,
  parseBasis,
  type PerMwMetric,
  comparisonMonths,
  probabilityBeats,
  scenarioRisk,
  simulateSite,
  withValues,
  type Assumptions,
  type BaseScenario,
  type ScenarioRisk,
  type SimulatedSite,
  SWITCH_FIT_PATHS,
  SWITCH_TARGETS,
  reviewMonthsOf,
  miningMonths,
  switchSummary,
  valueSwitchOption,
  type SwitchSummary,
  type SwitchTarget,
  HORIZON_KEYS,
} from "../core/index.js";
import { LruCache } from "./cache.js";
import { assumptionEntries, rangeLayout, rowsOf } from "./ranges.js";

/** A value Excel can hold in a cell. */
export type Cell = number | string | boolean;
/** A spilled table: rows of cells, every row as wide as the first. */
export type Table = Cell[][];
/** The Excel errors MinePivot returns. */
export type ExcelErrorCode = "#VALUE!" | "#NUM!";

export type Outcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly code: ExcelErrorCode; readonly message: string };

/** Excel error values as text, for error cells passed in ranges. */
const ERROR_TEXT = /^#(NULL!|DIV\/0!|VALUE!|REF!|NAME\?|NUM!|N\/A|GETTING_DATA|SPILL!|CALC!|FIELD!|BUSY!|CONNECT!|BLOCKED!|UNKNOWN!)$/i;

/** Longest custom message kept: Excel shows it in a small error tooltip. */
const MAX_MESSAGE = 250;

/**
 * The most work one SENSITIVITY call may do, in valuation-months: each point of the grid is a
 * full monthly valuation (hybrid's three, one per base scenario it blends), whose cost grows
 * with its months. Excel waits on the call, so the bound keeps one call near half a second
 * even on a busy core (bench/functions.mjs times calls at the bound). An estimate rather than
 * a clock, so the same arguments always give the same answer: 16 × 16 points of one scenario
 * over the default 16-year horizon fit (49,152), as do 7 × 7 of hybrid at the longest horizon
 * (97,020).
 */
export const MAX_SENSITIVITY_VALUATION_MONTHS = 100_000;

/** The estimated cost of a SENSITIVITY grid, and the months of its longest point. */
function sensitivityCost(
  scenario: ScenarioName,
  values: Assumptions,
  rowKey: AssumptionKey,
  rows: readonly number[],
  colKey: AssumptionKey | undefined,
  cols: readonly number[],
): { valuationMonths: number; longestMonths: number } {
  const perPoint = scenario === "hybrid" ? BASE_SCENARIOS.length : 1;
  if (!HORIZON_KEYS.has(rowKey) && (colKey === undefined || !HORIZON_KEYS.has(colKey))) {
    const months = comparisonMonths(values);
    return { valuationMonths: perPoint * months * rows.length * Math.max(1, cols.length), longestMonths: months };
  }
  let valuationMonths = 0;
  let longestMonths = 0;
  for (const row of rows) {
    for (const col of colKey === undefined ? [undefined] : cols) {
      const months = comparisonMonths({ ...values, [rowKey]: row, ...(colKey === undefined ? {} : { [colKey]: col }) });
      valuationMonths += perPoint * months;
      longestMonths = Math.max(longestMonths, months);
    }
  }
  return { valuationMonths, longestMonths };
}

// --- caches --------------------------------------------------------------------------------

/**
 * Bounds, in entries and in bytes. A valuation holds its monthly schedule (about 60 KB for a
 * 16-year horizon, 8 bytes a month per column); parsed assumption sets and scalar results are
 * small; a spilled table is at most a few hundred rows; a simulated scenario keeps 9 bytes a
 * path (9 KB at the functions' default paths). The byte bounds add up to 10 MB, so a session
 * that sees many large ranges (whole columns) stays there too: keys count, as they hold the
 * content of the ranges.
 */
export const CACHE_BOUNDS = { assumptions: 256, valuations: 256, scalars: 4_096, tables: 128, simulations: 256, switches: 64 } as const;
export const CACHE_BYTES = {
  assumptions: 1_000_000,
  valuations: 5_000_000,
  scalars: 1_000_000,
  tables: 2_000_000,
  simulations: 900_000,
  switches: 100_000,
} as const;

/** Estimated bytes of a cell: a slot, plus the characters of text. */
function cellBytes(value: unknown): number {
  return 16 + (typeof value === "string" ? value.length * 2 : 0);
}

function outcomeBytes<T>(outcome: Outcome<T>, valueBytes: (value: T) => number): number {
  return 64 + (outcome.ok ? valueBytes(outcome.value) : outcome.message.length * 2);
}

const assumptionCache = new LruCache<Outcome<MarketAssumptionSet>>(CACHE_BOUNDS.assumptions, CACHE_BYTES.assumptions, (outcome) =>
  // A set is one number per registry key, in an object.
  outcomeBytes(outcome, () => REGISTRY.length * 48),
);
const valuationCache = new LruCache<Valuation>(
  CACHE_BOUNDS.valuations,
  CACHE_BYTES.valuations,
  (found) => found.schedule.months * Object.keys(found.schedule.columns).length * 8 + 4_096,
);
const scalarCache = new LruCache<Outcome<Cell>>(CACHE_BOUNDS.scalars, CACHE_BYTES.scalars, (outcome) => outcomeBytes(outcome, cellBytes));
const tableCache = new LruCache<Outcome<Table>>(CACHE_BOUNDS.tables, CACHE_BYTES.tables, (outcome) =>
  outcomeBytes(outcome, (table) => table.reduce((sum, row) => sum + row.reduce<number>((cells, cell) => cells + cellBytes(cell), 16), 0)),
);

/** The per-path values of one simulated scenario (the market paths are not kept: they are large). */
type ScenarioPathValues = NonNullable<SimulatedSite["scenarios"][BaseScenario]>;

const simulationCache = new LruCache<ScenarioPathValues>(
  CACHE_BOUNDS.simulations,
  CACHE_BYTES.simulations,
  (values) => values.equityPerWatt.byteLength + values.neverPaysBack.byteLength + 256,
);

/** Switch options by inputs, paths, seed and target: the summary, without the per-path months. */
const switchCache = new LruCache<SwitchSummary>(
  CACHE_BOUNDS.switches,
  CACHE_BYTES.switches,
  (found) => 1_024 + found.rule.length * 2 + found.thresholds.length * 64,
);

/** Estimated bytes held by every cache (tests and the bench). */
export function cacheBytes(): number {
  return assumptionCache.bytes + valuationCache.bytes + scalarCache.bytes + tableCache.bytes + simulationCache.bytes + switchCache.bytes;
}

/** Counters for tests: how often the caches saved work. */
export const cacheStats = { valuationsComputed: 0, scalarHits: 0, scenariosSimulated: 0, switchesValued: 0 };

/** Empties every cache (tests). */
export function clearCaches(): void {
  assumptionCache.clear();
  valuationCache.clear();
  scalarCache.clear();
  tableCache.clear();
  simulationCache.clear();
  switchCache.clear();
  cacheStats.valuationsComputed = 0;
  cacheStats.scalarHits = 0;
  cacheStats.scenariosSimulated = 0;
  cacheStats.switchesValued = 0;
}

// --- canonical argument keys ---------------------------------------------------------------

/** A string that identifies a value by content and type: equal keys, equal arguments. */
function cellKey(value: unknown): string {
  if (value === null || value === undefined || value === "") return "_";
  switch (typeof value) {
    case "number":
      return "n" + value;
    case "string":
      return `s${value.length}:${value}`;
    case "boolean":
      return value ? "T" : "F";
    default: {
      const code = errorCode(value);
      if (code) return `e${code}`;
      if (value instanceof Date) return `d${value.getTime()}`;
      if (Array.isArray(value)) return `a${value.map(cellKey).join("\u0001")}`;
      // Rich values (entities, formatted numbers) when Excel passes them: key by their content.
      try {
        return `o${JSON.stringify(value)}`;
      } catch {
        return `o${String(value)}`;
      }
    }
  }
}

/** Index of the last row with a non-empty cell in its first `columns` columns; -1 when none has one. */
function lastFilledRow(rows: readonly unknown[], columns = Infinity): number {
  for (let r = rows.length - 1; r >= 0; r--) {
    const row = rows[r];
    const cells: readonly unknown[] = Array.isArray(row) ? row : [row];
    for (let c = 0; c < cells.length && c < columns; c++) if (!isEmpty(cells[c])) return r;
  }
  return -1;
}

/**
 * A range's key: its dimensions, then its cells up to the last non-empty one. Ranges of the
 * same shape that differ only in trailing blanks behave alike, so a whole column (a million
 * rows, mostly empty) keys in a few bytes instead of megabytes.
 */
function gridKey(value: unknown, columns = Infinity): string {
  if (value instanceof AssumptionRange) return value.key;
  if (!Array.isArray(value)) return cellKey(value);
  let width = 0;
  for (const row of value) width = Math.max(width, Math.min(Array.isArray(row) ? row.length : 1, columns));
  let content = "";
  let kept = 0;
  const last = lastFilledRow(value, columns);
  for (let r = 0; r <= last; r++) {
    const row: unknown = value[r];
    const cells: readonly unknown[] = Array.isArray(row) ? row : [row];
    content += "\u0002";
    for (let c = 0; c < cells.length && c < columns; c++) {
      content += cellKey(cells[c]) + "\u0001";
      if (!isEmpty(cells[c])) kept = content.length;
    }
  }
  return `g${value.length}x${width}${content.slice(0, kept)}`;
}

/**
 * An assumptions argument with its content key, computed once per call. In a key-value range
 * only the first two columns count, so notes in further columns do not defeat the cache; in
 * the Inputs table every column does, since the values may sit in any of them.
 */
class AssumptionRange {
  readonly key: string;
  readonly raw: unknown;
  constructor(raw: unknown) {
    // Blank rows below the last key change nothing: drop them (a whole column is mostly blank).
    this.raw = Array.isArray(raw) ? raw.slice(0, lastFilledRow(raw, 2) + 1) : raw;
    this.key = gridKey(this.raw, rangeLayout(rowsOf(this.raw)).kind === "table" ? Infinity : 2);
  }
}

// --- reading arguments ---------------------------------------------------------------------

/** The Excel error code an error object or error text stands for, if it is one. */
function errorCode(value: unknown): string | undefined {
  if (typeof value === "string") return ERROR_TEXT.test(value.trim()) ? value.trim().toUpperCase() : undefined;
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    const code = (value as { code?: unknown }).code;
    if (typeof code === "string" && code.startsWith("#")) return code;
  }
  return undefined;
}

function isEmpty(value: unknown): boolean {
  return value === null || value === undefined || (typeof value === "string" && value.trim() === "");
}

function errorCellProblem(where: string, code: string): InputError {
  return new InputError(where, code, "a value", `${where}: the cell holds the error ${code}; fix that cell first`);
}

/** A scalar argument: a 1×1 range is its single cell; a larger range is an error. */
function scalar(argument: string, raw: unknown): unknown {
  let value = raw;
  if (Array.isArray(value)) {
    const rows = value.length;
    const cols = Array.isArray(value[0]) ? (value[0] as unknown[]).length : 1;
    if (rows !== 1 || cols !== 1) {
      throw new InputError(argument, value, "a single value", `${argument}: expected a single value, got a range of ${rows} × ${cols} cells`);
    }
    value = Array.isArray(value[0]) ? (value[0] as unknown[])[0] : value[0];
  }
  const code = errorCode(value);
  if (code) throw errorCellProblem(argument, code);
  return value;
}

/** A required or optional text argument; `undefined` when omitted. */
function textArgument(argument: string, raw: unknown): unknown {
  const value = scalar(argument, raw);
  return isEmpty(value) ? undefined : value;
}

/** A number given as a number or as text ("90,000", "10%"); booleans and other text are refused. */
function numberArgument(argument: string, raw: unknown, allowed: string): number {
  const value = scalar(argument, raw);
  let parsed: number | undefined;
  let why = isEmpty(value) ? "is empty" : "is not a number";
  if (typeof value === "number") parsed = value;
  else if (typeof value === "string") {
    const reading = readNumberText(value);
    if ("value" in reading) parsed = reading.value;
    else if (!isEmpty(value)) why = reading.problem;
  }
  if (parsed === undefined || !Number.isFinite(parsed)) {
    throw new InputError(argument, value, allowed, `${argument}: ${describeValue(value)} ${why}; expected ${allowed}`);
  }
  return parsed;
}

/** An argument that takes a registry key's values and range (btc_price, block_height...). */
function keyedArgument(key: AssumptionKey, raw: unknown, fallback?: number): number {
  const value = scalar(key, raw);
  if (isEmpty(value) && fallback !== undefined) return fallback;
  return parseValue(getDef(key), value);
}

/**
 * The assumptions range: key-value pairs, the Inputs table of a generated workbook or one
 * site's column of it (see ranges.ts). Blank rows and a "key" header row are skipped by the core.
 */
interface ReadAssumptions {
  readonly set: MarketAssumptionSet;
  /** The canonical content key of the range's first two columns. */
  readonly key: string;
}

function readAssumptions(range: AssumptionRange): ReadAssumptions {
  const { key, raw } = range;
  const outcome = assumptionCache.getOrCompute(key, () => attempt(() => parseAssumptionRange(raw)));
  if (!outcome.ok) throw new CachedFailure(outcome);
  return { set: outcome.value, key };
}

function parseAssumptionRange(raw: unknown): MarketAssumptionSet {
  const entries = assumptionEntries(rowsOf(raw));
  if (entries.length === 0) return parseAssumptionsInMarket([]);
  const where = (entry: (typeof entries)[number]) => `assumptions row ${entry.row + 1}`;
  for (const entry of entries) {
    const keyCode = errorCode(entry.key);
    if (keyCode) throw errorCellProblem(`${where(entry)}, column ${entry.col}`, keyCode);
    const valueCode = errorCode(entry.value);
    if (valueCode) throw errorCellProblem(`${where(entry)}, column ${entry.col + 1}`, valueCode);
  }
  try {
    // A `market` row picks the snapshot under the other rows.
    return parseAssumptionsInMarket(
      entries.map((entry) => [entry.key, entry.value] as const),
      "assumptions",
    );
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    // The core counts pairs; say which row of the range holds the problem.
    const byPair = /^assumptions row (\d+)/.exec(error.message);
    if (byPair) {
      const entry = entries[Number(byPair[1]) - 1]!;
      throw new InputError(error.argument, error.value, error.allowed, error.message.replace(byPair[0], where(entry)));
    }
    // Value errors name the key.
    const entry = entries.find(({ key }) => typeof key === "string" && normalizeName(key) === error.argument);
    throw new InputError(error.argument, error.value, error.allowed, `${entry ? where(entry) : "assumptions"}, ${error.message}`);
  }
}

/** The values of a range (row or column, any shape), empty cells skipped, in reading order. */
function listArgument(argument: string, raw: unknown, key: AssumptionKey): number[] {
  const def = getDef(key);
  const values: number[] = [];
  let index = 0;
  for (const row of rowsOf(raw)) {
    for (const cell of row) {
      index++;
      if (isEmpty(cell)) continue;
      const code = errorCode(cell);
      if (code) throw errorCellProblem(`${argument} item ${index}`, code);
      try {
        values.push(parseValue(def, cell));
      } catch (error) {
        if (error instanceof InputError) throw new InputError(argument, cell, error.allowed, `${argument} item ${index}, ${error.message}`);
        throw error;
      }
    }
  }
  return values;
}

function parseScenarioArgument(raw: unknown): ScenarioName {
  return parseScenario(textArgument("scenario", raw) ?? scalar("scenario", raw));
}

// --- results -------------------------------------------------------------------------------

class CachedFailure extends Error {
  constructor(readonly outcome: Outcome<never>) {
    super(outcome.ok ? "" : outcome.message);
  }
}

function clip(message: string): string {
  const line = message.replace(/\s*[\r\n]+\s*/g, " ");
  return line.length > MAX_MESSAGE ? `${line.slice(0, MAX_MESSAGE - 3)}...` : line;
}

/** Runs `compute`, mapping every exception to a tagged Excel error: never a bare exception. */
function attempt<T>(compute: () => T): Outcome<T> {
  try {
    return { ok: true, value: compute() };
  } catch (error) {
    if (error instanceof CachedFailure) return error.outcome;
    if (error instanceof InputError) return { ok: false, code: "#VALUE!", message: clip(error.message) };
    if (error instanceof NoSolutionError) return { ok: false, code: "#NUM!", message: clip(error.message) };
    const text = error instanceof Error ? error.message : String(error);
    return { ok: false, code: "#VALUE!", message: clip(`MinePivot could not compute this (${text}); please report it with the arguments used`) };
  }
}

/** A finite number, or #NUM! naming what it was. */
function finite(value: number, what: string): number {
  if (!Number.isFinite(value)) throw new NoSolutionError(`${what} is not a finite number for these inputs`);
  // Excel has no negative zero; -0 would show as 0 anyway but compares unequal in tests.
  return value === 0 ? 0 : value;
}

/** A table cell: finite numbers, text and booleans pass; null, NaN and infinities become "". */
function tableCell(value: unknown): Cell {
  if (typeof value === "number") return Number.isFinite(value) ? (value === 0 ? 0 : value) : "";
  if (typeof value === "string" || typeof value === "boolean") return value;
  return "";
}

function scalarResult<T extends Cell = number>(id: string, args: readonly unknown[], compute: () => T): Outcome<T> {
  let key = id;
  for (const arg of args) key += "\u0003" + gridKey(arg);
  const cached = scalarCache.get(key);
  if (cached !== undefined) {
    cacheStats.scalarHits++;
    return cached as Outcome<T>;
  }
  const outcome = attempt(compute);
  scalarCache.set(key, outcome);
  return outcome;
}

function tableResult(id: string, args: readonly unknown[], compute: () => unknown[][]): Outcome<Table> {
  let key = id;
  for (const arg of args) key += "\u0003" + gridKey(arg);
  const outcome = tableCache.getOrCompute(key, () => attempt(() => compute().map((row) => row.map(tableCell))));
  // Each caller gets its own rows: one that writes into its result must not change the cache.
  return outcome.ok ? { ok: true, value: outcome.value.map((row) => [...row]) } : outcome;
}

/** One valuation per (scenario, assumption content), shared by every function that needs it. */
function valuation(scenario: ScenarioName, assumptions: ReadAssumptions): Valuation {
  return valuationCache.getOrCompute(`${scenario}\u0003${assumptions.key}`, () => {
    cacheStats.valuationsComputed++;
    const a = assumptions.set.values;
    if (scenario !== "hybrid") return valueScenario(scenario, a);
    // The hybrid is the share-weighted sum of the base valuations: reuse the cached ones.
    const shares = hybridShares(a);
    return valueHybrid(a, Object.fromEntries(BASE_SCENARIOS.filter((s) => shares[s] > 0).map((s) => [s, valuation(s, assumptions)])));
  });
}

function metricOf(id: string, scenarioRaw: unknown, assumptionsRaw: unknown, metric: SolvableMetric): Outcome<number> {
  const range = new AssumptionRange(assumptionsRaw);
  return scalarResult(id, [scenarioRaw, range], () => {
    const scenario = parseScenarioArgument(scenarioRaw);
    const found = valuation(scenario, readAssumptions(range));
    return finite(metricValue(found, metric), metric);
  });
}

// --- the functions (one per MINEPIVOT id) --------------------------------------------------

/** A per-MW metric on the basis asked for ("site" by default, or "it"). */
function perMwOf(id: string, scenarioRaw: unknown, assumptionsRaw: unknown, basisRaw: unknown, metric: PerMwMetric): Outcome<number> {
  const range = new AssumptionRange(assumptionsRaw);
  return scalarResult(id, [scenarioRaw, range, basisRaw], () => {
    const scenario = parseScenarioArgument(scenarioRaw);
    const basis = parseBasis(basisRaw);
    return finite(onBasis(valuation(scenario, readAssumptions(range)), metric, basis), metric);
  });
}

export const equityPerWatt = (scenario: unknown, assumptions?: unknown, basis?: unknown) =>
  perMwOf("EQUITY_PER_WATT", scenario, assumptions, basis, "equity_per_watt");
export const revPerMw = (scenario: unknown, assumptions?: unknown, basis?: unknown) => perMwOf("REV_PER_MW", scenario, assumptions, basis, "rev_per_mw");
export const ebitdaPerMw = (scenario: unknown, assumptions?: unknown, basis?: unknown) =>
  perMwOf("EBITDA_PER_MW", scenario, assumptions, basis, "ebitda_per_mw");
export const npv = (scenario: unknown, assumptions?: unknown) => metricOf("NPV", scenario, assumptions, "npv_usd");
export const irr = (scenario: unknown, assumptions?: unknown) => metricOf("IRR", scenario, assumptions, "irr");
export const payback = (scenario: unknown, assumptions?: unknown) => metricOf("PAYBACK", scenario, assumptions, "payback_years");

export function hashpriceUsd(btcPrice: unknown, networkHashrate: unknown, feeShare?: unknown, blockHeight?: unknown): Outcome<number> {
  return scalarResult("HASHPRICE", [btcPrice, networkHashrate, feeShare, blockHeight], () => {
    const price = keyedArgument("btc_price", btcPrice);
    const network = keyedArgument("network_hashrate", networkHashrate);
    const fees = keyedArgument("fee_share", feeShare, DEFAULTS.fee_share);
    const height = keyedArgument("block_height", blockHeight, effectiveBlockHeight(DEFAULTS));
    return finite(hashprice(price, network, fees, height), "hashprice");
  });
}

export function blockSubsidyBtc(blockHeight: unknown): Outcome<number> {
  return scalarResult("BLOCK_SUBSIDY", [blockHeight], () => blockSubsidy(keyedArgument("block_height", blockHeight)));
}

export function halvingDateSerial(blockHeight?: unknown, valuationDate?: unknown): Outcome<number> {
  return scalarResult("HALVING_DATE", [blockHeight, valuationDate], () => {
    const date = keyedArgument("valuation_date", valuationDate, DEFAULTS.valuation_date);
    // Height 0 (or left out) is derived from the date, as everywhere else.
    return finite(halvingDate(heightOn(keyedArgument("block_height", blockHeight, 0), date), date), "the halving date");
  });
}

export function costToMine(assumptions?: unknown, basis?: unknown): Outcome<number> {
  const range = new AssumptionRange(assumptions);
  return scalarResult("COST_TO_MINE", [range, basis], () => {
    const text = textArgument("basis", basis);
    const allowed = '"cash" (power + other opex) or "all_in" (+ fleet depreciation)';
    const name = text === undefined ? "cash" : typeof text === "string" ? normalizeName(text).replace(/^allin$/, "all_in") : "";
    if (name !== "cash" && name !== "all_in") throw new InputError("basis", text, allowed);
    const metric: SolvableMetric = name === "cash" ? "cost_to_mine_cash" : "cost_to_mine_all_in";
    return finite(metricValue(valuation("mining", readAssumptions(range)), metric), metric);
  });
}

export function breakevenPower(assumptions?: unknown): Outcome<number> {
  const range = new AssumptionRange(assumptions);
  return scalarResult("BREAKEVEN_POWER", [range], () => finite(metricValue(valuation("mining", readAssumptions(range)), "breakeven_power"), "breakeven_power"));
}

function columnHeader(key: ColumnKey): string {
  const def = COLUMN_DEFS.find((entry) => entry.key === key)!;
  return `${def.label} (${def.unit})`;
}

export function cashflows(scenario: unknown, assumptions?: unknown, period?: unknown): Outcome<Table> {
  const range = new AssumptionRange(assumptions);
  return tableResult("CASHFLOWS", [scenario, range, period], () => {
    const name = parseScenarioArgument(scenario);
    const periodText = textArgument("period", period);
    const periodName = periodText === undefined ? "annual" : typeof periodText === "string" ? normalizeName(periodText) : "";
    if (periodName !== "annual" && periodName !== "monthly") throw new InputError("period", periodText, '"annual" (the default) or "monthly"');
    const { schedule } = valuation(name, readAssumptions(range));
    if (periodName === "annual") {
      const header = ["Year", ...ANNUAL_COLUMNS.map(columnHeader)];
      return [header, ...annualize(schedule).map((row) => [row.year, ...ANNUAL_COLUMNS.map((key) => row.values[key])])];
    }
    const rows: unknown[][] = [["Month", ...ANNUAL_COLUMNS.map(columnHeader)]];
    for (let m = 0; m < schedule.months; m++) rows.push([m + 1, ...ANNUAL_COLUMNS.map((key) => schedule.columns[key][m])]);
    return rows;
  });
}

const COMPARE_ROWS = HEADLINE_METRICS.map((metric) => ({ metric, label: metricDef(metric).label, unit: metricDef(metric).unit }));

export function compareTable(assumptions?: unknown): Outcome<Table> {
  const range = new AssumptionRange(assumptions);
  return tableResult("COMPARE", [range], () => {
    const read = readAssumptions(range);
    const valuations = SCENARIOS.map((s) => valuation(s, read));
    const mining = valuations[0]!.metrics.equity_per_watt;
    const rows: unknown[][] = [["Metric", "Unit", ...SCENARIOS.map((s) => SCENARIO_LABELS[s])]];
    for (const row of COMPARE_ROWS) rows.push([row.label, row.unit, ...valuations.map((v) => v.metrics[row.metric])]);
    rows.push(["Uplift over mining", "USD/W", ...valuations.map((v) => (v.scenario === "mining" ? "" : v.metrics.equity_per_watt - mining))]);
    return [...rows, ...marketRow(read, rows[0]!.length)];
  });
}

export function assumptionsTable(scenario?: unknown, market?: unknown): Outcome<Table> {
  return tableResult("ASSUMPTIONS", [scenario, market], () => {
    const given = textArgument("scenario", scenario);
    const marketGiven = textArgument("market", market);
    const snapshot = marketGiven === undefined ? undefined : parseMarket(marketGiven);
    const values = snapshot ? marketAssumptions(snapshot) : DEFAULTS;
    const keys = new Set<string>(given === undefined ? REGISTRY.map((def) => def.key) : keysFor(parseScenario(given)));
    const rows: unknown[][] = [["Key", "Value", "Unit", "Meaning", "Source", "As of", "Allowed"]];
    for (const def of REGISTRY) {
      if (!keys.has(def.key)) continue;
      const value = def.kind === "boolean" ? values[def.key] === 1 : values[def.key];
      const { source, asOf } = snapshot ? marketProvenance(snapshot, def.key) : def;
      rows.push([def.key, value, def.unit, def.meaning, source, asOf, describeAllowed(def)]);
    }
    // The snapshot's own row keeps the spilled range a valid assumptions range for that market.
    if (snapshot) rows.push(["market", snapshot.id, "snapshot", snapshot.description, snapshot.label, "", MARKETS_ALLOWED]);
    return rows;
  });
}

export function solveFor(scenario: unknown, metric: unknown, target: unknown, key: unknown, assumptions?: unknown): Outcome<number> {
  const range = new AssumptionRange(assumptions);
  return scalarResult("SOLVE", [scenario, metric, target, key, range], () => {
    const name = parseScenarioArgument(scenario);
    const metricName = parseMetric(scalar("metric", metric));
    const goal = numberArgument("target", target, `a number in the unit of ${metricName}`);
    const solveKey = parseKey(scalar("key", key), "key");
    return finite(solve(name, metricName, goal, solveKey, readAssumptions(range).set.values), `the solved ${solveKey}`);
  });
}

export function sensitivityGrid(
  scenario: unknown,
  metric: unknown,
  rowKey: unknown,
  rowValues: unknown,
  colKey?: unknown,
  colValues?: unknown,
  assumptions?: unknown,
): Outcome<Table> {
  const range = new AssumptionRange(assumptions);
  return tableResult("SENSITIVITY", [scenario, metric, rowKey, rowValues, colKey, colValues, range], () => {
    const name = parseScenarioArgument(scenario);
    const metricName = parseMetric(scalar("metric", metric));
    const rowName = parseKey(scalar("row_key", rowKey), "row_key");
    const rows = listArgument("row_values", rowValues, rowName);
    const colText = textArgument("col_key", colKey);
    const colName = colText === undefined ? undefined : parseKey(colText, "col_key");
    const cols = colName === undefined ? [] : listArgument("col_values", colValues, colName);
    if (rows.length === 0) throw new InputError("row_values", rowValues, "at least one value", `row_values: no values; expected a range of ${rowName} values`);
    if (colName !== undefined && cols.length === 0) {
      throw new InputError("col_values", colValues, "at least one value", `col_values: no values; expected a range of ${colName} values`);
    }
    const values = readAssumptions(range).set.values;
    const points = rows.length * Math.max(1, cols.length);
    const cost = sensitivityCost(name, values, rowName, rows, colName, cols);
    if (cost.valuationMonths > MAX_SENSITIVITY_VALUATION_MONTHS) {
      const perPoint = (name === "hybrid" ? BASE_SCENARIOS.length : 1) * cost.longestMonths;
      const allowed = Math.max(1, Math.floor(MAX_SENSITIVITY_VALUATION_MONTHS / perPoint));
      const argument = colName === undefined ? "row_values" : "row_values × col_values";
      throw new InputError(
        "row_values",
        points,
        `at most ${allowed} points`,
        `${argument}: ${points.toLocaleString("en-US")} points; at most ${allowed.toLocaleString("en-US")} are allowed for ${name} over ${cost.longestMonths} months` +
          `${name === "hybrid" ? " (three valuations a point)" : ""}, so that one call takes about half a second at most (split the grid over several calls)`,
      );
    }
    const grid = sensitivity(name, metricName, values, rowName, rows, colName, cols);
    if (colName === undefined) return [[rowName, metricName], ...grid.rowValues.map((value, r) => [value, grid.values[r]![0]])];
    const corner = `${metricName}: ${rowName} (rows) × ${colName} (columns)`;
    return [[corner, ...grid.colValues], ...grid.rowValues.map((value, r) => [value, ...grid.values[r]!])];
  });
}

export function explainTable(scenario: unknown, metric: unknown, assumptions?: unknown): Outcome<Table> {
  const range = new AssumptionRange(assumptions);
  return tableResult("EXPLAIN", [scenario, metric, range], () => {
    const name = parseScenarioArgument(scenario);
    const metricName = parseMetric(scalar("metric", metric));
    const read = readAssumptions(range);
    const steps = explainValuation(valuation(name, read), metricName);
    return [["Step", "Formula", "Value", "Unit"], ...steps.map((step) => [step.label, step.formula, step.value, step.unit]), ...marketRow(read, 4)];
  });
}

// --- Monte Carlo ---------------------------------------------------------------------------

/**
 * Paths a simulation function runs when its `paths` argument is empty: for a conversion and
 * mining, 0.13 s of one core on a quiet machine and 0.4 s on this busy one (bench/functions.mjs),
 * with standard errors near 3 % of the spread. The `paths` row of an assumptions range is not read: an Inputs sheet or a
 * copy of ASSUMPTIONS() carries the CLI's 10,000, which would make every cell take a second.
 */
export const FUNCTION_DEFAULT_PATHS = 1_000;

/**
 * The most work one simulation call may do, in path-months of a conversion's valuation: paths ×
 * horizon months for each scenario, a mining path-month counting MINING_WEIGHT. A conversion's
 * path-month costs about 0.3 µs on one core here, so the cap keeps a call near a second: 6,666
 * paths for a conversion and mining over the default 16-year horizon, 10,000 for mining alone.
 * Counting work, not time, makes the limit the same on every machine and every recalculation.
 */
export const MAX_SIMULATION_PATH_MONTHS = 3_840_000;

/**
 * A mining path-month costs about twice a conversion's (measured 2.3 times, 1,000 paths of the
 * default site): the mine is valued with the sale price of every month, and its stopping rule is
 * fitted over the paths.
 */
const MINING_WEIGHT = 2;

/** A simulation's inputs, resolved: the assumptions with `paths` and `seed` as the call gives them. */
interface SimulationInputs {
  readonly a: Assumptions;
  /** The content of `a` apart from paths and seed, the cache's key for the paths drawn from it. */
  readonly key: string;
}

const SIMULATED_ALLOWED = `one of ${BASE_SCENARIOS.join(", ")}; a hybrid is the share-weighted sum of them and is not simulated`;

function simulatedScenario(argument: string, raw: unknown): BaseScenario {
  const name = parseScenario(textArgument(argument, raw) ?? scalar(argument, raw), argument);
  if (name === "hybrid") throw new InputError(argument, name, SIMULATED_ALLOWED);
  return name;
}

/** What a call will do, for the cap: a description and its path-months as a function of the paths. */
interface Work {
  readonly what: string;
  readonly pathMonths: (paths: number) => number;
}

/** Each scenario is one engine valuation a path over the comparison horizon; mining's weighs more. */
function simulationWork(scenarios: ReadonlySet<BaseScenario>): (a: Assumptions) => Work {
  return (a) => {
    const months = comparisonMonths(a);
    return {
      what: `${scenarios.size === 1 ? "1 scenario" : `${scenarios.size} scenarios`} over ${months} months`,
      pathMonths: (paths) => paths * (scenarios.size + (scenarios.has("mining") ? MINING_WEIGHT - 1 : 0)) * months,
    };
  };
}

/**
 * The switch option values the mine, today's conversion and at most one later conversion a
 * path, and fits each review's conversion on up to SWITCH_FIT_PATHS paths: a valuation is at
 * most the horizon long.
 */
function switchWork(a: Assumptions): Work {
  const months = comparisonMonths(a);
  const reviews = reviewMonthsOf(a, 12, miningMonths(a)).length;
  return {
    what: `the switch option (${reviews} yearly conversion reviews) over ${months} months`,
    pathMonths: (paths) => ((MINING_WEIGHT + 2) * paths + Math.min(paths, SWITCH_FIT_PATHS) * reviews) * months,
  };
}

/** The most paths whose work stays within the cap (work grows with the paths). */
function mostPaths(work: Work): number {
  let low = 0;
  let high = getDef("paths").max;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (work.pathMonths(mid) <= MAX_SIMULATION_PATH_MONTHS) low = mid;
    else high = mid - 1;
  }
  return low;
}

/**
 * Paths: the argument, else `defaultPaths`; the seed: the argument, else the range's (default
 * 1, as in the CLI). The cap is checked here, before any work.
 */
function simulationInputs(
  range: AssumptionRange,
  pathsRaw: unknown,
  seedRaw: unknown,
  defaultPaths: number,
  workOf: (a: Assumptions) => Work,
): SimulationInputs {
  const { set } = readAssumptions(range);
  const paths = keyedArgument("paths", pathsRaw, defaultPaths);
  const seed = keyedArgument("seed", seedRaw, set.values.seed);
  const work = workOf(set.values);
  if (work.pathMonths(paths) > MAX_SIMULATION_PATH_MONTHS) {
    const most = mostPaths(work);
    throw new InputError(
      "paths",
      paths,
      `at most ${most}`,
      `paths: ${paths.toLocaleString("en-US")} is too many for these inputs; at most ${most.toLocaleString("en-US")} are allowed for ${work.what}, so that one call takes about a second (the CLI's minepivot simulate has no cap)`,
    );
  }
  const a = withValues(set.values, { paths, seed });
  const content = REGISTRY.filter((def) => def.key !== "paths" && def.key !== "seed")
    .map((def) => a[def.key])
    .join(",");
  return { a, key: `${paths}\u0003${seed}\u0003${content}` };
}

/**
 * The per-path values of `scenarios` on the inputs' paths. Each scenario is simulated once per
 * (inputs, paths, seed) and kept: every scenario of a site is valued on the same paths whichever
 * others are simulated with it, so values simulated for one call serve every later call.
 */
function simulated(inputs: SimulationInputs, scenarios: ReadonlySet<BaseScenario>): Pick<SimulatedSite, "paths" | "scenarios"> {
  const found: Partial<Record<BaseScenario, ScenarioPathValues>> = {};
  const missing: BaseScenario[] = [];
  for (const scenario of BASE_SCENARIOS) {
    if (!scenarios.has(scenario)) continue;
    const hit = simulationCache.get(`${scenario}\u0003${inputs.key}`);
    if (hit) found[scenario] = hit;
    else missing.push(scenario);
  }
  if (missing.length > 0) {
    cacheStats.scenariosSimulated += missing.length;
    const run = simulateSite(inputs.a, missing);
    for (const scenario of missing) {
      const values = run.scenarios[scenario]!;
      simulationCache.set(`${scenario}\u0003${inputs.key}`, values);
      found[scenario] = values;
    }
  }
  return { paths: inputs.a.paths, scenarios: found };
}

/** The statistics SIMULATE spills, in order; the comparisons with mining (conversions only) last. */
const RISK_STATISTICS = [
  "mean",
  "mean_se",
  "std",
  "p5",
  "p25",
  "p50",
  "p75",
  "p95",
  "prob_loss",
  "prob_loss_se",
  "prob_never_pays_back",
  "prob_never_pays_back_se",
  "prob_beats_mining",
  "prob_beats_mining_se",
  "uplift_over_mining_per_watt",
  "uplift_over_mining_per_watt_se",
] as const;
type RiskStatistic = (typeof RISK_STATISTICS)[number];

function statisticValue(risk: ScenarioRisk, statistic: RiskStatistic): number | undefined {
  switch (statistic) {
    case "mean":
    case "mean_se":
    case "std":
    case "p5":
    case "p25":
    case "p50":
    case "p75":
    case "p95":
      return risk.equity_per_watt[statistic];
    default:
      return risk[statistic];
  }
}

function parseStatistic(raw: unknown): RiskStatistic {
  const text = textArgument("metric", raw);
  const name = typeof text === "string" ? normalizeName(text) : undefined;
  const found = RISK_STATISTICS.find((statistic) => statistic === name);
  if (!found) throw new InputError("metric", text, `one of ${RISK_STATISTICS.join(", ")}`);
  return found;
}

/** The spilled statistics, or with `metric` the one statistic as a 1 × 1 table (the function spills a matrix). */
export function simulateTable(scenario: unknown, metric?: unknown, assumptions?: unknown, paths?: unknown, seed?: unknown): Outcome<Table> {
  const range = new AssumptionRange(assumptions);
  return tableResult("SIMULATE", [scenario, metric, range, paths, seed], () => {
    const statistic = textArgument("metric", metric) === undefined ? undefined : parseStatistic(metric);
    const name = simulatedScenario("scenario", scenario);
    const needed = new Set<BaseScenario>(["mining", name]);
    const inputs = simulationInputs(range, paths, seed, FUNCTION_DEFAULT_PATHS, simulationWork(needed));
    const risk = scenarioRisk(simulated(inputs, needed), name);
    if (statistic !== undefined) {
      const value = statisticValue(risk, statistic);
      if (value === undefined)
        throw new InputError("metric", statistic, "a statistic of mining", `metric: ${statistic} compares a conversion with mining; mining has none`);
      return [[finite(value, statistic)]];
    }
    const rows: unknown[][] = [["Statistic", "Value"]];
    for (const row of RISK_STATISTICS) {
      const value = statisticValue(risk, row);
      if (value !== undefined) rows.push([row, value]);
    }
    rows.push(["paths", inputs.a.paths], ["seed", inputs.a.seed]);
    return rows;
  });
}

export function probBeats(scenario: unknown, other?: unknown, assumptions?: unknown, paths?: unknown, seed?: unknown): Outcome<number> {
  const range = new AssumptionRange(assumptions);
  return scalarResult("PROB_BEATS", [scenario, other, range, paths, seed], () => {
    const name = simulatedScenario("scenario", scenario);
    const against = textArgument("other", other) === undefined ? "mining" : simulatedScenario("other", other);
    const needed = new Set<BaseScenario>([name, against]);
    const values = simulated(simulationInputs(range, paths, seed, FUNCTION_DEFAULT_PATHS, simulationWork(needed)), needed).scenarios;
    return probabilityBeats(values[name]!.equityPerWatt, values[against]!.equityPerWatt).probability;
  });
}

/**
 * Paths SWITCH_VALUE runs when its `paths` argument is empty: the switch option values about
 * seventeen conversions a path (today's, one per yearly review to fit the rule, the one a path
 * takes), so 500 paths cost about what SIMULATE's 1,000 do several times over: under half a
 * second on one core (bench/functions.mjs), with a standard error near 0.05 USD/W.
 */
export const SWITCH_DEFAULT_PATHS = 500;

/** What SWITCH_VALUE returns, by `metric`; the option's value by default. */
const SWITCH_METRICS = [
  "option_value_per_watt",
  "option_value_per_watt_se",
  "value_of_waiting_per_watt",
  "value_of_waiting_per_watt_se",
  "convert_today_per_watt",
  "convert_today_per_watt_se",
  "hold_value_per_watt",
  "hold_value_per_watt_se",
  "mining_per_watt",
  "mining_per_watt_se",
  "prob_convert",
  "expected_conversion_month",
  "convert_now",
  "rule",
] as const satisfies ReadonlyArray<keyof SwitchSummary>;

function switchTarget(raw: unknown): SwitchTarget {
  const text = textArgument("conversion", raw);
  if (text === undefined) return "powered_shell";
  const name = parseScenario(text, "conversion");
  const found = SWITCH_TARGETS.find((target) => target === name);
  if (!found) throw new InputError("conversion", name, `one of ${SWITCH_TARGETS.join(", ")}: the conversion the site may switch to`);
  return found;
}

export function switchValue(assumptions?: unknown, paths?: unknown, seed?: unknown, metric?: unknown, conversion?: unknown): Outcome<Cell> {
  const range = new AssumptionRange(assumptions);
  return scalarResult<Cell>("SWITCH_VALUE", [range, paths, seed, metric, conversion], () => {
    const text = textArgument("metric", metric);
    const name = text === undefined ? "option_value_per_watt" : SWITCH_METRICS.find((m) => typeof text === "string" && m === normalizeName(text));
    if (name === undefined) throw new InputError("metric", text, `one of ${SWITCH_METRICS.join(", ")}`);
    const target = switchTarget(conversion);
    const inputs = simulationInputs(range, paths, seed, SWITCH_DEFAULT_PATHS, switchWork);
    const found = switchCache.getOrCompute(`${target}\u0003${inputs.key}`, () => {
      cacheStats.switchesValued++;
      return switchSummary(valueSwitchOption(inputs.a, { target }));
    });
    const value = found[name];
    if (value === null) throw new NoSolutionError(`${name}: no path converts within the horizon (see prob_convert and the rule)`);
    return typeof value === "number" ? finite(value, name) : value;
  });
}

// --- market snapshots and the deal library -------------------------------------------------

const MARKETS_ALLOWED = `one of ${MARKETS.map((snapshot) => snapshot.id).join(", ")}`;

/** A table's last row naming the snapshot, when the range chose one with a `market` row. */
function marketRow(read: ReadAssumptions, width: number): unknown[][] {
  if (!read.set.marketGiven) return [];
  const row: unknown[] = ["Market snapshot", describeMarket(read.set.market)];
  while (row.length < width) row.push("");
  return [row];
}

/** Library columns in DEAL_FIELDS order, then the qualifiers and the reasons for empty cells. */
export function dealsTable(): Outcome<Table> {
  return tableResult("DEALS", [], () => [
    [...DEAL_FIELDS, "qualifiers", "missing"],
    ...DEALS.map((deal) => [
      ...DEAL_FIELDS.map((field) => deal[field]),
      Object.entries(deal.qualifiers)
        .map(([field, qualifier]) => `${field}: ${qualifier}`)
        .join("; "),
      Object.entries(deal.missing)
        .map(([field, reason]) => `${field}: ${reason}`)
        .join("; "),
    ]),
  ]);
}

/** One field of one deal: a number or text; #NUM! with the reason where the source is silent. */
export function dealField(name: unknown, field: unknown): Outcome<Cell> {
  return attempt(() => {
    const deal = parseDeal(textArgument("name", name) ?? scalar("name", name), "name");
    const key = parseDealField(textArgument("field", field) ?? scalar("field", field));
    const found = deal[key];
    if (found === null) throw new NoSolutionError(`${deal.id} ${key}: ${deal.missing[key] ?? "not public"}`);
    return typeof found === "number" ? finite(found, key) : found;
  });
}
