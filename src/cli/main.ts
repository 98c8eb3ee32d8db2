/**
 * The `minepivot` command: the valuation core, headless. Every command reads assumptions the
 * same way (defaults, then --assumptions FILE, then --set key=value) and reports bad input as
 * one line on stderr with exit status 2, having written nothing.
 */
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, extname, join } from "node:path";
import {
  ANNUAL_COLUMNS,
  DEFAULTS,
  EXAMPLE_SITE,
  InputError,
  NoSolutionError,
  REGISTRY,
  SCENARIOS,
  SCENARIO_LABELS,
  annualize,
  compare,
  describeAllowed,
  explain,
  pairsFromObject,
  parseAssumptions,
  parseCsv,
  parseKey,
  parseMetric,
  parseNumberText,
  parseScenario,
  parseSitesTable,
  parsePortfolioSort,
  portfolioTable,
  serialToIso,
  solve,
  sortPortfolio,
  tornado,
  type AssumptionKey,
  type AssumptionSet,
  type Metrics,
  type ScenarioName,
  type Site,
  type Valuation,
} from "../core/index.js";
import { formatMetric, metricLabel, renderSteps, renderTable } from "./format.js";
import { portfolioCsv, renderPortfolio } from "./portfolio.js";
import { parseKeyList, parseRange, parseTornadoMetric, renderTornado, tornadoJson } from "./sensitivity.js";

export interface Io {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Reads a file as text; the CLI's only file-system access besides writing outputs. */
  readonly readText: (path: string) => string;
  /** Writes a file's bytes; refuses to replace an existing file unless `overwrite`. */
  readonly writeBytes?: (path: string, bytes: Uint8Array, overwrite: boolean) => void;
  /** Today's date (ISO) for the workbook cover; absent in tests for reproducible output. */
  readonly today?: string;
}

const USAGE = `minepivot: value bitcoin-mining sites against their conversion to AI data centres

Usage:
  minepivot value <scenario> [--set key=value ...] [--assumptions FILE.csv|FILE.json] [--json]
  minepivot compare [--sites FILE.csv] [--scenarios a,b,...] [--set key=value ...]
                    [--assumptions FILE] [--out FILE.xlsx [--force]]
                    [--sort COLUMN[:asc|desc]] [--detail] [--csv | --json]
  minepivot sensitivity <scenario> <metric> [--keys k1,k2,...] [--range 0.2] [--set ...]
                    [--assumptions FILE] [--json]
  minepivot solve <scenario> <metric> <target> <key> [--set ...] [--assumptions FILE] [--json]
  minepivot explain <scenario> <metric> [--set ...] [--assumptions FILE] [--json]
  minepivot assumptions [--json]
  minepivot --help | --version

Scenarios: ${SCENARIOS.join(", ")}
Metrics:   npv_usd, equity_per_watt, rev_per_mw, ebitda_per_mw, irr, payback_years,
           cost_to_mine_cash, cost_to_mine_all_in, breakeven_power
With no --sites, compare values the built-in example site (100 MW, late-2025 defaults).
With several sites, compare prints one portfolio table (a row per site, the best option, its
uplift over mining, totals and MW-weighted averages); --detail adds each site's full table;
--csv prints the portfolio as CSV; --sort orders it by name, mw, best, uplift, uplift_usd,
value or a scenario's equity per watt (numbers largest first unless :asc).
sensitivity moves each key down and up by --range (default 0.2 = ±20 %) alone and prints
the metric at both ends as a tornado; its metric may also be uplift_per_watt.
--out writes the comparison workbook: live formulas, inputs, charts and checks. An existing
file is never replaced unless --force is given.`;

interface Options {
  positional: string[];
  sets: string[];
  assumptionsFile?: string;
  sitesFile?: string;
  scenarios?: string;
  out?: string;
  force: boolean;
  json: boolean;
  csv: boolean;
  detail: boolean;
  sort?: string;
  keys?: string;
  range?: string;
  help: boolean;
  version: boolean;
}

