/**
 * compare, solve, sensitivity and explain, each checked against direct valuations or hand
 * arithmetic. Tolerance: relative 1e-9 for re-computed values, 1e-8 for solved round trips
 * (the solver stops at 1e-12 relative in the key, which the metric's slope can amplify).
 */
import { describe, expect, it } from "vitest";
import { withValues } from "../src/core/assumptions.js";
import { compare, evaluateAt, metricValue, sensitivity, solve } from "../src/core/analysis.js";
import { InputError, NoSolutionError } from "../src/core/errors.js";
import { explain } from "../src/core/explain.js";
import { DEFAULTS, getDef, type AssumptionKey, type Assumptions } from "../src/core/registry.js";
import { SCENARIOS, type ScenarioName } from "../src/core/scenarios.js";
import { METRIC_DEFS, valueScenario, type SolvableMetric } from "../src/core/value.js";

function close(actual: number | null | undefined, expected: number, rel = 1e-9): void {
  expect(typeof actual).toBe("number");
  const a = actual as number;
  if (!(Math.abs(a - expected) <= rel * Math.abs(expected))) {
    throw new Error(`got ${a}, expected ${expected} (relative diff ${(a - expected) / expected}, tolerance ${rel})`);
  }
}

function make(changes: Partial<Record<AssumptionKey, unknown>> = {}): Assumptions {
  return withValues(DEFAULTS, changes);
}

describe("compare", () => {
  const a = make({ share_mining: 0.5, share_shell: 0.25, share_gpu: 0.25 });
  const result = compare(a, SCENARIOS);

  it("values every scenario exactly as valueScenario does", () => {
    for (const scenario of SCENARIOS) {
      const direct = valueScenario(scenario, a);
      const compared = result.valuations[scenario]!;
      expect(compared.scenario).toBe(scenario);
      for (const key of ["npv_usd", "equity_per_watt", "rev_per_mw", "ebitda_per_mw"] as const) {
        close(compared.metrics[key], direct.metrics[key]);
      }
    }
  });

  it("uplift = scenario equity_per_watt − mining's (0 for mining itself)", () => {
    const mining = valueScenario("mining", a).metrics.equity_per_watt;
    expect(result.upliftPerWatt.mining).toBe(0);
    for (const scenario of ["powered_shell", "colocated_gpu", "hybrid"] as const) {
      close(result.upliftPerWatt[scenario], valueScenario(scenario, a).metrics.equity_per_watt - mining);
    }
  });

  it("defaults to the three base scenarios", () => {
    const base = compare(a);
    expect(Object.keys(base.valuations).sort()).toEqual(["colocated_gpu", "mining", "powered_shell"]);
    expect(Object.keys(base.upliftPerWatt).sort()).toEqual(["colocated_gpu", "mining", "powered_shell"]);
  });

  it("uplift is measured against mining even when mining is not asked for", () => {
    const shellOnly = compare(a, ["powered_shell"]);
    expect(Object.keys(shellOnly.valuations)).toEqual(["powered_shell"]);
    close(shellOnly.upliftPerWatt.powered_shell, result.upliftPerWatt.powered_shell!);
  });
});

