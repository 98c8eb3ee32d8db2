/**
 * The task pane end to end, in Debian's Chromium driven by playwright-core (never a downloaded
 * browser): the production build (with Office.js served locally) on a loopback server, no
 * Office host. The pane opens on Results, whose equity per watt by scenario must read as the
 * CLI prints it. The Risk view simulates in a Web Worker (the page's thread keeps ticking) and
 * shows what `minepivot simulate` prints for the same seed. One click on Generate downloads the example site's workbook; LibreOffice
 * recalculates it and every headline result must equal the core's. No console errors, no
 * request off the machine, no .wasm before Generate, no horizontal scroll at 320 px.
 *
 * Off-machine requests are refused and recorded. The one that is attempted comes from Office.js
 * itself: loaded outside an Office client, it opens a hidden telemetry frame on
 * telemetryservice.firstpartyapps.oaspapps.com three seconds after load. The test waits for it
 * and allows that one only; the pane's own code asks for nothing beyond the page's server.
 * Screenshots at 320 and 800 px, light and dark, go to test-output/screenshots/.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { extname, join, normalize, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { chromium, type Browser, type Page, type Worker } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULTS, SCENARIOS, compare, EXAMPLE_SITE, withValues } from "../src/core/index.js";
import { run } from "../src/cli/main.js";
import { buildWorkbookPlan } from "../src/workbook/build.js";
import { cellRef } from "../src/workbook/refs.js";
import { findSoffice, recalculateXlsx } from "./helpers/libreoffice.js";
import { readValues } from "./helpers/xlsx.js";
import { importSitesAndOpenBuild } from "./helpers/pane-browser.mjs";

const CHROMIUM = "/usr/bin/chromium";
/** Office.js's own telemetry frame, opened when it runs outside an Office client. */
/** The page's width as laid out (run in the page; this file is checked without the DOM library). */
const scrollWidth = () => (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth;
const OFFICE_JS_TELEMETRY = "https://telemetryservice.firstpartyapps.oaspapps.com/telemetryservice/telemetryproxy.html";
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.log("Chromium not found: skipping task pane end-to-end test (install: apt-get install -y chromium)");
const soffice = findSoffice();

const root = fileURLToPath(new URL("../", import.meta.url));
const screenshots = join(root, "test-output", "screenshots");
const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".json": "application/json",
  ".wasm": "application/wasm",
  ".png": "image/png",
  ".xml": "application/xml",
};

/** Serves the build, and Office.js from its npm package under /office-js/, on 127.0.0.1 only. */
function serve(dist: string): Promise<{ server: Server; origin: string }> {
  const officeJs = join(root, "node_modules", "@microsoft", "office-js", "dist");
  const server = createServer(async (request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? "/", "http://127.0.0.1").pathname);
    const [base, rest] = path.startsWith("/office-js/") ? [officeJs, path.slice("/office-js/".length)] : [dist, path.slice(1) || "taskpane.html"];
    const file = normalize(join(base, rest));
    if (!file.startsWith(base + sep)) {
      response.writeHead(403).end();
      return;
    }
    try {
      const body = await readFile(file);
      response.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" }).end(body);
    } catch {
      response.writeHead(404).end("not found");
    }
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      resolve({ server, origin: `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}` });
    }),
  );
}

