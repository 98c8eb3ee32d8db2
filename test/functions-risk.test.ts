/**
 * SIMULATE and PROB_BEATS through the adapter: the same numbers as `minepivot simulate --json`
 * bit for bit, the cache (counted engine runs, not timings), the cost cap and the errors.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { DEFAULTS, comparisonMonths, compare, simulateSite, withValues } from "../src/core/index.js";
import * as adapter from "../src/functions/adapter.js";
import { failure, value } from "./helpers/outcome.js";
import { runCli } from "./helpers/cli.js";

/** A range as Excel passes it, with a notes column; the CLI gets the same values with --set. */
const RANGE = [
  ["key", "value", "note"],
  ["btc_price_vol", "60%", "stressed"],
  ["lease_rate", 140, null],
  ["tenant_default_rate", 0.05, ""],
];
const SETS = ["--set", "btc_price_vol=0.6", "--set", "lease_rate=140", "--set", "tenant_default_rate=0.05"];

interface CliRisk {
  equity_per_watt: Record<string, number>;
  prob_loss: number;
  prob_loss_se: number;
  prob_never_pays_back: number;
  prob_never_pays_back_se: number;
  prob_beats_mining?: number;
  prob_beats_mining_se?: number;
  uplift_over_mining_per_watt?: number;
  uplift_over_mining_per_watt_se?: number;
}

async function cliRisk(paths: number, seed: number): Promise<Record<string, CliRisk>> {
  const result = await runCli(["simulate", "--paths", String(paths), "--seed", String(seed), ...SETS, "--json"]);
  expect(result.code, result.stderr).toBe(0);
  return (JSON.parse(result.stdout) as { sites: Array<{ scenarios: Record<string, CliRisk> }> }).sites[0]!.scenarios;
}

/** The CLI's numbers as SIMULATE's rows: statistic → value. */
function expectedRows(risk: CliRisk): Array<[string, number]> {
  const d = risk.equity_per_watt;
  const rows: Array<[string, number | undefined]> = [
    ["mean", d.mean],
    ["mean_se", d.mean_se],
    ["std", d.std],
    ["p5", d.p5],
    ["p25", d.p25],
    ["p50", d.p50],
    ["p75", d.p75],
    ["p95", d.p95],
    ["prob_loss", risk.prob_loss],
    ["prob_loss_se", risk.prob_loss_se],
    ["prob_never_pays_back", risk.prob_never_pays_back],
    ["prob_never_pays_back_se", risk.prob_never_pays_back_se],
    ["prob_beats_mining", risk.prob_beats_mining],
    ["prob_beats_mining_se", risk.prob_beats_mining_se],
    ["uplift_over_mining_per_watt", risk.uplift_over_mining_per_watt],
    ["uplift_over_mining_per_watt_se", risk.uplift_over_mining_per_watt_se],
  ];
  return rows.filter((row): row is [string, number] => row[1] !== undefined);
}

beforeEach(() => adapter.clearCaches());

