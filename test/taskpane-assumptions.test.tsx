// @vitest-environment jsdom
/**
 * The Assumptions panel: fields generated from the registry (unit, range check, source and
 * as-of, reset), the scenario filter, presets, sets saved in the store, JSON files out and in.
 */
import { cleanup, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { REGISTRY, keysFor } from "../src/core/index.js";
import { fakeServices, memoryStorage, renderPane } from "./helpers/taskpane.js";
import { browserStore, workbookStore } from "../src/taskpane/storage.js";

afterEach(cleanup);

async function openAssumptions(user: ReturnType<typeof userEvent.setup>) {
  await user.click(screen.getByRole("tab", { name: "Assumptions" }));
  await screen.findByRole("heading", { name: "Assumptions" }, { timeout: 30_000 });
}

describe("Assumptions panel", () => {
  it("generates a field per registry key, with unit, source and as-of date, grouped and filtered by scenario", async () => {
    const user = userEvent.setup();
    renderPane();
    await openAssumptions(user);
    // The site group is open; open the others.
    for (const name of [
      "Bitcoin market",
      "Mining fleet",
      "Conversion",
      "Powered-shell lease",
      "Project debt",
      "GPU cloud",
      "Hybrid split",
      "Risk \\(Monte Carlo\\)",
    ]) {
      await user.click(screen.getByRole("button", { name: new RegExp(`^${name}`) }));
    }
    const numberKeys = REGISTRY.filter((def) => def.kind !== "boolean");
    for (const def of numberKeys) {
      const label = def.unit === "date" ? def.label : `${def.label} (${def.unit})`;
      expect(screen.getByLabelText(label), def.key).toBeTruthy();
    }
    const power = REGISTRY.find((def) => def.key === "power_price")!;
    expect(screen.getByText(new RegExp(`power_price · a number from 0 to 1,000 USD/MWh\\. Default source: .*\\(as of ${power.asOf}\\)`))).toBeTruthy();
    expect(screen.getByRole("checkbox", { name: "Carry tax losses forward" })).toBeTruthy();

    await user.selectOptions(screen.getByRole("combobox", { name: "Show assumptions for" }), "powered_shell");
    const shown = screen.getAllByRole("textbox").map((box) => box.getAttribute("name")?.replace(/^shared-/, ""));
    const dates = REGISTRY.filter((def) => def.kind === "date").map((def) => def.key);
    // The valuation's keys and the risk keys that move the shell's simulated value.
    const expected = REGISTRY.filter((def) => def.kind === "number" && (def.scenarios as readonly string[]).includes("powered_shell")).map((def) => def.key);
    expect(expected).toEqual(
      expect.arrayContaining([...keysFor("powered_shell").filter((key) => REGISTRY.find((def) => def.key === key)!.kind === "number"), "tenant_default_rate"]),
    );
    expect(shown.filter((key): key is string => !!key && !dates.includes(key as never)).sort()).toEqual([...expected].sort());
    // Mining keys stay (a conversion mines while it builds); GPU keys do not.
    const gpuCapex = REGISTRY.find((def) => def.key === "gpu_capex")!;
    expect(screen.queryByLabelText(`${gpuCapex.label} (${gpuCapex.unit})`)).toBeNull();
  });

  it("validates inline, counts invalid values, and resets a field to its default", async () => {
    const user = userEvent.setup();
    renderPane();
    await openAssumptions(user);
    const mw = screen.getByLabelText("Site power capacity (MW)");
    expect(mw.getAttribute("placeholder")).toBe("100");
    await user.type(mw, "0");
    expect(screen.getByText(/^site_mw: "0" is out of range; expected a number from 0.000001 to 100,000 MW$/)).toBeTruthy();
    expect(screen.getByText(/1 value is invalid: site_mw/)).toBeTruthy();
    expect((screen.getByRole("button", { name: "Export JSON" }) as HTMLButtonElement).disabled).toBe(true);
    await user.click(screen.getByRole("button", { name: "Reset Site power capacity to the default (100)" }));
    expect((mw as HTMLInputElement).value).toBe("");
    expect(screen.queryByText(/is invalid/)).toBeNull();
  });

  it("applies presets and shows Custom once a value changes", async () => {
    const user = userEvent.setup();
    renderPane();
    await openAssumptions(user);
    const picker = screen.getByRole("combobox", { name: "Preset or saved set" }) as HTMLSelectElement;
    expect(picker.value).toBe("preset:late-2025");
    await user.selectOptions(picker, "preset:bull");
    expect(screen.getByText(/BTC at 150,000 USD/)).toBeTruthy();
    await user.click(screen.getByRole("button", { name: /^Bitcoin market/ }));
    expect((screen.getByLabelText("Bitcoin price (USD)") as HTMLInputElement).value).toBe("150000");
    await user.type(screen.getByLabelText("Site power capacity (MW)"), "50");
    expect(picker.value).toBe("custom");
    await user.click(screen.getByRole("button", { name: "Reset all" }));
    expect(picker.value).toBe("preset:late-2025");
  });

  it("prices the set like a public deal, keeping its other values", async () => {
    const user = userEvent.setup();
    renderPane();
    await openAssumptions(user);
    await user.type(screen.getByLabelText("Site power capacity (MW)"), "50");
    const picker = screen.getByRole("combobox", { name: "Preset or saved set" }) as HTMLSelectElement;
    await user.selectOptions(picker, "deal:hut8-fluidstack");
    expect(screen.getByText(/^Priced like Hut 8 → Fluidstack \(Anthropic\), River Bend: lease_rate 128\.016/)).toBeTruthy();
    expect((screen.getByLabelText("Site power capacity (MW)") as HTMLInputElement).value).toBe("50");
    await user.click(screen.getByRole("button", { name: /^Powered-shell lease/ }));
    expect((screen.getByLabelText("Lease escalator (/yr)") as HTMLInputElement).value).toBe("0.03");
    await user.selectOptions(picker, "preset:mid-2026");
    expect(screen.getByText(/^Market snapshot 2026-06\./)).toBeTruthy();
    expect(picker.value).toBe("preset:mid-2026");
  });

  it("saves a named set in the store and loads it back", async () => {
    const user = userEvent.setup();
    const store = browserStore(memoryStorage());
    renderPane(fakeServices({ store }));
    await openAssumptions(user);
    await user.type(screen.getByLabelText("Site power capacity (MW)"), "250");
    await user.type(screen.getByLabelText(/Save this set in this browser/), "Big site");
    await user.click(screen.getByRole("button", { name: "Save set" }));
    await screen.findByText('Saved "Big site" in this browser.');
    expect((await store.list()).map((set) => [set.name, set.overrides])).toEqual([["Big site", { site_mw: "250" }]]);
    const picker = screen.getByRole("combobox", { name: "Preset or saved set" }) as HTMLSelectElement;
    expect(picker.value).toBe("saved:Big site");
    await user.click(screen.getByRole("button", { name: "Reset all" }));
    await user.selectOptions(picker, "saved:Big site");
    expect((screen.getByLabelText("Site power capacity (MW)") as HTMLInputElement).value).toBe("250");
    await user.click(screen.getByRole("button", { name: "Delete saved set" }));
    await waitFor(async () => expect(await store.list()).toEqual([]));
  });

  it("exports JSON the CLI reads, and imports it back with validation", async () => {
    const user = userEvent.setup();
    const download = vi.fn();
    renderPane(fakeServices({ download }));
    await openAssumptions(user);
    await user.selectOptions(screen.getByRole("combobox", { name: "Preset or saved set" }), "preset:bear");
    await user.type(screen.getByLabelText("Valuation date"), "2026-07-01");
    await user.click(screen.getByRole("button", { name: "Export JSON" }));
    const [text, filename, type] = download.mock.calls[0]!;
    expect(filename).toBe("minepivot-assumptions-custom.json");
    expect(type).toBe("application/json");
    const data = JSON.parse(text as string);
    expect(data).toMatchObject({ btc_price: 60000, power_price: 55, valuation_date: "2026-07-01", utilization: 0.75 });

    await user.click(screen.getByRole("button", { name: "Reset all" }));
    const input = screen.getByLabelText("Assumptions JSON file");
    await user.upload(input, new File([JSON.stringify({ BTC_Price: "$95,000", lease_rate: 140 })], "set.json", { type: "application/json" }));
    await screen.findByText("Imported 2 values from set.json.");
    expect((screen.getByLabelText("Site power capacity (MW)") as HTMLInputElement).value).toBe("");
    await user.upload(input, new File([JSON.stringify({ lease_rat: 140 })], "bad.json", { type: "application/json" }));
    await screen.findByText(/bad\.json row 1: unknown assumption key "lease_rat"; did you mean "lease_rate"\?/);
  });
});

describe("workbook settings store", () => {
  it("keeps sets in Office settings and saves them with the workbook", async () => {
    const values = new Map<string, unknown>();
    const saveAsync = vi.fn((callback: (result: { status: string }) => void) => callback({ status: "succeeded" }));
    const settings = {
      get: (key: string) => values.get(key),
      set: (key: string, value: unknown) => void values.set(key, value),
      saveAsync,
    } as unknown as Office.Settings;
    const store = workbookStore(settings);
    expect(store.where).toBe("this workbook");
    await store.save({ name: "B", overrides: { btc_price: "1" }, savedAt: "2026-01-01T00:00:00Z" });
    await store.save({ name: "A", overrides: {}, savedAt: "2026-01-01T00:00:00Z" });
    expect((await store.list()).map((set) => set.name)).toEqual(["A", "B"]);
    expect(saveAsync).toHaveBeenCalledTimes(2);
    await store.remove("B");
    expect((await store.list()).map((set) => set.name)).toEqual(["A"]);
    const failing = workbookStore({
      ...settings,
      saveAsync: (callback: (result: unknown) => void) => callback({ status: "failed", error: { message: "read-only" } }),
    } as unknown as Office.Settings);
    await expect(failing.save({ name: "C", overrides: {}, savedAt: "" })).rejects.toThrow("read-only");
  });
});
