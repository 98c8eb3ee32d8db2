/**
 * One targeted test per finding of the hardening review (issue 14): each reproduces an attack
 * that random fuzzing missed and checks the defence. The seeded adversarial suite that sweeps
 * the same classes lives in adversarial.test.ts.
 */
import { existsSync, lstatSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "./helpers/cli.js";
import { readTextCapped, run, writeFileAtomic, type Io } from "../src/cli/main.js";
import {
  AMBIGUOUS_NUMBER,
  DEFAULTS,
  MAX_INPUT_CHARS,
  parseCsv,
  parseKey,
  parseNumberText,
  parseUserJson,
  readNumberText,
  repeatedJsonKey,
  suggestKey,
} from "../src/core/index.js";
import { insertPlan } from "../src/excel/planWriter.js";
import { CACHE_BYTES, cacheBytes, cashflows, clearCaches, compareTable, explainTable, npv, sensitivityGrid } from "../src/functions/adapter.js";
import { LruCache } from "../src/functions/cache.js";
import { buildWorkbookPlan } from "../src/workbook/build.js";
import { EXCEL_MAX_FORMULA_CHARS, MAX_WORKBOOK_SITES } from "../src/workbook/limits.js";
import { renamePlan } from "../src/workbook/rename.js";
import { auditCall, needsScenarioChoice } from "../src/taskpane/audit.js";
import { effectiveSite, overrideErrors } from "../src/taskpane/model.js";

const cli = (argv: readonly string[], overrides: Partial<Io> = {}) => runCli(argv, { writeBytes: writeFileAtomic, ...overrides });

/** Exit 2, nothing on stdout, one line on stderr that mentions each of `mentions`. */
async function refused(argv: readonly string[], ...mentions: readonly string[]): Promise<string> {
  const result = await cli(argv);
  expect(result.stdout).toBe("");
  expect(result.stderr).toMatch(/^minepivot: error: [^\n]+\n$/);
  expect(result.code).toBe(2);
  for (const mention of mentions) expect(result.stderr).toContain(mention);
  return result.stderr;
}

let dir = "";
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "minepivot-hardening-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("1. flags that take no value refuse one", () => {
  it("--force=no does not replace the user's file", async () => {
    const book = join(dir, "book.xlsx");
    for (const value of ["no", "false", "0", ""]) {
      writeFileSync(book, "the user's file");
      await refused(["compare", "--out", book, `--force=${value}`], "--force", "takes no value");
      expect(readFileSync(book, "utf8")).toBe("the user's file");
    }
  });

  it("--json=false, --help=x and --version=1 are refused, not obeyed", async () => {
    await refused(["value", "mining", "--json=false"], "--json", '"false"');
    await refused(["--help=no"], "--help");
    await refused(["--version=1"], "--version");
  });
});

describe("3. names are never looked up on Object.prototype", () => {
  const PROTOTYPE_NAMES = ["constructor", "__proto__", "toString", "hasOwnProperty", "valueOf", "__defineGetter__"];

  it("the CLI refuses them as scenarios, metrics, keys and commands with exit 2", async () => {
    for (const name of PROTOTYPE_NAMES) {
      await refused(["explain", "shell", name], "metric", name);
      await refused(["value", name], "scenario", name);
      await refused(["solve", "shell", "npv", "1", name], "key", name);
      await refused(["value", "shell", "--set", `${name}=1`], name);
      await refused([name], "command", name);
    }
  });

  it("MINEPIVOT functions answer #VALUE! with the argument's own message", () => {
    for (const name of PROTOTYPE_NAMES) {
      const outcome = npv(name);
      expect(outcome).toMatchObject({ ok: false, code: "#VALUE!" });
      if (!outcome.ok) expect(outcome.message).toMatch(new RegExp(`^scenario: "${name}" is not allowed; expected one of mining`));
      const metric = explainTable("shell", name);
      expect(metric.ok).toBe(false);
      if (!metric.ok) expect(metric.message).toMatch(/^metric: /);
    }
  });

  it("the pane's audit says the function has no audit trail", () => {
    for (const name of PROTOTYPE_NAMES) {
      const outcome = auditCall(name, []);
      expect(outcome.ok).toBe(false);
      expect(needsScenarioChoice(name)).toBe(false);
    }
  });
});

