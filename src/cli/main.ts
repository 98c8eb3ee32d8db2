/**
 * The `minepivot` command: the valuation core, headless. Every command reads assumptions the
 * same way (defaults, then --assumptions FILE, then --set key=value) and reports bad input as
 * one line on stderr with exit status 2, having written nothing.
 */
import { randomBytes } from "node:crypto";
import {
  constants as fsConstants,
  copyFileSync,
  existsSync,
  linkSync,
  lstatSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { dirname, extname, join } from "node:path";
import {
  ANNUAL_COLUMNS,
  EXAMPLE_SITE,
  InputError,
  NoSolutionError,
  REGISTRY,
  keysFor,
  SCENARIOS,
  SCENARIO_LABELS,
  annualize,
  compare,
  describeAllowed,
  explain,
  getDef,
  pairsFromCsvRows,
  pairsFromObject,
  parseUserJson,
  checkInputSize,
  parseAssumptions,
  parseCsv,
  parseKey,
  parseMetric,
  parseNumberText,
  parseScenario,
  parseSitesTable,
  parsePortfolioSort,
  serialToIso,
  solve,
  splitMarketRow,
  sortPortfolio,
  tornado,
  type AssumptionKey,
  type AssumptionSet,
  type Metrics,
  type ScenarioName,
  type Site,
  type Valuation,
  PER_MW_METRICS,
  onBasis,
  parseBasis,
  type Basis,
  type PerMwMetric,
  portfolioRow,
  portfolioSummary,
  type PortfolioTable,
} from "../core/index.js";
import { checkWorkbookSites } from "../workbook/limits.js";
import { formatMetric, metricLabel, renderSteps, renderTable } from "./format.js";
import { commandSimulate } from "./simulate.js";
import { contextBase, contextJson, contextLines, provenanceOf, type RunContext } from "./context.js";
import { dealsJson, dealsTable } from "./deals.js";
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
  minepivot value <scenario> [--set key=value ...] [--assumptions FILE.csv|FILE.json] [--basis site|it] [--json]
  minepivot compare [--sites FILE.csv] [--scenarios a,b,...] [--set key=value ...] [--basis site|it]
                    [--assumptions FILE] [--out FILE.xlsx [--force] [--risk-paths N]]
                    [--sort COLUMN[:asc|desc]] [--detail] [--csv | --json]
  minepivot sensitivity <scenario> <metric> [--keys k1,k2,...] [--range 0.2] [--set ...]
                    [--assumptions FILE] [--json]
  minepivot solve <scenario> <metric> <target> <key> [--set ...] [--assumptions FILE] [--json]
  minepivot explain <scenario> <metric> [--set ...] [--assumptions FILE] [--json]
  minepivot assumptions [--json]
  minepivot deals [--json]
  minepivot simulate [--scenarios a,b] [--paths N] [--seed S] [--switch shell|gpu|none] [--set ...] [--assumptions F] [--sites F] [--json]
  minepivot --help | --version

Every command that values takes --market SNAPSHOT (2025-12, the default; 2026-06) and
--deal NAME (price the lease, or the GPU economics, like a public deal: see minepivot deals).

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
simulate values each scenario on Monte Carlo paths (distributions, P(loss), P(beats mining))
and the switch option: keep mining and convert at the best time (--switch picks the
conversion, none skips it), with its value, the value of waiting and the rule in words.
--out writes the comparison workbook: live formulas, inputs, charts and checks, and a Risk
sheet, a Monte Carlo snapshot of the first site (--risk-paths paths, default 2,000; 0 leaves it
out). An existing file is never replaced unless --force is given.`;

interface Options {
  positional: string[];
  /** Flags that were given, to refuse those the command does not use. */
  given: Set<string>;
  sets: string[];
  assumptionsFile?: string;
  sitesFile?: string;
  scenarios?: string;
  out?: string;
  market?: string;
  deal?: string;
  force: boolean;
  json: boolean;
  /** Per-MW metrics per site MW (default) or per critical IT MW. */
  basis: Basis;
  csv: boolean;
  detail: boolean;
  sort?: string;
  keys?: string;
  range?: string;
  /** Paths of the workbook's Risk sheet (`--risk-paths`); 0 leaves it out. */
  riskPaths?: string;
  /** `simulate`: the conversion the switch option starts, or "none". */
  switchTarget?: string;
  help: boolean;
  version: boolean;
}

function parseArgs(argv: readonly string[]): Options {
  const options: Options = {
    positional: [],
    given: new Set(),
    sets: [],
    force: false,
    json: false,
    basis: "site",
    csv: false,
    detail: false,
    help: false,
    version: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.startsWith("--") && arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
    const takeValue = (): string => {
      const value = inline ?? argv[++i];
      if (value === undefined || (inline === undefined && value.startsWith("--")))
        throw new InputError(flag, value, "a value after the flag", `${flag} needs a value`);
      if (value.trim() === "") throw new InputError(flag, value, "a value after the flag", `${flag} needs a value; it was given an empty one`);
      options.given.add(flag);
      return value;
    };
    const noValue = (): true => {
      if (inline !== undefined)
        throw new InputError(flag, inline, "no value", `${flag} takes no value (got ${JSON.stringify(inline)}); write ${flag} alone, or leave it out`);
      return true;
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
      case "--market":
        options.market = takeValue();
        break;
      case "--deal":
        options.deal = takeValue();
        break;
      case "--force":
        options.force = noValue();
        options.given.add(flag);
        break;
      case "--basis":
        options.basis = parseBasis(takeValue(), "--basis");
        break;
      case "--json":
        options.json = noValue();
        break;
      // Shorthands for the assumption keys of the same names, checked as every key is.
      case "--paths":
      case "--seed":
        options.sets.push(`${flag.slice(2)}=${takeValue()}`);
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
      case "--risk-paths":
        options.riskPaths = takeValue();
        break;
      case "--switch":
        options.switchTarget = takeValue();
        break;
      case "--help":
      case "-h":
        options.help = noValue();
        break;
      case "--version":
        options.version = noValue();
        break;
      default:
        if (arg.startsWith("-") && parseNumberText(arg) === undefined) {
          throw new InputError(
            "option",
            arg,
            "one of --set, --assumptions, --sites, --scenarios, --out, --market, --deal, --force, --basis, --paths, --seed, --json, --csv, --detail, --sort, --keys, --range, --risk-paths, --switch, --help, --version",
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
    const parsed = parseUserJson(text, `--assumptions ${path}`);
    if (Array.isArray(parsed)) return parsed.map((entry) => (Array.isArray(entry) ? [entry[0], entry[1]] : [entry, undefined]));
    if (parsed && typeof parsed === "object") return pairsFromObject(parsed as Record<string, unknown>);
    throw new InputError("--assumptions", path, "a JSON object of key: value or an array of [key, value]");
  }
  return pairsFromCsvRows(parseCsv(text, `--assumptions ${path}`), `--assumptions ${path}`);
}

/**
 * Reads a text file the user named, refusing one larger than the input cap before reading
 * it: a 100 MB CSV would otherwise exhaust Node's memory.
 */
export function readTextCapped(path: string): string {
  checkInputSize(statSync(path).size, path);
  return readFileSync(path, "utf8");
}

function readFile(io: Io, path: string, flag: string): string {
  try {
    return io.readText(path);
  } catch (error) {
    if (error instanceof InputError) throw new InputError(flag, path, error.allowed, `${flag} ${error.message}`);
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(flag, path, "a readable file", `${flag} ${path}: cannot read the file (${code ?? (error as Error).message})`);
  }
}

interface LoadedSet extends AssumptionSet {
  readonly context: RunContext;
}

/** Market snapshot ← --deal ← --assumptions file ← --set pairs, validated. */
function loadAssumptions(io: Io, options: Options): LoadedSet {
  const fileArgument = `--assumptions ${options.assumptionsFile}`;
  const file = options.assumptionsFile ? splitMarketRow(readAssumptionFile(io, options.assumptionsFile), fileArgument) : undefined;
  const sets = splitMarketRow(
    options.sets.map((text) => {
      const at = text.indexOf("=");
      if (at <= 0) throw new InputError("--set", text, "key=value", `--set ${JSON.stringify(text)}: expected key=value, for example --set btc_price=100000`);
      return [text.slice(0, at), text.slice(at + 1)] as const;
    }),
    "--set",
  );
  const { context, base } = contextBase(options.market, options.deal, [
    { where: fileArgument, market: file?.market },
    { where: "--set", market: sets.market },
  ]);
  let set: AssumptionSet = { values: base, provided: new Set() };
  if (file) set = parseAssumptions(file.rest, base, fileArgument);
  if (options.sets.length > 0) {
    const overrides = parseAssumptions(sets.rest, set.values, "--set");
    set = { values: overrides.values, provided: new Set([...set.provided, ...overrides.provided]) };
  }
  return { ...set, context };
}

/** The value object of the contract's --json output. */
export function valuationJson(valuation: Valuation, provided: ReadonlySet<AssumptionKey>, context?: RunContext): Record<string, unknown> {
  const origin = (key: AssumptionKey) => (context ? provenanceOf(context, key) : getDef(key));
  const used = new Set<string>(keysFor(valuation.scenario));
  return {
    scenario: valuation.scenario,
    ...(context ? contextJson(context) : {}),
    metrics: {
      ...valuation.metrics,
      ...Object.fromEntries(PER_MW_METRICS.map((metric) => [`${metric}_it`, onBasis(valuation, metric, "it")])),
    },
    unavailable: valuation.unavailable,
    annual: annualize(valuation.schedule).map((row) => ({ year: row.year, ...row.values })),
    assumptions: REGISTRY.filter((def) => used.has(def.key)).map((def) => ({
      key: def.key,
      value:
        def.kind === "date"
          ? serialToIso(valuation.assumptions[def.key])
          : def.kind === "boolean"
            ? valuation.assumptions[def.key] === 1
            : valuation.assumptions[def.key],
      unit: def.unit,
      source: provided.has(def.key) ? "user input" : origin(def.key).source,
      as_of: provided.has(def.key) ? null : origin(def.key).asOf,
      is_default: !provided.has(def.key),
    })),
  };
}

const HEADLINE: readonly (keyof Metrics)[] = ["equity_per_watt", "npv_usd", "rev_per_mw", "ebitda_per_mw", "irr", "payback_years"];
const EXTRA: readonly (keyof Metrics)[] = [
  "payback_with_exit_years",
  "stop_month",
  "shut_in_months",
  "debt_usd",
  "min_dscr",
  "cost_to_mine_cash",
  "cost_to_mine_all_in",
  "breakeven_power",
  "hashprice",
  "critical_it_mw",
  "capex_usd",
  "gpu_count",
];

function metricsTable(valuations: readonly Valuation[], uplift?: Readonly<Partial<Record<ScenarioName, number>>>, basis: Basis = "site"): string {
  const header = ["Metric", ...valuations.map((v) => SCENARIO_LABELS[v.scenario])];
  const rows: string[][] = [header];
  const perIt = (key: keyof Metrics): key is PerMwMetric => basis === "it" && (PER_MW_METRICS as readonly string[]).includes(key);
  for (const key of HEADLINE) {
    const label = perIt(key) ? `${metricLabel(key)}, IT basis` : metricLabel(key);
    rows.push([label, ...valuations.map((v) => formatMetric(key, perIt(key) ? onBasis(v, key, "it") : v.metrics[key]))]);
  }
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
    io.stdout(`${JSON.stringify(valuationJson(valuation, set.provided, set.context), null, 2)}\n`);
    return;
  }
  io.stdout(`${SCENARIO_LABELS[scenario]}: ${set.values.site_mw} MW site, valued ${serialToIso(set.values.valuation_date)}\n${contextLines(set.context)}\n`);
  io.stdout(`${metricsTable([valuation], undefined, options.basis)}\n\n${annualTable(valuation)}\n`);
  for (const [metric, why] of Object.entries(valuation.unavailable)) io.stdout(`\n${metric}: ${why}`);
  if (Object.keys(valuation.unavailable).length > 0) io.stdout("\n");
}

function loadSites(io: Io, options: Options): { sites: Site[]; context: RunContext } {
  const set = loadAssumptions(io, options);
  if (!options.sitesFile) return { sites: [{ ...EXAMPLE_SITE, values: set.values, provided: set.provided }], context: set.context };
  const rows = parseCsv(readFile(io, options.sitesFile, "--sites"), `--sites ${options.sitesFile}`);
  const sites = parseSitesTable(rows, set.values, `--sites ${options.sitesFile}`).map((site) => ({
    ...site,
    provided: new Set([...set.provided, ...site.provided]),
  }));
  return { sites, context: set.context };
}

async function commandCompare(io: Io, options: Options): Promise<void> {
  const scenarios = parseScenarioList(options.scenarios);
  if (options.csv && options.json) throw new InputError("--csv", "--json", "one output format", "compare: --csv and --json are two output formats; choose one");
  const sort = options.sort === undefined ? undefined : parsePortfolioSort(options.sort, scenarios);
  const { sites, context } = loadSites(io, options);
  const riskPaths = parseRiskPaths(options.riskPaths);
  if (options.out !== undefined) {
    checkWorkbookSites(sites.length, `--sites ${options.sitesFile ?? ""}`.trim());
    checkOutPath(io, options.out, options.force);
  }
  const compareSite = (site: Site) => {
    try {
      return compare(site.values, scenarios);
    } catch (error) {
      if (error instanceof InputError) throw new InputError(error.argument, error.value, error.allowed, `site "${site.name}": ${error.message}`);
      throw error;
    }
  };
  // Value everything before printing anything: a bad site must not leave half an output. Only
  // each site's portfolio row is kept (a monthly schedule per site and scenario would make memory
  // grow with the portfolio many times over); valuations are computed again as they are printed.
  const rows = sites.map((site) => portfolioRow(site.name, compareSite(site), scenarios, site.values.site_mw));
  const unsorted: PortfolioTable = { scenarios, rows, summary: portfolioSummary(rows, scenarios) };
  const table = sort ? sortPortfolio(unsorted, sort) : unsorted;
  const ordered = table.rows.map((row) => sites[rows.indexOf(row)]!);
  // The workbook is built in full before anything is written or printed.
  const workbook = options.out === undefined ? undefined : await buildWorkbook(sites, scenarios, context, io.today, riskPaths);
  if (workbook && options.out) io.writeBytes!(options.out, workbook.bytes, options.force);
  if (options.json) {
    // The contract's shape is { sites }: each value object names the snapshot (and deal) instead.
    // One site at a time, laid out exactly as JSON.stringify({ sites }, null, 2) would: a single
    // string for thousands of sites would exceed the longest string JavaScript can hold.
    io.stdout('{\n  "sites": [\n');
    ordered.forEach((site, index) => {
      const comparison = compareSite(site);
      const json = {
        name: site.name,
        scenarios: Object.fromEntries(
          scenarios.map((s) => [s, { ...valuationJson(comparison.valuations[s]!, site.provided, context), uplift_per_watt: comparison.upliftPerWatt[s] }]),
        ),
      };
      const text = JSON.stringify(json, null, 2).replace(/\n/g, "\n    ");
      io.stdout(`    ${text}${index < ordered.length - 1 ? "," : ""}\n`);
    });
    io.stdout("  ]\n}\n");
    return;
  }
  if (options.csv) {
    io.stdout(portfolioCsv(table));
    return;
  }
  // One site reads best as its full table; several as one portfolio table, the full tables on request.
  const portfolio = sites.length > 1 || sort !== undefined;
  io.stdout(`${contextLines(context)}\n`);
  if (!portfolio || options.detail) {
    ordered.forEach((site, index) => {
      const comparison = compareSite(site);
      const valuations = scenarios.map((s) => comparison.valuations[s]!);
      const title = `${site.name}: ${site.values.site_mw} MW, valued ${serialToIso(site.values.valuation_date)}`;
      io.stdout(`${index > 0 ? "\n" : ""}${title}\n\n${metricsTable(valuations, comparison.upliftPerWatt, options.basis)}\n`);
    });
  }
  if (portfolio) io.stdout(`${options.detail ? "\n" : ""}${renderPortfolio(table)}\n`);
  if (workbook && options.out) {
    io.stdout(`\nWrote ${options.out}: ${workbook.sheets} sheets, ${workbook.checks} checks, ${(workbook.bytes.length / 1024).toFixed(0)} KB\n`);
  }
}

/** `--risk-paths`: 0 (no Risk sheet) or a path count in the `paths` key's range; absent, the workbook's default. */
function parseRiskPaths(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = parseNumberText(text);
  const def = getDef("paths");
  if (value === undefined || !(value === 0 || (Number.isSafeInteger(value) && value >= def.min && value <= def.max))) {
    throw new InputError("--risk-paths", text, `0 (no Risk sheet) or a whole number from ${def.min} to ${def.max.toLocaleString("en-US")}`);
  }
  return value;
}

/** A user's file is replaced only when asked: checked before building and again before writing. */
function refuseExisting(path: string, overwrite: boolean, exists = existsSync(path) || isLink(path)): void {
  if (!overwrite && exists) {
    throw new InputError("--out", path, "a file that does not exist yet, or --force", `--out ${path}: the file exists; add --force to replace it`);
  }
}

function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENAMETOOLONG")
      throw new InputError("--out", path, "a shorter file name", `--out ${path}: the name is too long for the file system (${code})`);
    return false;
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
  context: RunContext,
  today: string | undefined,
  riskPaths: number | undefined,
): Promise<{ bytes: Uint8Array; sheets: number; checks: number }> {
  const [{ buildWorkbookPlan }, { writeXlsx }, lib, { NODE_COMPRESSOR }] = await Promise.all([
    import("../workbook/build.js"),
    import("../workbook/xlsx.js"),
    import("wasm-xlsxwriter"),
    import("./compressor.js"),
  ]);
  const plan = buildWorkbookPlan(sites, {
    scenarios,
    ...(today ? { generatedOn: today } : {}),
    provenance: (key) => provenanceOf(context, key),
    basis: contextLines(context).trim().replace(/\n/g, ". "),
    ...(riskPaths === undefined ? {} : { riskPaths }),
  });
  return { bytes: writeXlsx(plan, lib, NODE_COMPRESSOR), sheets: plan.sheets.length, checks: plan.checkCount };
}

/** Temporary files of `--out`: hidden, short (any target name fits) and marked with the writer's pid. */
const TEMPORARY = /^\.minepivot-(\d+)-[0-9a-f]+\.tmp$/;

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Removes temporary files that a killed run (kill -9, power loss) left in `directory`. */
function removeStaleTemporaries(directory: string): void {
  let entries: string[];
  try {
    entries = readdirSync(directory);
  } catch {
    return;
  }
  for (const entry of entries) {
    const pid = TEMPORARY.exec(entry)?.[1];
    if (pid !== undefined && Number(pid) !== process.pid && !processIsAlive(Number(pid))) rmSync(join(directory, entry), { force: true });
  }
}

/**
 * Writes a temporary file in the same folder and moves it into place, so a failure never leaves
 * half a workbook. Without `overwrite` the move is a hard link, which the file system refuses
 * when anything exists at the path, even a file created after the checks or a dangling
 * symbolic link; an existing file is only replaced when asked.
 */
export function writeFileAtomic(path: string, bytes: Uint8Array, overwrite: boolean): void {
  refuseExisting(path, overwrite);
  const directory = dirname(path) || ".";
  removeStaleTemporaries(directory);
  const temporary = join(directory, `.minepivot-${process.pid}-${randomBytes(6).toString("hex")}.tmp`);
  try {
    writeFileSync(temporary, bytes, { flag: "wx" });
    if (overwrite) renameSync(temporary, path);
    else placeWithoutReplacing(temporary, path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EEXIST") refuseExisting(path, false, true);
    throw new InputError("--out", path, "a writable path", `--out ${path}: cannot write the file (${code ?? (error as Error).message})`);
  } finally {
    rmSync(temporary, { force: true });
  }
}

/** Hard-links `temporary` to `path`; where links are unsupported, copies with an exclusive create. */
function placeWithoutReplacing(temporary: string, path: string): void {
  try {
    linkSync(temporary, path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== "EPERM" && code !== "ENOTSUP" && code !== "EOPNOTSUPP" && code !== "ENOSYS") throw error;
    copyFileSync(temporary, path, fsConstants.COPYFILE_EXCL);
  }
}

/** Refuses a command given fewer arguments than `usage` names, with an example that works. */
function requirePositionals(options: Options, command: string, usage: string, example: string): void {
  const wanted = usage.split(" ").length;
  if (options.positional.length - 1 < wanted) {
    throw new InputError(command, options.positional.slice(1).join(" "), usage, `${command}: expected ${usage}, for example: ${example}`);
  }
}

function commandSolve(io: Io, options: Options): void {
  requirePositionals(options, "solve", "<scenario> <metric> <target> <key>", "solve colocated_gpu rev_per_mw 25000000 gpu_rate");
  const [, scenarioText, metricText, targetText, keyText] = options.positional;
  const scenario = parseScenario(scenarioText);
  const metric = parseMetric(metricText);
  const target = parseNumberText(targetText!);
  if (target === undefined) throw new InputError("target", targetText, "a number");
  const key = parseKey(keyText, "key");
  const set = loadAssumptions(io, options);
  const value = solve(scenario, metric, target, key, set.values);
  const def = REGISTRY.find((entry) => entry.key === key)!;
  if (options.json) {
    io.stdout(`${JSON.stringify({ scenario, metric, target, key, value, unit: def.unit, current: set.values[key], ...contextJson(set.context) })}\n`);
    return;
  }
  io.stdout(
    `${key} = ${value.toPrecision(6)} ${def.unit} makes ${scenario} ${metric} = ${targetText} (now ${set.values[key]} ${def.unit})\n${contextLines(set.context)}`,
  );
}

function commandExplain(io: Io, options: Options): void {
  const [, scenarioText, metricText] = options.positional;
  const scenario = parseScenario(scenarioText);
  const metric = parseMetric(metricText);
  const set = loadAssumptions(io, options);
  const steps = explain(scenario, metric, set.values);
  if (options.json) {
    io.stdout(`${JSON.stringify({ scenario, metric, ...contextJson(set.context), steps }, null, 2)}\n`);
    return;
  }
  io.stdout(`${contextLines(set.context)}\n${SCENARIO_LABELS[scenario]}, ${metric}: each step, its value and unit, and its formula\n\n${renderSteps(steps)}\n`);
}

function commandSensitivity(io: Io, options: Options): void {
  requirePositionals(options, "sensitivity", "<scenario> <metric>", "sensitivity powered_shell equity_per_watt");
  const [, scenarioText, metricText] = options.positional;
  const scenario = parseScenario(scenarioText);
  const metric = parseTornadoMetric(metricText);
  const keys = parseKeyList(options.keys);
  const range = parseRange(options.range);
  const set = loadAssumptions(io, options);
  const result = tornado(scenario, metric, set.values, { ...(keys ? { keys } : {}), range });
  io.stdout(options.json ? `${JSON.stringify(tornadoJson(result), null, 2)}\n` : `${renderTornado(result)}\n`);
}

/** Every key with the value this run uses (the snapshot's, the deal's or the user's) and its source. */
function commandAssumptions(io: Io, options: Options): void {
  const set = loadAssumptions(io, options);
  const origin = (key: AssumptionKey) => (set.provided.has(key) ? { source: "user input", asOf: null } : provenanceOf(set.context, key));
  if (options.json) {
    io.stdout(
      `${JSON.stringify(
        REGISTRY.map((def) => ({ ...def, allowed: describeAllowed(def), value: set.values[def.key], ...origin(def.key) })),
        null,
        2,
      )}\n`,
    );
    return;
  }
  const rows = [["Key", "Value", "Unit", "Allowed", "Source (as of)"]];
  for (const def of REGISTRY) {
    const value = set.values[def.key];
    const shown = def.kind === "date" ? serialToIso(value) : def.kind === "boolean" ? (value ? "TRUE" : "FALSE") : String(value);
    const { source, asOf } = origin(def.key);
    rows.push([def.key, shown, def.unit, describeAllowed(def), asOf ? `${source} (${asOf})` : source]);
  }
  io.stdout(`${contextLines(set.context)}\n${renderTable(rows)}\n`);
}

function commandDeals(io: Io, options: Options): void {
  io.stdout(options.json ? `${JSON.stringify(dealsJson(), null, 2)}\n` : `${dealsTable()}\n`);
}

/** Error text on one line: messages may quote file content (JSON.parse does). */
function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, " ");
}

/** Positional arguments per command, the command included (a Map: "constructor" is no command). */
const ARITY: ReadonlyMap<string, number> = new Map(
  Object.entries({ value: 2, compare: 1, solve: 5, explain: 3, sensitivity: 3, assumptions: 1, deals: 1, simulate: 1, help: 1 }),
);

/** The flags each command uses; any other (`value mining --out x.xlsx`) is refused, not ignored. */
const COMMAND_FLAGS: ReadonlyMap<string, readonly string[]> = new Map(
  Object.entries({
    value: ["--set", "--assumptions", "--market", "--deal", "--basis"],
    compare: [
      "--set",
      "--assumptions",
      "--sites",
      "--scenarios",
      "--out",
      "--force",
      "--market",
      "--deal",
      "--basis",
      "--csv",
      "--detail",
      "--sort",
      "--risk-paths",
    ],
    sensitivity: ["--set", "--assumptions", "--market", "--deal", "--keys", "--range"],
    solve: ["--set", "--assumptions", "--market", "--deal"],
    explain: ["--set", "--assumptions", "--market", "--deal"],
    assumptions: ["--market"],
    deals: [],
    simulate: ["--set", "--assumptions", "--sites", "--scenarios", "--market", "--deal", "--paths", "--seed", "--switch"],
  }),
);

function refuseUnusedFlags(command: string, options: Options): void {
  const allowed = COMMAND_FLAGS.get(command);
  if (!allowed) return;
  for (const flag of options.given) {
    if (!allowed.includes(flag)) {
      const list = allowed.length > 0 ? allowed.join(", ") : "no options but --json";
      throw new InputError(flag, command, list, `${flag} does nothing with ${command}; ${command} takes ${list} (see minepivot --help)`);
    }
  }
  if (options.force && options.out === undefined) throw new InputError("--force", "--force", "--force with --out", "--force only applies with --out FILE.xlsx");
  if (options.riskPaths !== undefined && options.out === undefined)
    throw new InputError(
      "--risk-paths",
      options.riskPaths,
      "--risk-paths with --out",
      "--risk-paths only applies with --out FILE.xlsx (the workbook's Risk sheet)",
    );
}

/**
 * Text for a terminal: control characters from inputs (ANSI escapes, carriage returns, C1
 * controls, bidirectional overrides) are shown as escapes, never sent raw. Inside JSON strings
 * the escapes read back as the same characters, so --json output stays valid and faithful.
 */
const UNSAFE_FOR_TERMINALS =
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export function terminalSafe(text: string): string {
  return text.replace(UNSAFE_FOR_TERMINALS, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** Runs the CLI; returns the exit status (0 ok, 2 bad input, 1 no solution / internal error). */
export async function run(argv: readonly string[], rawIo: Io, version = "0.0.0"): Promise<number> {
  const io: Io = { ...rawIo, stdout: (text) => rawIo.stdout(terminalSafe(text)), stderr: (text) => rawIo.stderr(terminalSafe(text)) };
  try {
    const options = parseArgs(argv);
    const command = options.positional[0];
    const expected = command === undefined ? undefined : ARITY.get(command);
    if (expected !== undefined && options.positional.length > expected) {
      const extra = options.positional.slice(expected).join(" ");
      throw new InputError(
        command!,
        extra,
        `at most ${expected - 1} argument(s)`,
        `${command}: unexpected argument(s) ${JSON.stringify(extra)}; see minepivot --help`,
      );
    }
    if (command !== undefined) refuseUnusedFlags(command, options);
    if (options.version) {
      io.stdout(`${version}\n`);
      return 0;
    }
    if (options.help || command === undefined || command === "help") {
      io.stdout(`${USAGE}\n`);
      return 0;
    }
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
      case "deals":
        commandDeals(io, options);
        break;
      case "simulate":
        commandSimulate(io, loadSites(io, options).sites, options.scenarios, options.json, options.switchTarget);
        break;
      default:
        throw new InputError(
          "command",
          command,
          "value, compare, solve, explain, sensitivity, assumptions, deals or simulate",
          `unknown command ${JSON.stringify(command)}; expected value, compare, solve, explain, sensitivity, assumptions, deals or simulate (see minepivot --help)`,
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
      readText: readTextCapped,
      writeBytes: writeFileAtomic,
      today: new Date().toISOString().slice(0, 10),
    },
    version,
  ).then((code) => {
    process.exitCode = code;
  });
}
