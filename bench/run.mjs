// MinePivot benchmarks. Run with `npm run bench` (builds first). Figures are throughput on one
// core of this machine; targets are stated beside them, and every ratio is measured in this run.
import { performance } from "node:perf_hooks";
import { availableParallelism } from "node:os";

const core = await import("../dist/node/core/index.js");
const { DEFAULTS, compare, parseAssumptions, withValues } = core;

/** Runs `fn` repeatedly for about `seconds`, after a warm-up; returns calls per second. */
function throughput(fn, seconds = 2) {
  for (let i = 0; i < 200; i++) fn(i);
  globalThis.gc?.();
  let calls = 0;
  const start = performance.now();
  let now = start;
  while (now - start < seconds * 1000) {
    for (let i = 0; i < 100; i++) fn(calls + i);
    calls += 100;
    now = performance.now();
  }
  return (calls * 1000) / (now - start);
}

function row(label, value, unit, target) {
  const shown = value >= 100 ? Math.round(value).toLocaleString("en-US") : value.toPrecision(3);
  const verdict = target === undefined ? "" : target.ok(value) ? `  ok (target ${target.text})` : `  MISSED (target ${target.text})`;
  console.log(`${label.padEnd(58)} ${shown.padStart(12)} ${unit}${verdict}`);
}

console.log(`MinePivot benchmarks: node ${process.version}, ${availableParallelism()} cores available, one used\n`);

// 1. Full three-scenario comparisons (all metrics, IRR and payback included).
const horizon15 = withValues(DEFAULTS, { horizon_years_mining: 15, lease_term_years: 14, gpu_life_years: 5 });
// Fifty distinct sites so no result can be reused between calls.
const sites = Array.from({ length: 50 }, (_, i) => withValues(DEFAULTS, { btc_price: 60_000 + i * 1_500, power_price: 30 + i * 0.5, lease_rate: 100 + i }));
const defaultsRate = throughput(() => compare(DEFAULTS, ["mining", "powered_shell", "colocated_gpu"]));
const longRate = throughput(() => compare(horizon15, ["mining", "powered_shell", "colocated_gpu"]));
const variedRate = throughput((i) => compare(sites[i % sites.length], ["mining", "powered_shell", "colocated_gpu"]));
const pairs = [
  ["btc_price", "95000"],
  ["power_price", "40"],
  ["lease_rate", "140"],
  ["gpu_rate", "2.2"],
];
const parsedRate = throughput(() => compare(parseAssumptions(pairs).values, ["mining", "powered_shell", "colocated_gpu"]));
const withHybridRate = throughput(() => compare(DEFAULTS, ["mining", "powered_shell", "colocated_gpu", "hybrid"]));

const target = { text: ">= 20,000/s", ok: (v) => v >= 20_000 };
row("compare, defaults (mining 10 y, shell 16 y, GPU 6 y)", defaultsRate, "sites/s", target);
row("compare, 15-year horizons (mining 15 y, shell 15 y)", longRate, "sites/s", target);
row("compare, 50 distinct sites round-robin", variedRate, "sites/s", target);
row("compare incl. parsing 4 text assumptions", parsedRate, "sites/s");
row("compare with hybrid (reuses the three valuations)", withHybridRate, "sites/s");
row("ratio: parsing + compare / compare alone", parsedRate / defaultsRate, "x");
row("ratio: 15-year / default horizons", longRate / defaultsRate, "x");
