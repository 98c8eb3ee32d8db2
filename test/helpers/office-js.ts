/**
 * Microsoft's own Office.js files (the @microsoft/office-js package) in a jsdom page, so tests
 * meet the real bootstrap and host scripts rather than a stand-in. Scripts run only when a test
 * evaluates them, in the order it chooses: that is how the asynchronous arrival of the host
 * script is reproduced.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { JSDOM, type DOMWindow } from "jsdom";

const OFFICE_JS_DIST = fileURLToPath(new URL("../../node_modules/@microsoft/office-js/dist/", import.meta.url));

/** A file of the @microsoft/office-js package, e.g. "office.debug.js". */
export function officeJsFile(name: string): string {
  return readFileSync(OFFICE_JS_DIST + name, "utf8");
}

export interface OfficePage {
  readonly window: DOMWindow & Record<string, unknown>;
  /** Runs a script in the page, as a <script> element would. */
  run(source: string): void;
  close(): void;
}

/**
 * A page at https://localhost:3000/ whose <head> names office.debug.js (the bootstrap insists
 * on finding its own <script> element) but has not run it; nothing is fetched.
 */
export function officePage(): OfficePage {
  const dom = new JSDOM(`<!doctype html><html><head><script src="https://localhost:3000/office-js/office.debug.js"></script></head><body></body></html>`, {
    runScripts: "outside-only",
    url: "https://localhost:3000/taskpane.html",
    pretendToBeVisual: true,
  });
  const window = dom.window as DOMWindow & Record<string, unknown>;
  return {
    window,
    run: (source) => void window.eval(source),
    close: () => window.close(),
  };
}
