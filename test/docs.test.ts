import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DEFAULTS, REGISTRY, compare, onBasis } from "../src/core/index.js";
import { assumptionsTable, fillGenerated } from "../src/docs/tables.js";

const read = (file: string) => readFileSync(new URL(`../${file}`, import.meta.url), "utf8");

describe("generated documentation", () => {
  for (const file of ["README.md", "docs/methodology.md"]) {
    it(`${file} carries the tables the code generates today (run npm run docs to refresh)`, () => {
      const text = read(file);
      expect(text).toContain("<!-- generated:");
      expect(fillGenerated(text)).toBe(text);
    });
  }

  it("lists every registry key once in the methodology's assumptions table", () => {
    const doc = read("docs/methodology.md");
    for (const def of REGISTRY) expect(doc.split(`| \`${def.key}\` |`).length - 1).toBe(1);
    expect(assumptionsTable().split("\n")).toHaveLength(REGISTRY.length + 2);
  });
});

describe("defaults land in the public ranges (FIGURES.md)", () => {
  const { valuations } = compare(DEFAULTS, ["mining", "powered_shell", "colocated_gpu"]);
  const mining = valuations.mining!.metrics;
  const shell = valuations.powered_shell!.metrics;
  const gpu = valuations.colocated_gpu!.metrics;

  it("mining revenue is 0.5-1.0 M USD per site MW-year", () => {
    expect(mining.rev_per_mw).toBeGreaterThan(0.5e6);
    expect(mining.rev_per_mw).toBeLessThan(1.0e6);
  });
  it("powered-shell revenue is 1.0-2.0 M USD per site MW-year", () => {
    expect(shell.rev_per_mw).toBeGreaterThan(1.0e6);
    expect(shell.rev_per_mw).toBeLessThan(2.0e6);
  });
  it("colocated-GPU revenue is 5-15 M USD per site MW-year", () => {
    expect(gpu.rev_per_mw).toBeGreaterThan(5e6);
    expect(gpu.rev_per_mw).toBeLessThan(15e6);
  });
  it("powered-shell rent is 1.22-1.91 M USD per IT MW-year (102-159 USD/kW-month, 2024-25 leases)", () => {
    const perItMw = onBasis(valuations.powered_shell!, "rev_per_mw", "it");
    expect(perItMw).toBeGreaterThan(1.22e6);
    expect(perItMw).toBeLessThan(1.91e6);
  });
  // Analysts quote 5-8 USD/W with untaxed exits; MinePivot taxes the exit gain (21 %) and pays
  // 2 % exit costs, which takes about 0.8 USD/W off. A default outside 4-8 would mean a
  // calibration error, not a convention.
  it("powered-shell equity per site watt is within the analysts' 5-8 USD/W less the exit's tax and costs (4-8)", () => {
    expect(shell.equity_per_watt).toBeGreaterThan(4);
    expect(shell.equity_per_watt).toBeLessThan(8);
  });
  it("mining cash cost per BTC is inside CoinShares' 74,600-80,000 USD (Q2-Q4 2025)", () => {
    expect(mining.cost_to_mine_cash).toBeGreaterThan(74_600);
    expect(mining.cost_to_mine_cash).toBeLessThan(80_000);
  });
  it("hashprice at the valuation date is inside November 2025's 35-43.3 USD/PH/day", () => {
    expect(mining.hashprice).toBeGreaterThan(35.06);
    expect(mining.hashprice).toBeLessThan(43.33);
  });
});
