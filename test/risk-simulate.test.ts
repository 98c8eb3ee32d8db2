/**
 * Pathwise valuation: at zero risk every path of every scenario is the deterministic valuation
 * (the mine's no-foresight stop rule included); with risk on, the same seed gives the same
 * numbers and the scenarios share their paths.
 */
import { describe, expect, it } from "vitest";
import {
  DEFAULTS,
  InputError,
  MARKET_BLOCK_PATHS,
  MarketBlocks,
  Random,
  ZERO_RISK,
  compare,
  comparisonMonths,
  histogram,
  pathOf,
  simulateRisk,
  simulateSite,
  simulationMarket,
  withValues,
  type Assumptions,
} from "../src/core/index.js";
import { valueColocatedGpu, valuePoweredShell } from "../src/core/conversion.js";
import { valueMining } from "../src/core/mining.js";

const SCENARIOS = ["mining", "powered_shell", "colocated_gpu"] as const;

describe("at zero risk each path is the deterministic valuation", () => {
  const cases: [string, Partial<Assumptions>][] = [
    ["defaults", {}],
    // The default mine is sold at once (month 1); these run for a while and then sell.
    ["a mine sold after two years", { btc_price: 150_000, power_price_growth: 0.12 }],
    ["a mine sold after eight months, debt-free conversions", { power_price: 30, btc_price_growth: -0.1, debt_ltc: 0, hashrate_lag_months: 4 }],
  ];
  it.each(cases)("%s: equity per watt to 1e-9 USD/W, the same stop month, the same payback", (_, changes) => {
    const a = withValues(DEFAULTS, { ...ZERO_RISK, ...changes });
    const deterministic = compare(a, [...SCENARIOS]).valuations;
    const sim = simulateSite(a, SCENARIOS, { paths: 6, seed: 9 });
    for (const scenario of SCENARIOS) {
      const expected = deterministic[scenario]!.metrics;
      const paths = sim.scenarios[scenario]!;
      for (let p = 0; p < sim.paths; p++) {
        expect(Math.abs(paths.equityPerWatt[p]! - expected.equity_per_watt), `${scenario} path ${p}`).toBeLessThanOrEqual(1e-9);
        expect(paths.neverPaysBack[p], `${scenario} path ${p} payback`).toBe(expected.payback_years === null ? 1 : 0);
      }
    }
    const stop = deterministic.mining!.metrics.stop_month!;
    expect([...sim.miningStopMonth!]).toEqual(new Array(sim.paths).fill(stop));
  });

  it("the cases exercise the stop rule: each mine runs a while and sells before the horizon", () => {
    for (const [, changes] of cases.slice(1)) {
      const mining = compare(withValues(DEFAULTS, { ...ZERO_RISK, ...changes }), ["mining"]).valuations.mining!;
      expect(mining.metrics.stop_month!).toBeGreaterThan(1);
      expect(mining.metrics.stop_month!).toBeLessThan(mining.schedule.months);
    }
  });
});

