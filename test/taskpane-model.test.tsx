/**
 * The pane's data rules (pure): sites over the shared set, presets inside the registry's
 * ranges, JSON in and out, and the generation pipeline's order, progress and cancel.
 */
import { describe, expect, it, vi } from "vitest";
import {
  DEALS,
  DEFAULTS,
  InputError,
  averageRentUsdPerKwMonth,
  marketAssumptions,
  parseAssumptions,
  parseMarket,
  valueScenario,
  withValues,
} from "../src/core/index.js";
import { generateWorkbook, type GenerateDeps } from "../src/taskpane/generate.js";
import { effectiveSite, overridesFromJson, overridesToJson, siteProblem, sitesFromCsv, type PaneSite } from "../src/taskpane/model.js";
import { DEAL_PRESETS, PRESETS, applyDeal } from "../src/taskpane/presets.js";
import type { WorkbookPlan } from "../src/workbook/plan.js";

const site = (name: string, overrides: PaneSite["overrides"] = {}): PaneSite => ({ id: name, name, overrides });

describe("sites over the shared set", () => {
  it("defaults, then the shared set, then the site's own values", () => {
    const effective = effectiveSite(site("A", { power_price: "30" }), { power_price: "50", btc_price: "$120,000" });
    expect(effective.values).toEqual(withValues(DEFAULTS, { power_price: 30, btc_price: 120_000 }));
    expect([...effective.provided].sort()).toEqual(["btc_price", "power_price"]);
  });

  it("names the problem of a site: invalid value, empty or duplicate name", () => {
    expect(siteProblem(site("A", { uptime: "2" }), {}, [])).toMatch(/^uptime: "2" is out of range/);
    expect(siteProblem(site(" "), {}, [])).toBe("The site needs a name.");
    expect(siteProblem(site("A"), {}, [site("A"), { ...site("a"), id: "other" }])).toMatch(/Two sites are called "A"/);
    expect(siteProblem(site("A"), { fee_share: "x" }, [])).toMatch(/fee_share/);
  });

  it("imports CSV sites keeping only the given values", () => {
    const sites = sitesFromCsv("name,site_mw,valuation_date\nTexas,150,2026-03-01\n,80,");
    expect(sites.map((entry) => [entry.name, entry.overrides])).toEqual([
      ["Texas", { site_mw: "150", valuation_date: "2026-03-01" }],
      ["Site 2", { site_mw: "80" }],
    ]);
    expect(() => sitesFromCsv("name,site_mww\nA,1")).toThrow(/did you mean "site_mw"/);
  });
});

describe("presets", () => {
  it.each(PRESETS.map((preset) => [preset.label, preset]))("%s is valid against the registry", (_label, preset) => {
    expect(() => parseAssumptions(Object.entries(preset.overrides))).not.toThrow();
  });

  it("the late-2025 market is the registry's defaults; bull and bear differ", () => {
    expect(PRESETS[0]!.overrides).toEqual({});
    expect(PRESETS.map((preset) => preset.id)).toEqual(["late-2025", "mid-2026", "bull", "bear"]);
    expect(Number(PRESETS.find((preset) => preset.id === "bull")!.overrides.btc_price)).toBeGreaterThan(DEFAULTS.btc_price);
    expect(Number(PRESETS.find((preset) => preset.id === "bear")!.overrides.btc_price)).toBeLessThan(DEFAULTS.btc_price);
  });

  it("the mid-2026 preset is the core's 2026-06 snapshot, value for value, and names it", () => {
    const preset = PRESETS.find((entry) => entry.id === "mid-2026")!;
    expect(parseAssumptions(Object.entries(preset.overrides)).values).toEqual(marketAssumptions(parseMarket("2026-06")));
    expect(preset.description).toMatch(/^Market snapshot 2026-06\./);
  });
});

