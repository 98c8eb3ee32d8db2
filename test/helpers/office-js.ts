/// <reference types="office-js" />
/**
 * Microsoft's own Office.js files (the @microsoft/office-js package) in a jsdom page, so tests
 * meet the real bootstrap and host scripts rather than a stand-in. Scripts run only when a test
 * evaluates them, in the order it chooses: that is how the asynchronous arrival of the host
 * script is reproduced.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { JSDOM, type DOMWindow } from "jsdom";

const OFFICE_JS_DIST = join(dirname(createRequire(import.meta.url).resolve("@microsoft/office-js/package.json")), "dist");

/** A file of the @microsoft/office-js package, e.g. "office.debug.js". */
export function officeJsFile(name: string): string {
  return readFileSync(join(OFFICE_JS_DIST, name), "utf8");
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

/** Office.js's Excel API (excel-web-16.00.debug.js, Excel on the web's host script) in a page. */
export function excelWebPage(): OfficePage {
  const page = officePage();
  page.run(officeJsFile("office.debug.js"));
  page.run(officeJsFile("excel-web-16.00.debug.js"));
  return page;
}

export interface CapturedRequests {
  readonly context: Excel.RequestContext;
  /** The size of each request body Office.js built, in bytes of UTF-8 JSON, in order. */
  readonly requestBytes: number[];
  /** Each request body's JSON text, in order. */
  readonly requestBodies: string[];
}

/**
 * An Excel.RequestContext whose requests are built by Office.js as for Excel on the web but
 * captured instead of sent. Every query is answered with an empty collection, which is what a
 * workbook with no sheets or names of its own looks like.
 */
export function capturingContext(page: OfficePage): CapturedRequests {
  const excel = page.window.Excel as unknown as { RequestContext: new () => Excel.RequestContext };
  const context = new excel.RequestContext();
  const requestBytes: number[] = [];
  const requestBodies: string[] = [];
  type Body = { Actions: Array<{ Id: number; ActionType: number }> };
  (context as unknown as { _requestExecutor: unknown })._requestExecutor = {
    executeAsync(_customData: unknown, _flags: number, message: { Body: Body }) {
      const json = JSON.stringify(message.Body);
      requestBytes.push(Buffer.byteLength(json, "utf8"));
      requestBodies.push(json);
      // ActionType 2 is a query (load): answer it with no items.
      const results = message.Body.Actions.filter((action) => action.ActionType === 2).map((action) => ({ ActionId: action.Id, Value: { _Items: [] } }));
      return Promise.resolve({ ErrorCode: "", ErrorMessage: "", Headers: {}, Body: { Results: results } });
    },
  };
  return { context, requestBytes, requestBodies };
}
