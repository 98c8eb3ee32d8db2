/**
 * The task pane: a heading, what MinePivot does, typical formulas and the function list read
 * from functions.json (served next to this page). It works with or without Office.js and an
 * Office host: opened in a plain browser it still lists the functions.
 */

interface FunctionEntry {
  readonly id: string;
  readonly description?: string;
  readonly helpUrl?: string;
  readonly parameters: ReadonlyArray<{ readonly name: string; readonly optional?: boolean }>;
}

interface OfficeLike {
  onReady(callback?: (info: { host: unknown }) => void): Promise<{ host: unknown }>;
}

/** "MINEPIVOT.NAME(a, [b])", as Excel shows it. */
export function signature(entry: FunctionEntry): string {
  return `MINEPIVOT.${entry.id}(${entry.parameters.map((p) => (p.optional ? `[${p.name}]` : p.name)).join(", ")})`;
}

function renderFunctions(list: HTMLElement, entries: readonly FunctionEntry[]): void {
  list.replaceChildren(
    ...entries.map((entry) => {
      const item = document.createElement("li");
      const code = document.createElement("code");
      code.textContent = signature(entry);
      item.append(code, document.createElement("br"), entry.description ?? "");
      return item;
    }),
  );
}

async function loadFunctions(): Promise<void> {
  const list = document.getElementById("functions");
  if (!list) return;
  try {
    const response = await fetch("functions.json");
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const metadata = (await response.json()) as { functions: FunctionEntry[] };
    renderFunctions(list, metadata.functions);
  } catch (error) {
    list.replaceChildren(Object.assign(document.createElement("li"), { textContent: `The function list could not be loaded (${(error as Error).message}).` }));
  }
}

function showHost(): void {
  const status = document.getElementById("status");
  const office = (globalThis as { Office?: OfficeLike }).Office;
  if (!status) return;
  if (!office) {
    status.textContent += " Office.js is not loaded: open this page from Excel to use the functions.";
    return;
  }
  office
    .onReady()
    .then((info) => {
      status.textContent += info.host ? ` Running in ${String(info.host)}.` : " Not running inside an Office host.";
    })
    .catch(() => undefined);
}

if (typeof document !== "undefined") {
  showHost();
  void loadFunctions();
}