describe.skipIf(!hasChromium)("task pane in Chromium, no Office host", () => {
  let dist: string;
  let server: Server;
  let origin: string;
  let browser: Browser;
  let page: Page;
  const consoleErrors: string[] = [];
  const requests: string[] = [];
  const blocked: string[] = [];
  let xlsx: Buffer;
  const started = performance.now();
  let loaded = 0;

  beforeAll(async () => {
    // Its own output folder: the functions bundle test builds into dist/ at the same time.
    dist = await mkdtemp(join(tmpdir(), "minepivot-pane-"));
    const env: NodeJS.ProcessEnv = { ...process.env, OFFICE_JS: "local" };
    delete env.MINEPIVOT_URL;
    const webpack = join(root, "node_modules", "webpack-cli", "bin", "cli.js");
    await promisify(execFile)(process.execPath, [webpack, "--mode", "production", "--output-path", dist], { cwd: root, env, maxBuffer: 16 * 1024 * 1024 });
    ({ server, origin } = await serve(dist));
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
    const context = await browser.newContext({ viewport: { width: 320, height: 900 }, acceptDownloads: true });
    // Everything off the loopback server is refused, and recorded.
    await context.route("**/*", (route) => {
      const url = route.request().url();
      if (url.startsWith(`${origin}/`) || url.startsWith("blob:") || url.startsWith("data:")) return route.continue();
      blocked.push(url);
      return route.abort();
    });
    page = await context.newPage();
    page.on("console", (message) => {
      if (message.type() === "error") consoleErrors.push(message.text());
    });
    page.on("pageerror", (error) => consoleErrors.push(error.message));
    page.on("request", (request) => requests.push(request.url()));
    await page.goto(`${origin}/taskpane.html`);
    await page.getByRole("table", { name: "Results by scenario" }).waitFor();
    loaded = performance.now();
  }, 600_000); // A production webpack build takes minutes on a busy two-core machine.

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    if (dist) await rm(dist, { recursive: true, force: true });
    console.log(`task pane end-to-end: ${((performance.now() - started) / 1000).toFixed(1)} s (build, browser, generate, recalculation)`);
  });

  it("opens on Results, showing each scenario's equity per watt as the CLI prints it", async () => {
    expect(await page.getByRole("tab", { name: "Results" }).getAttribute("aria-selected")).toBe("true");
    const out: string[] = [];
    const code = await run(["compare"], { stdout: (text) => out.push(text), stderr: (text) => out.push(text), readText: () => "" });
    expect(code).toBe(0);
    // The CLI's row "Equity value per watt (USD/W)  <mining>  <shell>  <gpu>  <hybrid>".
    const row = out
      .join("")
      .split("\n")
      .find((line) => line.startsWith("Equity value per watt"))!;
    const cli = row.split(/\s{2,}/).slice(1);
    expect(cli).toHaveLength(SCENARIOS.length);
    const table = page.getByRole("table", { name: "Results by scenario" });
    for (const [index, scenario] of (["mining", "powered_shell", "colocated_gpu"] as const).entries()) {
      const shown = await table.locator(`[data-metric="equity_per_watt"][data-scenario="${scenario}"]`).innerText();
      expect(shown.trim(), scenario).toBe(cli[index]);
    }
  });

  it("Risk: simulates in a Web Worker with progress while the page stays responsive, and shows the CLI's numbers for the same seed", async () => {
    const workers: string[] = [];
    page.on("worker", (worker) => workers.push(worker.url()));
    await page.getByRole("tab", { name: "Risk" }).click();
    const runButton = page.getByRole("button", { name: "Run simulation" });
    await runButton.waitFor();
    // A heartbeat on the page's thread, and a record of the progress bar's values and labels.
    await page.evaluate(`(() => {
      window.__beats = [];
      window.__progress = [];
      window.__heart = setInterval(() => window.__beats.push(performance.now()), 25);
      new MutationObserver(() => {
        const bar = document.querySelector('[role="progressbar"][aria-valuenow]');
        const note = bar && bar.closest("[class*=fui-Field]")?.textContent;
        if (bar && note && window.__progress[window.__progress.length - 1]?.note !== note) window.__progress.push({ value: Number(bar.getAttribute("aria-valuenow")), note });
      }).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
    })()`);
    const started = performance.now();
    await runButton.click();
    await page.getByRole("table", { name: "Risk by scenario" }).waitFor({ timeout: 300_000 });
    const seconds = (performance.now() - started) / 1000;
    const { beats, progress } = (await page.evaluate(
      `(() => { clearInterval(window.__heart); return { beats: window.__beats, progress: window.__progress }; })()`,
    )) as {
      beats: number[];
      progress: { value: number; note: string }[];
    };
    expect(
      workers.some((url) => /risk-worker\.js$/.test(url)),
      workers.join(", "),
    ).toBe(true);
    expect(await page.getByTestId("risk-note").innerText()).toMatch(/2,000 paths and seed 1, computed in a background worker/);
    // The page's thread never stalled while the worker computed for seconds.
    const gaps = beats.slice(1).map((t, i) => t - beats[i]!);
    const longest = Math.max(...gaps);
    console.log(
      `Risk view in Chromium: ${seconds.toFixed(1)} s for 2,000 paths × 3 scenarios and the switch option; longest heartbeat gap ${longest.toFixed(0)} ms over ${beats.length} beats`,
    );
    expect(beats.length).toBeGreaterThan(20);
    expect(longest).toBeLessThan(400);
    // Real progress from the core: values strictly between 0 and 1 in both steps.
    expect(
      progress.some((p) => p.value > 0 && p.value < 1 && /Step 1 of 2, the scenarios/.test(p.note)),
      JSON.stringify(progress),
    ).toBe(true);
    expect(
      progress.some((p) => p.value > 0 && p.value < 1 && /Step 2 of 2, the switch option/.test(p.note)),
      JSON.stringify(progress),
    ).toBe(true);
    expect(progress.every((p) => /in a background worker/.test(p.note))).toBe(true);

    // The CLI with the same paths and seed: the table and the switch option read as its numbers.
    const out: string[] = [];
    expect(
      await run(["simulate", "--paths", "2000", "--seed", "1", "--json"], { stdout: (text) => out.push(text), stderr: () => undefined, readText: () => "" }),
    ).toBe(0);
    const site = (
      JSON.parse(out.join("")) as { sites: { scenarios: Record<string, Record<string, number | Record<string, number>>>; switch: Record<string, number> }[] }
    ).sites[0]!;
    const usd = (v: number) => v.toFixed(3);
    const pct = (p: number, se: number) => `${(100 * p).toFixed(1)} % ± ${(100 * se).toFixed(1)}`;
    const table = page.getByRole("table", { name: "Risk by scenario" });
    for (const [scenario, risk] of Object.entries(site.scenarios)) {
      const e = risk.equity_per_watt as Record<string, number>;
      const cell = (metric: string) => table.locator(`[data-metric="${metric}"][data-scenario="${scenario}"]`).innerText();
      expect(await cell("mean"), scenario).toBe(`${usd(e.mean!)} ± ${usd(e.mean_se!)}`);
      for (const q of ["p5", "p50", "p95"]) expect(await cell(q), `${scenario} ${q}`).toBe(usd(e[q]!));
      expect(await cell("prob_loss"), scenario).toBe(pct(risk.prob_loss as number, risk.prob_loss_se as number));
      if (scenario !== "mining")
        expect(await cell("prob_beats_mining"), scenario).toBe(pct(risk.prob_beats_mining as number, risk.prob_beats_mining_se as number));
    }
    const option = page.getByRole("table", { name: "Switch option values" });
    expect(await option.locator('[data-switch="value_of_waiting_per_watt"]').innerText()).toBe(
      `${usd(site.switch.value_of_waiting_per_watt!)} ± ${usd(site.switch.value_of_waiting_per_watt_se!)}`,
    );
    expect(await page.getByTestId("switch-rule").innerText()).toBe(`Rule: ${site.switch.rule as unknown as string}`);
    for (const scenario of ["Mining", "Powered shell", "Colocated GPU"]) {
      await page.getByRole("img", { name: new RegExp(`^Histogram of ${scenario}'s equity per watt over 2,000 paths`) }).waitFor();
      await page.getByRole("img", { name: new RegExp(`^Fan of ${scenario}'s cumulative cash flow`) }).waitFor();
    }
    expect(await page.evaluate(scrollWidth)).toBeLessThanOrEqual(320);
    await mkdir(screenshots, { recursive: true });
    await page.screenshot({ path: join(screenshots, "taskpane-320-risk.png"), fullPage: true, animations: "disabled" });
  });

  it("has the example site ready on Build and loads no .wasm before Generate", async () => {
    await page.getByRole("tab", { name: "Build" }).click();
    await page.getByRole("button", { name: "Generate workbook" }).waitFor();
    expect(await page.getByRole("checkbox", { name: "Example 100 MW site" }).isChecked()).toBe(true);
    expect(requests.filter((url) => url.endsWith(".wasm"))).toEqual([]);
    expect(requests.some((url) => url.endsWith("/office-js/office.js"))).toBe(true);
  });

  it("has no horizontal scroll at 320 px on any tab, and saves a screenshot", async () => {
    await mkdir(screenshots, { recursive: true });
    for (const tab of ["Results", "Risk", "Sites", "Assumptions", "Audit", "Formula", "Build"]) {
      await page.getByRole("tab", { name: tab }).click();
      await page.getByRole("tabpanel").getByRole("heading").first().waitFor();
      const width = await page.evaluate(scrollWidth);
      expect(width, tab).toBeLessThanOrEqual(320);
      if (tab !== "Build") await page.screenshot({ path: join(screenshots, `taskpane-320-${tab.toLowerCase()}.png`), fullPage: true, animations: "disabled" });
    }
    // The seven tabs fit on one row.
    const tops = await page.getByRole("tab").evaluateAll((tabs) => tabs.map((tab) => Math.round(tab.getBoundingClientRect().top)));
    expect(new Set(tops).size).toBe(1);
    await page.screenshot({ path: join(screenshots, "taskpane-320.png"), fullPage: true, animations: "disabled" });
  });

  it("generates the example workbook with one click and downloads it", async () => {
    const download = page.waitForEvent("download");
    await page.getByRole("button", { name: "Generate workbook" }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe("minepivot-comparison.xlsx");
    xlsx = await readFile((await file.path())!);
    await page.getByText(/^Downloaded/).waitFor();
    expect(requests.filter((url) => url.endsWith(".wasm"))).toHaveLength(1);
    const plan = buildWorkbookPlan([EXAMPLE_SITE], { scenarios: SCENARIOS });
    expect([...readValues(xlsx).keys()]).toEqual(plan.sheets.map((sheet) => sheet.name));
  });

  it.skipIf(!soffice)("the downloaded workbook, recalculated in LibreOffice, matches the core", async () => {
    const result = await recalculateXlsx([{ name: "pane.xlsx", bytes: xlsx }]);
    const values = readValues(result!.outputs.get("pane.xlsx")!);
    const plan = buildWorkbookPlan([EXAMPLE_SITE], { scenarios: SCENARIOS });
    const engine = compare(EXAMPLE_SITE.values, SCENARIOS);
    let compared = 0;
    for (const cell of plan.results) {
      const expected = (engine.valuations[cell.scenario as (typeof SCENARIOS)[number]]!.metrics as unknown as Record<string, number | null>)[cell.metric];
      const actual = values.get(cell.sheet)!.get(cellRef(cell.row, cell.col));
      const label = `${cell.scenario} ${cell.metric}`;
      if (expected === null || expected === undefined) expect(actual, label).toBe("n/a");
      else if (cell.metric === "irr") expect(Math.abs((actual as number) - expected), label).toBeLessThanOrEqual(1e-6);
      else expect(Math.abs((actual as number) - expected) / Math.max(1, Math.abs(expected)), label).toBeLessThanOrEqual(1e-9);
      compared++;
    }
    expect(compared).toBeGreaterThan(20);
  });

  it("looks right at 800 px too (screenshot)", async () => {
    await page.setViewportSize({ width: 800, height: 900 });
    await page.getByRole("tab", { name: "Audit" }).click();
    await page.getByRole("table", { name: "Explain trace" }).waitFor();
    expect(await page.evaluate(scrollWidth)).toBeLessThanOrEqual(800);
    await page.screenshot({ path: join(screenshots, "taskpane-800.png"), fullPage: true, animations: "disabled" });
  });

  it("shows Results readably at 320 and 800 px, light and dark, with no sideways scroll (screenshots)", async () => {
    await mkdir(screenshots, { recursive: true });
    for (const scheme of ["light", "dark"] as const) {
      for (const width of [320, 800]) {
        const context = await browser.newContext({ viewport: { width, height: 900 }, colorScheme: scheme });
        await context.route("**/*", (route) => (route.request().url().startsWith(`${origin}/`) ? route.continue() : route.abort()));
        const view = await context.newPage();
        await view.goto(`${origin}/taskpane.html`);
        await view.getByRole("img", { name: /^Tornado around/ }).waitFor({ timeout: 60_000 });
        await view.getByRole("table", { name: "Portfolio" }).waitFor();
        expect(await view.locator("[data-theme]").getAttribute("data-theme")).toBe(scheme);
        expect(await view.evaluate(scrollWidth), `${width} ${scheme}`).toBeLessThanOrEqual(width);
        await view.screenshot({ path: join(screenshots, `taskpane-results-${width}-${scheme}.png`), fullPage: true, animations: "disabled" });
        await context.close();
      }
    }
  });

  describe("a 50-site workbook, made in a Web Worker", () => {
    let view: Page;
    const workers: Worker[] = [];
    const viewErrors: string[] = [];

    beforeAll(async () => {
      const context = await browser.newContext({ viewport: { width: 320, height: 900 }, acceptDownloads: true });
      await context.route("**/*", (route) => (route.request().url().startsWith(`${origin}/`) ? route.continue() : route.abort()));
      view = await context.newPage();
      view.on("worker", (worker) => workers.push(worker));
      view.on("pageerror", (error) => viewErrors.push(error.message));
      await view.goto(`${origin}/taskpane.html`);
      await importSitesAndOpenBuild(view, 50);
      // Every task over 50 ms on the page's thread from now on, and each progress label shown (run in the
      // page, as text: this file is checked without the DOM library).
      await view.evaluate(`(() => {
        globalThis.longTasksMs = [];
        globalThis.labels = [];
        new PerformanceObserver((list) => list.getEntries().forEach((entry) => globalThis.longTasksMs.push(entry.duration))).observe({ type: "longtask" });
        new MutationObserver(() => {
          const text = document.querySelector('[aria-label="Generation progress"]')?.closest(".fui-Field")?.textContent ?? "";
          if (text && globalThis.labels[globalThis.labels.length - 1] !== text) globalThis.labels.push(text);
        }).observe(document.body, { subtree: true, childList: true, characterData: true });
      })()`);
    }, 120_000);

    afterAll(async () => {
      await view?.context().close();
    });

    it("keeps the pane responsive, reports real progress, and downloads every site's workbook", async () => {
      const download = view.waitForEvent("download", { timeout: 300_000 });
      const started = performance.now();
      await view.getByRole("button", { name: "Generate workbook" }).click();
      const file = await download;
      const elapsedMs = performance.now() - started;
      await view.getByText(/^Downloaded/).waitFor();
      const { longTasksMs, labels } = (await view.evaluate("({ longTasksMs: globalThis.longTasksMs, labels: globalThis.labels })")) as {
        longTasksMs: number[];
        labels: string[];
      };
      // The work ran in the workbook worker, which is gone once the file is made.
      expect(workers.map((worker) => new URL(worker.url()).pathname)).toEqual(["/workbook-worker.js"]);
      // On the page's own thread the longest block would be most of the run (seconds); in the worker the
      // page only renders progress. The bench holds the 200 ms target; here the bound is relative,
      // so a busy machine cannot fail it.
      const longestMs = Math.max(0, ...longTasksMs);
      console.log(`50-site workbook: ${(elapsedMs / 1000).toFixed(1)} s; longest main-thread task ${longestMs.toFixed(0)} ms`);
      expect(longestMs).toBeLessThan(elapsedMs / 5);
      // Progress named the worker's steps: sheets built, cells written.
      const plan = buildWorkbookPlan(
        Array.from({ length: 50 }, (_, i) => ({
          name: `Site ${i + 1}`,
          values: withValues(DEFAULTS, { site_mw: 60 + (i % 10) * 15, power_price: 28 + (i % 7) * 3 }),
        })),
        { scenarios: SCENARIOS },
      );
      expect(labels.some((label) => label.includes(`Built ${plan.sheets.length} sheets`))).toBe(true);
      // React may paint two quick steps as one, so not every sheet's label need show.
      expect(labels.filter((label) => /Wrote [\d,]+ cells of /.test(label)).length).toBeGreaterThanOrEqual(3);
      const xlsx = await readFile((await file.path())!);
      const sheets = [...readValues(xlsx).keys()];
      expect(sheets).toEqual(plan.sheets.map((sheet) => sheet.name));
      expect(viewErrors).toEqual([]);
    }, 300_000);

    it("Cancel ends the worker at once and downloads nothing", async () => {
      let downloaded = false;
      view.on("download", () => (downloaded = true));
      const before = workers.length;
      await view.getByRole("button", { name: "Generate workbook" }).click();
      await view.getByText(/Wrote [\d,]+ cells of /).waitFor({ timeout: 120_000 });
      const worker = workers[before]!;
      expect(new URL(worker.url()).pathname).toBe("/workbook-worker.js");
      const closed = new Promise<void>((resolve) => worker.on("close", () => resolve()));
      await view.getByRole("button", { name: "Cancel generation" }).click();
      await view.getByText("Cancelled. Nothing was added to the workbook.").waitFor({ timeout: 5_000 });
      await closed;
      // Long enough for the rest of the file to have been written, had the worker lived on.
      await view.waitForTimeout(3_000);
      expect(downloaded).toBe(false);
      expect(await view.getByRole("button", { name: "Generate workbook" }).isEnabled()).toBe(true);
    }, 180_000);
  });

  it("logged no console errors and sent no request off the machine", async () => {
    // Office.js's telemetry frame is due three seconds after load: wait for it, so the outcome never depends on timing.
    await page.waitForTimeout(Math.max(0, loaded + 4_000 - performance.now()));
    expect(consoleErrors, consoleErrors.join("\n")).toEqual([]);
    expect(blocked.filter((url) => url !== OFFICE_JS_TELEMETRY)).toEqual([]);
    const own = requests.filter((url) => url !== OFFICE_JS_TELEMETRY);
    for (const url of own) expect(url.startsWith(`${origin}/`) || url.startsWith("blob:") || url.startsWith("data:"), url).toBe(true);
  });
});
