/**
 * LibreOffice (headless) as an independent spreadsheet engine for oracle tests.
 *
 * Every run uses a fresh user profile in its own temp dir: a stale or shared profile makes
 * soffice refuse to start or silently reuse a running instance, and the profile carries the
 * "always recalculate on load" setting (files written by us carry no cached results to trust).
 * Everything returns undefined / is skipped by the caller when soffice is not installed.
 */
import { execFile } from "node:child_process";
import { accessSync, constants, statSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { pathToFileURL } from "node:url";
import { parseCsv } from "../../src/core/csv.js";

export type Cell = string | number;

/** Path of the soffice executable found on PATH (or `libreoffice`), else undefined. */
export function findSoffice(): string | undefined {
  return findExecutable(process.platform === "win32" ? ["soffice.exe", "soffice.com"] : ["soffice", "libreoffice"]);
}

/** Path of the first of `names` found as an executable on PATH, else undefined. */
export function findExecutable(names: readonly string[]): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (!dir) continue;
    for (const name of names) {
      const candidate = join(dir, name);
      try {
        if (!statSync(candidate).isFile()) continue;
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        // not here; keep looking
      }
    }
  }
  return undefined;
}

/**
 * Prepares `dir` as a fresh LibreOffice user profile whose Calc recalculates every formula on
 * load, for ODF (.ods/.fods) and OOXML (.xlsx) alike: 0 = "always recalculate" in
 * /org.openoffice.Office.Calc/Formula/Load (the defaults, "never" for ODF and "prompt" for
 * OOXML, would hand back whatever cached values the file carries).
 * With `recalculate` false the profile keeps LibreOffice's defaults: what a user who opens
 * the file sees before anything recalculates.
 * Returns the profile's file URL, the value of soffice's `-env:UserInstallation=`.
 */
export async function freshProfile(dir: string, recalculate = true): Promise<string> {
  await mkdir(join(dir, "user"), { recursive: true });
  if (!recalculate) return pathToFileURL(dir).href;
  const item = (name: string): string =>
    `<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="${name}" oor:op="fuse"><value>0</value></prop></item>`;
  const xcu = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">',
    item("OOXMLRecalcMode"),
    item("ODFRecalcMode"),
    "</oor:items>",
    "",
  ].join("\n");
  await writeFile(join(dir, "user", "registrymodifications.xcu"), xcu, "utf8");
  return pathToFileURL(dir).href;
}

/**
 * Runs `soffice --headless --convert-to <filter> --outdir <outDir> <input>` with a fresh profile
 * under `profileDir`. Resolves when soffice exits; rejects with its output when it fails.
 */
export async function convertWithLibreOffice(soffice: string, input: string, filter: string, outDir: string, profileDir: string): Promise<void> {
  const profileUrl = await freshProfile(profileDir);
  const args = ["--headless", "--norestore", `-env:UserInstallation=${profileUrl}`, "--convert-to", filter, "--outdir", outDir, input];
  await new Promise<void>((resolve, reject) => {
    execFile(soffice, args, { timeout: 180_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`soffice failed: ${error.message}\n${stdout}\n${stderr}`));
      else resolve();
    });
  });
}

/**
 * Evaluates a grid in LibreOffice Calc and returns the displayed grid, or undefined when
 * soffice is not installed.
 *
 * Cell contents: a number is a number; a string starting with "=" is a formula in Excel syntax
 * (A1 references, "," between arguments: it is loaded through LibreOffice's `msoxl:` formula
 * namespace); "" is an empty cell; any other string is text. Results come back as numbers where
 * the cell shows a number, else as the shown text (an error shows as e.g. "#NUM!" or "Err:502").
 *
 * Precision: CSV export writes what a cell shows, and Calc shows at most 15 significant digits,
 * so every cell gets a scientific format with 14 decimals: numbers come back to 15 significant
 * digits (relative error <= 5e-15) whatever their size, and IRR-style auto percent formats
 * cannot creep in. (Exporting unformatted values instead is not enough: Calc's "General"
 * format writes 3.0316490e-13 with 7 digits and IRR results as "10%".)
 */
