/**
 * Saved assumption sets: with the workbook in Excel (Office.context.document.settings, which
 * Excel stores inside the file), in the browser's local storage outside Office. A set is a
 * name and the overrides of the shared set, as the pane keeps them (text by key).
 */
import { findDef, type AssumptionKey } from "../core/index.js";
import type { Overrides } from "./model.js";
import { officeGlobal } from "./office.js";

export interface SavedSet {
  readonly name: string;
  readonly overrides: Overrides;
  /** ISO date-time of the save. */
  readonly savedAt: string;
}

export interface SetStore {
  /** Where the sets live, in words for the UI. */
  readonly where: string;
  list(): Promise<SavedSet[]>;
  save(set: SavedSet): Promise<void>;
  remove(name: string): Promise<void>;
}

export const SETTINGS_KEY = "minepivot.assumptionSets";

/** Longest saved-set name kept; longer ones are cut (a shared workbook may carry anything). */
const MAX_NAME = 100;

/** One stored override as the text the pane edits, or undefined when it cannot be one. */
function storedText(value: unknown): string | undefined {
  if (typeof value === "string") return value.slice(0, 1_000);
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  if (typeof value === "boolean") return value ? "TRUE" : "FALSE";
  return undefined;
}

/**
 * Saved sets as read from storage, validated: the workbook's settings travel with a shared
 * file, so they may hold anything. Sets without a name or overrides are dropped, as are
 * unknown keys and values that cannot be text; the rest is kept as the pane expects it.
 */
export function cleanSavedSets(raw: unknown): SavedSet[] {
  if (!Array.isArray(raw)) return [];
  const sets: SavedSet[] = [];
  for (const item of raw.slice(0, 1_000)) {
    if (item === null || typeof item !== "object") continue;
    const { name, overrides, savedAt } = item as Record<string, unknown>;
    if (typeof name !== "string" || name.trim() === "" || overrides === null || typeof overrides !== "object" || Array.isArray(overrides)) continue;
    const kept: Overrides = {};
    for (const [key, value] of Object.entries(overrides)) {
      const text = storedText(value);
      if (findDef(key) && text !== undefined) kept[key as AssumptionKey] = text;
    }
    if (sets.some((set) => set.name === name.slice(0, MAX_NAME))) continue;
    sets.push({ name: name.slice(0, MAX_NAME), overrides: kept, savedAt: typeof savedAt === "string" ? savedAt.slice(0, 40) : "" });
  }
  return sets;
}

function upsert(sets: SavedSet[], set: SavedSet): SavedSet[] {
  return [...sets.filter((other) => other.name !== set.name), set].sort((a, b) => a.name.localeCompare(b.name));
}

/** Sets saved in the workbook's settings (Excel keeps them in the file). */
export function workbookStore(settings: Office.Settings): SetStore {
  const read = () => cleanSavedSets(settings.get(SETTINGS_KEY));
  const write = (sets: SavedSet[]) =>
    new Promise<void>((resolve, reject) => {
      settings.set(SETTINGS_KEY, sets);
      settings.saveAsync((result) =>
        String(result.status) === "succeeded" ? resolve() : reject(new Error(result.error?.message ?? "the workbook settings could not be saved")),
      );
    });
  return {
    where: "this workbook",
    list: async () => read(),
    save: (set) => write(upsert(read(), set)),
    remove: (name) => write(read().filter((set) => set.name !== name)),
  };
}

/** Sets saved in the browser (outside Office), or in memory where storage is unavailable. */
export function browserStore(storage: Pick<Storage, "getItem" | "setItem"> | undefined): SetStore {
  let memory: SavedSet[] = [];
  const read = (): SavedSet[] => {
    if (!storage) return memory;
    try {
      return cleanSavedSets(JSON.parse(storage.getItem(SETTINGS_KEY) ?? "[]"));
    } catch {
      return [];
    }
  };
  const write = async (sets: SavedSet[]) => {
    memory = sets;
    storage?.setItem(SETTINGS_KEY, JSON.stringify(sets));
  };
  return {
    where: storage ? "this browser" : "this session",
    list: async () => read(),
    save: (set) => write(upsert(read(), set)),
    remove: (name) => write(read().filter((set) => set.name !== name)),
  };
}

/** The store for the host the pane runs in. */
export function defaultStore(host: "excel" | "browser"): SetStore {
  const settings = officeGlobal()?.context?.document?.settings;
  if (host === "excel" && settings) return workbookStore(settings);
  let storage: Storage | undefined;
  try {
    storage = typeof localStorage === "undefined" ? undefined : localStorage;
  } catch {
    storage = undefined;
  }
  return browserStore(storage);
}

/** Saves bytes or text as a file through a temporary link (a plain browser, or Excel on the web). */
export function downloadFile(data: Blob | Uint8Array | string, filename: string, type: string): void {
  const blob = new Blob([data as BlobPart], { type });
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  link.style.display = "none";
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