/**
 * A minimal Excel for the writer that models how Excel reads a written value: like typed
 * input, so text starting with =, +, - or @ becomes a formula unless the cell is formatted as
 * text ("@") when the value arrives.
 */
function typingExcel() {
  const cells: Array<{ sheet: string; formula: boolean; text: unknown }> = [];
  const sheetApi = (name: string) => ({
    getRangeByIndexes: () => {
      let format: unknown = "General";
      return {
        format: { font: {}, fill: {} },
        freezePanes: {},
        dataValidation: {},
        // Colour scales are layout, not cell text: accepted and ignored here.
        conditionalFormats: { add: () => ({ colorScale: {} }) },
        set numberFormat(value: unknown[][]) {
          format = value[0]![0];
        },
        set values(value: unknown[][]) {
          const text = value[0]![0];
          cells.push({ sheet: name, text, formula: typeof text === "string" && /^[=+\-@]/.test(text) && format !== "@" });
        },
        set formulas(value: unknown[][]) {
          cells.push({ sheet: name, text: value[0]![0], formula: true });
        },
        set formulasR1C1(_: unknown[][]) {},
      };
    },
    freezePanes: { freezeAt() {} },
    horizontalPageBreaks: { add() {} },
    // Print setup is layout, not cell text: accepted and ignored here.
    pageLayout: { setPrintTitleRows() {}, setPrintTitleColumns() {}, headersFooters: { defaultForAllPages: {} } },
    charts: {
      add: () => ({ title: {}, axes: { valueAxis: { title: {} }, categoryAxis: { title: {} } }, series: { getItemAt: () => ({}) }, setPosition() {} }),
    },
    activate() {},
  });
  const context = {
    workbook: {
      worksheets: { load() {}, items: [], add: sheetApi, getItem: sheetApi },
      names: { load() {}, items: [], add() {} },
    },
    sync: async () => {},
  };
  return { context: context as unknown as Excel.RequestContext, cells };
}

describe("2. user text is written into Excel as text", () => {
  it("site names that look like formulas stay text in every sheet", async () => {
    const names = ['=HYPERLINK("http://127.0.0.1/x","click")', "+1+1", "-2-2", "@SUM(1)", "=cmd|' /C calc'!A0"];
    const plan = buildWorkbookPlan(names.map((name) => ({ name, values: DEFAULTS })));
    (globalThis as Record<string, unknown>).Excel = { ChartType: { line: "Line", columnClustered: "ColumnClustered" }, ChartSeriesBy: { columns: "Columns" } };
    try {
      const { context, cells } = typingExcel();
      await insertPlan(context, plan);
      const written = cells.filter((cell) => typeof cell.text === "string" && names.some((name) => (cell.text as string).includes(name)));
      expect(written.length).toBeGreaterThanOrEqual(names.length);
      expect(written.filter((cell) => cell.formula)).toEqual([]);
    } finally {
      delete (globalThis as Record<string, unknown>).Excel;
    }
  });
});