function parseArgs(argv: readonly string[]): Options {
  const options: Options = { positional: [], sets: [], force: false, json: false, csv: false, detail: false, help: false, version: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.startsWith("--") && arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
    const takeValue = (): string => {
      if (inline !== undefined) return inline;
      const next = argv[++i];
      if (next === undefined || next.startsWith("--")) throw new InputError(flag, next, "a value after the flag", `${flag} needs a value`);
      return next;
    };
    switch (flag) {
      case "--set":
        options.sets.push(takeValue());
        break;
      case "--assumptions":
        options.assumptionsFile = takeValue();
        break;
      case "--sites":
        options.sitesFile = takeValue();
        break;
      case "--scenarios":
        options.scenarios = takeValue();
        break;
      case "--out":
        options.out = takeValue();
        break;
      case "--force":
        options.force = true;
        break;
      case "--json":
        options.json = true;
        break;
      case "--csv":
        options.csv = true;
        break;
      case "--detail":
        options.detail = true;
        break;
      case "--sort":
        options.sort = takeValue();
        break;
      case "--keys":
        options.keys = takeValue();
        break;
      case "--range":
        options.range = takeValue();
        break;
      case "--help":
      case "-h":
        options.help = true;
        break;
      case "--version":
        options.version = true;
        break;
      default:
        if (arg.startsWith("-") && parseNumberText(arg) === undefined) {
          throw new InputError(
            "option",
            arg,
            "one of --set, --assumptions, --sites, --scenarios, --out, --force, --json, --csv, --detail, --sort, --keys, --range, --help, --version",
            `unknown option ${arg}; see minepivot --help`,
          );
        }
        options.positional.push(arg);
    }
  }
  return options;
}

/** Reads assumption pairs from a CSV (key,value[,...] rows) or JSON ({key: value} or [[key, value]]) file. */
function readAssumptionFile(io: Io, path: string): Array<readonly [unknown, unknown]> {
  const text = readFile(io, path, "--assumptions");
  if (extname(path).toLowerCase() === ".json") {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new InputError("--assumptions", path, "valid JSON", `--assumptions ${path}: not valid JSON (${(error as Error).message})`);
    }
    if (Array.isArray(parsed)) return parsed.map((entry) => (Array.isArray(entry) ? [entry[0], entry[1]] : [entry, undefined]));
    if (parsed && typeof parsed === "object") return pairsFromObject(parsed as Record<string, unknown>);
    throw new InputError("--assumptions", path, "a JSON object of key: value or an array of [key, value]");
  }
  return parseCsv(text, `--assumptions ${path}`).map((row) => [row[0], row[1]] as const);
}

