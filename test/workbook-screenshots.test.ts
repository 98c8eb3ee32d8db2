/**
 * Screenshots of the output sheets as LibreOffice prints them (default settings, so the values
 * cached in the file; each sheet's own print setup), at 1 and 12 sites: PNG pages under
 * test-output/screenshots/, for a person to look at. The test checks that every sheet printed
 * to at least one page and that every page has ink on it; what the pages look like is for the
 * eye (cut text, ##### columns, labels over each other).
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import * as xlsx from "wasm-xlsxwriter";
import { describe, expect, it } from "vitest";
import { DEFAULTS } from "../src/core/index.js";
import { buildWorkbookPlan, SHEET_NAMES, type WorkbookSite } from "../src/workbook/build.js";
import { writeXlsx } from "../src/workbook/xlsx.js";
import { convertFiles, findExecutable, findSoffice } from "./helpers/libreoffice.js";
import { randomSite, seeded } from "./helpers/sites.js";
import { readZip, writeZip } from "./helpers/xlsx.js";

const soffice = findSoffice();
const pdftoppm = findExecutable(["pdftoppm"]);
if (!soffice || !pdftoppm)
  console.log("LibreOffice or pdftoppm not found: skipping workbook screenshots (install: apt-get install -y libreoffice-calc-nogui poppler-utils)");

const OUT = new URL("../test-output/screenshots/", import.meta.url);
const SHEETS = [SHEET_NAMES.comparison, SHEET_NAMES.portfolio, SHEET_NAMES.sensitivity];
/** The other sheets without a timeline, for the review of formats and widths, at one site. */
const REVIEW_SHEETS = [SHEET_NAMES.cover, SHEET_NAMES.inputs, SHEET_NAMES.checks];
/** Pages per sheet worth looking at: the first ones show the layout. */
const MAX_PAGES = 3;

/** The workbook with every sheet but `visible` hidden, and that one active: LibreOffice prints only it. */
function onlySheet(bytes: Uint8Array, visible: string): Buffer {
  const zip = readZip(bytes);
  let index = -1;
  let position = 0;
  const workbook = zip
    .get("xl/workbook.xml")!
    .toString("utf8")
    .replace(/<sheet name="([^"]*)"/g, (whole, name: string) => {
      if (name === visible) index = position;
      position++;
      return name === visible ? whole : `${whole} state="hidden"`;
    })
    .replace(/<workbookView /, () => `<workbookView activeTab="${index}" firstSheet="${index}" `);
  zip.set("xl/workbook.xml", Buffer.from(workbook, "utf8"));
  return writeZip(zip);
}

const slug = (text: string) => text.toLowerCase().replace(/[^a-z0-9]+/g, "-");

describe.skipIf(!soffice || !pdftoppm)("screenshots of the output sheets, printed by LibreOffice", () => {
  it("prints Comparison, Portfolio comparison and Sensitivity at 1 and 12 sites (and Cover, Inputs and Checks at 1) to PNG pages", async () => {
    const random = seeded(12);
    const cases: Array<[string, WorkbookSite[]]> = [
      ["1-site", [{ name: "Example", values: DEFAULTS }]],
      ["12-sites", Array.from({ length: 12 }, (_, i) => ({ name: `Random site ${i + 1}`, values: randomSite(random) }))],
    ];
    const files = cases.flatMap(([label, sites]) => {
      const bytes = writeXlsx(buildWorkbookPlan(sites, { generatedOn: "2026-01-15" }), xlsx);
      return [...SHEETS, ...(sites.length === 1 ? REVIEW_SHEETS : [])].map((sheet) => ({
        name: `${slug(sheet)}-${label}.xlsx`,
        bytes: onlySheet(bytes, sheet),
      }));
    });
    const pdfs = (await convertFiles(files, "pdf", false))!.outputs;
    rmSync(OUT, { recursive: true, force: true });
    mkdirSync(OUT, { recursive: true });
    const written: string[] = [];
    for (const [name, pdf] of pdfs) {
      const base = name.replace(/\.xlsx$/, "");
      const pdfPath = new URL(`${base}.pdf`, OUT).pathname;
      writeFileSync(pdfPath, pdf);
      execFileSync(pdftoppm!, ["-png", "-r", "70", "-l", String(MAX_PAGES), pdfPath, new URL(base, OUT).pathname]);
      const pages = readdirSync(OUT).filter((file) => file.startsWith(`${base}-`) && file.endsWith(".png"));
      expect(pages.length, `${base}: pages printed`).toBeGreaterThan(0);
      // A blank page compresses to almost nothing; a page with a table and a chart does not.
      for (const page of pages) expect(statSync(new URL(page, OUT)).size, page).toBeGreaterThan(5_000);
      written.push(...pages.map((page) => new URL(page, OUT).pathname));
    }
    console.log(`Screenshots (look at them):\n${written.sort().join("\n")}`);
  }, 600_000);
});