export async function evaluateWithLibreOffice(rows: Cell[][]): Promise<Cell[][] | undefined> {
  const soffice = findSoffice();
  if (!soffice) return undefined;
  const dir = await mkdtemp(join(tmpdir(), "minepivot-lo-"));
  try {
    const input = join(dir, "grid.fods");
    await writeFile(input, toFlatOds(rows), "utf8");
    // Filter options: "," separator, '"' quotes, UTF-8, ..., token 9 "save cell contents as shown" = true.
    await convertWithLibreOffice(soffice, input, "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false", dir, join(dir, "profile"));
    const csv = await readFile(join(dir, "grid.csv"), "utf8");
    return parseCsv(csv).map((row) => row.map(toCell));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function toFlatOds(rows: Cell[][]): string {
  const body = rows.map((row) => `<table:table-row>${row.map(cellXml).join("")}</table:table-row>`).join("\n");
  return `<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
  xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
  xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
  xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
  xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0"
  xmlns:of="urn:oasis:names:tc:opendocument:xmlns:of:1.2"
  xmlns:msoxl="http://schemas.microsoft.com/office/excel/formula"
  office:version="1.2" office:mimetype="application/vnd.oasis.opendocument.spreadsheet">
<office:automatic-styles>
<number:number-style style:name="N1"><number:scientific-number number:decimal-places="14" number:min-integer-digits="1" number:min-exponent-digits="2"/></number:number-style>
<style:style style:name="ce1" style:family="table-cell" style:data-style-name="N1"/>
</office:automatic-styles>
<office:body><office:spreadsheet><table:table table:name="Sheet1">
${body}
</table:table></office:spreadsheet></office:body></office:document>
`;
}

function cellXml(cell: Cell): string {
  if (typeof cell === "number") {
    if (!Number.isFinite(cell)) throw new Error(`cannot write ${cell} into a spreadsheet cell`);
    return `<table:table-cell table:style-name="ce1" office:value-type="float" office:value="${cell}"/>`;
  }
  if (cell === "") return "<table:table-cell/>";
  if (cell.startsWith("=")) return `<table:table-cell table:style-name="ce1" table:formula="${escapeXml(`msoxl:${cell}`)}"/>`;
  return `<table:table-cell office:value-type="string"><text:p>${escapeXml(cell)}</text:p></table:table-cell>`;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)(E[-+]?\d+)?$/i;

function toCell(field: string): Cell {
  return NUMBER.test(field) ? Number(field) : field;
}

/**
 * Recalculates .xlsx workbooks in one LibreOffice run (recalculation forced by a fresh
 * profile; with `recalculate` false, default settings, which keep the cached values) and returns the recalculated files' bytes by name, with the run's duration.
 * Undefined when soffice is not installed.
 */
export async function recalculateXlsx(
  files: ReadonlyArray<{ name: string; bytes: Uint8Array }>,
  recalculate = true,
): Promise<{ outputs: Map<string, Buffer>; ms: number } | undefined> {
  return convertFiles(files, "xlsx", recalculate);
}

/**
 * Converts files in one LibreOffice run to `format` ("xlsx", "pdf"), recalculating on load
 * when `recalculate`; returns the converted files' bytes by input name (the extension
 * changed), with the run's duration. Undefined when soffice is not installed.
 */
export async function convertFiles(
  files: ReadonlyArray<{ name: string; bytes: Uint8Array }>,
  format: string,
  recalculate: boolean,
): Promise<{ outputs: Map<string, Buffer>; ms: number } | undefined> {
  const soffice = findSoffice();
  if (!soffice) return undefined;
  const dir = await mkdtemp(join(tmpdir(), "minepivot-recalc-"));
  try {
    const inDir = join(dir, "in");
    const outDir = join(dir, "out");
    await mkdir(inDir);
    await mkdir(outDir);
    const inputs = await Promise.all(
      files.map(async ({ name, bytes }) => {
        const path = join(inDir, name);
        await writeFile(path, bytes);
        return path;
      }),
    );
    const profileUrl = await freshProfile(join(dir, "profile"), recalculate);
    const started = performance.now();
    await new Promise<void>((resolve, reject) => {
      execFile(
        soffice,
        ["--headless", "--norestore", `-env:UserInstallation=${profileUrl}`, "--convert-to", format, "--outdir", outDir, ...inputs],
        { timeout: 600_000, maxBuffer: 16 * 1024 * 1024 },
        (error, stdout, stderr) => (error ? reject(new Error(`soffice failed: ${error.message}\n${stdout}\n${stderr}`)) : resolve()),
      );
    });
    const ms = performance.now() - started;
    const outputs = new Map<string, Buffer>();
    for (const { name } of files) outputs.set(name, await readFile(join(outDir, name.replace(/\.[^.]+$/, `.${format}`))));
    return { outputs, ms };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
