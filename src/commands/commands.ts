/**
 * Ribbon commands. The manifest's ribbon button opens the task pane declaratively
 * (ShowTaskpane), so the only command is "showTaskpane", associated for keyboard shortcuts
 * and ExecuteFunction buttons. Nothing happens where Office.js or its host is absent.
 */

interface OfficeCommands {
  onReady(): Promise<unknown>;
  actions?: { associate(name: string, action: (event?: { completed(): void }) => void): void };
  addin?: { showAsTaskpane(): Promise<void> };
}

/** Registers the commands with Office; returns the names registered (none without a host). */
export function registerCommands(office: OfficeCommands | undefined): string[] {
  if (!office?.actions) return [];
  office.actions.associate("showTaskpane", (event) => {
    void (office.addin?.showAsTaskpane() ?? Promise.resolve()).finally(() => event?.completed());
  });
  return ["showTaskpane"];
}

const office = (globalThis as { Office?: OfficeCommands }).Office;
if (office) {
  office
    .onReady()
    .then(() => registerCommands(office))
    .catch(() => undefined);
}