function readFile(io: Io, path: string, flag: string): string {
  try {
    return io.readText(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(flag, path, "a readable file", `${flag} ${path}: cannot read the file (${code ?? (error as Error).message})`);
  }
}

/** Defaults ← --assumptions file ← --set pairs, validated. */
function loadAssumptions(io: Io, options: Options): AssumptionSet {
  let set: AssumptionSet = { values: DEFAULTS, provided: new Set() };
  if (options.assumptionsFile) set = parseAssumptions(readAssumptionFile(io, options.assumptionsFile), DEFAULTS, `--assumptions ${options.assumptionsFile}`);
  if (options.sets.length > 0) {
    const pairs = options.sets.map((text) => {
      const at = text.indexOf("=");
      if (at <= 0) throw new InputError("--set", text, "key=value", `--set ${JSON.stringify(text)}: expected key=value, for example --set btc_price=100000`);
      return [text.slice(0, at), text.slice(at + 1)] as const;
    });
    const overrides = parseAssumptions(pairs, set.values, "--set");
    set = { values: overrides.values, provided: new Set([...set.provided, ...overrides.provided]) };
  }
  return set;
}

/** The value object of the contract's --json output. */
export function valuationJson(valuation: Valuation, provided: ReadonlySet<AssumptionKey>): Record<string, unknown> {
  return {
    scenario: valuation.scenario,
    metrics: valuation.metrics,
    unavailable: valuation.unavailable,
    annual: annualize(valuation.schedule).map((row) => ({ year: row.year, ...row.values })),
    assumptions: REGISTRY.filter((def) => (def.scenarios as readonly string[]).includes(valuation.scenario)).map((def) => ({
      key: def.key,
      value:
        def.kind === "date"
          ? serialToIso(valuation.assumptions[def.key])
          : def.kind === "boolean"
            ? valuation.assumptions[def.key] === 1
            : valuation.assumptions[def.key],
      unit: def.unit,
      source: provided.has(def.key) ? "user input" : def.source,
      as_of: provided.has(def.key) ? null : def.asOf,
      is_default: !provided.has(def.key),
    })),
  };
}

const HEADLINE: readonly (keyof Metrics)[] = ["equity_per_watt", "npv_usd", "rev_per_mw", "ebitda_per_mw", "irr", "payback_years"];
const EXTRA: readonly (keyof Metrics)[] = [
  "cost_to_mine_cash",
  "cost_to_mine_all_in",
  "breakeven_power",
  "hashprice",
  "critical_it_mw",
  "capex_usd",
  "gpu_count",
];

function metricsTable(valuations: readonly Valuation[], uplift?: Readonly<Partial<Record<ScenarioName, number>>>): string {
  const header = ["Metric", ...valuations.map((v) => SCENARIO_LABELS[v.scenario])];
  const rows: string[][] = [header];
  for (const key of HEADLINE) rows.push([metricLabel(key), ...valuations.map((v) => formatMetric(key, v.metrics[key]))]);
  if (uplift) rows.push(["Uplift over mining (USD/W)", ...valuations.map((v) => (v.scenario === "mining" ? "" : (uplift[v.scenario] ?? 0).toFixed(2)))]);
  for (const key of EXTRA) {
    if (valuations.some((v) => v.metrics[key] !== undefined)) rows.push([metricLabel(key), ...valuations.map((v) => formatMetric(key, v.metrics[key]))]);
  }
  return renderTable(rows);
}

function annualTable(valuation: Valuation): string {
  const annual = annualize(valuation.schedule);
  const rows: string[][] = [["USD M", ...annual.map((row) => `Y${row.year}`)]];
  for (const key of ANNUAL_COLUMNS) {
    rows.push([key, ...annual.map((row) => ((row.values[key] ?? 0) / 1e6).toFixed(1))]);
  }
  return renderTable(rows);
}

function parseScenarioList(text: string | undefined): ScenarioName[] {
  if (text === undefined) return [...SCENARIOS];
  const list = text
    .split(",")
    .filter((part) => part.trim() !== "")
    .map((part) => parseScenario(part, "--scenarios"));
  if (list.length === 0) throw new InputError("--scenarios", text, `a comma-separated list of ${SCENARIOS.join(", ")}`);
  return [...new Set(list)];
}

function commandValue(io: Io, options: Options): void {
  const [, scenarioText] = options.positional;
  if (scenarioText === undefined)
    throw new InputError("scenario", undefined, SCENARIOS.join(", "), `value: missing scenario; expected one of ${SCENARIOS.join(", ")}`);
  const scenario = parseScenario(scenarioText);
  const set = loadAssumptions(io, options);
  const valuation = compare(set.values, [scenario]).valuations[scenario]!;
  if (options.json) {
    io.stdout(`${JSON.stringify(valuationJson(valuation, set.provided), null, 2)}\n`);
    return;
  }
  io.stdout(`${SCENARIO_LABELS[scenario]}: ${set.values.site_mw} MW site, valued ${serialToIso(set.values.valuation_date)}\n\n`);
  io.stdout(`${metricsTable([valuation])}\n\n${annualTable(valuation)}\n`);
  for (const [metric, why] of Object.entries(valuation.unavailable)) io.stdout(`\n${metric}: ${why}`);
  if (Object.keys(valuation.unavailable).length > 0) io.stdout("\n");
}

function loadSites(io: Io, options: Options): Site[] {
  const set = loadAssumptions(io, options);
  if (!options.sitesFile) return [{ ...EXAMPLE_SITE, values: set.values, provided: set.provided }];
  const rows = parseCsv(readFile(io, options.sitesFile, "--sites"), `--sites ${options.sitesFile}`);
  return parseSitesTable(rows, set.values, `--sites ${options.sitesFile}`).map((site) => ({ ...site, provided: new Set([...set.provided, ...site.provided]) }));
}

async function commandCompare(io: Io, options: Options): Promise<void> {
  const scenarios = parseScenarioList(options.scenarios);
  if (options.csv && options.json) throw new InputError("--csv", "--json", "one output format", "compare: --csv and --json are two output formats; choose one");
  const sort = options.sort === undefined ? undefined : parsePortfolioSort(options.sort, scenarios);
  const sites = loadSites(io, options);
  if (options.out !== undefined) checkOutPath(io, options.out, options.force);
  // Value everything before printing anything: a bad site must not leave half an output.
  const results = sites.map((site) => {
    try {
      return { site, comparison: compare(site.values, scenarios) };
    } catch (error) {
      if (error instanceof InputError) throw new InputError(error.argument, error.value, error.allowed, `site "${site.name}": ${error.message}`);
      throw error;
    }
  });
  // The workbook is built in full before anything is written or printed.
  const workbook = options.out === undefined ? undefined : await buildWorkbook(sites, scenarios, io.today);
  if (workbook && options.out) io.writeBytes!(options.out, workbook.bytes, options.force);
  const unsorted = portfolioTable(
    results.map(({ site }) => site),
    { scenarios, comparisons: results.map(({ comparison }) => comparison) },
  );
  const table = sort ? sortPortfolio(unsorted, sort) : unsorted;
  const ordered = table.rows.map((row) => results[unsorted.rows.indexOf(row)]!);
  if (options.json) {
    const sitesJson = ordered.map(({ site, comparison }) => ({
      name: site.name,
      scenarios: Object.fromEntries(
        scenarios.map((s) => [s, { ...valuationJson(comparison.valuations[s]!, site.provided), uplift_per_watt: comparison.upliftPerWatt[s] }]),
      ),
    }));
    io.stdout(`${JSON.stringify({ sites: sitesJson }, null, 2)}\n`);
    return;
  }
  if (options.csv) {
    io.stdout(portfolioCsv(table));
    return;
  }
  const blocks = ordered.map(({ site, comparison }) => {
    const valuations = scenarios.map((s) => comparison.valuations[s]!);
    const title = `${site.name}: ${site.values.site_mw} MW, valued ${serialToIso(site.values.valuation_date)}`;
    return `${title}\n\n${metricsTable(valuations, comparison.upliftPerWatt)}`;
  });
  // One site reads best as its full table; several as one portfolio table, the full tables on request.
  const portfolio = results.length > 1 || sort !== undefined;
  const parts = [...(portfolio && !options.detail ? [] : blocks), ...(portfolio ? [renderPortfolio(table)] : [])];
  io.stdout(`${parts.join("\n\n")}\n`);
  if (workbook && options.out) {
    io.stdout(`\nWrote ${options.out}: ${workbook.sheets} sheets, ${workbook.checks} checks, ${(workbook.bytes.length / 1024).toFixed(0)} KB\n`);
  }
}

/** A user's file is replaced only when asked: checked before building and again before writing. */
function refuseExisting(path: string, overwrite: boolean): void {
  if (!overwrite && existsSync(path)) {
    throw new InputError("--out", path, "a file that does not exist yet, or --force", `--out ${path}: the file exists; add --force to replace it`);
  }
}

function checkOutPath(io: Io, path: string, force: boolean): void {
  if (extname(path).toLowerCase() !== ".xlsx") throw new InputError("--out", path, "a file name ending in .xlsx");
  if (!io.writeBytes) throw new InputError("--out", path, "a CLI that can write files");
  refuseExisting(path, force);
  if (!existsSync(dirname(path) || "."))
    throw new InputError("--out", path, "a path in an existing folder", `--out ${path}: the folder ${dirname(path)} does not exist`);
}

async function buildWorkbook(
  sites: readonly Site[],
  scenarios: readonly ScenarioName[],
  today?: string,
): Promise<{ bytes: Uint8Array; sheets: number; checks: number }> {
  const [{ buildWorkbookPlan }, { writeXlsx }, lib] = await Promise.all([
    import("../workbook/build.js"),
    import("../workbook/xlsx.js"),
    import("wasm-xlsxwriter"),
  ]);
  const plan = buildWorkbookPlan(sites, { scenarios, ...(today ? { generatedOn: today } : {}) });
  return { bytes: writeXlsx(plan, lib), sheets: plan.sheets.length, checks: plan.checkCount };
}

/**
 * Writes through a temporary file in the same folder and renames it into place, so a failure
 * never leaves half a workbook, and an existing file is only replaced when asked.
 */
export function writeFileAtomic(path: string, bytes: Uint8Array, overwrite: boolean): void {
  refuseExisting(path, overwrite);
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    writeFileSync(temporary, bytes, { flag: "wx" });
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError("--out", path, "a writable path", `--out ${path}: cannot write the file (${code ?? (error as Error).message})`);
  }
}