describe("4. decimal commas: the unambiguous is read, the rest refused", () => {
  it("one parser: 45,5 and 1.000,5 and 1,000.5 are read; 45,5,5 and 1,00,000 are refused with a reason", () => {
    expect(parseNumberText("45,5")).toBe(45.5);
    expect(parseNumberText("1.000,5")).toBe(1000.5);
    expect(parseNumberText("1,000.5")).toBe(1000.5);
    expect(parseNumberText("1.234.567,89")).toBeCloseTo(1234567.89, 6);
    expect(parseNumberText("0,125")).toBe(0.125);
    expect(parseNumberText("90,000")).toBe(90_000);
    for (const text of ["45,5,5", "1,00,000", "1.2,3", "1.5.5", "5,"]) {
      expect(parseNumberText(text), text).toBeUndefined();
      expect(readNumberText(text)).toEqual({ problem: AMBIGUOUS_NUMBER });
    }
  });

  it("CLI --set, assumption CSV and sites CSV", async () => {
    const price = async (argv: string[]) => {
      const result = await cli(["value", "mining", "--json", ...argv]);
      expect(result.stderr).toBe("");
      const json = JSON.parse(result.stdout) as { assumptions: Array<{ key: string; value: unknown }> };
      return json.assumptions.find((entry) => entry.key === "power_price")!.value;
    };
    expect(await price(["--set", "power_price=45,5"])).toBe(45.5);
    await refused(["value", "mining", "--set", "power_price=45,5,5"], "power_price", "ambiguous");
    const split = join(dir, "split.csv");
    writeFileSync(split, "power_price,45,5\n");
    await refused(["value", "mining", "--assumptions", split], "row 1", '"45,5"', "45.5");
    const quoted = join(dir, "quoted.csv");
    writeFileSync(quoted, 'power_price,"45,5"\n');
    expect(await price(["--assumptions", quoted])).toBe(45.5);
    const noted = join(dir, "noted.csv");
    writeFileSync(noted, "key,value,year\npower_price,45,2025\n");
    expect(await price(["--assumptions", noted])).toBe(45);
    const sites = join(dir, "sites-comma.csv");
    writeFileSync(sites, 'name,power_price\nA,"1.000,5"\n');
    await refused(["compare", "--sites", sites], "power_price");
    writeFileSync(sites, 'name,power_price\nA,"45,5"\n');
    const result = await cli(["compare", "--sites", sites, "--json", "--scenarios", "mining"]);
    const site = (JSON.parse(result.stdout) as { sites: Array<{ scenarios: { mining: { assumptions: Array<{ key: string; value: unknown }> } } }> }).sites[0]!;
    expect(site.scenarios.mining.assumptions.find((entry) => entry.key === "power_price")!.value).toBe(45.5);
  });

  it("Excel cells and the pane read the same way", () => {
    expect(npv("mining", [["power_price", "45,5"]])).toEqual(npv("mining", [["power_price", 45.5]]));
    const refusedCell = npv("mining", [["power_price", "45,5,5"]]);
    expect(refusedCell.ok).toBe(false);
    if (!refusedCell.ok) expect(refusedCell.message).toContain("ambiguous");
    expect(effectiveSite({ id: "a", name: "A", overrides: { power_price: "45,5" } }, {}).values.power_price).toBe(45.5);
    expect(overrideErrors({ power_price: "1,00,000" }).power_price).toContain("ambiguous");
  });
});

