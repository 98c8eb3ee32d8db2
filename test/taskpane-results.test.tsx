// @vitest-environment jsdom
/**
 * Results and Portfolio in the pane: the figures on screen are the core's (compare and the
 * portfolio table), recomputed when an assumption changes; the charts say what they show; the
 * portfolio sorts, exports CSV and inserts into Excel. Every expected figure comes from the core.
 */
import { cleanup, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  DEFAULTS,
  SCENARIOS,
  compare,
  portfolioCells,
  portfolioTable,
  sortPortfolio,
  toCsv,
  tornado,
  withValues,
  type Assumptions,
} from "../src/core/index.js";
import type { ExcelBridge } from "../src/taskpane/office.js";
import type { PaneSite } from "../src/taskpane/model.js";
import { compactUsd } from "../src/taskpane/results.js";
import { fakeServices, renderPane } from "./helpers/taskpane.js";

afterEach(cleanup);

/** The text each scenario shows for a metric in the Results table. */
function shown(metric: string): Record<string, string> {
  const table = screen.getByRole("table", { name: "Results by scenario" });
  const cells = table.querySelectorAll(`[data-metric="${metric}"]`);
  return Object.fromEntries([...cells].map((cell) => [cell.getAttribute("data-scenario"), cell.textContent ?? ""]));
}

function expectedEquity(a: Assumptions): Record<string, string> {
  const comparison = compare(a, SCENARIOS);
  return Object.fromEntries(SCENARIOS.map((s) => [s, comparison.valuations[s]!.metrics.equity_per_watt.toFixed(2)]));
}

const sites: PaneSite[] = [
  { id: "a", name: "Alpha", overrides: { site_mw: "50", lease_rate: "150" } },
  { id: "b", name: "Beta", overrides: { site_mw: "200", power_price: "30" } },
  { id: "c", name: "Gamma", overrides: { site_mw: "80", btc_price: "140000" } },
];

describe("Results view", () => {
  it("opens first, showing each scenario's metrics as the core computes them", async () => {
    renderPane();
    expect(screen.getByRole("tab", { name: "Results" }).getAttribute("aria-selected")).toBe("true");
    expect(shown("equity_per_watt")).toEqual(expectedEquity(DEFAULTS));
    const comparison = compare(DEFAULTS, SCENARIOS);
    const irr = shown("irr");
    for (const s of SCENARIOS) {
      const value = comparison.valuations[s]!.metrics.irr;
      expect(irr[s]).toBe(value === null ? "n/a" : `${(value * 100).toFixed(1)} %`);
    }
    expect(shown("uplift_per_watt").powered_shell).toBe(comparison.upliftPerWatt.powered_shell!.toFixed(2));
    expect(shown("uplift_per_watt").mining).toBe("");
  });

  it("recomputes when an assumption changes", async () => {
    const user = userEvent.setup();
    renderPane();
    await user.click(screen.getByRole("tab", { name: "Assumptions" }));
    const field = await screen.findByLabelText("Site power capacity (MW)");
    await user.type(field, "40");
    await user.click(screen.getByRole("button", { name: /^Powered-shell lease/ }));
    await user.type(screen.getByLabelText("Lease rate (USD/kW-month)"), "160");
    await user.click(screen.getByRole("tab", { name: "Results" }));
    expect(shown("equity_per_watt")).toEqual(expectedEquity(withValues(DEFAULTS, { site_mw: 40, lease_rate: 160 })));
  });

  it("switches between sites and names the best option", async () => {
    const user = userEvent.setup();
    renderPane(fakeServices(), sites);
    await user.selectOptions(screen.getByRole("combobox", { name: "Site" }), "b");
    const beta = withValues(DEFAULTS, { site_mw: 200, power_price: 30 });
    expect(shown("equity_per_watt")).toEqual(expectedEquity(beta));
    const comparison = compare(beta, SCENARIOS);
    const best = SCENARIOS.reduce((a, b) => (comparison.valuations[b]!.metrics.equity_per_watt > comparison.valuations[a]!.metrics.equity_per_watt ? b : a));
    expect(screen.getByText(/^Highest equity value:/).textContent).toContain(
      { mining: "Mining", powered_shell: "Powered shell", colocated_gpu: "Colocated GPU", hybrid: "Hybrid" }[best],
    );
  });

  it("says why a site cannot be valued", async () => {
    renderPane(fakeServices(), [{ id: "x", name: "Broken", overrides: { share_mining: "0.9" } }]);
    expect(screen.getByText(/^Cannot value this site\. hybrid shares/)).toBeTruthy();
  });

  it("draws the three charts, each with a text alternative from the core's figures", async () => {
    renderPane();
    const bars = await screen.findByRole("img", { name: /^Equity value per watt by scenario/ });
    const comparison = compare(DEFAULTS, SCENARIOS);
    for (const s of SCENARIOS) expect(bars.getAttribute("aria-label")).toContain(comparison.valuations[s]!.metrics.equity_per_watt.toFixed(2));
    expect(within(bars as unknown as HTMLElement).getAllByText(/^-?\d+\.\d\d$/)).toHaveLength(SCENARIOS.length);
    expect(screen.getByRole("img", { name: /^Cumulative cash flow to equity by year/ })).toBeTruthy();
    const expected = tornado("powered_shell", "uplift_per_watt", DEFAULTS);
    const chart = await screen.findByRole("img", { name: /^Tornado around/ }, { timeout: 30_000 });
    expect(chart.getAttribute("aria-label")).toContain(`Tornado around ${expected.base!.toFixed(2)} USD/W: ${expected.bars[0]!.key} from`);
    expect(chart.querySelectorAll("g")).toHaveLength(8);
  }, 60_000);
});

