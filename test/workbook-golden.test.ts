/**
 * The plan as a fingerprint: a refactor of the plan builder must leave every cell, formula,
 * style, name and chart of these workbooks unchanged. A deliberate change to the workbook
 * regenerates the fingerprints: UPDATE_GOLDEN=1 npx vitest run test/workbook-golden.test.ts
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DEFAULTS, withValues } from "../src/core/index.js";
import { buildWorkbookPlan, type WorkbookOptions, type WorkbookSite } from "../src/workbook/build.js";
import { randomSite, seeded } from "./helpers/sites.js";

const GOLDEN = new URL("./golden/workbook-plans.json", import.meta.url);

function cases(): Record<string, { sites: WorkbookSite[]; options?: WorkbookOptions }> {
  const random = seeded(11);
  return {
    "defaults, one site, dated": { sites: [{ name: "Example", values: DEFAULTS }], options: { generatedOn: "2026-01-15" } },
    "three random sites": { sites: [0, 1, 2].map((i) => ({ name: `Site ${i + 1}`, values: randomSite(random) })) },
    "powered shell only": { sites: [{ name: "Shell's site", values: withValues(DEFAULTS, { lease_rate: 150 }) }], options: { scenarios: ["powered_shell"] } },
    "hybrid only, two sites": {
      sites: [
        { name: "North", values: randomSite(random) },
        { name: "South", values: randomSite(random) },
      ],
      options: { scenarios: ["hybrid"] },
    },
  };
}

/** A canonical text of the plan: cells sorted by position, so only content counts. */
function serializePlan(plan: ReturnType<typeof buildWorkbookPlan>): string {
  return JSON.stringify({
    ...plan,
    sheets: plan.sheets.map((s) => ({ ...s, cells: [...s.cells].sort((a, b) => a.row - b.row || a.col - b.col) })),
  });
}

const fingerprint = (text: string) => createHash("sha256").update(text).digest("hex");

describe("workbook plan fingerprints", () => {
  const actual = Object.fromEntries(Object.entries(cases()).map(([name, c]) => [name, fingerprint(serializePlan(buildWorkbookPlan(c.sites, c.options)))]));
  if (process.env.UPDATE_GOLDEN === "1") writeFileSync(GOLDEN, `${JSON.stringify(actual, null, 2)}\n`);
  const golden = existsSync(GOLDEN) ? (JSON.parse(readFileSync(GOLDEN, "utf8")) as Record<string, string>) : {};
  for (const name of Object.keys(actual)) {
    it(`builds the same plan: ${name}`, () => {
      expect(actual[name]).toBe(golden[name]);
    });
  }
});
