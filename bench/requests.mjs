// The largest Office.js request the plan writer sends, for 1, 12, 50 and 100 sites (the larger two at
// the longest horizons), measured with Office.js's own request builder: Excel on the web's host
// script in jsdom, with an executor that captures each request (test/helpers/office-js.ts). Excel
// on the web refuses requests over 5 MB; the target is 4 MB.
// Run: node bench/requests.mjs (bundles the writer and the helpers with esbuild first).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";

const root = fileURLToPath(new URL("../", import.meta.url));
// Inside node_modules, so that the bundle's imports of jsdom and the rest resolve.
mkdirSync(join(root, "node_modules", ".cache"), { recursive: true });
const work = mkdtempSync(join(root, "node_modules", ".cache", "minepivot-bench-requests-"));
try {
  const entry = join(work, "entry.ts");
  writeFileSync(
    entry,
    [
      `export { insertPlan } from ${JSON.stringify(join(root, "src/excel/planWriter.ts"))};`,
      `export { buildWorkbookPlan } from ${JSON.stringify(join(root, "src/workbook/build.ts"))};`,
      `export { getDef, withValues } from ${JSON.stringify(join(root, "src/core/index.ts"))};`,
      `export { capturingContext, excelWebPage } from ${JSON.stringify(join(root, "test/helpers/office-js.ts"))};`,
      `export { randomSite, seeded } from ${JSON.stringify(join(root, "test/helpers/sites.ts"))};`,
    ].join("\n"),
  );
  const outfile = join(work, "bench.mjs");
  await build({ entryPoints: [entry], bundle: true, format: "esm", platform: "node", outfile, packages: "external", logLevel: "error" });
  const lib = await import(pathToFileURL(outfile).href);
  const page = lib.excelWebPage();
  globalThis.Excel = page.window.Excel;
  const LONGEST = ["horizon_years_mining", "lease_term_years", "gpu_life_years", "construction_months"];
  console.log("\nOffice.js requests of the plan writer (Excel on the web's request builder)");
  for (const [count, longest] of [
    [1, false],
    [12, false],
    [50, true],
    [100, true],
  ]) {
    const random = lib.seeded(8_000 + count);
    const sites = Array.from({ length: count }, (_, i) => {
      const values = lib.randomSite(random);
      return { name: `Site ${i + 1}`, values: longest ? lib.withValues(values, Object.fromEntries(LONGEST.map((key) => [key, lib.getDef(key).max]))) : values };
    });
    const { context, requestBytes } = lib.capturingContext(page);
    await lib.insertPlan(context, lib.buildWorkbookPlan(sites));
    const largest = Math.max(...requestBytes) / 1e6;
    const label = `largest request, ${count} site${count > 1 ? "s" : ""}${longest ? ", longest horizons" : ""} (${requestBytes.length} requests)`;
    console.log(`${label.padEnd(58)} ${largest.toFixed(2).padStart(12)} MB${largest < 4 ? "  ok" : "  MISSED"} (target < 4 MB)`);
  }
  page.close();
} finally {
  rmSync(work, { recursive: true, force: true });
}
