// @vitest-environment jsdom
/** The Sites panel: add, edit (inline validation), remove, import from pasted CSV and from the selected Excel range. */
import { cleanup, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { ExcelBridge } from "../src/taskpane/office.js";
import { fakeServices, renderPane } from "./helpers/taskpane.js";

afterEach(cleanup);

async function openSites(user: ReturnType<typeof userEvent.setup>) {
  await user.click(screen.getByRole("tab", { name: "Sites" }));
  // The first render pays for loading Fluent UI: slow on a busy machine, so wait longer than the default second.
  return screen.findByRole("heading", { name: /^Sites \(/ }, { timeout: 15_000 });
}

describe("Sites panel", () => {
  it("starts with the example site, adds, edits with inline validation, and removes", async () => {
    const user = userEvent.setup();
    renderPane();
    await openSites(user);
    expect(screen.getByRole("heading", { name: "Sites (1)" })).toBeTruthy();
    expect(screen.getByText(/100 MW · 45 USD\/MWh · shared set/)).toBeTruthy();

    await user.click(screen.getByRole("button", { name: "Add site" }));
    expect(screen.getByRole("heading", { name: "Sites (2)" })).toBeTruthy();
    const name = screen.getByRole("textbox", { name: /Site name/ });
    await user.clear(name);
    await user.type(name, "Texas A");
    const power = screen.getByRole("textbox", { name: "Delivered power price (USD/MWh)" });
    expect(power.getAttribute("placeholder")).toBe("45");
    await user.type(power, "-5");
    expect(screen.getByText(/^power_price: "-5" is out of range; expected a number from 0 to 1,000 USD\/MWh$/)).toBeTruthy();
    expect(power.getAttribute("aria-invalid")).toBe("true");
    await user.click(screen.getByRole("button", { name: /Reset Delivered power price/ }));
    await user.type(power, "38");
    expect(power.getAttribute("aria-invalid")).not.toBe("true");
    await user.click(screen.getByRole("button", { name: "Done" }));
    expect(screen.getByRole("heading", { name: "Texas A" })).toBeTruthy();
    expect(screen.getByText(/100 MW · 38 USD\/MWh · 1 own value/)).toBeTruthy();

    await user.click(screen.getByRole("button", { name: "Remove Example 100 MW site" }));
    await user.click(screen.getByRole("button", { name: "Remove Texas A" }));
    expect(screen.getByText(/No sites yet/)).toBeTruthy();
    await user.click(screen.getByRole("button", { name: "Restore the example site" }));
    expect(screen.getByRole("heading", { name: "Example 100 MW site" })).toBeTruthy();
  });

  it("imports pasted CSV, and shows the parser's error naming row and column", async () => {
    const user = userEvent.setup();
    renderPane();
    await openSites(user);
    const box = screen.getByRole("textbox", { name: "Or paste CSV" });
    await user.click(box);
    await user.paste("name,site_mw,power_price\nTexas A,150,38\nQuebec,80,abc");
    await user.click(screen.getByRole("button", { name: "Import CSV" }));
    expect(screen.getByText(/csv row 3, column power_price: "abc" is not allowed/)).toBeTruthy();
    await user.clear(box);
    await user.paste("name,site_mw,power_price\nTexas A,150,38\nQuebec,80,30");
    await user.click(screen.getByRole("button", { name: "Import CSV" }));
    expect(screen.getByText("Imported 2 sites from the CSV.")).toBeTruthy();
    expect(screen.getByRole("heading", { name: "Sites (2)" })).toBeTruthy();
    expect(screen.getByText(/150 MW · 38 USD\/MWh · 2 own values/)).toBeTruthy();
  });

  it("in Excel, imports the selected range (appending when asked)", async () => {
    const user = userEvent.setup();
    const excel = {
      readSelection: vi.fn(async () => ({
        address: "Sites!A1:C3",
        values: [
          ["name", "site_mw", "power_price"],
          ["Texas A", 150, 38],
          ["Quebec", 80, ""],
        ],
        formulas: [],
      })),
    } as unknown as ExcelBridge;
    renderPane(fakeServices({ host: "excel", excel }));
    await openSites(user);
    await user.click(screen.getByRole("checkbox", { name: "Replace the current sites" }));
    await user.click(screen.getByRole("button", { name: "Import the selected range" }));
    expect(await screen.findByText("Imported 2 sites from Sites!A1:C3.")).toBeTruthy();
    const list = screen.getByRole("list");
    expect(
      within(list)
        .getAllByRole("heading")
        .map((h) => h.textContent),
    ).toEqual(["Example 100 MW site", "Texas A", "Quebec"]);
  });

  it("outside Excel, range import is disabled and says why", async () => {
    const user = userEvent.setup();
    renderPane();
    await openSites(user);
    expect((screen.getByRole("button", { name: "Import the selected range" }) as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByText(/Importing a range works inside Excel/)).toBeTruthy();
  });

  it("flags duplicate names and blocks them on the Build tab", async () => {
    const user = userEvent.setup();
    renderPane();
    await openSites(user);
    await user.click(screen.getByRole("button", { name: "Add site" }));
    const name = screen.getByRole("textbox", { name: /Site name/ });
    await user.clear(name);
    await user.type(name, "Example 100 MW site");
    await user.click(screen.getByRole("button", { name: "Done" }));
    expect(within(screen.getByRole("tabpanel")).getAllByText(/Two sites are called "Example 100 MW site"/)).toHaveLength(2);
    await user.click(screen.getByRole("tab", { name: "Build" }));
    expect(((await screen.findByRole("button", { name: "Generate workbook" })) as HTMLButtonElement).disabled).toBe(true);
  });
});
