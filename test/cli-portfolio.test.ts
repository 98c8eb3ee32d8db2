/**
 * The CLI's portfolio table, CSV, sorting, sensitivity (tornado), the refusal of flags a command
 * does not read, explain's plain 100-column layout, and quiet exits into a closed pipe. Figures
 * are compared with the core's own functions, never with typed-in numbers.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildCli, REPO_ROOT } from "./helpers/build-cli.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "./helpers/cli.js";
import { DEFAULTS, SCENARIOS, compare, parseCsv, portfolioTable, tornado, withValues, type Assumptions } from "../src/core/index.js";

const PORTFOLIO = join(REPO_ROOT, "examples", "portfolio.csv");

const cli = (argv: readonly string[]) => runCli(argv, {}, "0.0.0-test");

/** The example portfolio's sites as the core reads them. */
function exampleSites(): Array<{ name: string; values: Assumptions }> {
  const [header, ...rows] = parseCsv(readFileSync(PORTFOLIO, "utf8"));
  return rows.map((row) => ({
    name: row[0]!,
    values: withValues(DEFAULTS, Object.fromEntries(header!.slice(1).map((key, i) => [key, row[i + 1]]))),
  }));
}

describe("compare on several sites", () => {
  it("prints one portfolio table: a row per site, best option, uplift, totals and averages", async () => {
    const { code, stdout, stderr } = await cli(["compare", "--sites", PORTFOLIO]);
    expect([code, stderr]).toEqual([0, ""]);
    const sites = exampleSites();
    const lines = stdout.split("\n");
    for (const site of sites) {
      const row = lines.find((line) => line.startsWith(`${site.name} `));
      expect(row, site.name).toBeDefined();
      const comparison = compare(site.values, ["mining", "powered_shell", "colocated_gpu"]);
      const cells = row!
        .slice(site.name.length)
        .trim()
        .split(/\s{2,}/);
      expect(cells.slice(1, 4)).toEqual(
        ["mining", "powered_shell", "colocated_gpu"].map((s) => comparison.valuations[s as "mining"]!.metrics.equity_per_watt.toFixed(2)),
      );
    }
    expect(lines.some((line) => line.startsWith("Total "))).toBe(true);
    expect(lines.some((line) => line.startsWith("MW-weighted average "))).toBe(true);
    // No per-site blocks without --detail: far fewer lines than sites × a block.
    expect(stdout).not.toContain("Equity value per watt (USD/W)");
    expect(Math.max(...lines.map((line) => line.length))).toBeLessThanOrEqual(100);
  });

  it("--detail adds the per-site blocks; one site alone keeps its block", async () => {
    const detail = await cli(["compare", "--sites", PORTFOLIO, "--detail"]);
    expect(detail.stdout.match(/Equity value per watt \(USD\/W\)/g)!.length).toBe(exampleSites().length);
    expect(detail.stdout).toContain("Portfolio: 5 site(s)");
    const single = await cli(["compare"]);
    expect(single.stdout).toContain("Equity value per watt (USD/W)");
    expect(single.stdout).not.toContain("Portfolio:");
  });

  it("--csv prints the core's table in full precision; --sort orders it", async () => {
    const { code, stdout } = await cli(["compare", "--sites", PORTFOLIO, "--csv", "--sort", "uplift:asc"]);
    expect(code).toBe(0);
    const rows = parseCsv(stdout);
    const table = portfolioTable(exampleSites());
    const expectedOrder = [...table.rows].sort((a, b) => a.upliftPerWatt - b.upliftPerWatt).map((row) => row.name);
    expect(rows.slice(1, -2).map((row) => row[0])).toEqual(expectedOrder);
    const byName = new Map(table.rows.map((row) => [row.name, row]));
    for (const row of rows.slice(1, -2)) {
      expect(Number(row[2])).toBe(byName.get(row[0]!)!.equityPerWatt.mining);
      expect(Number(row[7])).toBe(byName.get(row[0]!)!.upliftPerWatt);
    }
    expect(rows.at(-2)![0]).toBe("Total");
    expect(Number(rows.at(-2)![1])).toBe(table.summary.weightMw);
    expect(Number(rows.at(-1)![3])).toBeCloseTo(table.summary.equityPerWatt.powered_shell!, 12);
  });

  it("--sort also orders --json sites, and refuses an unknown column or --csv with --json", async () => {
    const json = JSON.parse((await cli(["compare", "--sites", PORTFOLIO, "--sort", "name", "--json"])).stdout) as { sites: Array<{ name: string }> };
    expect(json.sites.map((s) => s.name)).toEqual(
      exampleSites()
        .map((s) => s.name)
        .sort((a, b) => a.localeCompare(b)),
    );
    const bad = await cli(["compare", "--sites", PORTFOLIO, "--sort", "colour"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--sort: "colour" is not allowed; expected name, mw/);
    expect((await cli(["compare", "--csv", "--json"])).code).toBe(2);
  });
});

describe("sensitivity", () => {
  it("--json carries the core's tornado", async () => {
    const { code, stdout } = await cli(["sensitivity", "shell", "uplift", "--keys", "lease_rate,btc_price", "--range", "10%", "--json"]);
    expect(code).toBe(0);
    const parsed = JSON.parse(stdout) as { metric: string; range: number; bars: Array<{ key: string; low: number; high: number }> };
    const core = tornado("powered_shell", "uplift_per_watt", DEFAULTS, { keys: ["lease_rate", "btc_price"], range: 0.1 });
    expect(parsed.metric).toBe("uplift_per_watt");
    expect(parsed.range).toBe(0.1);
    expect(parsed.bars.map((b) => [b.key, b.low, b.high])).toEqual(core.bars.map((b) => [b.key, b.low, b.high]));
  });

  it("prints text bars, largest swing first, within 100 columns", async () => {
    const { code, stdout } = await cli(["sensitivity", "powered_shell", "equity_per_watt"]);
    expect(code).toBe(0);
    const core = tornado("powered_shell", "equity_per_watt", DEFAULTS);
    const first = stdout.split("\n").find((line) => line.startsWith(core.bars[0]!.key));
    expect(first).toMatch(/#+\|#+$/);
    for (const line of stdout.split("\n")) expect(line.length).toBeLessThanOrEqual(100);
  });

  it("refuses a bad metric, key or range, naming it", async () => {
    for (const [argv, mention] of [
      [["sensitivity", "shell", "colour"], /metric: "colour".*uplift_per_watt/],
      [["sensitivity", "shell", "npv", "--keys", "lease_rat"], /did you mean "lease_rate"/],
      [["sensitivity", "shell", "npv", "--range", "2"], /--range: "2"/],
      [["sensitivity", "shell"], /expected <scenario> <metric>/],
    ] as const) {
      const result = await cli(argv);
      expect(result.code).toBe(2);
      expect(result.stdout).toBe("");
      expect(result.stderr).toMatch(mention);
    }
  });
});

describe("flags a command does not read", () => {
  it("value, solve and explain refuse --sites; value refuses --sort", async () => {
    for (const argv of [
      ["value", "shell", "--sites", PORTFOLIO],
      ["solve", "shell", "equity_per_watt", "7", "lease_rate", "--sites", PORTFOLIO],
      ["explain", "shell", "npv", "--sites", PORTFOLIO],
      ["value", "shell", "--sort", "name"],
    ]) {
      const result = await cli(argv);
      expect(result.code, argv.join(" ")).toBe(2);
      expect(result.stdout).toBe("");
      expect(result.stderr).toMatch(new RegExp(`^minepivot: error: --s(ites|ort) does nothing with ${argv[0]}; ${argv[0]} takes `));
    }
  });
});

describe("explain", () => {
  it("prints plain numbers (no exponents) within 100 columns, the last step being the metric", async () => {
    for (const scenario of SCENARIOS) {
      for (const metric of ["npv_usd", "equity_per_watt", "irr", "payback_years"]) {
        const { code, stdout } = await cli(["explain", scenario, metric]);
        expect(code).toBe(0);
        expect(stdout).not.toMatch(/\d[eE][+-]?\d/);
        for (const line of stdout.split("\n")) expect(line.length, line).toBeLessThanOrEqual(100);
      }
    }
    const { stdout } = await cli(["explain", "shell", "npv"]);
    const npv = compare(DEFAULTS, ["powered_shell"]).valuations.powered_shell!.metrics.npv_usd;
    expect(stdout).toContain(Math.round(npv).toLocaleString("en-US"));
  });
});

describe("the real launcher into a pipe", () => {
  let dir: string;
  beforeAll(() => {
    buildCli();
    dir = mkdtempSync(join(tmpdir(), "minepivot-pipe-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("ends quietly with status 0 when the reader closes the pipe early (as head does)", async () => {
    // Far more output than a pipe buffers, so the writer meets the closed pipe.
    const rows = Array.from({ length: 150 }, (_, i) => `Site ${i + 1},${50 + i}`);
    const sites = join(dir, "many.csv");
    writeFileSync(sites, ["name,site_mw", ...rows].join("\n"));
    const child = spawn(process.execPath, [join(REPO_ROOT, "bin", "minepivot.js"), "compare", "--sites", sites, "--detail"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.once("data", () => child.stdout.destroy());
    const status = await new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
    expect(stderr).toBe("");
    expect(status).toBe(0);
  }, 60_000);
});