describe("solve", () => {
  /** Targets taken from valuations at another key value, so each has a solution in range. */
  const cases: Array<{ scenario: ScenarioName; metric: SolvableMetric; key: AssumptionKey; at: number; base?: Partial<Record<AssumptionKey, unknown>> }> = [
    { scenario: "mining", metric: "equity_per_watt", key: "btc_price", at: 125_000 },
    { scenario: "mining", metric: "npv_usd", key: "power_price", at: 30 },
    { scenario: "mining", metric: "cost_to_mine_cash", key: "power_price", at: 60 },
    { scenario: "mining", metric: "rev_per_mw", key: "hashrate_growth", at: 0.5 },
    { scenario: "powered_shell", metric: "npv_usd", key: "lease_rate", at: 150 },
    { scenario: "powered_shell", metric: "equity_per_watt", key: "conversion_capex", at: 12 },
    { scenario: "powered_shell", metric: "irr", key: "lease_rate", at: 170 },
    { scenario: "colocated_gpu", metric: "equity_per_watt", key: "gpu_rate", at: 2.6 },
    { scenario: "colocated_gpu", metric: "irr", key: "gpu_rate", at: 3 },
    { scenario: "colocated_gpu", metric: "ebitda_per_mw", key: "utilization", at: 0.6 },
    // Not btc_price: the hybrid's mining part picks its stop month on its own value, so where
    // that month jumps (between 109,800 and 109,900 USD on the defaults) the one company's
    // value can fall as the price rises, and solve may land on the other root.
    { scenario: "hybrid", metric: "npv_usd", key: "lease_rate", at: 150 },
    { scenario: "powered_shell", metric: "npv_usd", key: "construction_months", at: 20 },
  ];
  for (const { scenario, metric, key, at, base } of cases) {
    it(`${scenario} ${metric} for ${key}: round trip`, () => {
      const a = make(base);
      const target = metricValue(valueScenario(scenario, { ...a, [key]: at } as Assumptions), metric);
      const solved = solve(scenario, metric, target, key, a);
      if (getDef(key).integer) expect(Number.isInteger(solved), `${key} = ${solved}`).toBe(true);
      // Re-value with the solved key through the parser, as a user would.
      const revalued = metricValue(valueScenario(scenario, make({ ...base, [key]: solved })), metric);
      close(revalued, target, 1e-8);
      close(evaluateAt(scenario, metric, a, key, solved), target, 1e-8);
      // Each metric is monotonic in its key here, so the root is the value we started from.
      close(solved, at, 1e-6);
    });
  }

  it("the press claim: colocated GPU at 25 M USD revenue per MW-year", () => {
    const a = DEFAULTS;
    const rate = solve("colocated_gpu", "rev_per_mw", 25_000_000, "gpu_rate", a);
    // GPUs = site_mw / pue_dc × 1,000 / gpu_kw = 100 / 1.2 × 1,000 / 1.4 = 59,523.81
    const gpus = ((a.site_mw / a.pue_dc) * 1_000) / a.gpu_kw;
    close(gpus, 100_000 / 1.2 / 1.4);
    // rate = 25e6 × site_mw / (GPUs × 8,766 h × utilization) = 2.5e9 / (59,523.81 × 8,766 × 0.85) ≈ 5.64 USD/GPU-hour
    const byHand = (25_000_000 * a.site_mw) / (gpus * 8_766 * a.utilization);
    close(rate, byHand, 1e-8);
    expect(rate).toBeGreaterThan(5.6);
    expect(rate).toBeLessThan(5.7);
    close(valueScenario("colocated_gpu", make({ gpu_rate: rate })).metrics.rev_per_mw, 25_000_000, 1e-8);
  });

  it("a target no value in range reaches is a NoSolutionError", () => {
    // Revenue is never negative, whatever the BTC price.
    expect(() => solve("mining", "rev_per_mw", -1, "btc_price", DEFAULTS)).toThrow(NoSolutionError);
    // The highest lease rate (10,000 USD/kW-month) earns ~1e8 USD/MW-year, far below 1e12.
    expect(() => solve("powered_shell", "rev_per_mw", 1e12, "lease_rate", DEFAULTS)).toThrow(NoSolutionError);
    // A shell's revenue does not depend on the BTC price at all.
    expect(() => solve("powered_shell", "npv_usd", 1, "btc_price", DEFAULTS)).toThrow(NoSolutionError);
  });

  it("bad questions are InputErrors", () => {
    expect(() => solve("mining", "npv_usd", Number.NaN, "btc_price", DEFAULTS)).toThrow(InputError);
    expect(() => solve("mining", "npv_usd", 0, "valuation_date", DEFAULTS)).toThrow(InputError);
    expect(() => solve("mining", "npv_usd", 0, "tax_loss_carryforward", DEFAULTS)).toThrow(InputError);
    expect(() => evaluateAt("mining", "npv_usd", DEFAULTS, "btc_price", -1)).toThrow(InputError);
    expect(() => metricValue(valueScenario("powered_shell", DEFAULTS), "cost_to_mine_cash")).toThrow(InputError);
  });
});