function commandSolve(io: Io, options: Options): void {
  const [, scenarioText, metricText, targetText, keyText] = options.positional;
  if (keyText === undefined)
    throw new InputError(
      "solve",
      options.positional.slice(1).join(" "),
      "<scenario> <metric> <target> <key>",
      "solve: expected <scenario> <metric> <target> <key>, for example: solve colocated_gpu rev_per_mw 25000000 gpu_rate",
    );
  const scenario = parseScenario(scenarioText);
  const metric = parseMetric(metricText);
  const target = parseNumberText(targetText!);
  if (target === undefined) throw new InputError("target", targetText, "a number");
  const key = parseKey(keyText, "key");
  const set = loadAssumptions(io, options);
  const value = solve(scenario, metric, target, key, set.values);
  const def = REGISTRY.find((entry) => entry.key === key)!;
  if (options.json) {
    io.stdout(`${JSON.stringify({ scenario, metric, target, key, value, unit: def.unit, current: set.values[key] })}\n`);
    return;
  }
  io.stdout(`${key} = ${value.toPrecision(6)} ${def.unit} makes ${scenario} ${metric} = ${targetText} (now ${set.values[key]} ${def.unit})\n`);
}

function commandExplain(io: Io, options: Options): void {
  const [, scenarioText, metricText] = options.positional;
  const scenario = parseScenario(scenarioText);
  const metric = parseMetric(metricText);
  const set = loadAssumptions(io, options);
  const steps = explain(scenario, metric, set.values);
  if (options.json) {
    io.stdout(`${JSON.stringify({ scenario, metric, steps }, null, 2)}\n`);
    return;
  }
  io.stdout(`${SCENARIO_LABELS[scenario]}, ${metric}: each step, its value and unit, and its formula\n\n${renderSteps(steps)}\n`);
}

