// @vitest-environment jsdom
/** Insert formula: the builder (pure) and the panel (insert into the active cell in Excel, copy elsewhere). */
import { cleanup, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { parseMinepivotCall } from "../src/excel/formulaCall.js";
import { DEFAULT_CHOICE, FORMULA_FUNCTIONS, buildFormula, rangeError } from "../src/taskpane/formula.js";
import type { ExcelBridge } from "../src/taskpane/office.js";
import golden from "./golden/functions.json";
import { fakeServices, renderPane } from "./helpers/taskpane.js";

afterEach(cleanup);

describe("buildFormula", () => {
  it("writes each function with its arguments, leaving trailing defaults out", () => {
    expect(buildFormula({ ...DEFAULT_CHOICE, range: "Inputs!A2:B40" })).toBe('=MINEPIVOT.EQUITY_PER_WATT("powered_shell", Inputs!A2:B40)');
    expect(buildFormula({ ...DEFAULT_CHOICE, id: "NPV" })).toBe('=MINEPIVOT.NPV("powered_shell")');
    expect(buildFormula({ ...DEFAULT_CHOICE, id: "CASHFLOWS", scenario: "hybrid", period: "monthly" })).toBe('=MINEPIVOT.CASHFLOWS("hybrid", , "monthly")');
    expect(buildFormula({ ...DEFAULT_CHOICE, id: "EXPLAIN", metric: "irr", range: "'My inputs'!$A$2:$B$9" })).toBe(
      '=MINEPIVOT.EXPLAIN("powered_shell", "irr", \'My inputs\'!$A$2:$B$9)',
    );
    expect(buildFormula({ ...DEFAULT_CHOICE, id: "COST_TO_MINE", basis: "all_in" })).toBe('=MINEPIVOT.COST_TO_MINE(, "all_in")');
    expect(buildFormula({ ...DEFAULT_CHOICE, id: "COMPARE", range: "site_inputs" })).toBe("=MINEPIVOT.COMPARE(site_inputs)");
  });

  it("every function it offers exists with those parameters in functions.json, and parses back", () => {
    for (const fn of FORMULA_FUNCTIONS) {
      const meta = golden.functions.find((entry) => entry.id === fn.id);
      expect(meta, fn.id).toBeDefined();
      const names = meta!.parameters.map((p) => p.name);
      for (const param of fn.params) expect(names, fn.id).toContain(param);
      const formula = buildFormula({ ...DEFAULT_CHOICE, id: fn.id, range: "Inputs!A2:B40" });
      expect(parseMinepivotCall(formula)?.id).toBe(fn.id);
    }
  });

  it("accepts addresses and names, refuses anything else", () => {
    for (const ok of ["", "A2:B40", "Inputs!A2:B40", "'Site 1'!$A$1:$B$2", "my_inputs"]) expect(rangeError(ok), ok).toBeUndefined();
    for (const bad of ["A2:", "Inputs!", "1+2", "A1 B2"]) expect(rangeError(bad), bad).toMatch(/is not a range/);
  });
});

describe("Formula panel", () => {
  it("in Excel, inserts the formula into the active cell, with the selected range as assumptions", async () => {
    const user = userEvent.setup();
    const excel = {
      readSelection: vi.fn(async () => ({ address: "Inputs!A2:B40", values: [], formulas: [] })),
      insertFormula: vi.fn(async () => "Model!C3"),
    } as unknown as ExcelBridge;
    renderPane(fakeServices({ host: "excel", excel }));
    await user.click(screen.getByRole("tab", { name: "Formula" }));
    await user.selectOptions(await screen.findByRole("combobox", { name: "Function" }), "IRR");
    await user.selectOptions(screen.getByRole("combobox", { name: "Scenario" }), "colocated_gpu");
    await user.click(screen.getByRole("button", { name: "Use the selected range" }));
    expect((screen.getByRole("textbox", { name: /Assumptions range/ }) as HTMLInputElement).value).toBe("Inputs!A2:B40");
    expect(screen.getByLabelText("Formula preview").textContent).toBe('=MINEPIVOT.IRR("colocated_gpu", Inputs!A2:B40)');
    await user.click(screen.getByRole("button", { name: "Insert into the active cell" }));
    expect(excel.insertFormula).toHaveBeenCalledWith('=MINEPIVOT.IRR("colocated_gpu", Inputs!A2:B40)');
    expect(await screen.findByText("Inserted into Model!C3.")).toBeTruthy();
  });

  it("shows only the arguments a function takes, validates the range, and copies outside Excel", async () => {
    const user = userEvent.setup();
    const copy = vi.fn(async () => undefined);
    renderPane(fakeServices({ copy }));
    await user.click(screen.getByRole("tab", { name: "Formula" }));
    await user.selectOptions(await screen.findByRole("combobox", { name: "Function" }), "COMPARE");
    expect(screen.queryByRole("combobox", { name: "Scenario" })).toBeNull();
    expect(screen.queryByRole("button", { name: "Use the selected range" })).toBeNull();
    await user.type(screen.getByRole("textbox", { name: /Assumptions range/ }), "A1 B2");
    expect(screen.getByText(/"A1 B2" is not a range/)).toBeTruthy();
    expect((screen.getByRole("button", { name: "Copy the formula" }) as HTMLButtonElement).disabled).toBe(true);
    await user.clear(screen.getByRole("textbox", { name: /Assumptions range/ }));
    await user.click(screen.getByRole("button", { name: "Copy the formula" }));
    expect(copy).toHaveBeenCalledWith("=MINEPIVOT.COMPARE()");
    expect(await screen.findByText("Copied. Paste it into a cell in Excel.")).toBeTruthy();
  });
});
