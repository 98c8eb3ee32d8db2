/**
 * The size of what the Office.js writer sends, measured with Office.js's own request builder:
 * Excel on the web's host script (excel-web-16.00.debug.js) in jsdom, with an executor that
 * captures each request body instead of sending it. Excel on the web refuses a request over
 * 5 MB; every request must stay under 4 MB, for 100 sites at the longest horizons included.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDef, withValues, type AssumptionKey } from "../src/core/index.js";
import { insertPlan } from "../src/excel/planWriter.js";
import { CREATE_WORKBOOK_MAX_BASE64_BYTES, base64Length } from "../src/excel/newWorkbook.js";
import { buildWorkbookPlan } from "../src/workbook/build.js";
import { capturingContext, excelWebPage, type OfficePage } from "./helpers/office-js.js";
import { randomSite, seeded } from "./helpers/sites.js";

const LIMIT_BYTES = 4_000_000;
/** The keys that set the horizons, each at the top of its range. */
const LONGEST: AssumptionKey[] = ["horizon_years_mining", "lease_term_years", "gpu_life_years", "construction_months"];

function sites(count: number, longest: boolean) {
  const random = seeded(8_000 + count);
  return Array.from({ length: count }, (_, i) => {
    const values = randomSite(random);
    return {
      name: `Site ${i + 1}`,
      values: longest ? withValues(values, Object.fromEntries(LONGEST.map((key) => [key, getDef(key).max]))) : values,
    };
  });
}

let page: OfficePage;
beforeAll(() => {
  page = excelWebPage();
  (globalThis as Record<string, unknown>).Excel = page.window.Excel;
});
afterAll(() => {
  delete (globalThis as Record<string, unknown>).Excel;
  page?.close();
});

async function largestRequest(count: number, longest: boolean): Promise<{ largest: number; requests: number }> {
  const plan = buildWorkbookPlan(sites(count, longest));
  const { context, requestBytes } = capturingContext(page);
  await insertPlan(context, plan);
  return { largest: Math.max(...requestBytes), requests: requestBytes.length };
}

describe("Office.js requests of the plan writer, as Excel on the web would receive them", () => {
  it.each([
    [1, false],
    [12, false],
    [1, true],
    [50, true],
    [100, true],
  ])(
    "%i site(s), longest horizons %s: every request is under 4 MB",
    async (count, longest) => {
      const { largest, requests } = await largestRequest(count, longest);
      console.log(`${count} site(s)${longest ? ", longest horizons" : ""}: largest request ${(largest / 1e6).toFixed(2)} MB of ${requests}`);
      expect(largest).toBeLessThan(LIMIT_BYTES);
      expect(largest).toBeGreaterThan(0);
    },
    600_000,
  );
});

describe("a new workbook from the .xlsx (Excel.createWorkbook sends it in one request)", () => {
  it("is bounded by the same 4 MB, counted as the base64 text Office.js sends", () => {
    expect(CREATE_WORKBOOK_MAX_BASE64_BYTES).toBeLessThanOrEqual(LIMIT_BYTES);
    expect(base64Length(new Uint8Array(3))).toBe(4);
    expect(base64Length(new Uint8Array(4))).toBe(8);
  });
});
