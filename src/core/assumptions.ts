/**
 * One parser from loose key/value pairs (Excel ranges, CSV rows, JSON, --set flags) to a
 * validated assumption set. Every rejection is an InputError naming the key, the value and
 * what is allowed.
 */
import { InputError, describeValue } from "./errors.js";
import { DEFAULTS, REGISTRY, findDef, type AssumptionDef, type AssumptionKey, type Assumptions } from "./registry.js";
import { isoToSerial, serialToIso } from "./time.js";
import { normalizeName } from "./scenarios.js";

/** A validated set plus which keys were given explicitly (the rest are defaults). */
export interface AssumptionSet {
  readonly values: Assumptions;
  readonly provided: ReadonlySet<AssumptionKey>;
}

/** Human text for a key's allowed values, e.g. "0 to 1 share" or "a date from 2009-01-03 to 2100-12-31". */
export function describeAllowed(def: AssumptionDef): string {
  if (def.kind === "boolean") return "TRUE or FALSE";
  if (def.kind === "date") return `a date from ${serialToIso(def.min)} to ${serialToIso(def.max)} (ISO text or Excel serial)`;
  const low = def.minExclusive ? `more than ${formatBound(def.min)}` : formatBound(def.min);
  const kind = def.integer ? "a whole number" : "a number";
  return `${kind} from ${low} to ${formatBound(def.max)} ${def.unit}`;
}

function formatBound(value: number): string {
  return Math.abs(value) >= 1e6 ? value.toExponential().replace("e+", "e") : value.toLocaleString("en-US", { maximumFractionDigits: 6 });
}

/** Levenshtein distance, for "did you mean" suggestions. */
function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(above + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}

const MAX_SUGGESTED_LENGTH = 100;

/** The registry key nearest to `text`, when it is near enough to be a likely misspelling. */
export function suggestKey(text: string): AssumptionKey | undefined {
  // No key is longer than this, so longer text is no misspelling of one (and must not cost
  // an edit-distance table of its length: a 10 MB "key" would take a minute).
  if (text.length > MAX_SUGGESTED_LENGTH) return undefined;
  const wanted = normalizeName(text);
  const limit = Math.max(2, Math.floor(wanted.length / 3));
  let best: AssumptionKey | undefined;
  let bestDistance = Infinity;
  for (const def of REGISTRY) {
    // The distance is at least the difference in length: skip keys that cannot be near enough.
    if (Math.abs(def.key.length - wanted.length) > limit && !(def.key.includes(wanted) && wanted.length >= 3)) continue;
    const distance = def.key.includes(wanted) && wanted.length >= 3 ? 1 : editDistance(wanted, def.key);
    if (distance < bestDistance) {
      bestDistance = distance;
      best = def.key;
    }
  }
  return bestDistance <= limit ? best : undefined;
}

/** Resolves a key text (case-insensitive, `-`/space as `_`) or throws with a suggestion. */
export function parseKey(raw: unknown, argument = "key"): AssumptionKey {
  if (typeof raw === "string" && raw.trim() !== "") {
    const def = findDef(normalizeName(raw));
    if (def) return def.key as AssumptionKey;
    const suggestion = suggestKey(raw);
    const hint = suggestion ? `; did you mean "${suggestion}"?` : "; see the assumptions table for valid keys";
    throw new InputError(argument, raw, "a known assumption key", `${argument}: unknown assumption key ${describeValue(raw)}${hint}`);
  }
  throw new InputError(
    argument,
    raw,
    "an assumption key as text",
    `${argument}: ${describeValue(raw)} is not an assumption key (expected text such as "btc_price")`,
  );
}

const NUMBER_SHAPE = /^([+-]?)([\d.,]+)(e[+-]?\d+)?$/i;
const THOUSANDS = { ",": /^\d{1,3}(,\d{3})*$/, ".": /^\d{1,3}(\.\d{3})*$/ } as const;

/** Why number text was refused, in words that say how to write it instead. */
export const AMBIGUOUS_NUMBER = "is ambiguous: write decimals with one dot or one comma (45.5 or 45,5) and group thousands in threes (1,234.5 or 1.234,5)";