describe("5. large portfolios: the workbook's limit is stated and kept; the CLI values thousands of sites", () => {
  function portfolioCsv(count: number): string {
    const rows = ["name,site_mw,power_price"];
    for (let i = 0; i < count; i++) rows.push(`Site ${i + 1},${10 + (i % 300)},${30 + (i % 40)}`);
    return `${rows.join("\n")}\n`;
  }

  it("at the largest portfolio allowed, every formula and name fits Excel's limit, even with sheets renamed on insertion", () => {
    const plan = buildWorkbookPlan(Array.from({ length: MAX_WORKBOOK_SITES }, (_, i) => ({ name: `Site number ${i + 1}`, values: DEFAULTS })));
    // Sheets renamed to "<name> (99)", the longest suffix a busy workbook is likely to force.
    const taken = plan.sheets.flatMap((sheet) => Array.from({ length: 98 }, (_, i) => (i === 0 ? sheet.name : `${sheet.name} (${i + 1})`)));
    const renamed = renamePlan(plan, taken, []).plan;
    expect(renamed.sheets.map((sheet) => sheet.name)).toContain("Comparison (99)");
    let longest = 0;
    for (const sheet of renamed.sheets) for (const cell of sheet.cells) longest = Math.max(longest, cell.formula?.length ?? 0);
    for (const name of renamed.names) longest = Math.max(longest, name.refersTo.length);
    expect(longest).toBeGreaterThan(1_000);
    expect(longest).toBeLessThanOrEqual(EXCEL_MAX_FORMULA_CHARS);
  });

  it("one site more is refused by the CLI before any work", async () => {
    const sites = join(dir, "too-many.csv");
    writeFileSync(sites, portfolioCsv(MAX_WORKBOOK_SITES + 1));
    const out = join(dir, "too-many.xlsx");
    await refused(["compare", "--sites", sites, "--out", out], `${MAX_WORKBOOK_SITES + 1} sites are too many`, "8,192");
    expect(existsSync(out)).toBe(false);
    // The pane's side is in hardening-pane.test.tsx.
  });

  it("1,000 sites value as a table and as --json, printed site by site in the usual layout", async () => {
    const sites = join(dir, "thousand.csv");
    writeFileSync(sites, portfolioCsv(1_000));
    const chunks: string[] = [];
    const code = await run(["compare", "--sites", sites, "--json", "--scenarios", "mining,shell"], {
      stdout: (text) => chunks.push(text),
      stderr: (text) => chunks.push(`stderr: ${text}`),
      readText: readTextCapped,
    });
    expect(code).toBe(0);
    expect(chunks.length).toBeGreaterThan(1_000);
    const text = chunks.join("");
    const parsed = JSON.parse(text) as { sites: Array<{ name: string }> };
    expect(parsed.sites).toHaveLength(1_000);
    expect(parsed.sites[999]!.name).toBe("Site 1000");
    expect(text).toBe(`${JSON.stringify(parsed, null, 2)}\n`);
    // --detail prints every site's own table after the portfolio table.
    const table = await cli(["compare", "--sites", sites, "--scenarios", "shell", "--detail"]);
    expect(table.code).toBe(0);
    expect(table.stdout.match(/^Site \d+: /gm)).toHaveLength(1_000);
  });
});

describe("6. whole-column ranges work and the caches are bounded in bytes", () => {
  const ROWS = 1_048_576;
  /** Column A:B of a sheet: a few filled rows, then blanks down to Excel's last row. */
  function wholeColumns(filled: unknown[][]): unknown[][] {
    const rows: unknown[][] = filled.map((row) => [...row]);
    while (rows.length < ROWS) rows.push(["", ""]);
    return rows;
  }

  it("A:B as the assumptions range values like the filled rows alone", () => {
    clearCaches();
    const filled = [
      ["key", "value"],
      ["lease_rate", 140],
    ];
    expect(npv("shell", wholeColumns(filled))).toEqual(npv("shell", filled));
    const list = wholeColumns([[120], [140]]).map((row) => [row[0]]);
    const grid = sensitivityGrid("shell", "npv", "lease_rate", list);
    expect(grid.ok && grid.value.length).toBe(3);
  });

  it("twelve distinct whole-column ranges keep the caches within their byte bounds", () => {
    clearCaches();
    for (let i = 0; i < 12; i++) {
      const range = wholeColumns([["lease_rate", 100 + i]]);
      expect(npv("shell", range).ok).toBe(true);
      expect(cashflows("shell", range, "monthly").ok).toBe(true);
      expect(explainTable("shell", "npv", range).ok).toBe(true);
    }
    const bound = Object.values(CACHE_BYTES).reduce((sum, bytes) => sum + bytes, 0);
    expect(bound).toBeLessThanOrEqual(10_000_000);
    expect(cacheBytes()).toBeGreaterThan(0);
    expect(cacheBytes()).toBeLessThanOrEqual(bound);
  });

  it("LruCache evicts by bytes as well as by count, and never keeps an entry larger than its bound", () => {
    const cache = new LruCache<string>(100, 100, (value) => value.length * 2);
    cache.set("a", "x".repeat(20)); // 2 + 40 bytes
    cache.set("b", "x".repeat(20)); // 84 in all
    cache.set("c", "x".repeat(20)); // 126: "a" goes
    expect(cache.get("a")).toBeUndefined();
    expect(cache.bytes).toBe(84);
    cache.set("d", "x".repeat(60));
    expect(cache.get("d")).toBeUndefined();
    expect(cache.size).toBe(2);
  });
});

