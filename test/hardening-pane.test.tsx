// @vitest-environment jsdom
/**
 * Issue 14, point 7: a malformed saved set (a shared workbook can carry one) must not blank the
 * pane. Stored data is validated on read, and a panel that fails anyway is replaced by a
 * message while the rest of the pane keeps working.
 */
import { cleanup, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { DEFAULTS } from "../src/core/index.js";
import { generateWorkbook } from "../src/taskpane/generate.js";
import { MAX_WORKBOOK_SITES } from "../src/workbook/limits.js";
import { PanelBoundary } from "../src/taskpane/panels/PanelBoundary.js";
import { SETTINGS_KEY, browserStore, cleanSavedSets, workbookStore } from "../src/taskpane/storage.js";
import { fakeServices, memoryStorage, renderPane } from "./helpers/taskpane.js";

afterEach(cleanup);

const MALFORMED: unknown = [
  { name: "Numbers", overrides: { site_mw: 250, btc_price: "95000", tax_loss_carryforward: false, power_price: { value: 40 }, constructor: "1" }, savedAt: 7 },
  { name: 5, overrides: {} },
  { name: "No overrides", overrides: "site_mw=1" },
  { name: "Array", overrides: [["site_mw", "1"]] },
  null,
  "text",
  { name: "   ", overrides: {} },
];

describe("7. stored sets are validated on read", () => {
  it("keeps what can be text under a known key and drops the rest", () => {
    expect(cleanSavedSets(MALFORMED)).toEqual([
      { name: "Numbers", overrides: { site_mw: "250", btc_price: "95000", tax_loss_carryforward: "FALSE" }, savedAt: "" },
    ]);
    expect(cleanSavedSets({ not: "a list" })).toEqual([]);
  });

  it("from the workbook's settings, as a shared workbook carries them", async () => {
    const settings = { get: vi.fn(() => MALFORMED), set: vi.fn(), saveAsync: vi.fn() } as unknown as Office.Settings;
    const sets = await workbookStore(settings).list();
    expect(sets.map((set) => set.name)).toEqual(["Numbers"]);
    for (const value of Object.values(sets[0]!.overrides)) expect(typeof value).toBe("string");
  });

  it("the pane loads such a set instead of going blank", async () => {
    const storage = memoryStorage();
    storage.setItem(SETTINGS_KEY, JSON.stringify(MALFORMED));
    const user = userEvent.setup();
    renderPane(fakeServices({ store: browserStore(storage) }));
    await user.click(screen.getByRole("tab", { name: "Assumptions" }));
    await screen.findByRole("heading", { name: "Assumptions" }, { timeout: 30_000 });
    await user.selectOptions(screen.getByRole("combobox", { name: "Preset or saved set" }), "saved:Numbers");
    expect((screen.getByLabelText("Site power capacity (MW)") as HTMLInputElement).value).toBe("250");
    await user.click(screen.getByRole("tab", { name: "Sites" }));
    expect(screen.getByRole("tab", { name: "Build" })).toBeTruthy();
  });
});

describe("7. a panel that fails is contained", () => {
  it("shows what failed, keeps its siblings, and can try again", async () => {
    const consoleError = vi.spyOn(console, "error").mockImplementation(() => undefined);
    let broken = true;
    function Fragile() {
      if (broken) throw new Error("r.trim is not a function");
      return <p>recovered</p>;
    }
    render(
      <div>
        <PanelBoundary label="Assumptions">
          <Fragile />
        </PanelBoundary>
        <p>sibling</p>
      </div>,
    );
    expect(screen.getByText("The Assumptions panel could not be shown.")).toBeTruthy();
    expect(screen.getByText(/r\.trim is not a function/)).toBeTruthy();
    expect(screen.getByText("sibling")).toBeTruthy();
    broken = false;
    await userEvent.setup().click(screen.getByRole("button", { name: "Try again" }));
    expect(screen.getByText("recovered")).toBeTruthy();
    consoleError.mockRestore();
  });
});

describe("5. the pane refuses a portfolio too large for one workbook before any work", () => {
  it("says how many sites one workbook holds, and builds nothing", async () => {
    const build = vi.fn();
    const many = Array.from({ length: MAX_WORKBOOK_SITES + 1 }, (_, i) => ({ name: `S${i}`, values: DEFAULTS }));
    await expect(
      generateWorkbook(
        { sites: many, scenarios: ["mining"], output: "download", generatedOn: "2026-01-01" },
        { runsOn: "worker", buildPlan: build, buildXlsx: build, download: vi.fn() },
      ),
    ).rejects.toThrow(`${MAX_WORKBOOK_SITES + 1} sites are too many for one workbook; it holds at most ${MAX_WORKBOOK_SITES}`);
    expect(build).not.toHaveBeenCalled();
  });
});
