/**
 * The `minepivot` command, driven through `run` with a fake io (stdout and stderr captured,
 * files read from a temp folder), plus one end-to-end run of the real launcher.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "./helpers/cli.js";
import {
  ASSUMPTION_KEYS,
  DEFAULTS,
  SCENARIOS,
  compare,
  keysFor,
  valueScenario,
  withValues,
  type AssumptionKey,
  type Assumptions,
  type ScenarioName,
  PER_MW_METRICS,
  onBasis,
  type Valuation,
} from "../src/core/index.js";

const REPO_ROOT = fileURLToPath(new URL("..", import.meta.url));
const PACKAGE_VERSION = (JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as { version: string }).version;

const cli = (argv: readonly string[], version = "0.0.0-test") => runCli(argv, {}, version);

/** Runs a command that must succeed with --json and returns the parsed object. */
async function cliJson(argv: readonly string[]): Promise<unknown> {
  const result = await cli(argv);
  expect(result.stderr).toBe("");
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as unknown;
}

/** Bad input: exit 2, nothing on stdout, exactly one line on stderr; returns that line. */
async function expectBadInput(argv: readonly string[], ...mentions: readonly (string | RegExp)[]): Promise<string> {
  const result = await cli(argv);
  expect(result.stdout).toBe("");
  expect(result.code).toBe(2);
  expect(result.stderr).toMatch(/^minepivot: error: [^\n]+\n$/);
  const line = result.stderr.trimEnd();
  for (const mention of mentions) {
    if (typeof mention === "string") expect(line).toContain(mention);
    else expect(line).toMatch(mention);
  }
  return line;
}

interface ValueObject {
  scenario: string;
  metrics: Record<string, number | null>;
  annual: Array<Record<string, number>>;
  assumptions: Array<{ key: string; value: unknown; unit: string; source: string; as_of: string | null; is_default: boolean }>;
}

interface CompareJson {
  sites: Array<{ name: string; scenarios: Record<string, ValueObject> }>;
}

/** The core's metrics as they come back through JSON (undefined extras dropped), with the per-IT-MW ones beside them. */
function jsonMetrics(valuation: Valuation): unknown {
  const it = Object.fromEntries(PER_MW_METRICS.map((metric) => [`${metric}_it`, onBasis(valuation, metric, "it")]));
  return JSON.parse(JSON.stringify({ ...valuation.metrics, ...it })) as unknown;
}

function coreMetrics(scenario: ScenarioName, a: Assumptions): unknown {
  return jsonMetrics(valueScenario(scenario, a));
}

function relativeError(actual: number, expected: number): number {
  return Math.abs(actual - expected) / Math.abs(expected);
}

let dir = "";
/** Writes a file in the test's temp folder and returns its path. */
function tempFile(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text, "utf8");
  return path;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "minepivot-cli-"));
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const HEADLINE = ["equity_per_watt", "rev_per_mw", "ebitda_per_mw", "npv_usd", "irr", "payback_years"] as const;