/**
 * Reads number text such as "90,000", "45,5", "1.234,5", "$45", "10%" or "1e3". A comma or a
 * dot followed by exactly three digits and nothing else is a thousands separator only where
 * that is the sole reading ("90,000" is 90000; "1.000" is one, as it always was); otherwise the
 * last separator is the decimal one when the other groups thousands in threes. Anything else
 * ("45,5,5", "1,00,000", "1.2,3") is refused rather than guessed.
 */
export function readNumberText(text: string): { readonly value: number } | { readonly problem: string } {
  const notNumber = { problem: "is not a number" };
  let body = text.trim().replace(/[\s_]/g, "").replace(/^\$/, "");
  let scale = 1;
  if (body.endsWith("%")) {
    body = body.slice(0, -1);
    scale = 0.01;
  }
  const match = NUMBER_SHAPE.exec(body);
  if (!match || !/\d/.test(match[2]!)) return notNumber;
  const [, sign, mantissa, exponent = ""] = match as unknown as [string, string, string, string | undefined];
  const dot = mantissa.lastIndexOf(".");
  const comma = mantissa.lastIndexOf(",");
  let decimal: "." | "," | undefined;
  if (dot >= 0 && comma >= 0) decimal = dot > comma ? "." : ",";
  else if (dot >= 0) decimal = mantissa.indexOf(".") === dot ? "." : undefined;
  else if (comma >= 0) {
    const single = mantissa.indexOf(",") === comma;
    const integer = mantissa.slice(0, comma);
    // "90,000" groups thousands; "45,5" and "0,125" can only be decimal commas.
    decimal = single && (mantissa.length - comma - 1 !== 3 || /^0*$/.test(integer)) ? "," : undefined;
  }
  const at = decimal === undefined ? mantissa.length : mantissa.lastIndexOf(decimal);
  const integer = mantissa.slice(0, at);
  const fraction = mantissa.slice(at + 1);
  if (!/^\d*$/.test(fraction) || (decimal === "," && fraction === "")) return { problem: AMBIGUOUS_NUMBER };
  let digits = integer;
  if (/[.,]/.test(integer)) {
    const group = integer.includes(",") ? "," : ".";
    if (integer.includes(group === "," ? "." : ",") || !THOUSANDS[group].test(integer)) return { problem: AMBIGUOUS_NUMBER };
    digits = integer.split(group).join("");
  }
  if (digits === "" && fraction === "") return notNumber;
  return { value: Number(`${sign}${digits || "0"}.${fraction || "0"}${exponent}`) * scale };
}

/** Number text → number; undefined when it is not one (see readNumberText for the rules). */
export function parseNumberText(text: string): number | undefined {
  const reading = readNumberText(text);
  return "value" in reading ? reading.value : undefined;
}

const TRUE_TEXT = new Set(["true", "yes", "y", "1", "on"]);
const FALSE_TEXT = new Set(["false", "no", "n", "0", "off"]);

function fail(def: AssumptionDef, raw: unknown, problem: string): never {
  throw new InputError(def.key, raw, describeAllowed(def), `${def.key}: ${describeValue(raw)} ${problem}; expected ${describeAllowed(def)}`);
}

/** Converts one raw value for `def` into a number and checks its range. */
export function parseValue(def: AssumptionDef, raw: unknown): number {
  let value: number | undefined;
  if (raw === undefined || raw === null || (typeof raw === "string" && raw.trim() === "")) fail(def, raw, "is empty");
  switch (def.kind) {
    case "boolean":
      if (typeof raw === "boolean") value = raw ? 1 : 0;
      else if (typeof raw === "number" && (raw === 0 || raw === 1)) value = raw;
      else if (typeof raw === "string") {
        const text = raw.trim().toLowerCase();
        value = TRUE_TEXT.has(text) ? 1 : FALSE_TEXT.has(text) ? 0 : undefined;
      }
      if (value === undefined) fail(def, raw, "is not TRUE or FALSE");
      return value;
    case "date":
      if (typeof raw === "number") value = raw;
      else if (raw instanceof Date) value = raw.getTime() / 86_400_000 + 25_569;
      else if (typeof raw === "string") value = isoToSerial(raw) ?? parseNumberText(raw);
      if (value === undefined) fail(def, raw, "is not a date");
      break;
    case "number":
      if (typeof raw === "number") value = raw;
      else if (typeof raw === "string") {
        const reading = readNumberText(raw);
        if ("problem" in reading) fail(def, raw, reading.problem);
        value = reading.value;
      }
      if (value === undefined) fail(def, raw, "is not a number");
      break;
  }
  if (!Number.isFinite(value)) fail(def, raw, "is not a finite number");
  const tooLow = def.minExclusive ? value <= def.min : value < def.min;
  if (tooLow || value > def.max) fail(def, raw, "is out of range");
  if (def.integer && !Number.isInteger(value)) fail(def, raw, "is not a whole number");
  return value;
}

