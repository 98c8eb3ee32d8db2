/**
 * The public deal library: every derived rate equals its arithmetic from the stated terms (and
 * the rounded figure the reference table publishes), nulls carry reasons, the library is
 * locked by a golden file, and pricing the example site like a deal gives back the deal's rent.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  ANALYST_RANGES,
  DEALS,
  DEAL_FIELDS,
  DEFAULTS,
  InputError,
  averageRentUsdPerKwMonth,
  parseDeal,
  parseDealField,
  priceLikeDeal,
  reconcileLeaseDeals,
  startingRent,
  valueScenario,
  withDeal,
  type Deal,
} from "../src/core/index.js";
import { DEAL_LIBRARY } from "../src/core/deal-library.js";
import { HOURS_PER_MONTH } from "../src/core/time.js";

const relative = (actual: number, expected: number) => Math.abs(actual - expected) / Math.abs(expected);
const deal = (id: string): Deal => DEALS.find((entry) => entry.id === id)!;

describe("derived rates equal their arithmetic from the stated terms", () => {
  it.each(DEAL_LIBRARY.map((terms) => terms.id))("%s", (id) => {
    const terms = DEAL_LIBRARY.find((entry) => entry.id === id)!;
    const derived = deal(terms.id);
    const tcv = typeof terms.tcv_usd === "number" ? terms.tcv_usd : (terms.annual_revenue_usd as number) * terms.term_years;
    expect(derived.tcv_usd).toBe(tcv);
    expect(relative(derived.annual_revenue_usd, tcv / terms.term_years)).toBeLessThan(1e-12);
    const perItMwYear = tcv / terms.it_mw / terms.term_years;
    expect(relative(derived.usd_per_it_mw_year, perItMwYear)).toBeLessThan(1e-12);
    const pue = typeof terms.pue === "number" ? terms.pue : DEFAULTS.pue_dc;
    expect(derived.site_basis_pue).toBe(pue);
    expect(relative(derived.usd_per_site_mw_year, perItMwYear / pue)).toBeLessThan(1e-12);
    if (terms.kind === "lease") {
      // 1,000 kW per MW, 12 months a year.
      const perKwMonth = tcv / (terms.it_mw * 1_000) / (terms.term_years * 12);
      expect(relative(derived.usd_per_kw_month!, perKwMonth)).toBeLessThan(1e-12);
      if (typeof terms.escalator === "number") {
        // Year by year, the escalated rent paid over the term equals the TCV.
        let paid = 0;
        for (let year = 0; year < terms.term_years; year++)
          paid += derived.start_rent_usd_per_kw_month! * (1 + terms.escalator) ** year * 12 * terms.it_mw * 1_000;
        expect(relative(paid, tcv)).toBeLessThan(1e-12);
      } else expect(derived.start_rent_usd_per_kw_month).toBeNull();
    } else {
      expect(derived.usd_per_kw_month).toBeNull();
      expect(derived.start_rent_usd_per_kw_month).toBeNull();
    }
    const build = terms.build_cost_usd_m_per_mw;
    if ("low" in build) {
      expect(derived.build_cost_usd_m_per_mw).toBe((build.low + build.high) / 2);
      expect(relative(derived.rent_yield_on_cost!, perItMwYear / (((build.low + build.high) / 2) * 1e6))).toBeLessThan(1e-12);
    } else {
      expect(derived.build_cost_usd_m_per_mw).toBeNull();
      expect(derived.rent_yield_on_cost).toBeNull();
    }
  });

  // The reference table's own rounded derivations (shared FIGURES.md, "Deals"): an independent check.
  it.each([
    ["hut8-fluidstack", 159],
    ["cipher-aws", 102],
    ["cipher-fluidstack", 149],
    ["terawulf-fluidstack", 155],
    ["terawulf-abernathy", 189],
    ["core-scientific-coreweave", 121],
    ["galaxy-coreweave", 104],
    ["applied-digital-coreweave", 153],
    ["riot-amd", 104],
  ])("%s is the published ~%i USD per kW-month, to the dollar", (id, published) => {
    // The table rounds loosely (188.5 shows as ~189): within 1 USD.
    expect(Math.abs(deal(id).usd_per_kw_month! - published)).toBeLessThan(1);
  });

  it("IREN-Microsoft is ~9.7 M USD per IT MW-year, as published", () => {
    expect(deal("iren-microsoft").usd_per_it_mw_year).toBeCloseTo(9.7e6, 6);
  });

  it("the starting rent of a flat lease is its average, and rises with the escalator below it", () => {
    expect(startingRent(150, 0, 15)).toBeCloseTo(150, 12);
    expect(startingRent(150, 0.03, 15)).toBeLessThan(150);
    expect(startingRent(150, 0.03, 1)).toBeCloseTo(150, 12);
  });
});

describe("nothing is guessed", () => {
  it.each(DEALS.map((entry) => entry.id))("%s: every null field has a reason, every reason a null field", (id) => {
    const entry = deal(id);
    for (const field of DEAL_FIELDS) {
      if (entry[field] === null && field !== "note") expect(entry.missing[field], field).toMatch(/\w{3}/);
    }
    for (const field of Object.keys(entry.missing)) expect(entry[field as keyof Deal], field).toBeNull();
    for (const field of Object.keys(entry.derived)) expect(entry[field as keyof Deal], field).not.toBeNull();
  });

  it("a total given only as yearly revenue is derived and keeps its lower-bound qualifier", () => {
    const galaxy = deal("galaxy-coreweave");
    expect(galaxy.tcv_usd).toBe(1e9 * 15);
    expect(galaxy.derived.tcv_usd).toMatch(/annual_revenue_usd × term_years/);
    expect(galaxy.qualifiers.annual_revenue_usd).toBe("at least");
  });

  it("holds the ten deals of the reference figures, each with a source and an as-of date", () => {
    expect(DEALS).toHaveLength(10);
    expect(new Set(DEALS.map((entry) => entry.id)).size).toBe(10);
    for (const entry of DEALS) {
      expect(entry.source.length).toBeGreaterThan(3);
      expect(entry.as_of).toMatch(/^\d{4}-\d{2}(-\d{2})?$/);
      expect(entry.date).toMatch(/^\d{4}-\d{2}(-\d{2})?$/);
    }
  });
});

describe("golden file", () => {
  it("test/golden/deals.json equals the library (npm run golden:deals to update, then review the diff)", () => {
    const golden = JSON.parse(readFileSync(new URL("golden/deals.json", import.meta.url), "utf8")) as unknown;
    expect(JSON.parse(JSON.stringify(DEALS))).toEqual(golden);
  });
});

describe("finding a deal", () => {
  it.each([
    ["hut8-fluidstack", "hut8-fluidstack"],
    ["Hut 8", "hut8-fluidstack"],
    ["HUT8", "hut8-fluidstack"],
    ["abernathy", "terawulf-abernathy"],
    ["Lake Mariner", "terawulf-fluidstack"],
    ["iren", "iren-microsoft"],
    ["AWS", "cipher-aws"],
    ["Riot → AMD", "riot-amd"],
  ])("%j is %s", (text, id) => {
    expect(parseDeal(text).id).toBe(id);
  });

  it("an ambiguous word names the deals it matches", () => {
    expect(() => parseDeal("coreweave", "--deal")).toThrow(
      /--deal: "coreweave" matches 3 deals \(core-scientific-coreweave, galaxy-coreweave, applied-digital-coreweave\)/,
    );
  });

  it.each([["nope"], [""], [42], [null]])("%j is an input error listing the deals", (raw) => {
    expect(() => parseDeal(raw)).toThrow(InputError);
    expect(() => parseDeal(raw)).toThrow(/expected one of hut8-fluidstack, .*iren-microsoft/);
  });

  it("fields by name, with spaces or dashes read as underscores; an unknown one lists them", () => {
    expect(parseDealField("USD per kW month".replace(/ /g, "_"))).toBe("usd_per_kw_month");
    expect(parseDealField("it-mw")).toBe("it_mw");
    expect(() => parseDealField("rent")).toThrow(/one of id, name, .*usd_per_kw_month/);
  });
});

describe("price like a deal", () => {
  const leases = DEALS.filter((entry) => entry.kind === "lease");

  it.each(leases.map((entry) => entry.id))("the example site priced like %s earns the deal's rent per kW-month within 2 %%", (id) => {
    const entry = deal(id);
    const valuation = valueScenario("powered_shell", withDeal(DEFAULTS, entry));
    const rent = averageRentUsdPerKwMonth(valuation);
    expect(relative(rent, entry.usd_per_kw_month!)).toBeLessThan(0.02);
    expect(valuation.assumptions.lease_term_years).toBe(entry.term_years);
    expect(valuation.assumptions.lease_escalator).toBe(entry.escalator ?? DEFAULTS.lease_escalator);
  });

  it("keeps the base's escalator where the deal's is not public, and says so", () => {
    const pricing = priceLikeDeal(deal("cipher-aws"), { ...DEFAULTS, lease_escalator: 0.02 });
    expect(pricing.values.lease_escalator).toBeUndefined();
    expect(pricing.values.lease_rate).toBeCloseTo(startingRent(deal("cipher-aws").usd_per_kw_month!, 0.02, 15), 10);
    expect(pricing.provenance.lease_rate!.source).toMatch(/assumed 2 %\/yr escalator \(the deal's is not public\)/);
  });

  it("a GPU-cloud deal sets the GPU economics: revenue per IT MW-year equals the deal's within 2 %", () => {
    const iren = deal("iren-microsoft");
    const a = withDeal(DEFAULTS, iren);
    expect(a.gpu_life_years).toBe(5);
    expect(a.gpu_rate_decline).toBe(0);
    const valuation = valueScenario("colocated_gpu", a);
    // rev_per_mw is per site MW; × PUE puts it per IT MW.
    expect(relative(valuation.metrics.rev_per_mw * a.pue_dc, iren.usd_per_it_mw_year)).toBeLessThan(0.02);
    // By hand: GPUs per IT MW × hours a year × rate.
    expect(relative((1_000 / a.gpu_kw) * HOURS_PER_MONTH * 12 * a.gpu_rate * a.utilization, iren.usd_per_it_mw_year)).toBeLessThan(1e-12);
  });
});

describe("reconciliation with the market", () => {
  const rows = reconcileLeaseDeals();

  it("values every lease deal, and no GPU-cloud contract", () => {
    expect(rows.map((row) => row.deal.id)).toEqual(DEALS.filter((entry) => entry.kind === "lease").map((entry) => entry.id));
  });

  it("puts equity per IT MW on JPMorgan's basis: equity per site watt × PUE", () => {
    for (const row of rows) expect(relative(row.equityUsdMPerItMw, row.equityPerSiteWatt * DEFAULTS.pue_dc)).toBeLessThan(1e-12);
    expect(ANALYST_RANGES.perItMw.low).toBeLessThan(ANALYST_RANGES.perItMw.high);
  });

  it("a richer lease is worth more on the same site", () => {
    const byRent = [...rows].sort((a, b) => a.deal.usd_per_kw_month! - b.deal.usd_per_kw_month!);
    const sameTerm = byRent.filter((row) => row.deal.term_years === 15);
    for (let i = 1; i < sameTerm.length; i++) expect(sameTerm[i]!.equityPerSiteWatt).toBeGreaterThan(sameTerm[i - 1]!.equityPerSiteWatt);
  });
});

describe("reconciliation at the deal's own build cost", () => {
  it("is given where the build cost is public, and moves the value the way the cost does", () => {
    for (const row of reconcileLeaseDeals()) {
      const build = row.deal.build_cost_usd_m_per_mw;
      if (build === null) expect(row.equityPerSiteWattAtDealBuildCost).toBeNull();
      else expect(Math.sign(row.equityPerSiteWattAtDealBuildCost! - row.equityPerSiteWatt)).toBe(Math.sign(DEFAULTS.conversion_capex - build));
    }
  });
});
