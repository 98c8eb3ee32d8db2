/** The ribbon commands, with a stand-in for Office.js and without one. */
import { describe, expect, it } from "vitest";
import { registerCommands } from "../src/commands/commands.js";

describe("ribbon commands", () => {
  it("register nothing where Office.js is absent", () => {
    expect(registerCommands(undefined)).toEqual([]);
  });

  it("associate showTaskpane, which opens the task pane and completes the event", async () => {
    const actions = new Map<string, (event?: { completed(): void }) => void>();
    let shown = 0;
    const office = {
      onReady: () => Promise.resolve({}),
      actions: { associate: (name: string, action: (event?: { completed(): void }) => void) => actions.set(name, action) },
      addin: { showAsTaskpane: () => Promise.resolve(void shown++) },
    };
    expect(registerCommands(office)).toEqual(["showTaskpane"]);
    const completed = new Promise<void>((resolve) => actions.get("showTaskpane")!({ completed: resolve }));
    await completed;
    expect(shown).toBe(1);
  });
});