describe("SIMULATE and PROB_BEATS give minepivot simulate's numbers", () => {
  it("every statistic of every scenario equals the CLI's --json, bit for bit, for the same inputs, paths and seed", async () => {
    const cli = await cliRisk(300, 7);
    for (const scenario of ["mining", "powered_shell", "colocated_gpu"]) {
      const table = value(adapter.simulateTable(scenario, null, RANGE, 300, 7));
      expect(table[0]).toEqual(["Statistic", "Value"]);
      expect(table.slice(1), scenario).toEqual([...expectedRows(cli[scenario]!), ["paths", 300], ["seed", 7]]);
      // One statistic by name is the same number.
      for (const [name, number] of expectedRows(cli[scenario]!)) {
        expect(value(adapter.simulateTable(scenario, name, RANGE, 300, 7)), `${scenario} ${name}`).toEqual([[number]]);
      }
    }
    expect(value(adapter.probBeats("shell", null, RANGE, 300, 7))).toBe(cli.powered_shell!.prob_beats_mining);
    expect(value(adapter.probBeats("gpu", "mining", RANGE, 300, 7))).toBe(cli.colocated_gpu!.prob_beats_mining);
  });

  it("the range's seed row stands in for the seed argument; its paths row is not read", async () => {
    const cli = await cliRisk(120, 3);
    const withRows = [...RANGE, ["paths", 10_000, ""], ["seed", 3, ""]];
    const fromRow = value(adapter.simulateTable("shell", "p50", withRows, 120));
    expect(fromRow).toEqual([[cli.powered_shell!.equity_per_watt.p50]]);
    // The argument wins over the row.
    expect(value(adapter.simulateTable("shell", "p50", [...RANGE, ["seed", 99, ""]], 120, 3))).toEqual(fromRow);
    // The range's 10,000 paths (the registry default, as a copied Inputs sheet carries it) are not run.
    expect(value(adapter.simulateTable("mining", null, withRows)).slice(-2)).toEqual([
      ["paths", adapter.FUNCTION_DEFAULT_PATHS],
      ["seed", 3],
    ]);
  });

  it("without paths anywhere, the functions run FUNCTION_DEFAULT_PATHS paths from seed 1", () => {
    const table = value(adapter.simulateTable("mining"));
    expect(table.slice(-2)).toEqual([
      ["paths", adapter.FUNCTION_DEFAULT_PATHS],
      ["seed", 1],
    ]);
  });

  it("PROB_BEATS against any base scenario counts, path by path, where the first is worth more", () => {
    const a = withValues(DEFAULTS, { btc_price_vol: 0.6, lease_rate: 140, tenant_default_rate: 0.05, paths: 200, seed: 11 });
    const site = simulateSite(a, ["powered_shell", "colocated_gpu"]);
    const shell = site.scenarios.powered_shell!.equityPerWatt;
    const gpu = site.scenarios.colocated_gpu!.equityPerWatt;
    let wins = 0;
    for (let p = 0; p < 200; p++) if (shell[p]! > gpu[p]!) wins++;
    expect(wins).toBeGreaterThan(0);
    expect(wins).toBeLessThan(200);
    expect(value(adapter.probBeats("powered_shell", "colocated_gpu", RANGE, 200, 11))).toBe(wins / 200);
    expect(value(adapter.probBeats("colocated_gpu", "shell", RANGE, 200, 11))).toBe((200 - wins) / 200);
    // Strictly more: a scenario never beats itself.
    expect(value(adapter.probBeats("gpu", "gpu", RANGE, 200, 11))).toBe(0);
  });

  it("with every volatility and risk key at 0, each statistic is the deterministic value", () => {
    const zero = [
      ["btc_price_vol", 0],
      ["hashrate_vol", 0],
      ["hashrate_price_elasticity", 0],
      ["gpu_rate_vol", 0],
      ["power_price_vol", 0],
      ["tenant_default_rate", 0],
      ["construction_delay_months", 0],
      ["capex_overrun_vol", 0],
    ];
    const deterministic = compare(DEFAULTS, ["mining", "powered_shell"]);
    const table = Object.fromEntries(value(adapter.simulateTable("shell", null, zero, 20)).slice(1)) as Record<string, number>;
    for (const q of ["mean", "p5", "p50", "p95"]) expect(table[q]).toBeCloseTo(deterministic.valuations.powered_shell!.metrics.equity_per_watt, 9);
    expect(table.std).toBeLessThan(1e-9);
    expect(table.uplift_over_mining_per_watt).toBeCloseTo(deterministic.upliftPerWatt.powered_shell!, 9);
  });
});

describe("the simulation cache", () => {
  it("a scenario is simulated once per inputs, paths and seed, whichever function and statistic asks", () => {
    const runs = () => adapter.cacheStats.scenariosSimulated;
    value(adapter.simulateTable("shell", null, RANGE, 100, 5));
    expect(runs()).toBe(2); // the shell and mining, on the same paths
    value(adapter.simulateTable("shell", null, RANGE, 100, 5));
    value(adapter.simulateTable("shell", "p95", RANGE, 100, 5));
    value(adapter.simulateTable("mining", "mean", RANGE, 100, 5));
    value(adapter.probBeats("shell", null, RANGE, 100, 5));
    // The same content in another layout: the key is the values, not the cells.
    value(adapter.probBeats("powered_shell", "btc", [...RANGE.map((row) => [row[0], row[1]]), ["", ""]], "100", 5));
    expect(runs()).toBe(2);
    value(adapter.probBeats("gpu", "shell", RANGE, 100, 5));
    expect(runs()).toBe(3); // only the GPU case was new
    value(adapter.simulateTable("shell", null, RANGE, 100, 6));
    expect(runs()).toBe(5); // another seed: other paths
    value(adapter.simulateTable("shell", null, RANGE, 101, 5));
    expect(runs()).toBe(7); // other paths
    value(
      adapter.simulateTable(
        "shell",
        null,
        RANGE.map((row) => (row[0] === "lease_rate" ? ["lease_rate", 141, null] : row)),
        100,
        5,
      ),
    );
    expect(runs()).toBe(9); // other inputs
  });

  it("keeps 9 bytes a path per scenario, within its byte bound", () => {
    value(adapter.simulateTable("gpu", null, RANGE, 1_000, 5));
    expect(adapter.cacheBytes()).toBeGreaterThan(2 * 9 * 1_000);
    expect(adapter.cacheBytes()).toBeLessThanOrEqual(Object.values(adapter.CACHE_BYTES).reduce((sum, bytes) => sum + bytes, 0));
  });
});

