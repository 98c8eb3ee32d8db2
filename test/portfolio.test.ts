/**
 * The portfolio table: hand-worked rows (comparisons with chosen numbers), then real sites whose
 * rows must equal the core's own comparison and whose weighted averages must equal total USD over
 * total watts summed here independently. Tolerance: relative 1e-12 (sums of a few numbers).
 */
import { describe, expect, it } from "vitest";
import { withValues } from "../src/core/assumptions.js";
import { compare, type Comparison } from "../src/core/analysis.js";
import { InputError } from "../src/core/errors.js";
import { parsePortfolioSort, portfolioCells, portfolioRow, portfolioSummary, portfolioTable, sortPortfolioRows, toCsv } from "../src/core/portfolio.js";
import { DEFAULTS } from "../src/core/registry.js";
import { BASE_SCENARIOS, SCENARIOS, type ScenarioName } from "../src/core/scenarios.js";
import type { Valuation } from "../src/core/value.js";

function close(actual: number, expected: number, rel = 1e-12): void {
  if (!(Math.abs(actual - expected) <= rel * Math.max(1, Math.abs(expected)))) throw new Error(`got ${actual}, expected ${expected}`);
}

/** A comparison with chosen equity per watt by scenario (only the fields the portfolio reads). */
function fakeComparison(perWatt: Partial<Record<ScenarioName, number>>): Comparison {
  const valuations: Partial<Record<ScenarioName, Valuation>> = {};
  const upliftPerWatt: Partial<Record<ScenarioName, number>> = {};
  for (const [scenario, value] of Object.entries(perWatt) as [ScenarioName, number][]) {
    valuations[scenario] = { scenario, metrics: { equity_per_watt: value } } as unknown as Valuation;
    upliftPerWatt[scenario] = value - perWatt.mining!;
  }
  return { valuations, upliftPerWatt };
}

describe("portfolio rows and summary, worked by hand", () => {
  const scenarios = BASE_SCENARIOS;
  // Site A, 100 MW: mining -2, shell 5, gpu -4 → best shell, uplift 7 USD/W = 700 M USD.
  // Site B, 300 MW: mining 1, shell 0.5, gpu 3 → best gpu, uplift 2 USD/W = 600 M USD.
  // Site C, 100 MW: mining 2, shell 2, gpu 1 → tie: mining first in order, uplift 0.
  const a = portfolioRow("A", fakeComparison({ mining: -2, powered_shell: 5, colocated_gpu: -4 }), scenarios, 100);
  const b = portfolioRow("B", fakeComparison({ mining: 1, powered_shell: 0.5, colocated_gpu: 3 }), scenarios, 300);
  const c = portfolioRow("C", fakeComparison({ mining: 2, powered_shell: 2, colocated_gpu: 1 }), scenarios, 100);

  it("picks the best option and its uplift over mining", () => {
    expect([a.best, b.best, c.best]).toEqual(["powered_shell", "colocated_gpu", "mining"]);
    expect([a.upliftPerWatt, b.upliftPerWatt, c.upliftPerWatt]).toEqual([7, 2, 0]);
    expect([a.upliftUsd, b.upliftUsd, c.upliftUsd]).toEqual([700e6, 600e6, 0]);
    expect([a.bestEquityUsd, b.bestEquityUsd, c.bestEquityUsd]).toEqual([500e6, 900e6, 200e6]);
  });

  it("totals USD and MW and weights per-watt figures by MW", () => {
    const s = portfolioSummary([a, b, c], scenarios);
    expect(s.weightMw).toBe(500);
    // Mining: (-2·100 + 1·300 + 2·100) / 500 = 0.6; shell (500 + 150 + 200) / 500 = 1.7; gpu (-400 + 900 + 100) / 500 = 1.2.
    close(s.equityPerWatt.mining!, 0.6);
    close(s.equityPerWatt.powered_shell!, 1.7);
    close(s.equityPerWatt.colocated_gpu!, 1.2);
    close(s.upliftUsd, 1300e6);
    close(s.upliftPerWatt, 2.6);
    close(s.bestEquityUsd, 1600e6);
    close(s.bestEquityPerWatt, 3.2);
    close(s.equityUsd.powered_shell!, 850e6);
  });

  it("lays out header, rows, a totals row and an average row", () => {
    const cells = portfolioCells({ scenarios, rows: [a, b], summary: portfolioSummary([a, b], scenarios) });
    expect(cells[0]).toEqual([
      "Site",
      "Site MW (MW)",
      "Mining equity per watt (USD/W)",
      "Powered shell equity per watt (USD/W)",
      "Colocated GPU equity per watt (USD/W)",
      "Best option",
      "Best's uplift over mining (USD/W)",
      "Best's uplift over mining (USD)",
      "Best's equity value (USD)",
    ]);
    expect(cells[1]).toEqual(["A", 100, -2, 5, -4, "Powered shell", 7, 700e6, 500e6]);
    expect(cells[3]).toEqual(["Total", 400, "", "", "", "", "", 1300e6, 1400e6]);
    expect(cells[4]![0]).toBe("MW-weighted average");
    expect(cells[4]![1]).toBe("");
    close(cells[4]![6] as number, 1300 / 400);
  });

  it("sorts by any column, keeping input order on ties", () => {
    const table = { scenarios, rows: [a, b, c], summary: portfolioSummary([a, b, c], scenarios) };
    const names = (key: Parameters<typeof sortPortfolioRows>[1]) => sortPortfolioRows(table, key).map((row) => row.name);
    expect(names({ key: "uplift_per_watt", descending: true })).toEqual(["A", "B", "C"]);
    expect(names({ key: "uplift_per_watt", descending: false })).toEqual(["C", "B", "A"]);
    expect(names({ key: "equity_per_watt:colocated_gpu", descending: true })).toEqual(["B", "C", "A"]);
    expect(names({ key: "weight_mw", descending: true })).toEqual(["B", "A", "C"]);
    expect(names({ key: "best", descending: false })).toEqual(["B", "C", "A"]);
    expect(names({ key: "name", descending: true })).toEqual(["C", "B", "A"]);
    expect(table.rows.map((row) => row.name)).toEqual(["A", "B", "C"]);
  });
});