describe("the simulation values the market's paths block by block, as the engine values them whole", () => {
  // Two full blocks and a part, a construction delay on many paths, tenants that default.
  const a = withValues(DEFAULTS, { btc_price: 120_000, construction_delay_months: 3, tenant_default_rate: 0.2 });
  const paths = 2 * MARKET_BLOCK_PATHS + 9;
  const sim = simulateSite(a, SCENARIOS, { paths, seed: 4 });
  const market = simulationMarket(a, paths, 4);

  it("each conversion on each path is bit for bit the engine's full valuation of that path of the whole market", () => {
    const siteW = a.site_mw * 1e6;
    for (const [scenario, value] of [
      ["powered_shell", valuePoweredShell],
      ["colocated_gpu", valueColocatedGpu],
    ] as const) {
      const debtUsd = value(a, a.site_mw).debtUsd;
      const got = sim.scenarios[scenario]!.equityPerWatt;
      for (let p = 0; p < paths; p++) {
        const expected = (value(a, a.site_mw, pathOf(market, p, { debtUsd })).presentValue - a.net_debt) / siteW;
        expect(got[p], `${scenario} path ${p}`).toBe(expected);
      }
    }
  });

  it("the mine on each path is worth what the engine's full valuation says selling at its stop month is worth", () => {
    const siteW = a.site_mw * 1e6;
    const stops = new Set<number>();
    for (let p = 0; p < paths; p++) {
      const stop = sim.miningStopMonth![p]!;
      stops.add(stop);
      const engine = valueMining(a, a.site_mw, pathOf(market, p));
      expect(sim.scenarios.mining!.equityPerWatt[p], `path ${p}, stop ${stop}`).toBe((engine.valueIfStopped[stop - 1]! - a.net_debt) / siteW);
    }
    // The rule stops different paths in different months, so the check covers more than one.
    expect(stops.size).toBeGreaterThan(1);
  });

  it("a GPU rate drawn for fewer months has the same first months; the rest are NaN, never read", () => {
    const months = comparisonMonths(a);
    const whole = new MarketBlocks(a, months, new Random(8), 70);
    const short = new MarketBlocks(a, months, new Random(8), 70, { gpuMonths: 5 });
    for (let block = whole.next(), cut = short.next(); block; block = whole.next(), cut = short.next()) {
      const width = block.market.paths;
      expect([...cut!.market.gpuRateUsdPerHour.subarray(0, 5 * width)]).toEqual([...block.market.gpuRateUsdPerHour.subarray(0, 5 * width)]);
      expect(cut!.market.gpuRateUsdPerHour.subarray(5 * width).every(Number.isNaN)).toBe(true);
      expect([...cut!.market.btcPriceUsd]).toEqual([...block.market.btcPriceUsd]);
    }
  });
});

describe("with risk on", () => {
  const a = withValues(DEFAULTS, {});
  it("the same seed gives identical paths and values; another seed does not", () => {
    const one = simulateSite(a, SCENARIOS, { paths: 40, seed: 5 });
    const two = simulateSite(a, SCENARIOS, { paths: 40, seed: 5 });
    const other = simulateSite(a, SCENARIOS, { paths: 40, seed: 6 });
    for (const scenario of SCENARIOS) {
      expect(two.scenarios[scenario]!.equityPerWatt).toEqual(one.scenarios[scenario]!.equityPerWatt);
      expect(other.scenarios[scenario]!.equityPerWatt).not.toEqual(one.scenarios[scenario]!.equityPerWatt);
    }
  });

  it("values spread, and a mine never stops after the horizon", () => {
    const sim = simulateSite(a, SCENARIOS, { paths: 60, seed: 2 });
    for (const scenario of SCENARIOS) {
      const values = sim.scenarios[scenario]!.equityPerWatt;
      expect(Math.max(...values) - Math.min(...values), scenario).toBeGreaterThan(0.01);
      expect(values.every(Number.isFinite)).toBe(true);
    }
    const months = compare(a, ["mining"]).valuations.mining!.schedule.months;
    for (const stop of sim.miningStopMonth!) expect(stop >= 1 && stop <= months).toBe(true);
  });

  it("rejects too few paths and a bad seed by name", () => {
    expect(() => simulateSite(a, SCENARIOS, { paths: 1 })).toThrow(InputError);
    expect(() => simulateSite(a, SCENARIOS, { paths: 1 })).toThrow(/paths/);
    expect(() => simulateSite(a, SCENARIOS, { paths: 4, seed: -1 })).toThrow(/seed/);
  });
});

