/**
 * Saved assumption sets: with the workbook in Excel (Office.context.document.settings, which
 * Excel stores inside the file), in the browser's local storage outside Office. A set is a
 * name and the overrides of the shared set, as the pane keeps them (text by key).
 */
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

function clean(raw: unknown): SavedSet[] {
  if (!Array.isArray(raw)) return [];
  return raw.filter(
    (item): item is SavedSet =>
      item !== null && typeof item === "object" && typeof item.name === "string" && typeof item.overrides === "object" && item.overrides !== null,
  );
}

function upsert(sets: SavedSet[], set: SavedSet): SavedSet[] {
  return [...sets.filter((other) => other.name !== set.name), set].sort((a, b) => a.name.localeCompare(b.name));
}

/** Sets saved in the workbook's settings (Excel keeps them in the file). */
export function workbookStore(settings: Office.Settings): SetStore {
  const read = () => clean(settings.get(SETTINGS_KEY));
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
      return clean(JSON.parse(storage.getItem(SETTINGS_KEY) ?? "[]"));
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
export function downloadFile(data: Uint8Array | string, filename: string, type: string): void {
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