describe("portfolio of real sites", () => {
  const sites = [
    { name: "Texas", values: withValues(DEFAULTS, { site_mw: 150, power_price: 38 }) },
    { name: "Québec", values: withValues(DEFAULTS, { site_mw: 40, power_price: 30, lease_rate: 120 }) },
    { name: "Ohio", values: withValues(DEFAULTS, { site_mw: 75, btc_price: 140000 }) },
  ];
  const table = portfolioTable(sites, { scenarios: SCENARIOS });

  it("takes each row's figures from the core's comparison of that site", () => {
    table.rows.forEach((row, i) => {
      const comparison = compare(sites[i]!.values, SCENARIOS);
      for (const scenario of SCENARIOS) close(row.equityPerWatt[scenario]!, comparison.valuations[scenario]!.metrics.equity_per_watt);
      const bestNpv = Math.max(...SCENARIOS.map((s) => comparison.valuations[s]!.metrics.npv_usd));
      close(row.bestEquityUsd, bestNpv, 1e-12);
      close(row.upliftUsd, bestNpv - comparison.valuations.mining!.metrics.npv_usd, 1e-9);
    });
  });

  it("weighted averages equal total equity over total watts", () => {
    const watts = sites.reduce((sum, site) => sum + site.values.site_mw * 1e6, 0);
    for (const scenario of SCENARIOS) {
      const usd = sites.reduce((sum, site) => sum + compare(site.values, [scenario]).valuations[scenario]!.metrics.npv_usd, 0);
      close(table.summary.equityPerWatt[scenario]!, usd / watts, 1e-12);
    }
  });

  it("names the site in an error", () => {
    const bad = { name: "Broken", values: withValues(DEFAULTS, {}) };
    const shares = { ...bad.values, share_mining: 0.9 };
    expect(() => portfolioTable([sites[0]!, { name: "Broken", values: shares }], { scenarios: SCENARIOS })).toThrow(/site "Broken"/);
  });
});

describe("parsePortfolioSort", () => {
  it("reads names, aliases, scenarios and directions", () => {
    expect(parsePortfolioSort("uplift", SCENARIOS)).toEqual({ key: "uplift_per_watt", descending: true });
    expect(parsePortfolioSort("-name", SCENARIOS)).toEqual({ key: "name", descending: true });
    expect(parsePortfolioSort("name", SCENARIOS)).toEqual({ key: "name", descending: false });
    expect(parsePortfolioSort("shell:asc", SCENARIOS)).toEqual({ key: "equity_per_watt:powered_shell", descending: false });
    expect(parsePortfolioSort("equity_per_watt:gpu", SCENARIOS)).toEqual({ key: "equity_per_watt:colocated_gpu", descending: true });
    expect(parsePortfolioSort("MW:DESC", SCENARIOS)).toEqual({ key: "weight_mw", descending: true });
  });

  it("rejects unknown columns and scenarios not in the table, naming what is allowed", () => {
    expect(() => parsePortfolioSort("colour", SCENARIOS)).toThrow(InputError);
    expect(() => parsePortfolioSort("hybrid", BASE_SCENARIOS)).toThrow(/--sort: "hybrid" is not allowed; expected name, mw/);
  });
});

describe("toCsv", () => {
  it("quotes separators, doubles quotes and keeps text from running as a formula", () => {
    const csv = toCsv([
      ["Site", "x"],
      ['A, "big" one', 1.5],
      ["=HYPERLINK(1)", -2],
      ["@sum", Number.NaN],
    ]);
    expect(csv).toBe(`Site,x\r\n"A, ""big"" one",1.5\r\n'=HYPERLINK(1),-2\r\n'@sum,\r\n`);
  });
});