describe("sensitivity", () => {
  it("1-D: one column, each cell the direct valuation", () => {
    const rows = [100, 130, 160];
    const grid = sensitivity("powered_shell", "equity_per_watt", DEFAULTS, "lease_rate", rows);
    expect(grid.rowKey).toBe("lease_rate");
    expect(grid.colKey).toBeUndefined();
    expect(grid.rowValues).toEqual(rows);
    expect(grid.colValues).toEqual([]);
    expect(grid.values.length).toBe(3);
    grid.values.forEach((row, i) => {
      expect(row.length).toBe(1);
      close(row[0], valueScenario("powered_shell", make({ lease_rate: rows[i] })).metrics.equity_per_watt);
    });
  });

  it("2-D: rows × columns, each cell the direct valuation", () => {
    const rows = [60_000, 90_000];
    const cols = [0, 0.2, 0.4];
    const grid = sensitivity("mining", "npv_usd", DEFAULTS, "btc_price", rows, "hashrate_growth", cols);
    expect(grid.colKey).toBe("hashrate_growth");
    expect(grid.values.length).toBe(2);
    for (const [i, row] of grid.values.entries()) {
      expect(row.length).toBe(3);
      for (const [j, cell] of row.entries()) {
        close(cell, valueScenario("mining", make({ btc_price: rows[i], hashrate_growth: cols[j] })).metrics.npv_usd);
      }
    }
  });

  it("parses values like the assumptions (text, percentages) and hybrid works too", () => {
    const grid = sensitivity("hybrid", "rev_per_mw", DEFAULTS, "tax_rate", ["10%", 0.3] as unknown as number[]);
    close(grid.rowValues[0]!, 0.1);
    close(grid.values[0]![0], valueScenario("hybrid", make({ tax_rate: 0.1 })).metrics.rev_per_mw);
  });

  it("a metric without a value is null in its cell, not an error", () => {
    const grid = sensitivity("mining", "irr", DEFAULTS, "btc_price", [50_000, 90_000]);
    for (const [i, price] of [50_000, 90_000].entries()) {
      const direct = valueScenario("mining", make({ btc_price: price })).metrics.irr;
      if (direct === null) expect(grid.values[i]![0]).toBeNull();
      else close(grid.values[i]![0], direct);
    }
  });

  it("out-of-range or missing values are InputErrors", () => {
    expect(() => sensitivity("mining", "npv_usd", DEFAULTS, "btc_price", [-1])).toThrow(InputError);
    expect(() => sensitivity("mining", "npv_usd", DEFAULTS, "btc_price", [])).toThrow(InputError);
    expect(() => sensitivity("mining", "npv_usd", DEFAULTS, "btc_price", [1], "uptime", [])).toThrow(InputError);
  });
});

describe("explain", () => {
  for (const scenario of SCENARIOS) {
    for (const { key: metric } of METRIC_DEFS) {
      it(`${scenario} ${metric}`, () => {
        const a = DEFAULTS;
        const steps = explain(scenario, metric, a);
        expect(steps.length).toBeGreaterThan(1);
        for (const step of steps) {
          expect(typeof step.label).toBe("string");
          expect(step.label.length).toBeGreaterThan(0);
          expect(typeof step.formula).toBe("string");
          expect(step.formula.length).toBeGreaterThan(0);
          expect(typeof step.unit).toBe("string");
          expect(step.unit.length).toBeGreaterThan(0);
          if (typeof step.value === "number") expect(Number.isFinite(step.value), step.label).toBe(true);
          else expect(typeof step.value).toBe("string");
        }
        const last = steps[steps.length - 1]!;
        const metricDef = METRIC_DEFS.find((def) => def.key === metric)!;
        expect(last.unit).toBe(metricDef.unit);
        const valuation = valueScenario(scenario, a);
        const value = valuation.metrics[metric];
        if (typeof value === "number") expect(last.value).toBe(value);
        else expect(typeof last.value).toBe("string");
      });
    }
  }

  it("mining npv trace: PV of operating flows + PV of the exit + PV of tax saved by debt − net debt = equity value", () => {
    const a = make({ net_debt: 1e7 });
    const steps = explain("mining", "npv_usd", a);
    const find = (label: string): number => steps.find((step) => step.label === label)!.value as number;
    close(find("PV of the operating flows") + find("PV of the exit") + find("PV of tax saved by debt") - find("Net debt"), find("Equity value"));
    close(find("Equity value"), valueScenario("mining", a).metrics.npv_usd);
  });
});