describe("bounded work per call", () => {
  it("refuses more paths than the cap allows for the call's scenarios and horizon, naming paths, the value and the maximum, before any work", () => {
    const months = comparisonMonths(DEFAULTS);
    // A mining path-month counts twice a conversion's: the shell and mining weigh 3 a path-month.
    const most = Math.floor(adapter.MAX_SIMULATION_PATH_MONTHS / (3 * months));
    expect(most).toBe(6_666);
    const error = failure(adapter.simulateTable("shell", null, null, most + 1));
    expect(error.code).toBe("#VALUE!");
    expect(error.message).toContain(`paths: ${(most + 1).toLocaleString("en-US")} is too many`);
    expect(error.message).toContain(`at most ${most.toLocaleString("en-US")}`);
    expect(adapter.cacheStats.scenariosSimulated).toBe(0);
    // Mining alone is one scenario.
    const miningMost = Math.floor(adapter.MAX_SIMULATION_PATH_MONTHS / (2 * months));
    expect(miningMost).toBe(10_000);
    expect(failure(adapter.simulateTable("mining", null, null, miningMost + 1)).message).toContain(
      `at most ${miningMost.toLocaleString("en-US")} are allowed for 1 scenario over ${months} months`,
    );
    // A longer horizon lowers the cap.
    const long = [["lease_term_years", 30]];
    const longMost = Math.floor(adapter.MAX_SIMULATION_PATH_MONTHS / (3 * comparisonMonths(withValues(DEFAULTS, { lease_term_years: 30 }))));
    expect(longMost).toBeLessThan(most);
    expect(failure(adapter.probBeats("gpu", null, long, longMost + 1)).message).toContain(`at most ${longMost.toLocaleString("en-US")}`);
    // Two conversions, without mining: 2 a path-month.
    expect(failure(adapter.probBeats("gpu", "shell", null, 10_001)).message).toContain(`at most 10,000 are allowed for 2 scenarios over ${months} months`);
    expect(adapter.cacheStats.scenariosSimulated).toBe(0);
  });
});

describe("bad input", () => {
  it.each([
    [["hybrid"], /^scenario: "hybrid" is not allowed; expected one of mining, powered_shell, colocated_gpu; a hybrid/],
    [["shell", "average"], /^metric: "average" is not allowed; expected one of mean, mean_se, std/],
    [["mining", "prob_beats_mining", null, 20], /^metric: prob_beats_mining compares a conversion with mining/],
    [["shell", null, null, 1], /^paths: 1 is out of range; expected a whole number from 2 to 100,000/],
    [["shell", null, null, 2.5], /^paths: 2\.5 is not a whole number/],
    [["shell", null, null, 10, -1], /^seed: -1 is out of range/],
    [["shell", null, [["btc_price_vol", -1]]], /^assumptions row 1, btc_price_vol: -1 is out of range/],
  ])("SIMULATE(%j) is #VALUE! with a message naming the argument", (args, message) => {
    const error = failure(adapter.simulateTable(...(args as [unknown, unknown?, unknown?, unknown?, unknown?])));
    expect(error.code).toBe("#VALUE!");
    expect(error.message).toMatch(message);
  });

  it("PROB_BEATS names the argument that is wrong", () => {
    expect(failure(adapter.probBeats("shell", "hybrid")).message).toMatch(/^other: "hybrid" is not allowed/);
    expect(failure(adapter.probBeats("nuclear")).message).toMatch(/^scenario: "nuclear" is not allowed/);
    expect(failure(adapter.probBeats("shell", null, null, [[10, 20]])).message).toMatch(/^paths: expected a single value/);
  });
});

