/**
 * The task pane under test: the App with stand-in services (a host, a set store, a workbook
 * builder and writer, downloads and the clipboard), so each panel is exercised in jsdom
 * without Office.js or the .wasm writer.
 */
import { configure, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { vi } from "vitest";
import { buildWorkbookPlan } from "../../src/workbook/build.js";
import { App, type PaneServices } from "../../src/taskpane/App.js";
import type { PaneSite } from "../../src/taskpane/model.js";
import { browserStore } from "../../src/taskpane/storage.js";

// A panel's first lazy import is transformed on demand by vitest, which can take seconds on a busy machine.
configure({ asyncUtilTimeout: 15_000 });

// jsdom has no ResizeObserver (Fluent's MessageBar measures itself for reflow): a no-op one.
if (typeof globalThis.ResizeObserver === "undefined") {
  globalThis.ResizeObserver = class {
    observe(): void {}
    unobserve(): void {}
    disconnect(): void {}
  } as unknown as typeof ResizeObserver;
}

/** An in-memory Storage for the browser set store. */
export function memoryStorage(): Pick<Storage, "getItem" | "setItem"> {
  const items = new Map<string, string>();
  return { getItem: (key) => items.get(key) ?? null, setItem: (key, value) => void items.set(key, value) };
}

/** A file as the workbook jobs return it; jsdom's Blob cannot read itself back, so this one can. */
export function fileOf(bytes: Uint8Array): Blob {
  return Object.assign(new Blob([bytes as BlobPart]), { arrayBuffer: async () => bytes.buffer });
}

export function fakeServices(overrides: Partial<PaneServices> = {}): PaneServices {
  return {
    host: "browser",
    store: browserStore(memoryStorage()),
    generate: {
      runsOn: "worker",
      buildPlan: vi.fn(async (sites, scenarios, generatedOn) => buildWorkbookPlan(sites, { scenarios, generatedOn })),
      buildXlsx: vi.fn(async (sites, scenarios, generatedOn) => ({
        file: fileOf(new Uint8Array([0x50, 0x4b, 3, 4])),
        sheets: buildWorkbookPlan(sites, { scenarios, generatedOn }).sheets.length,
      })),
      download: vi.fn(),
    },
    download: vi.fn(),
    copy: vi.fn(async () => undefined),
    today: () => "2026-01-15",
    ...overrides,
  };
}

export function renderPane(services: PaneServices = fakeServices(), initialSites?: PaneSite[]) {
  return { services, ...render(<App services={services} {...(initialSites ? { initialSites } : {})} />) };
}

/** Opens the Build tab (the pane opens on Results) and waits for its panel to load. */
export async function openBuild(): Promise<void> {
  await userEvent.setup().click(screen.getByRole("tab", { name: "Build" }));
  await screen.findByRole("button", { name: "Generate workbook" });
}