function commandSensitivity(io: Io, options: Options): void {
  const [, scenarioText, metricText] = options.positional;
  if (metricText === undefined)
    throw new InputError(
      "sensitivity",
      options.positional.slice(1).join(" "),
      "<scenario> <metric>",
      "sensitivity: expected <scenario> <metric>, for example: sensitivity powered_shell equity_per_watt",
    );
  const scenario = parseScenario(scenarioText);
  const metric = parseTornadoMetric(metricText);
  const keys = parseKeyList(options.keys);
  const range = parseRange(options.range);
  const set = loadAssumptions(io, options);
  const result = tornado(scenario, metric, set.values, { ...(keys ? { keys } : {}), range });
  io.stdout(options.json ? `${JSON.stringify(tornadoJson(result), null, 2)}\n` : `${renderTornado(result)}\n`);
}

/**
 * Flags that only some commands read: any other command refuses them rather than ignoring
 * them, so `value --sites FILE` cannot silently value the example site instead.
 */
const FLAG_COMMANDS: ReadonlyArray<{ flag: string; given: (o: Options) => boolean; commands: readonly string[] }> = [
  { flag: "--sites", given: (o) => o.sitesFile !== undefined, commands: ["compare"] },
  { flag: "--scenarios", given: (o) => o.scenarios !== undefined, commands: ["compare"] },
  { flag: "--out", given: (o) => o.out !== undefined, commands: ["compare"] },
  { flag: "--csv", given: (o) => o.csv, commands: ["compare"] },
  { flag: "--detail", given: (o) => o.detail, commands: ["compare"] },
  { flag: "--sort", given: (o) => o.sort !== undefined, commands: ["compare"] },
  { flag: "--keys", given: (o) => o.keys !== undefined, commands: ["sensitivity"] },
  { flag: "--range", given: (o) => o.range !== undefined, commands: ["sensitivity"] },
];