describe("SWITCH_VALUE", () => {
  interface CliSwitch {
    target: string;
    rule: string;
    prob_convert: number;
    expected_conversion_month: number | null;
    [key: string]: unknown;
  }
  async function cliSwitch(conversion: string, extra: string[] = []): Promise<CliSwitch> {
    const result = await runCli(["simulate", "--paths", "60", "--seed", "3", ...SETS, ...extra, "--switch", conversion, "--json"]);
    expect(result.code, result.stderr).toBe(0);
    return (JSON.parse(result.stdout) as { sites: Array<{ switch: CliSwitch }> }).sites[0]!.switch;
  }
  /** Every single-valued field of the CLI's switch object but the inputs it echoes. */
  const metricsOf = (cli: CliSwitch): string[] =>
    Object.entries(cli)
      .filter(([key, v]) => !["target", "paths", "seed", "review_months"].includes(key) && (v === null || typeof v !== "object"))
      .map(([key]) => key);

  it("every metric equals minepivot simulate --switch --json, bit for bit, for both conversions; one valuation serves them all", async () => {
    for (const [conversion, argument] of [
      ["powered_shell", null],
      ["colocated_gpu", "GPU"],
    ] as const) {
      const cli = await cliSwitch(conversion);
      expect(cli.target).toBe(conversion);
      const before = adapter.cacheStats.switchesValued;
      expect(metricsOf(cli).length).toBeGreaterThanOrEqual(14);
      for (const metric of metricsOf(cli)) {
        const outcome = adapter.switchValue(RANGE, 60, 3, metric, argument);
        // The CLI's null (no path converts) is Excel's #NUM!.
        if (cli[metric] === null) expect(failure(outcome).code, `${conversion} ${metric}`).toBe("#NUM!");
        else expect(value(outcome), `${conversion} ${metric}`).toBe(cli[metric]);
      }
      expect(value(adapter.switchValue(RANGE, 60, 3, null, argument))).toBe(cli.option_value_per_watt);
      expect(adapter.cacheStats.switchesValued - before).toBe(1);
    }
    // The simulation and the switch are kept apart: SIMULATE ran nothing.
    expect(adapter.cacheStats.scenariosSimulated).toBe(0);
  });

  it("expected_conversion_month is #NUM! when no path converts", () => {
    const never = [...RANGE.filter((row) => row[0] !== "lease_rate"), ["lease_rate", 1]];
    expect(value(adapter.switchValue(never, 30, 2, "prob_convert"))).toBe(0);
    expect(value(adapter.switchValue(never, 30, 2, "rule"))).toMatch(/^Keep mining/);
    const error = failure(adapter.switchValue(never, 30, 2, "expected_conversion_month"));
    expect(error.code).toBe("#NUM!");
    expect(error.message).toMatch(/no path converts/);
  });

  it("caps the paths by the switch's own work: (mine + 2 conversions a path + fitted paths × reviews) × months", () => {
    // 14 yearly reviews over 192 months: the mine (weight 2), two conversions and 14 fits a path up
    // to 2,000 paths; 3.84 M / (18 × 192) = 1,111.1.
    const error = failure(adapter.switchValue(null, 1_112));
    expect(error.message).toBe(
      "paths: 1,112 is too many for these inputs; at most 1,111 are allowed for the switch option (14 yearly conversion reviews) over 192 months, so that one call takes about a second (the CLI's minepivot simulate has no cap)",
    );
    expect(adapter.cacheStats.switchesValued).toBe(0);
  });

  it("names the argument that is wrong", () => {
    expect(failure(adapter.switchValue(null, 3)).message).toMatch(/^paths: 3 is not allowed; expected a whole number of at least 4/);
    expect(failure(adapter.switchValue(null, 10, 1, "mean")).message).toMatch(/^metric: "mean" is not allowed; expected one of option_value_per_watt/);
    expect(failure(adapter.switchValue(null, 10, 1, null, "mining")).message).toMatch(
      /^conversion: "mining" is not allowed; expected one of powered_shell, colocated_gpu/,
    );
  });
});