describe("Results view, per site MW or per IT MW", () => {
  /** A row's label in the Results table, by its metric. */
  const label = (metric: string) =>
    screen.getByRole("table", { name: "Results by scenario" }).querySelector(`[data-metric="${metric}"]`)!.parentElement!.firstElementChild!.textContent;

  it("the toggle puts equity, revenue and EBITDA on IT MW, with their labels, and back", async () => {
    const user = userEvent.setup();
    renderPane();
    const comparison = compare(DEFAULTS, SCENARIOS);
    const siteEquity = expectedEquity(DEFAULTS);
    const toggle = screen.getByRole("switch", { name: "Per IT MW (critical IT power) instead of per site MW" });
    expect((toggle as HTMLInputElement).checked).toBe(false);
    expect(label("equity_per_watt")).toBe("Equity per watt (USD/W)");
    await user.click(toggle);
    // Hand-worked: IT power is site MW / PUE, so a per-IT-MW figure is the per-site one times the
    // PUE: the data centre's for the conversions, the mine's for mining; a hybrid's IT MW is the
    // share-weighted sum of its parts' (the core's it_mw).
    const factor = {
      mining: DEFAULTS.pue_mining,
      powered_shell: DEFAULTS.pue_dc,
      colocated_gpu: DEFAULTS.pue_dc,
      hybrid: DEFAULTS.site_mw / comparison.valuations.hybrid!.metrics.it_mw,
    };
    const onIt = (metric: "equity_per_watt" | "rev_per_mw" | "ebitda_per_mw", format: (v: number) => string) =>
      Object.fromEntries(SCENARIOS.map((s) => [s, format(comparison.valuations[s]!.metrics[metric] * factor[s])]));
    expect(shown("equity_per_watt")).toEqual(onIt("equity_per_watt", (v) => v.toFixed(2)));
    expect(shown("rev_per_mw")).toEqual(onIt("rev_per_mw", compactUsd));
    expect(shown("ebitda_per_mw")).toEqual(onIt("ebitda_per_mw", compactUsd));
    expect(shown("equity_per_watt").powered_shell).not.toBe(siteEquity.powered_shell);
    expect([label("equity_per_watt"), label("rev_per_mw"), label("ebitda_per_mw"), label("uplift_per_watt")]).toEqual([
      "Equity per IT watt (USD/IT W)",
      "Revenue per IT MW-yr (USD)",
      "EBITDA per IT MW-yr (USD)",
      "Uplift over mining (USD per site W)",
    ]);
    // What does not divide by power stays: equity value, and the uplift per site watt.
    expect(shown("npv_usd").hybrid).toBe(compactUsd(comparison.valuations.hybrid!.metrics.npv_usd));
    expect(shown("uplift_per_watt").powered_shell).toBe(comparison.upliftPerWatt.powered_shell!.toFixed(2));
    expect(screen.getByText(/^IT MW is site MW \/ PUE/)).toBeTruthy();
    const bars = await screen.findByRole("img", { name: /^Equity value per IT watt by scenario/ });
    expect(bars.getAttribute("aria-label")).toContain(`Powered shell ${onIt("equity_per_watt", (v) => v.toFixed(2)).powered_shell} USD/IT W`);
    await user.click(toggle);
    expect(shown("equity_per_watt")).toEqual(siteEquity);
    expect(label("rev_per_mw")).toBe("Revenue per MW-yr (USD)");
    expect(screen.queryByText(/^IT MW is site MW \/ PUE/)).toBeNull();
  });

  it("names the same best option on both bases: the highest equity value, not the highest per IT watt", async () => {
    const user = userEvent.setup();
    // A site where mining has the highest equity value, yet the powered shell the most per IT
    // watt: the mine divides by more IT power (PUE 1) than the data centre (PUE 1.2).
    const overrides = { btc_price: "400000", gpu_rate: "0.8", lease_rate: "100", pue_mining: "1", power_price: "40" };
    renderPane(fakeServices(), [{ id: "m", name: "Miner", overrides }]);
    expect(screen.getByText(/^Highest equity value:/).textContent).toBe("Highest equity value: Mining.");
    await user.click(screen.getByRole("switch", { name: /^Per IT MW/ }));
    const perItWatt = shown("equity_per_watt");
    expect(Number(perItWatt.powered_shell)).toBeGreaterThan(Number(perItWatt.mining));
    expect(screen.getByText(/^Highest equity value:/).textContent).toBe("Highest equity value: Mining.");
  });
});