describe("8. input size is capped and suggestion work is bounded", () => {
  it("a 100 MB sites file is refused before it is read", async () => {
    const big = join(dir, "big.csv");
    writeFileSync(big, "name,site_mw\n");
    truncateSync(big, 100 * 1024 * 1024);
    let read = false;
    const result = await cli(["compare", "--sites", big], {
      readText: (path) => {
        read = true;
        return readTextCapped(path);
      },
    });
    expect(read).toBe(true);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^minepivot: error: --sites .*big\.csv: 100 MB is too large; at most 32 MB is read\n$/);
  });

  it("pasted or in-memory text over the cap is refused by the CSV and JSON readers", () => {
    const text = "x".repeat(MAX_INPUT_CHARS + 1);
    expect(() => parseCsv(text, "csv")).toThrow(/csv: 32 MB is too large/);
    expect(() => parseUserJson(text, "file.json")).toThrow(/file\.json: 32 MB is too large/);
  });

  it("a 10 MB unknown key is rejected without a did-you-mean search over it", { timeout: 10_000 }, async () => {
    const key = "k".repeat(10 * 1024 * 1024);
    expect(() => parseKey(key)).toThrow(/unknown assumption key/);
    expect(suggestKey("btc_prise")).toBe("btc_price");
    expect(suggestKey("network_hash")).toBe("network_hashrate");
  });
});

describe("9. --out never replaces what it finds and leaves nothing behind", () => {
  const bytes = new Uint8Array([1, 2, 3]);

  it("a dangling symbolic link at the target is refused and kept", () => {
    const target = join(dir, "link.xlsx");
    symlinkSync(join(dir, "nowhere.xlsx"), target);
    expect(() => writeFileAtomic(target, bytes, false)).toThrow(/exists; add --force/);
    expect(lstatSync(target).isSymbolicLink()).toBe(true);
    expect(existsSync(join(dir, "nowhere.xlsx"))).toBe(false);
  });

  it("writes the file, and no temporary file is left in the folder", () => {
    const folder = mkdtempSync(join(dir, "clean-"));
    writeFileAtomic(join(folder, "a.xlsx"), bytes, false);
    writeFileAtomic(join(folder, "a.xlsx"), bytes, true);
    expect(readdirSync(folder)).toEqual(["a.xlsx"]);
  });

  it("a temporary file that a killed run left is removed by the next write; a live run's is kept", () => {
    const folder = mkdtempSync(join(dir, "stale-"));
    // Far above any pid_max, so no process has it.
    writeFileSync(join(folder, ".minepivot-999999999-0a1b.tmp"), "half a workbook");
    writeFileSync(join(folder, `.minepivot-${process.ppid}-0a1b.tmp`), "another run, still writing");
    writeFileAtomic(join(folder, "b.xlsx"), bytes, false);
    expect(readdirSync(folder).sort()).toEqual([`.minepivot-${process.ppid}-0a1b.tmp`, "b.xlsx"]);
  });
});

