/**
 * The Risk view's shared function (src/worker/risk.ts), which the worker and the page's
 * fallback both run: its statistics are `minepivot simulate --json`'s, bit for bit, for the
 * same assumptions, paths and seed, whether it runs in one go (the worker) or a scenario at a
 * time (the page); its histograms count every path of the core's values; its fields are
 * checked with messages that name them.
 */
import { describe, expect, it } from "vitest";
import { DEFAULTS, histogram, simulateRisk, withValues, type BaseScenario } from "../src/core/index.js";
import {
  HISTOGRAM_BINS,
  answerRiskRequest,
  computeRiskView,
  defaultSwitchTarget,
  parsePanePaths,
  parsePaneSeed,
  riskSteps,
  SLICE_PATHS,
  simulatedScenarios,
  type RiskProgress,
  type RiskReply,
  type RiskRequest,
  type RiskView,
} from "../src/worker/risk.js";
import { runCli } from "./helpers/cli.js";

function sliced(request: RiskRequest): { view: RiskView; yields: RiskProgress[]; progress: RiskProgress[] } {
  const progress: RiskProgress[] = [];
  const steps = riskSteps(request, { sliced: true, onProgress: (p) => progress.push(p) });
  const yields: RiskProgress[] = [];
  for (;;) {
    const step = steps.next();
    if (step.done) return { view: step.value, yields, progress };
    yields.push(step.value);
  }
}

/** The view's statistics by scenario, as JSON would carry them. */
const statistics = (view: RiskView) => JSON.parse(JSON.stringify(Object.fromEntries(view.scenarios.map((s) => [s.scenario, s.risk]))));