describe("Portfolio", () => {
  const values = sites.map((site) => ({ name: site.name, values: withValues(DEFAULTS, Object.fromEntries(Object.entries(site.overrides))) }));
  const table = portfolioTable(values, { scenarios: SCENARIOS });

  function rowNames(): string[] {
    const grid = screen.getByRole("table", { name: "Portfolio" });
    return within(grid)
      .getAllByRole("row")
      .slice(1)
      .map((row) => row.querySelector("td")?.textContent ?? "");
  }

  it("shows a row per site with the core's figures, then the totals and the MW-weighted average", async () => {
    renderPane(fakeServices(), sites);
    const grid = await screen.findByRole("table", { name: "Portfolio" });
    expect(rowNames()).toEqual(["Alpha", "Beta", "Gamma", "Total", "MW-weighted average"]);
    const alpha = within(grid).getAllByRole("row")[1]!;
    const cells = within(alpha)
      .getAllByRole("cell")
      .map((cell) => cell.textContent);
    expect(cells[2]).toBe(table.rows[0]!.equityPerWatt.mining!.toFixed(2));
    expect(cells[7]).toBe(table.rows[0]!.upliftPerWatt.toFixed(2));
    const average = within(grid).getAllByRole("row")[5]!;
    expect(within(average).getAllByRole("cell")[3]!.textContent).toBe(table.summary.equityPerWatt.powered_shell!.toFixed(2));
  });

  it("sorts by a column from its header, both ways, and exports the sorted table as CSV", async () => {
    const user = userEvent.setup();
    const services = fakeServices();
    renderPane(services, sites);
    await screen.findByRole("table", { name: "Portfolio" });
    const header = screen.getByRole("button", { name: "Uplift /W" });
    await user.click(header);
    const descending = sortPortfolio(table, { key: "uplift_per_watt", descending: true });
    expect(rowNames().slice(0, 3)).toEqual(descending.rows.map((row) => row.name));
    expect(header.closest("th")!.getAttribute("aria-sort")).toBe("descending");
    await user.click(header);
    expect(rowNames().slice(0, 3)).toEqual([...descending.rows].reverse().map((row) => row.name));
    await user.click(screen.getByRole("button", { name: "Export CSV" }));
    const ascending = sortPortfolio(table, { key: "uplift_per_watt", descending: false });
    expect(services.download).toHaveBeenCalledWith(toCsv(portfolioCells(ascending)), "minepivot-portfolio.csv", "text/csv;charset=utf-8");
  });

  it("in Excel, inserts the table through the bridge and says where", async () => {
    const user = userEvent.setup();
    const insertTable = vi.fn(async () => ({ sheet: "Portfolio (2)", address: "'Portfolio (2)'!A1:J4" }));
    const excel = { insertTable, onSelectionChanged: vi.fn(async () => async () => undefined) } as unknown as ExcelBridge;
    renderPane(fakeServices({ host: "excel", excel }), sites);
    await user.click(await screen.findByRole("button", { name: "Insert into Excel as a table" }));
    await screen.findByText(/Inserted the table on the new sheet Portfolio \(2\)/);
    expect(insertTable).toHaveBeenCalledWith(portfolioCells(table), 3, "Portfolio");
  });

  it("leaves out a site that cannot be valued, and says so", async () => {
    renderPane(fakeServices(), [...sites, { id: "d", name: "Broken", overrides: { site_mw: "-1" } }]);
    await screen.findByRole("table", { name: "Portfolio" });
    expect(screen.getByText("1 site(s) left out: fix them on the Sites tab.")).toBeTruthy();
    expect(rowNames()).toEqual(["Alpha", "Beta", "Gamma", "Total", "MW-weighted average"]);
  });
});
