/**
 * Sites: a named assumption set each. A sites table (CSV or an Excel range) has a header row
 * with `name` and assumption keys; each further row is a site, and an empty cell takes the
 * value of the base set (the defaults unless given).
 */
import { describeAllowed, parseKey, parseValue, type AssumptionSet } from "./assumptions.js";
import { InputError, describeValue } from "./errors.js";
import { DEFAULTS, getDef, type AssumptionKey, type Assumptions } from "./registry.js";
import { normalizeName } from "./scenarios.js";

export interface Site extends AssumptionSet {
  readonly name: string;
}

/** The built-in example: a 100 MW US mine on the registry's defaults. */
export const EXAMPLE_SITE: Site = { name: "Example 100 MW site", values: DEFAULTS, provided: new Set() };

function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === "string" && value.trim() === "");
}

/**
 * Parses a sites table. Row numbers in errors count the header as row 1, as a spreadsheet or
 * a text editor shows them.
 */
export function parseSitesTable(rows: readonly (readonly unknown[])[], base: Assumptions = DEFAULTS, argument = "sites"): Site[] {
  const header = rows[0];
  if (!header || header.every(isEmpty))
    throw new InputError(
      argument,
      "(empty)",
      "a header row with name and assumption keys",
      `${argument}: the table is empty; expected a header row such as "name,site_mw,power_price"`,
    );
  let nameColumn = -1;
  const keys: (AssumptionKey | undefined)[] = header.map((cell, column) => {
    if (typeof cell === "string" && normalizeName(cell) === "name") {
      nameColumn = column;
      return undefined;
    }
    if (isEmpty(cell)) return undefined;
    return parseKey(cell, `${argument} row 1, column ${column + 1}`);
  });
  const seen = new Set<AssumptionKey>();
  keys.forEach((key, column) => {
    if (!key) return;
    if (seen.has(key))
      throw new InputError(
        `${argument} row 1, column ${column + 1}`,
        key,
        "each key once",
        `${argument} row 1, column ${column + 1}: key "${key}" appears twice in the header`,
      );
    seen.add(key);
  });
  const sites: Site[] = [];
  for (let r = 1; r < rows.length; r++) {
    const row = rows[r]!;
    if (row.every(isEmpty)) continue;
    const values: Record<string, number> = { ...base };
    const provided = new Set<AssumptionKey>();
    keys.forEach((key, column) => {
      if (!key || isEmpty(row[column])) return;
      const where = `${argument} row ${r + 1}, column ${key}`;
      try {
        values[key] = parseValue(getDef(key), row[column]);
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        throw new InputError(
          where,
          row[column],
          describeAllowed(getDef(key)),
          `${where}: ${describeValue(row[column])} is not allowed; expected ${describeAllowed(getDef(key))}`,
        );
      }
      provided.add(key);
    });
    if (row.length > header.length && row.slice(header.length).some((cell) => !isEmpty(cell))) {
      throw new InputError(
        `${argument} row ${r + 1}`,
        row.length,
        `at most ${header.length} columns`,
        `${argument} row ${r + 1}: has ${row.length} fields but the header has ${header.length}`,
      );
    }
    const rawName = nameColumn >= 0 ? row[nameColumn] : undefined;
    const name = isEmpty(rawName) ? `Site ${sites.length + 1}` : String(rawName).trim();
    sites.push({ name, values: values as Assumptions, provided });
  }
  if (sites.length === 0) throw new InputError(argument, "(no rows)", "at least one site row under the header");
  return sites;
}