describe("10. smaller findings", () => {
  it("a 250-character output name is written; a name too long for the file system is an error line, not a stack trace", async () => {
    const long = join(dir, `${"a".repeat(250)}.xlsx`);
    const result = await cli(["compare", "--scenarios", "mining", "--out", long]);
    expect(result.stderr).toBe("");
    expect(existsSync(long)).toBe(true);
    await refused(["compare", "--out", join(dir, `${"b".repeat(300)}.xlsx`)], "--out", "too long", "ENAMETOOLONG");
  });

  it('--assumptions "", --sites "" and --out "" are refused, not ignored', async () => {
    await refused(["value", "mining", "--assumptions", ""], "--assumptions", "empty");
    await refused(["compare", "--sites", ""], "--sites", "empty");
    await refused(["compare", "--sites="], "--sites", "empty");
    await refused(["compare", "--out", " "], "--out", "empty");
  });

  it("options a command does not use are refused: value mining --out x.xlsx writes nothing and says so", async () => {
    const out = join(dir, "ignored.xlsx");
    await refused(["value", "mining", "--out", out], "--out", "value");
    await refused(["explain", "shell", "npv", "--sites", out], "--sites", "explain");
    await refused(["assumptions", "--set", "btc_price=1"], "--set", "assumptions");
    await refused(["compare", "--force"], "--force", "--out");
    expect(existsSync(out)).toBe(false);
  });

  it("a key given twice in a JSON file is refused, as in CSV", async () => {
    const file = join(dir, "twice.json");
    writeFileSync(file, '{\n  "btc_price": 90000,\n  "power_price": 40,\n  "btc_price": 120000\n}\n');
    await refused(["value", "mining", "--assumptions", file], "line 4", '"btc_price" is given twice');
    expect(repeatedJsonKey('{"a": {"b": 1}, "b": [{"a": 1}, {"a": 2}], "c": "\\"a\\""}')).toBeUndefined();
    expect(repeatedJsonKey('[{"x": 1, "y": {"x": 2}}, {"x": 1, "x": 3}]')).toEqual({ key: "x", line: 1 });
    // The same key spelled with an escape is the same key to JSON.parse.
    expect(repeatedJsonKey('{"b": 1, "\\u0062": 2}')).toEqual({ key: "b", line: 1 });
  });

  it("control and ANSI characters from inputs never reach the terminal raw", async () => {
    const sites = join(dir, "ansi.csv");
    writeFileSync(sites, 'name,site_mw\n"\u001b[2J\u001b]0;owned\u0007Evil\r\u009b31m\u202e",50\n');
    const result = await cli(["compare", "--sites", sites, "--scenarios", "mining"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("\\u001b[2J");
    // eslint-disable-next-line no-control-regex -- finding control characters is the point
    const raw = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202e]/;
    expect(result.stdout).not.toMatch(raw);
    const json = await cli(["compare", "--sites", sites, "--scenarios", "mining", "--json"]);
    expect(json.stdout).not.toMatch(raw);
    expect((JSON.parse(json.stdout) as { sites: Array<{ name: string }> }).sites[0]!.name).toBe("\u001b[2J\u001b]0;owned\u0007Evil\r\u009b31m\u202e");
    const bad = await cli(["value", "mining", "--\u001b[31mred"]);
    expect(bad.stderr).not.toMatch(raw);
  });

  it("cached tables are copies: a caller that writes into one does not change the next answer", () => {
    const first = compareTable();
    expect(first.ok).toBe(true);
    if (!first.ok) return;
    const expected = JSON.stringify(first.value);
    first.value[1]![2] = "tampered";
    first.value.pop();
    const second = compareTable();
    expect(JSON.stringify(second.ok && second.value)).toBe(expected);
  });

  it("a site that out-hashes the whole network is refused, naming the keys that contradict", async () => {
    await refused(["value", "mining", "--set", "site_mw=100000", "--set", "network_hashrate=1"], "network_hashrate", "site_mw", "fleet_efficiency");
    const cell = npv("mining", [
      ["site_mw", 100000],
      ["network_hashrate", 1],
    ]);
    expect(cell).toMatchObject({ ok: false, code: "#VALUE!" });
    // A conversion mines the unconverted part while it builds, so it meets the contradiction too.
    expect(
      npv("shell", [
        ["site_mw", 100000],
        ["network_hashrate", 1],
      ]),
    ).toMatchObject({ ok: false, code: "#VALUE!" });
  });
});