describe("the Risk view's numbers", () => {
  it.each([
    { scenarios: ["mining", "powered_shell", "colocated_gpu"] as BaseScenario[], sets: { btc_price_vol: 0.65, site_mw: 40 }, paths: 400, seed: 11 },
    { scenarios: ["colocated_gpu"] as BaseScenario[], sets: { tenant_default_rate: 0.08 }, paths: 250, seed: 3 },
    { scenarios: ["mining"] as BaseScenario[], sets: {}, paths: 120, seed: 0 },
  ])("equal the CLI's simulate --json bit for bit: $scenarios, $paths paths, seed $seed", async ({ scenarios, sets, paths, seed }) => {
    const argv = ["simulate", "--scenarios", scenarios.join(","), "--paths", String(paths), "--seed", String(seed), "--json"];
    for (const [key, value] of Object.entries(sets)) argv.push("--set", `${key}=${value}`);
    const cli = await runCli(argv);
    expect(cli.code).toBe(0);
    const site = (JSON.parse(cli.stdout) as { sites: { scenarios: unknown; switch?: unknown }[] }).sites[0]!;
    // The pane's paths and seed come from its own fields, not from the assumption set; its switch option's conversion is the CLI's default.
    const request: RiskRequest = { values: withValues(DEFAULTS, sets), scenarios, paths, seed, switchTarget: defaultSwitchTarget(scenarios) };
    const whole = computeRiskView(request);
    const parts = sliced(request).view;
    for (const view of [whole, parts]) {
      expect(statistics(view)).toEqual(site.scenarios);
      expect(JSON.parse(JSON.stringify(view.switch ?? null))).toEqual(site.switch ?? null);
    }
    expect(whole.switch === undefined).toBe(scenarios.length === 1 && scenarios[0] === "mining");
    expect(whole.paths).toBe(paths);
    expect(whole.seed).toBe(seed);
    // Not just equal after rounding to JSON: the same doubles.
    const core = simulateRisk(withValues(DEFAULTS, { ...sets, paths, seed }), scenarios);
    for (const s of whole.scenarios) expect(Object.is(s.risk.equity_per_watt.mean, core.scenarios[s.scenario]!.equity_per_watt.mean)).toBe(true);
  });

  it("bins each scenario's per-path values as the core's histogram does, and carries the core's cash-flow fan", () => {
    const request: RiskRequest = { values: DEFAULTS, scenarios: ["mining", "powered_shell"], paths: 300, seed: 5, switchTarget: null };
    const view = computeRiskView(request);
    const core = simulateRisk(withValues(DEFAULTS, { paths: 300, seed: 5 }), ["mining", "powered_shell"], { fan: true });
    expect(sliced(request).view).toEqual(view);
    for (const s of view.scenarios) {
      expect(s.fan).toEqual(core.simulation.scenarios[s.scenario]!.fan);
      expect(s.fan.quantiles).toEqual([0.05, 0.25, 0.5, 0.75, 0.95]);
      const expected = histogram(core.simulation.scenarios[s.scenario]!.equityPerWatt, HISTOGRAM_BINS);
      expect(s.histogram.edges).toEqual([...expected.edges]);
      expect(s.histogram.counts).toEqual([...expected.counts]);
      expect(s.histogram.counts.reduce((a, b) => a + b, 0)).toBe(300);
    }
  });

  it("a slice of paths at a time: yields every SLICE_PATHS paths and after the last, mining included when a conversion needs it, then values the switch option", () => {
    const { yields, progress } = sliced({
      values: DEFAULTS,
      scenarios: ["colocated_gpu", "powered_shell"],
      paths: 1200,
      seed: 2,
      switchTarget: "colocated_gpu",
    });
    expect(simulatedScenarios(["colocated_gpu", "powered_shell"])).toEqual(["mining", "powered_shell", "colocated_gpu"]);
    // Blocks of 64 paths: the first block at or past each 256 paths, then the last (1,200).
    expect(SLICE_PATHS).toBe(256);
    expect(yields).toEqual([256, 512, 768, 1024, 1200].map((paths) => ({ stage: "scenarios", step: 1, steps: 2, done: 3 * paths, total: 3600 })));
    // The core reports every 1,000 valuations and at the end; the count only goes up.
    const first = progress.filter((p) => p.stage === "scenarios");
    expect(first.map((p) => p.done)).toEqual([1000, 2000, 3000, 3600]);
    const second = progress.filter((p) => p.stage === "switch");
    expect(progress.slice(first.length)).toEqual(second);
    expect(second.length).toBeGreaterThan(1);
    expect(second.every((p) => p.step === 2 && p.steps === 2 && p.total === second[0]!.total)).toBe(true);
    expect(second.map((p) => p.done)).toEqual([...second.map((p) => p.done)].sort((x, y) => x - y));
    expect(second[second.length - 1]!.done).toBe(second[0]!.total);
  });

  it("the worker's replies: progress, then the view, which survives a structured clone unchanged", () => {
    const replies: RiskReply[] = [];
    const request: RiskRequest = { values: DEFAULTS, scenarios: ["powered_shell"], paths: 1000, seed: 1, switchTarget: null };
    answerRiskRequest(request, (reply) => replies.push(structuredClone(reply)));
    expect(replies.map((r) => r.type)).toEqual(["progress", "progress", "result"]);
    const result = replies[2] as Extract<RiskReply, { type: "result" }>;
    expect(result.view).toEqual(computeRiskView(request));
    // Small: statistics, bins and the fan's bands, never the per-path values (2 × 1,000 per scenario and more per month).
    const numbers = result.view.scenarios.reduce((sum, s) => sum + s.histogram.counts.length * 2 + 1 + s.fan.bands.length, 0);
    expect(numbers).toBeLessThan(1500);
  });

  it("replies with the error's message for bad input, never throwing in the worker", () => {
    const replies: RiskReply[] = [];
    answerRiskRequest({ values: DEFAULTS, scenarios: [], paths: 10, seed: 1, switchTarget: null }, (reply) => replies.push(reply));
    expect(replies).toEqual([{ type: "error", message: "scenarios: (empty) is not allowed; expected at least one of mining, powered_shell, colocated_gpu" }]);
  });

  it.each([
    ["20000", 20_000],
    ["2,000", 2_000],
    ["2", 2],
  ])("paths %j reads as %d", (text, paths) => expect(parsePanePaths(text)).toBe(paths));

  it.each([
    ["20001", /^paths: "20001" is more than the pane runs; expected a whole number from 2 to 20,000/],
    ["1", /^paths: "1" is out of range/],
    ["", /^paths: \(empty\) is empty/],
    ["ten", /^paths: "ten"/],
    ["2.5", /^paths: "2\.5" is not a whole number/],
  ])("paths %j is refused: %s", (text, message) => expect(() => parsePanePaths(text)).toThrow(message));

  it("seed: 0 to 2^32 − 1, whole", () => {
    expect(parsePaneSeed("0")).toBe(0);
    expect(parsePaneSeed("4294967295")).toBe(4_294_967_295);
    expect(() => parsePaneSeed("4294967296")).toThrow(/^seed: "4294967296" is out of range; expected a whole number from 0 to /);
    expect(() => parsePaneSeed("1.5")).toThrow(/^seed: "1\.5" is not a whole number/);
  });
});
