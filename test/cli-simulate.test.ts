/** `minepivot simulate`, driven through `run` with a fake io. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "./helpers/cli.js";
import { DEFAULTS, compare, simulateRisk, switchSummary, valueSwitchOption, withValues } from "../src/core/index.js";

const cli = (argv: readonly string[]) => runCli(argv);

const dir = mkdtempSync(join(tmpdir(), "minepivot-simulate-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("minepivot simulate", () => {
  it("--json has the contract's shape and equals the core's numbers for the same paths and seed", async () => {
    const result = await cli(["simulate", "--paths", "50", "--seed", "4", "--set", "btc_price_vol=0.6", "--json"]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe("");
    const body = JSON.parse(result.stdout) as {
      paths: number;
      seed: number;
      sites: { name: string; scenarios: Record<string, Record<string, unknown>> }[];
    };
    expect(body.paths).toBe(50);
    expect(body.seed).toBe(4);
    expect(body.sites).toHaveLength(1);
    const scenarios = body.sites[0]!.scenarios;
    expect(Object.keys(scenarios)).toEqual(["mining", "powered_shell", "colocated_gpu"]);
    for (const [name, risk] of Object.entries(scenarios)) {
      expect(Object.keys(risk.equity_per_watt as object)).toEqual(["mean", "std", "p5", "p25", "p50", "p75", "p95", "mean_se"]);
      expect(typeof risk.prob_loss).toBe("number");
      expect(typeof risk.prob_loss_se).toBe("number");
      if (name !== "mining") expect(typeof risk.prob_beats_mining).toBe("number");
    }
    const core = simulateRisk(withValues(DEFAULTS, { btc_price_vol: 0.6 }), ["mining", "powered_shell", "colocated_gpu"], { paths: 50, seed: 4 });
    expect(JSON.parse(JSON.stringify(core.scenarios))).toEqual(scenarios);
    // The same seed gives the same output, byte for byte.
    expect((await cli(["simulate", "--paths", "50", "--seed", "4", "--set", "btc_price_vol=0.6", "--json"])).stdout).toBe(result.stdout);
  });

  it("the switch option: in --json the core's summary for the same paths and seed; --switch picks or skips it", async () => {
    const args = ["simulate", "--paths", "40", "--seed", "6", "--set", "btc_price=150000", "--set", "lease_rate=90"];
    const body = JSON.parse((await cli([...args, "--json"])).stdout) as { sites: { switch?: unknown }[] };
    const a = withValues(DEFAULTS, { btc_price: 150_000, lease_rate: 90, paths: 40, seed: 6 });
    expect(body.sites[0]!.switch).toEqual(JSON.parse(JSON.stringify(switchSummary(valueSwitchOption(a, { target: "powered_shell" })))));
    const gpu = JSON.parse((await cli([...args, "--switch", "gpu", "--json"])).stdout) as { sites: { switch: { target: string } }[] };
    expect(gpu.sites[0]!.switch.target).toBe("colocated_gpu");
    const none = JSON.parse((await cli([...args, "--switch", "none", "--json"])).stdout) as { sites: object[] };
    expect(none.sites[0]).not.toHaveProperty("switch");
    // Only mining simulated: nothing to switch to.
    const mining = JSON.parse((await cli([...args, "--scenarios", "mining", "--json"])).stdout) as { sites: object[] };
    expect(mining.sites[0]).not.toHaveProperty("switch");
    const text = await cli(args);
    expect(text.stdout).toMatch(/Switch option \(USD\/W\)\s+Powered shell/);
    expect(text.stdout).toMatch(/value of waiting \(hold less convert today\)\s+-?\d+\.\d{3} ± \d+\.\d{3}/);
    expect(text.stdout).toMatch(/Rule: /);
    const bad = await cli([...args, "--switch", "mining"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--switch.*mining.*powered_shell, colocated_gpu or none/);
  });

  it("text: a table and a histogram per scenario; --scenarios picks them", async () => {
    const result = await cli(["simulate", "--scenarios", "shell", "--paths", "30", "--seed", "2"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/30 paths, seed 2/);
    expect(result.stdout).toMatch(/P\(beats mining, same paths\)\s+\d+\.\d %/);
    expect(result.stdout).toMatch(/Powered shell: equity per watt/);
    expect(result.stdout).not.toMatch(/Colocated GPU/);
    expect(result.stdout.match(/^\s*-?\d+\.\d+ to +-?\d+\.\d+ /gm)?.length).toBe(12);
  });

  it("--sites: one block per site; at zero risk the mean is the deterministic value", async () => {
    const sites = join(dir, "sites.csv");
    writeFileSync(sites, "name,site_mw,power_price\nAlpha,50,40\nBeta,120,55\n");
    const zero = [
      "btc_price_vol",
      "hashrate_vol",
      "hashrate_price_elasticity",
      "gpu_rate_vol",
      "power_price_vol",
      "tenant_default_rate",
      "construction_delay_months",
      "capex_overrun_vol",
    ];
    const sets = zero.flatMap((key) => ["--set", `${key}=0`]);
    const result = await cli(["simulate", "--sites", sites, "--paths", "4", "--scenarios", "powered_shell", "--json", ...sets]);
    expect(result.code).toBe(0);
    const body = JSON.parse(result.stdout) as { sites: { name: string; scenarios: { powered_shell: { equity_per_watt: { mean: number } } } }[] };
    expect(body.sites.map((s) => s.name)).toEqual(["Alpha", "Beta"]);
    const alpha = compare(withValues(DEFAULTS, { site_mw: 50, power_price: 40, ...Object.fromEntries(zero.map((k) => [k, 0])) }), ["powered_shell"]);
    expect(body.sites[0]!.scenarios.powered_shell.equity_per_watt.mean).toBeCloseTo(alpha.valuations.powered_shell!.metrics.equity_per_watt, 9);
  });

  it.each([
    [["simulate", "--paths", "0"], /paths/],
    [["simulate", "--paths", "many"], /paths/],
    [["simulate", "--seed", "-1"], /seed/],
    [["simulate", "--seed"], /--seed needs a value/],
    [["simulate", "--scenarios", "hybrid"], /hybrid is not simulated/],
    [["simulate", "--sites", "no-such-file.csv"], /no-such-file\.csv/],
    [["simulate", "extra"], /unexpected argument/],
  ])("bad input %j: one line on stderr naming it, exit 2, nothing printed", async (argv, mention) => {
    const result = await cli(argv);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toMatch(mention);
  });
});