describe("price like a deal", () => {
  it("offers every deal of the library", () => {
    expect(DEAL_PRESETS.map((entry) => entry.id)).toEqual(DEALS.map((deal) => deal.id));
  });

  it.each(DEALS.filter((deal) => deal.kind === "lease").map((deal) => deal.id))(
    "%s keeps the set's other values and earns the deal's rent within 2 %%",
    (id) => {
      const deal = DEALS.find((entry) => entry.id === id)!;
      const { overrides, description } = applyDeal({ site_mw: "50", btc_price: "70000" }, id);
      expect(overrides.site_mw).toBe("50");
      expect(overrides.btc_price).toBe("70000");
      expect(overrides.lease_term_years).toBe(String(deal.term_years));
      expect(description).toMatch(new RegExp(`^Priced like ${deal.name.replace(/[()]/g, "\\$&")}: lease_rate`));
      const valuation = valueScenario("powered_shell", parseAssumptions(Object.entries(overrides)).values);
      expect(Math.abs(averageRentUsdPerKwMonth(valuation) / deal.usd_per_kw_month! - 1)).toBeLessThan(0.02);
    },
  );

  it("IREN-Microsoft sets the GPU economics; an invalid set is refused", () => {
    const { overrides } = applyDeal({}, "iren-microsoft");
    expect(Object.keys(overrides).sort()).toEqual(["gpu_life_years", "gpu_rate", "gpu_rate_decline", "utilization"]);
    expect(() => applyDeal({ uptime: "2" }, "hut8")).toThrow(InputError);
  });
});

describe("JSON files", () => {
  it("round-trips overrides through the CLI's JSON shape", () => {
    const json = overridesToJson({ btc_price: "95,000", valuation_date: "2026-02-01", tax_loss_carryforward: "FALSE" });
    expect(json).toEqual({ valuation_date: "2026-02-01", tax_loss_carryforward: false, btc_price: 95000 });
    expect(overridesFromJson(json)).toEqual({ valuation_date: "2026-02-01", tax_loss_carryforward: "FALSE", btc_price: "95000" });
    expect(overridesFromJson([["lease_rate", 140]])).toEqual({ lease_rate: "140" });
    expect(() => overridesFromJson(42, "x.json")).toThrow(InputError);
  });
});

describe("generateWorkbook", () => {
  const plan = { sheets: [{ name: "Cover" }, { name: "Inputs" }] } as unknown as WorkbookPlan;
  const deps = (): GenerateDeps => ({
    runsOn: "worker",
    buildPlan: vi.fn(async () => plan),
    buildXlsx: vi.fn(async () => ({ file: new Blob([new Uint8Array(2048)]), sheets: plan.sheets.length })),
    download: vi.fn(),
    insertPlan: vi.fn(async (_plan, options) => {
      options.onProgress?.({ done: 1, total: 2, label: "Writing Cover" });
      return { sheets: ["Cover", "Inputs"], renamedSheets: {}, renamedNames: {} };
    }),
  });
  const request = { sites: [{ name: "A", values: DEFAULTS }], scenarios: ["mining"] as const, generatedOn: "2026-01-15" };

  it("download: plan, write, save, with progress from 0 to done", async () => {
    const d = deps();
    const progress: number[] = [];
    const result = await generateWorkbook({ ...request, output: "download" }, d, { onProgress: (p) => progress.push(p.done / p.total) });
    expect(result).toEqual({ output: "download", filename: "minepivot-comparison.xlsx", bytes: 2048, sheets: 2 });
    expect(progress[0]).toBe(0);
    expect(progress[progress.length - 1]).toBe(1);
    expect(progress).toEqual([...progress].sort());
  });

  it("insert: never writes the .xlsx (no .wasm in Excel's insert path)", async () => {
    const d = deps();
    const result = await generateWorkbook({ ...request, output: "insert" }, d);
    expect(result).toMatchObject({ output: "insert", sheets: ["Cover", "Inputs"] });
    expect(d.buildXlsx).not.toHaveBeenCalled();
  });

  it("a cancelled signal stops before anything is written", async () => {
    const d = deps();
    const abort = new AbortController();
    abort.abort();
    await expect(generateWorkbook({ ...request, output: "download" }, d, { signal: abort.signal })).rejects.toMatchObject({ name: "AbortError" });
    expect(d.buildXlsx).not.toHaveBeenCalled();
    expect(d.download).not.toHaveBeenCalled();
  });
});
