// @vitest-environment jsdom
/**
 * Audit: the explain trace of a MINEPIVOT cell (Excel) or of any metric of a site (anywhere):
 * steps with formula in words, value and unit; assumptions from the range (with a jump to the
 * cell) apart from the defaults; the cell's own error message when its input is bad.
 */
import { cleanup, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { DEFAULTS, explain, withValues } from "../src/core/index.js";
import { auditCall, offsetAddress } from "../src/taskpane/audit.js";
import { formatNumber } from "../src/taskpane/model.js";
import type { CellCall, ExcelBridge } from "../src/taskpane/office.js";
import { fakeServices, renderPane } from "./helpers/taskpane.js";

afterEach(cleanup);

const RANGE = [
  ["key", "value", "unit"],
  ["lease_rate", 150, "USD/kW-month"],
  ["btc_price", "$100,000", "USD"],
  ["", "", ""],
];

function bridge(cell: CellCall): ExcelBridge {
  return {
    readSelectedCall: vi.fn(async () => cell),
    select: vi.fn(async () => undefined),
    onSelectionChanged: vi.fn(async () => async () => undefined),
  } as unknown as ExcelBridge;
}

describe("auditCall (pure)", () => {
  it("explains a metric function with its range, marking range keys with their value cells", () => {
    const outcome = auditCall("EQUITY_PER_WATT", [
      { kind: "value", value: "shell" },
      { kind: "range", address: "Inputs!A2:C5", values: RANGE },
    ]);
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    const a = withValues(DEFAULTS, { lease_rate: 150, btc_price: 100_000 });
    expect(outcome.result.steps).toEqual(explain("powered_shell", "equity_per_watt", a));
    const lease = outcome.result.assumptions.find((item) => item.key === "lease_rate")!;
    expect(lease).toMatchObject({ origin: "range", value: 150, cell: "Inputs!B3" });
    expect(outcome.result.assumptions.find((item) => item.key === "exit_cap_rate")).toMatchObject({ origin: "default" });
    // btc_price affects the powered shell (it mines while it builds) and comes from the range;
    // gpu_rate does not affect it, so it is not listed as used.
    expect(outcome.result.assumptions.find((item) => item.key === "btc_price")).toMatchObject({ origin: "range", value: 100_000 });
    expect(outcome.result.assumptions.some((item) => item.key === "gpu_rate")).toBe(false);
  });

  it("reads EXPLAIN, COST_TO_MINE and BREAKEVEN_POWER's metric from the call", () => {
    const explainCall = auditCall("EXPLAIN", [{ kind: "value", value: "gpu" }, { kind: "value", value: "npv" }, { kind: "missing" }]);
    expect(explainCall.ok && [explainCall.result.scenario, explainCall.result.metric]).toEqual(["colocated_gpu", "npv_usd"]);
    const cost = auditCall("COST_TO_MINE", [{ kind: "missing" }, { kind: "value", value: "all in" }]);
    expect(cost.ok && [cost.result.scenario, cost.result.metric]).toEqual(["mining", "cost_to_mine_all_in"]);
    const breakeven = auditCall("BREAKEVEN_POWER", []);
    expect(breakeven.ok && breakeven.result.metric).toBe("breakeven_power");
  });

  it("gives the cell's own #VALUE! message for bad input, and says which functions it explains", () => {
    const bad = auditCall("NPV", [
      { kind: "value", value: "shell" },
      { kind: "range", address: "Inputs!A1:B1", values: [["lease_rate", -5]] },
    ]);
    expect(bad).toEqual({ ok: false, message: "assumptions row 1, lease_rate: -5 is out of range; expected a number from 0 to 10,000 USD/kW-month" });
    const unknown = auditCall("HASHPRICE", [{ kind: "value", value: 90000 }]);
    expect(!unknown.ok && unknown.message).toMatch(/^MINEPIVOT\.HASHPRICE has no audit trail\. The audit explains MINEPIVOT\.EQUITY_PER_WATT/);
    const nested = auditCall("NPV", [{ kind: "unsupported", text: "IF(A1,B1,C1)" }]);
    expect(!nested.ok && nested.message).toMatch(/IF\(A1,B1,C1\) is an expression the audit cannot evaluate/);
  });

  it("offsets addresses within a range, quoted sheet names included", () => {
    expect(offsetAddress("Inputs!A2:B40", 3, 1)).toBe("Inputs!B5");
    expect(offsetAddress("'My inputs'!$Y$9:$Z$20", 0, 2)).toBe("'My inputs'!AA9");
    expect(offsetAddress("C3", 1, 0)).toBe("C4");
  });
});

describe("Audit panel", () => {
  it("outside Office, audits any metric of a site in the pane", async () => {
    const user = userEvent.setup();
    renderPane();
    await user.click(screen.getByRole("tab", { name: "Audit" }));
    await screen.findByRole("combobox", { name: "Metric" });
    await user.selectOptions(screen.getByRole("combobox", { name: "Scenario" }), "mining");
    await user.selectOptions(screen.getByRole("combobox", { name: "Metric" }), "cost_to_mine_cash");
    const steps = explain("mining", "cost_to_mine_cash", DEFAULTS);
    const trace = screen.getByRole("table", { name: "Explain trace" });
    const rows = within(trace).getAllByRole("row").slice(1);
    expect(rows).toHaveLength(steps.length);
    const last = steps[steps.length - 1]!;
    expect(within(rows[rows.length - 1]!).getByText(`= ${last.formula}`)).toBeTruthy();
    expect(within(rows[rows.length - 1]!).getByText(formatNumber(last.value as number, last.unit))).toBeTruthy();
    expect(screen.getByText(/0 from your inputs, \d+ at their defaults\./)).toBeTruthy();
  });

  it("in Excel, audits the selected MINEPIVOT cell and jumps to an input cell", async () => {
    const user = userEvent.setup();
    const excel = bridge({
      address: "Model!C3",
      formula: '=MINEPIVOT.EQUITY_PER_WATT("shell",Inputs!A2:C5)',
      value: 6.1,
      call: {
        id: "EQUITY_PER_WATT",
        args: [
          { kind: "value", value: "shell" },
          { kind: "range", address: "Inputs!A2:C5", values: RANGE },
        ],
      },
    });
    renderPane(fakeServices({ host: "excel", excel }));
    await user.click(screen.getByRole("tab", { name: "Audit" }));
    await user.click(await screen.findByRole("button", { name: "Audit the selected cell" }));
    expect(await screen.findByText("Equity value per watt, Powered shell")).toBeTruthy();
    expect(screen.getByText('=MINEPIVOT.EQUITY_PER_WATT("shell",Inputs!A2:C5)')).toBeTruthy();
    // lease_rate and btc_price both come from the range: the shell mines while it builds.
    expect(screen.getByText(/2 from the range Inputs!A2:C5, \d+ at their defaults\./)).toBeTruthy();
    const fromRange = screen.getByRole("table", { name: "Assumptions from the range" });
    expect(within(fromRange).getByText("lease_rate")).toBeTruthy();
    expect(within(fromRange).getByText(/From Inputs!B3 · as of/)).toBeTruthy();
    await user.click(screen.getByRole("button", { name: "Go to Inputs!B3 (lease_rate)" }));
    expect(excel.select).toHaveBeenCalledWith("Inputs!B3");
    // Defaults are listed too, with their source, behind a disclosure.
    await user.click(screen.getByRole("button", { name: /Defaults used/ }));
    expect(within(screen.getByRole("table", { name: "Assumptions at their defaults" })).getByText("exit_cap_rate")).toBeTruthy();
  });

  it("in Excel, explains why a cell cannot be audited", async () => {
    const user = userEvent.setup();
    const excel = bridge({ address: "Sheet1!A1", formula: "=SUM(B1:B3)", value: 6 });
    renderPane(fakeServices({ host: "excel", excel }));
    await user.click(screen.getByRole("tab", { name: "Audit" }));
    await user.click(await screen.findByRole("button", { name: "Audit the selected cell" }));
    expect(await screen.findByText(/This cell holds no MINEPIVOT formula/)).toBeTruthy();
  });

  it("for COMPARE, lets the user pick the scenario to explain", async () => {
    const user = userEvent.setup();
    const excel = bridge({ address: "Sheet1!A1", formula: "=MINEPIVOT.COMPARE()", value: "Metric", call: { id: "COMPARE", args: [] } });
    renderPane(fakeServices({ host: "excel", excel }));
    await user.click(screen.getByRole("tab", { name: "Audit" }));
    await user.click(await screen.findByRole("button", { name: "Audit the selected cell" }));
    await user.selectOptions(await screen.findByRole("combobox", { name: "Scenario to explain" }), "hybrid");
    expect(screen.getByText("Equity value per watt, Hybrid")).toBeTruthy();
  });
});