function refuseUnusedFlags(command: string, options: Options): void {
  for (const { flag, given, commands } of FLAG_COMMANDS) {
    if (!given(options) || commands.includes(command)) continue;
    const hint = flag === "--sites" ? "; use compare --sites FILE for several sites, or --assumptions FILE for one" : "";
    throw new InputError(
      flag,
      command,
      `a flag of ${commands.join(", ")}`,
      `${command}: ${flag} is not an option of ${command} (only of ${commands.join(", ")})${hint}`,
    );
  }
}

function commandAssumptions(io: Io, options: Options): void {
  if (options.json) {
    io.stdout(
      `${JSON.stringify(
        REGISTRY.map((def) => ({ ...def, allowed: describeAllowed(def) })),
        null,
        2,
      )}\n`,
    );
    return;
  }
  const rows = [["Key", "Default", "Unit", "Allowed", "Source (as of)"]];
  for (const def of REGISTRY) {
    const shown = def.kind === "date" ? serialToIso(def.default) : def.kind === "boolean" ? (def.default ? "TRUE" : "FALSE") : String(def.default);
    rows.push([def.key, shown, def.unit, describeAllowed(def), `${def.source} (${def.asOf})`]);
  }
  io.stdout(`${renderTable(rows)}\n`);
}

/** Error text on one line: messages may quote file content (JSON.parse does). */
function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, " ");
}

/** Runs the CLI; returns the exit status (0 ok, 2 bad input, 1 no solution / internal error). */
export async function run(argv: readonly string[], io: Io, version = "0.0.0"): Promise<number> {
  try {
    const options = parseArgs(argv);
    const command = options.positional[0];
    const arity: Readonly<Record<string, number>> = { value: 2, compare: 1, solve: 5, explain: 3, sensitivity: 3, assumptions: 1, help: 1 };
    const expected = command === undefined ? undefined : arity[command];
    if (expected !== undefined && options.positional.length > expected) {
      const extra = options.positional.slice(expected).join(" ");
      throw new InputError(
        command!,
        extra,
        `at most ${expected - 1} argument(s)`,
        `${command}: unexpected argument(s) ${JSON.stringify(extra)}; see minepivot --help`,
      );
    }
    if (options.version) {
      io.stdout(`${version}\n`);
      return 0;
    }
    if (options.help || command === undefined || command === "help") {
      io.stdout(`${USAGE}\n`);
      return 0;
    }
    if (arity[command] !== undefined) refuseUnusedFlags(command, options);
    switch (command) {
      case "value":
        commandValue(io, options);
        break;
      case "compare":
        await commandCompare(io, options);
        break;
      case "solve":
        commandSolve(io, options);
        break;
      case "explain":
        commandExplain(io, options);
        break;
      case "sensitivity":
        commandSensitivity(io, options);
        break;
      case "assumptions":
        commandAssumptions(io, options);
        break;
      default:
        throw new InputError(
          "command",
          command,
          "value, compare, solve, explain, sensitivity or assumptions",
          `unknown command ${JSON.stringify(command)}; expected value, compare, solve, explain, sensitivity or assumptions (see minepivot --help)`,
        );
    }
    return 0;
  } catch (error) {
    if (error instanceof InputError) {
      io.stderr(`minepivot: error: ${oneLine(error.message)}\n`);
      return 2;
    }
    if (error instanceof NoSolutionError) {
      io.stderr(`minepivot: no solution: ${oneLine(error.message)}\n`);
      return 1;
    }
    io.stderr(`minepivot: internal error: ${(error as Error).stack ?? String(error)}\n`);
    return 1;
  }
}

/** Process entry point used by bin/minepivot.js. */
export function main(): void {
  // A reader that stops early (`minepivot compare | head`) closes the pipe: that ends the run quietly, as for any Unix filter.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code !== "EPIPE") throw error;
      process.exit(process.exitCode ?? 0);
    });
  }
  const version = (JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8")) as { version: string }).version;
  void run(
    process.argv.slice(2),
    {
      stdout: (text) => process.stdout.write(text),
      stderr: (text) => process.stderr.write(text),
      readText: (path) => readFileSync(path, "utf8"),
      writeBytes: writeFileAtomic,
      today: new Date().toISOString().slice(0, 10),
    },
    version,
  ).then((code) => {
    process.exitCode = code;
  });
}