describe("compare", () => {
  it("with no arguments prints the example site's table", async () => {
    const { code, stdout, stderr } = await cli(["compare"]);
    expect(code).toBe(0);
    expect(stderr).toBe("");
    for (const text of [
      "Example 100 MW site",
      "Mining",
      "Powered shell",
      "Colocated GPU",
      "Hybrid",
      "Equity value per watt",
      "Revenue per MW-year",
      "Equity IRR",
      "Payback",
    ]) {
      expect(stdout).toContain(text);
    }
    // The equity-per-watt row shows each scenario's value, in scenario order.
    const row = stdout.split("\n").find((line) => line.startsWith("Equity value per watt"));
    expect(row).toBeDefined();
    const full = compare(DEFAULTS, SCENARIOS);
    const shown = SCENARIOS.map((s) => full.valuations[s]!.metrics.equity_per_watt.toFixed(2));
    expect(row!.split(/\s{2,}/).slice(1)).toEqual(shown);
  });

  it("--json prints one object with a value object per scenario, matching the core", async () => {
    const result = await cli(["compare", "--json"]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe("");
    const parsed = JSON.parse(result.stdout) as CompareJson;
    expect(Object.keys(parsed)).toEqual(["sites"]);
    expect(parsed.sites).toHaveLength(1);
    const site = parsed.sites[0]!;
    expect(typeof site.name).toBe("string");
    expect(Object.keys(site.scenarios).sort()).toEqual(["colocated_gpu", "hybrid", "mining", "powered_shell"]);

    const base = compare(DEFAULTS);
    const withHybrid = compare(DEFAULTS, SCENARIOS);
    for (const scenario of SCENARIOS) {
      const object = site.scenarios[scenario]!;
      expect(object.scenario).toBe(scenario);
      for (const key of HEADLINE) expect(object.metrics).toHaveProperty(key);
      expect(Array.isArray(object.annual)).toBe(true);
      expect(object.annual.length).toBeGreaterThan(0);
      expect(Array.isArray(object.assumptions)).toBe(true);
      expect(object.assumptions.length).toBeGreaterThan(0);
      const core = (base.valuations[scenario] ?? withHybrid.valuations[scenario])!;
      expect(object.metrics).toEqual(jsonMetrics(core));
    }
    // compare(DEFAULTS) values the three base scenarios; the CLI adds hybrid.
    for (const scenario of ["mining", "powered_shell", "colocated_gpu"] as const) {
      expect(site.scenarios[scenario]!.metrics.equity_per_watt).toBe(base.valuations[scenario]!.metrics.equity_per_watt);
    }
  });

  it("--scenarios limits the scenarios valued (aliases accepted)", async () => {
    const parsed = (await cliJson(["compare", "--scenarios", "mining,shell", "--json"])) as CompareJson;
    expect(Object.keys(parsed.sites[0]!.scenarios)).toEqual(["mining", "powered_shell"]);
    const table = await cli(["compare", "--scenarios", "mining,shell"]);
    expect(table.code).toBe(0);
    expect(table.stdout).toContain("Mining");
    expect(table.stdout).toContain("Powered shell");
    expect(table.stdout).not.toContain("Colocated GPU");
    expect(table.stdout).not.toContain("Hybrid");
  });

  it("--sites values a portfolio: one entry per row, names kept, empty cells taking the defaults", async () => {
    const sites = tempFile("sites.csv", ["name,site_mw,power_price,btc_price", "Alpha,50,,", "Beta,,30,", "Gamma,200,60,120000", ""].join("\n"));
    const parsed = (await cliJson(["compare", "--sites", sites, "--json"])) as CompareJson;
    expect(parsed.sites.map((s) => s.name)).toEqual(["Alpha", "Beta", "Gamma"]);
    const expected: Array<Partial<Record<AssumptionKey, number>>> = [
      { site_mw: 50 },
      { power_price: 30 },
      { site_mw: 200, power_price: 60, btc_price: 120_000 },
    ];
    parsed.sites.forEach((site, i) => {
      const a = withValues(DEFAULTS, expected[i]!);
      for (const scenario of SCENARIOS) expect(site.scenarios[scenario]!.metrics).toEqual(coreMetrics(scenario, a));
      const shown = new Map(site.scenarios.mining!.assumptions.map((entry) => [entry.key, entry]));
      expect(shown.get("site_mw")!.value).toBe(a.site_mw);
      expect(shown.get("site_mw")!.is_default).toBe(expected[i]!.site_mw === undefined);
      expect(shown.get("power_price")!.value).toBe(a.power_price);
    });
    const table = await cli(["compare", "--sites", sites, "--detail"]);
    expect(table.code).toBe(0);
    for (const name of ["Alpha: 50 MW", "Beta: 100 MW", "Gamma: 200 MW"]) expect(table.stdout).toContain(name);
  });

  it("--set is the base every site row builds on; a cell overrides it", async () => {
    const sites = tempFile("sites-set.csv", "name,power_price\nCheap,20\nDefault,\n");
    const parsed = (await cliJson(["compare", "--sites", sites, "--set", "power_price=70", "--scenarios", "mining", "--json"])) as CompareJson;
    expect(parsed.sites[0]!.scenarios.mining!.metrics).toEqual(coreMetrics("mining", withValues(DEFAULTS, { power_price: 20 })));
    expect(parsed.sites[1]!.scenarios.mining!.metrics).toEqual(coreMetrics("mining", withValues(DEFAULTS, { power_price: 70 })));
  });
});

describe("value", () => {
  it("powered_shell --json prints the contract's value object", async () => {
    const object = (await cliJson(["value", "powered_shell", "--json"])) as ValueObject;
    expect(object.scenario).toBe("powered_shell");
    expect(object.metrics).toEqual(coreMetrics("powered_shell", DEFAULTS));
    for (const key of HEADLINE) expect(object.metrics).toHaveProperty(key);
    expect(object.annual.length).toBeGreaterThan(0);
    expect(object.annual.map((row) => row.year)).toEqual(object.annual.map((_, i) => i + 1));
    for (const row of object.annual) expect(typeof row.equity_cash_flow).toBe("number");
    // Each assumption that moves the scenario, with its value and provenance; all defaults here.
    expect(object.assumptions.map((entry) => entry.key)).toEqual(keysFor("powered_shell"));
    for (const entry of object.assumptions) {
      expect(entry.is_default).toBe(true);
      expect(typeof entry.unit).toBe("string");
      expect(entry.source.length).toBeGreaterThan(0);
    }
    expect(object.assumptions.find((entry) => entry.key === "lease_rate")!.value).toBe(DEFAULTS.lease_rate);
  });

  it("prints a readable table without --json", async () => {
    const { code, stdout, stderr } = await cli(["value", "powered_shell"]);
    expect(code).toBe(0);
    expect(stderr).toBe("");
    expect(stdout).toContain("Powered shell");
    expect(stdout).toContain("Equity value per watt");
  });

  it.each([
    ["shell", "powered_shell"],
    ["GPU-Cloud", "colocated_gpu"],
    ["neocloud", "colocated_gpu"],
    ["BTC", "mining"],
    ["colo lease", "powered_shell"],
    ["Hybrid", "hybrid"],
  ])("accepts the alias %j for %s", async (alias, scenario) => {
    const object = (await cliJson(["value", alias, "--json"])) as ValueObject;
    expect(object.scenario).toBe(scenario);
  });

  it("--set btc_price=100000 changes the mining metrics as the core says", async () => {
    const object = (await cliJson(["value", "mining", "--set", "btc_price=100000", "--json"])) as ValueObject;
    const changed = withValues(DEFAULTS, { btc_price: 100_000 });
    expect(object.metrics).toEqual(coreMetrics("mining", changed));
    expect(object.metrics.rev_per_mw).not.toBe(valueScenario("mining", DEFAULTS).metrics.rev_per_mw);
    // Mining revenue is proportional to the price.
    expect(relativeError(object.metrics.rev_per_mw!, (valueScenario("mining", DEFAULTS).metrics.rev_per_mw * 100_000) / 90_000)).toBeLessThan(1e-12);
    const entry = object.assumptions.find((e) => e.key === "btc_price")!;
    expect(entry).toMatchObject({ value: 100_000, is_default: false, source: "user input", as_of: null });
    // The inline form --set=key=value means the same.
    expect(((await cliJson(["value", "mining", "--set=btc_price=100000", "--json"])) as ValueObject).metrics).toEqual(object.metrics);
  });

  describe("--assumptions", () => {
    const expected = () => coreMetrics("mining", withValues(DEFAULTS, { btc_price: 100_000, power_price: 30 }));

    it("reads a CSV of key,value rows, with a header row and an extra units column", async () => {
      const file = tempFile("assumptions.csv", "key,value,unit\nbtc_price,100000,USD\nPower Price,30,USD/MWh\n");
      const object = (await cliJson(["value", "mining", "--assumptions", file, "--json"])) as ValueObject;
      expect(object.metrics).toEqual(expected());
      expect(
        object.assumptions
          .filter((e) => !e.is_default)
          .map((e) => e.key)
          .sort(),
      ).toEqual(["btc_price", "power_price"]);
    });

    it("reads a JSON object of key: value", async () => {
      const file = tempFile("assumptions-object.json", JSON.stringify({ btc_price: 100_000, power_price: "30" }));
      expect(((await cliJson(["value", "mining", "--assumptions", file, "--json"])) as ValueObject).metrics).toEqual(expected());
    });

    it("reads a JSON array of [key, value] pairs", async () => {
      const file = tempFile(
        "assumptions-pairs.json",
        JSON.stringify([
          ["btc_price", 100_000],
          ["power_price", 30],
        ]),
      );
      expect(((await cliJson(["value", "mining", "--assumptions", file, "--json"])) as ValueObject).metrics).toEqual(expected());
    });

    it("is overridden by --set", async () => {
      const file = tempFile("assumptions-override.csv", "key,value\nbtc_price,100000\npower_price,30\n");
      const object = (await cliJson(["value", "mining", "--assumptions", file, "--set", "btc_price=120000", "--json"])) as ValueObject;
      expect(object.metrics).toEqual(coreMetrics("mining", withValues(DEFAULTS, { btc_price: 120_000, power_price: 30 })));
      const shown = new Map(object.assumptions.map((e) => [e.key, e]));
      expect(shown.get("btc_price")!.value).toBe(120_000);
      expect(shown.get("power_price")!.value).toBe(30);
      expect(shown.get("power_price")!.is_default).toBe(false);
    });
  });
});

describe("bad input: exit 2, one line on stderr naming the problem, nothing on stdout", () => {
  it("an unknown scenario, listing the accepted names", async () => {
    await expectBadInput(["value", "windfarm"], "windfarm", ...SCENARIOS);
    await expectBadInput(["compare", "--scenarios", "mining,windfarm"], "windfarm", ...SCENARIOS);
  });

  it("an unknown key, with the nearest valid key suggested", async () => {
    await expectBadInput(["value", "mining", "--set", "btc_prise=100000"], "btc_prise", 'did you mean "btc_price"');
    const file = tempFile("bad-key.csv", "key,value\npower_prize,30\n");
    await expectBadInput(["value", "mining", "--assumptions", file], "power_prize", 'did you mean "power_price"');
  });

  it("a value out of range, naming the range", async () => {
    await expectBadInput(["value", "mining", "--set", "tax_rate=0.9"], "tax_rate", "0.9", "out of range", "0 to 0.6");
    await expectBadInput(["value", "mining", "--set", "btc_price=-5"], "btc_price", "more than 0");
    await expectBadInput(["value", "mining", "--set", "btc_price=lots"], "btc_price", "not a number");
  });

  it("--set without '='", async () => {
    await expectBadInput(["value", "mining", "--set", "btc_price"], "btc_price", "key=value");
    await expectBadInput(["value", "mining", "--set"], "--set");
  });

  it("a missing file", async () => {
    const missing = join(dir, "no-such-file.csv");
    await expectBadInput(["value", "mining", "--assumptions", missing], "no-such-file.csv", "cannot read");
    await expectBadInput(["compare", "--sites", join(dir, "no-such-sites.csv")], "no-such-sites.csv", "cannot read");
  });

  it("invalid JSON", async () => {
    const file = tempFile("broken.json", '{"btc_price": 100000,}');
    await expectBadInput(["value", "mining", "--assumptions", file], "broken.json", "not valid JSON");
  });

  it("invalid JSON spread over several lines still gives a one-line error", async () => {
    // Node's JSON.parse message quotes the source text, newlines included.
    const file = tempFile("broken-lines.json", '{\n  "btc_price": oops\n}\n');
    await expectBadInput(["value", "mining", "--assumptions", file], "broken-lines.json", "not valid JSON");
  });

  it("JSON that is neither an object nor an array of pairs", async () => {
    const file = tempFile("scalar.json", "42");
    await expectBadInput(["value", "mining", "--assumptions", file], "scalar.json");
  });

  it("a sites CSV with a bad cell, naming the row and the column key", async () => {
    const file = tempFile("bad-sites.csv", "name,site_mw,power_price\nAlpha,50,40\nBeta,60,cheap\n");
    await expectBadInput(["compare", "--sites", file], "row 3", "power_price", "cheap");
    const outOfRange = tempFile("range-sites.csv", "name,site_mw,power_price\nAlpha,50,40\nBeta,60,40\nGamma,70,5000\n");
    await expectBadInput(["compare", "--sites", outOfRange, "--json"], "row 4", "power_price", "0 to 1,000");
  });

  it("an unknown option", async () => {
    await expectBadInput(["compare", "--frobnicate"], "--frobnicate");
  });

  it("an unknown command", async () => {
    await expectBadInput(["valuate", "mining"], "valuate", "value", "compare");
  });

  it("value without a scenario", async () => {
    await expectBadInput(["value"], "scenario", ...SCENARIOS);
    await expectBadInput(["value", "--json"], "scenario");
  });

  it("solve and explain with bad arguments", async () => {
    await expectBadInput(["solve", "colocated_gpu", "rev_per_mw", "25000000"], "solve");
    await expectBadInput(["solve", "colocated_gpu", "rev_per_mw", "lots", "gpu_rate"], "target", "lots");
    await expectBadInput(["explain", "powered_shell", "happiness"], "happiness", "equity_per_watt");
  });
});

describe("solve, explain, assumptions, help, version", () => {
  it("solve finds the gpu_rate that gives 25 M USD revenue per MW-year", async () => {
    const solved = (await cliJson(["solve", "colocated_gpu", "rev_per_mw", "25000000", "gpu_rate", "--json"])) as {
      key: string;
      value: number;
      metric: string;
      target: number;
    };
    expect(solved).toMatchObject({ key: "gpu_rate", metric: "rev_per_mw", target: 25_000_000 });
    expect(solved.value).toBeCloseTo(5.64, 1);
    const check = (await cliJson(["value", "colocated_gpu", "--set", `gpu_rate=${solved.value}`, "--json"])) as ValueObject;
    expect(relativeError(check.metrics.rev_per_mw!, 25e6)).toBeLessThan(1e-8);
  });

  it("explain lists steps whose last value is the metric", async () => {
    const explained = (await cliJson(["explain", "powered_shell", "equity_per_watt", "--json"])) as {
      scenario: string;
      metric: string;
      steps: Array<{ label: string; formula: string; value: number | string; unit: string }>;
    };
    expect(explained.scenario).toBe("powered_shell");
    expect(explained.metric).toBe("equity_per_watt");
    expect(explained.steps.length).toBeGreaterThan(1);
    const metric = ((await cliJson(["value", "powered_shell", "--json"])) as ValueObject).metrics.equity_per_watt;
    expect(explained.steps.at(-1)!.value).toBe(metric);
    const text = await cli(["explain", "powered_shell", "equity_per_watt"]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain("Equity value per watt");
  });

  it("assumptions --json lists every registry key", async () => {
    const list = (await cliJson(["assumptions", "--json"])) as Array<{ key: string; default: number; unit: string; allowed: string }>;
    expect(list.map((entry) => entry.key)).toEqual(ASSUMPTION_KEYS);
    for (const entry of list) {
      expect(entry.default).toBe(DEFAULTS[entry.key as AssumptionKey]);
      expect(entry.allowed.length).toBeGreaterThan(0);
    }
    const text = await cli(["assumptions"]);
    expect(text.code).toBe(0);
    for (const key of ASSUMPTION_KEYS) expect(text.stdout).toContain(key);
  });

  it("--help prints the usage and exits 0, as does no command at all", async () => {
    for (const argv of [["--help"], ["-h"], ["help"], [], ["value", "--help"]]) {
      const { code, stdout, stderr } = await cli(argv);
      expect(code).toBe(0);
      expect(stderr).toBe("");
      expect(stdout).toContain("Usage");
      for (const command of ["value", "compare", "solve", "explain", "assumptions"]) expect(stdout).toContain(`minepivot ${command}`);
    }
  });

  it("--version prints the version given to run and exits 0", async () => {
    expect(await cli(["--version"], "9.8.7")).toEqual({ code: 0, stdout: "9.8.7\n", stderr: "" });
  });
});

describe("the launcher, end to end", () => {
  const launcher = join(REPO_ROOT, "bin", "minepivot.js");
  const node = (args: readonly string[]) => spawnSync(process.execPath, [launcher, ...args], { cwd: REPO_ROOT, encoding: "utf8" });

  // Always rebuild: a dist/ left from older sources would test code that no longer exists.
  beforeAll(() => {
    const tsc = join(REPO_ROOT, "node_modules", "typescript", "bin", "tsc");
    const build = spawnSync(process.execPath, [tsc, "-p", "tsconfig.build.json"], { cwd: REPO_ROOT, encoding: "utf8" });
    expect(build.status, `${build.stdout}${build.stderr}`).toBe(0);
  });

  it("node bin/minepivot.js compare prints the table and exits 0", async () => {
    const result = node(["compare"]);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("Powered shell");
    expect(result.stdout).toContain("Equity value per watt");
  });

  it("reports the package version", async () => {
    const result = node(["--version"]);
    expect(result.status).toBe(0);
    expect(result.stdout.trim()).toBe(PACKAGE_VERSION);
  });

  it("bad input exits 2 with one line on stderr and nothing on stdout", async () => {
    const result = node(["value", "windfarm"]);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(/^minepivot: error: [^\n]+\n$/);
    expect(result.stderr).toContain("windfarm");
  });
});