describe("distributions", () => {
  it("at zero risk: no spread, every percentile the deterministic value, probabilities 0 or 1 as the deterministic case says", () => {
    const a = withValues(DEFAULTS, { ...ZERO_RISK, btc_price: 150_000, power_price_growth: 0.12 });
    const det = compare(a, [...SCENARIOS]).valuations;
    const risk = simulateRisk(a, ["powered_shell", "colocated_gpu"], { paths: 5, seed: 1 });
    expect(Object.keys(risk.scenarios)).toEqual(["powered_shell", "colocated_gpu"]);
    for (const scenario of ["powered_shell", "colocated_gpu"] as const) {
      const r = risk.scenarios[scenario]!;
      const value = det[scenario]!.metrics.equity_per_watt;
      for (const q of ["mean", "p5", "p25", "p50", "p75", "p95"] as const) expect(Math.abs(r.equity_per_watt[q] - value)).toBeLessThanOrEqual(1e-9);
      expect(r.equity_per_watt.std).toBeLessThanOrEqual(1e-12);
      expect(r.prob_loss).toBe(value < 0 ? 1 : 0);
      expect(r.prob_beats_mining).toBe(value > det.mining!.metrics.equity_per_watt ? 1 : 0);
      expect(r.uplift_over_mining_per_watt!).toBeCloseTo(value - det.mining!.metrics.equity_per_watt, 9);
      expect(r.prob_never_pays_back).toBe(det[scenario]!.metrics.payback_years === null ? 1 : 0);
    }
  });

  it("with risk on: statistics agree with the per-path values, and the same seed repeats them exactly", () => {
    const a = withValues(DEFAULTS, {});
    const one = simulateRisk(a, [...SCENARIOS], { paths: 200, seed: 11 });
    expect(simulateRisk(a, [...SCENARIOS], { paths: 200, seed: 11 }).scenarios).toEqual(one.scenarios);
    const shell = one.simulation.scenarios.powered_shell!.equityPerWatt;
    const mining = one.simulation.scenarios.mining!.equityPerWatt;
    let wins = 0;
    for (let p = 0; p < shell.length; p++) if (shell[p]! > mining[p]!) wins++;
    const r = one.scenarios.powered_shell!;
    expect(r.prob_beats_mining).toBe(wins / 200);
    expect(r.prob_beats_mining_se).toBeCloseTo(Math.sqrt(((wins / 200) * (1 - wins / 200)) / 200), 12);
    const d = r.equity_per_watt;
    expect(d.p5 <= d.p25 && d.p25 <= d.p50 && d.p50 <= d.p75 && d.p75 <= d.p95).toBe(true);
    expect(d.std).toBeGreaterThan(0);
    expect(d.mean_se).toBeCloseTo(d.std / Math.sqrt(200), 12);
  });

  it("histogram: bins cover every value", () => {
    const { edges, counts } = histogram(Float64Array.from([0, 1, 2, 3, 10]), 5);
    expect([...edges]).toEqual([0, 2, 4, 6, 8, 10]);
    expect([...counts]).toEqual([2, 2, 0, 0, 1]);
  });
});

describe("the cumulative cash-flow fan", () => {
  it("at zero risk every band is the forecast's cumulative cash flow to equity, per watt", () => {
    const a = withValues(DEFAULTS, { ...ZERO_RISK, btc_price: 150_000, power_price_growth: 0.12 });
    const sim = simulateSite(a, SCENARIOS, { paths: 5, seed: 1, fan: true });
    const deterministic = compare(a, [...SCENARIOS]).valuations;
    for (const scenario of SCENARIOS) {
      const fan = sim.scenarios[scenario]!.fan!;
      const c = deterministic[scenario]!.schedule.columns;
      let cumulative = 0;
      for (let m = 0; m < fan.months; m++) {
        cumulative += (c.equity_cash_flow[m]! + c.terminal_value[m]!) / (a.site_mw * 1e6);
        for (let q = 0; q < fan.quantiles.length; q++) {
          expect(Math.abs(fan.bands[m * fan.quantiles.length + q]! - cumulative), `${scenario} month ${m + 1}`).toBeLessThanOrEqual(1e-12);
        }
      }
    }
  });

  it("with risk on the bands are ordered and spread, and only asked-for fans are kept", () => {
    const sim = simulateSite(DEFAULTS, SCENARIOS, { paths: 200, seed: 3, fan: true });
    for (const scenario of SCENARIOS) {
      const { bands, months, quantiles } = sim.scenarios[scenario]!.fan!;
      expect(quantiles).toEqual([0.05, 0.25, 0.5, 0.75, 0.95]);
      for (let m = 0; m < months; m++) {
        const row = bands.subarray(m * 5, m * 5 + 5);
        for (let q = 1; q < 5; q++) expect(row[q]!).toBeGreaterThanOrEqual(row[q - 1]!);
      }
      const last = bands.subarray((months - 1) * 5, months * 5);
      expect(last[4]! - last[0]!, scenario).toBeGreaterThan(0.01);
    }
    expect(simulateSite(DEFAULTS, ["mining"], { paths: 20, seed: 3 }).scenarios.mining!.fan).toBeUndefined();
  });
});