/**
 * Builds a validated set from key/value pairs laid over `base` (the defaults unless given).
 * Rows with both key and value empty are skipped (blank rows at the foot of a range); a first
 * row whose key reads "key" is a header. A key given twice is an error: which one wins would
 * be a guess.
 */
export function parseAssumptions(pairs: Iterable<readonly [unknown, unknown]>, base: Assumptions = DEFAULTS, argument = "assumptions"): AssumptionSet {
  const values: Record<string, number> = { ...base };
  const provided = new Set<AssumptionKey>();
  let row = 0;
  for (const [rawKey, rawValue] of pairs) {
    row++;
    const keyEmpty = rawKey === undefined || rawKey === null || (typeof rawKey === "string" && rawKey.trim() === "");
    const valueEmpty = rawValue === undefined || rawValue === null || (typeof rawValue === "string" && rawValue.trim() === "");
    if (keyEmpty && valueEmpty) continue;
    if (row === 1 && typeof rawKey === "string" && normalizeName(rawKey) === "key") continue;
    if (keyEmpty)
      throw new InputError(
        `${argument} row ${row}`,
        rawValue,
        "a key in the first column",
        `${argument} row ${row}: value ${describeValue(rawValue)} has no key in the first column`,
      );
    const key = parseKey(rawKey, `${argument} row ${row}`);
    if (provided.has(key)) throw new InputError(key, rawValue, "one value per key", `${argument} row ${row}: key "${key}" is given twice`);
    values[key] = parseValue(findDef(key)!, rawValue);
    provided.add(key);
  }
  return { values: values as Assumptions, provided };
}

/**
 * Key/value pairs from the rows of an assumptions CSV (key, value, then any notes). An
 * unquoted decimal comma splits a number across two fields ("power_price,45,5"); reading the
 * first alone would take 45 silently, so whole numbers on both sides of the split are refused
 * unless a header row names the third column as a column of its own.
 */
export function pairsFromCsvRows(rows: readonly (readonly string[])[], argument = "csv"): Array<readonly [string | undefined, string | undefined]> {
  const header = rows[0];
  const namedThird = header !== undefined && normalizeName(header[0] ?? "") === "key" && (header[2] ?? "").trim() !== "";
  return rows.map((row, r) => {
    if (!namedThird && row.length >= 3 && /^\s*[+-]?\d+\s*$/.test(row[1]!) && /^\d+\s*$/.test(row[2]!)) {
      const joined = `${row[1]!.trim()},${row[2]!.trim()}`;
      throw new InputError(
        `${argument} row ${r + 1}`,
        joined,
        "one value per row",
        `${argument} row ${r + 1}: ${JSON.stringify(row[0])} reads as ${JSON.stringify(joined)} split in two fields; quote a decimal comma ("${joined}") or write ${row[1]!.trim()}.${row[2]!.trim()}`,
      );
    }
    return [row[0], row[1]] as const;
  });
}

/** Pairs from a plain object ({ btc_price: 90000 }), as JSON files and the CLI supply them. */
export function pairsFromObject(object: Readonly<Record<string, unknown>>): Array<[string, unknown]> {
  return Object.entries(object);
}

/** A copy of `base` with some keys replaced, each validated. */
export function withValues(base: Assumptions, changes: Partial<Record<AssumptionKey, unknown>>): Assumptions {
  return parseAssumptions(pairsFromObject(changes as Record<string, unknown>), base).values;
}
