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

/** Every property the requests set, by name, with the values set, in order. */
function propertiesSet(bodies: readonly string[]): Map<string, unknown[]> {
  const set = new Map<string, unknown[]>();
  for (const body of bodies) {
    const parsed = JSON.parse(body) as { Actions: Array<{ ActionType: number; Name: string; ArgumentInfo?: { Arguments?: unknown[] } }> };
    // ActionType 4 is SetProperty.
    for (const action of parsed.Actions)
      if (action.ActionType === 4) set.set(action.Name, [...(set.get(action.Name) ?? []), action.ArgumentInfo?.Arguments?.[0]]);
  }
  return set;
}

describe("the looks the .xlsx file has, as Office.js requests", () => {
  // Five sites turn the comparison charts' site labels.
  it.each([1, 5])(
    "%i site(s): the Sensitivity grid's colour scale and page breaks, tornados overlapped largest on top, axes formatted, labels low",
    async (count) => {
      const plan = buildWorkbookPlan(sites(count, false), { riskPaths: 0 });
      const { context, requestBodies } = capturingContext(page);
      await insertPlan(context, plan);
      const set = propertiesSet(requestBodies);
      const added = requestBodies.join("").match(/"Name":"Add","ParentObjectPathId":\d+,"ArgumentInfo":\{"Arguments":\["ColorScale"\]\}/g) ?? [];
      const scales = plan.sheets.flatMap((sheet) => sheet.colorScales ?? []);
      expect(scales.length).toBeGreaterThan(0);
      expect(added).toHaveLength(scales.length);
      // Criteria are set on the scales in the plan's order, with Excel's own red, white and green.
      const criteria = set.get("Criteria") as Array<Record<string, { type: string; color: string; formula?: string }>>;
      expect(criteria).toHaveLength(scales.length);
      scales.forEach((scale, i) => {
        const c = criteria[i]!;
        expect(c.minimum!.type).toBe("LowestValue");
        expect(c.maximum!.type).toBe("HighestValue");
        if (scale.sides === "both") expect(c).toEqual({ ...c, midpoint: { type: "Number", formula: String(scale.midpoint), color: "#FFFFFF" } });
        expect(c.minimum!.color).toBe(scale.sides === "above" ? "#FFFFFF" : "#F8696B");
        expect(c.maximum!.color).toBe(scale.sides === "below" ? "#FFFFFF" : "#63BE7B");
      });
      const bars = plan.charts.filter((chart) => chart.type === "bar");
      expect(bars.length).toBeGreaterThan(0);
      const barSeries = bars.reduce((n, chart) => n + chart.series.length, 0);
      expect(set.get("Overlap")).toEqual(new Array(barSeries).fill(100));
      expect(set.get("GapWidth")).toEqual(new Array(barSeries).fill(40));
      expect(set.get("ReversePlotOrder")).toEqual(new Array(bars.length).fill(true));
      expect(set.get("TickLabelPosition")).toEqual(new Array(plan.charts.length).fill("Low"));
      const turned = plan.charts.filter((chart) => chart.rotateLabels).length;
      expect(set.get("TextOrientation") ?? []).toEqual(new Array(turned).fill(-45));
      if (count === 5) expect(turned).toBeGreaterThan(0);
      // Each value axis' format is among the number formats set, in chart order.
      const formats = set.get("NumberFormat")!.filter((value) => typeof value === "string");
      const axisFormats = plan.charts.flatMap((chart) => (chart.yNumFormat ? [chart.yNumFormat] : []));
      expect(axisFormats.length).toBeGreaterThan(0);
      expect(formats.slice(-axisFormats.length)).toEqual(axisFormats);
      const breaks = plan.sheets.reduce((n, sheet) => n + (sheet.print?.rowBreaks?.length ?? 0), 0);
      expect(breaks).toBeGreaterThan(0);
      expect(requestBodies.join("").match(/"Name":"HorizontalPageBreaks"/g)).toHaveLength(breaks);
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
