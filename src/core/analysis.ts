/**
 * Questions asked of the valuation: compare the scenarios of a site, solve for the value of one
 * assumption that hits a target, and sweep sensitivity grids.
 */
import { InputError, NoSolutionError } from "./errors.js";
import { describeAllowed, parseValue } from "./assumptions.js";
import { getDef, type AssumptionKey, type Assumptions } from "./registry.js";
import { BASE_SCENARIOS, type BaseScenario, type ScenarioName } from "./scenarios.js";
import { hybridShares, valueHybrid, valueScenario, type SolvableMetric, type Valuation } from "./value.js";

export interface Comparison {
  readonly valuations: Readonly<Partial<Record<ScenarioName, Valuation>>>;
  /** Each scenario's equity value minus mining's, per watt of site power (USD/W). */
  readonly upliftPerWatt: Readonly<Partial<Record<ScenarioName, number>>>;
}

/** Values the scenarios of one site (the three base ones by default; hybrid reuses them). */
export function compare(a: Assumptions, scenarios: readonly ScenarioName[] = BASE_SCENARIOS): Comparison {
  const valuations: Partial<Record<ScenarioName, Valuation>> = {};
  const bases: Partial<Record<BaseScenario, Valuation>> = {};
  const needed = new Set<ScenarioName>(scenarios);
  if (needed.has("hybrid")) {
    const shares = hybridShares(a);
    for (const scenario of BASE_SCENARIOS) if (shares[scenario] > 0) needed.add(scenario);
  }
  if (scenarios.length > 0) needed.add("mining");
  for (const scenario of BASE_SCENARIOS) {
    if (needed.has(scenario)) bases[scenario] = valueScenario(scenario, a);
  }
  for (const scenario of scenarios) valuations[scenario] = scenario === "hybrid" ? valueHybrid(a, bases) : bases[scenario];
  const miningEquity = bases.mining!.metrics.equity_per_watt;
  const upliftPerWatt: Partial<Record<ScenarioName, number>> = {};
  for (const scenario of scenarios) upliftPerWatt[scenario] = valuations[scenario]!.metrics.equity_per_watt - miningEquity;
  return { valuations, upliftPerWatt };
}

/** One metric of one scenario; NoSolutionError where the metric does not exist (IRR, payback). */
export function metricValue(valuation: Valuation, metric: SolvableMetric): number {
  const value = valuation.metrics[metric];
  if (value === undefined) {
    throw new InputError(
      "metric",
      metric,
      `a metric of the ${valuation.scenario} scenario`,
      `metric "${metric}" does not apply to the ${valuation.scenario} scenario`,
    );
  }
  if (value === null) throw new NoSolutionError(valuation.unavailable[metric as "irr" | "payback_years"] ?? `${metric} has no value`);
  return value;
}

/** Evaluates `metric` with `key` set to `value` (validated against the key's range). */
export function evaluateAt(scenario: ScenarioName, metric: SolvableMetric, a: Assumptions, key: AssumptionKey, value: number): number {
  const changed = { ...a, [key]: parseValue(getDef(key), value) } as Assumptions;
  return metricValue(valueScenario(scenario, changed), metric);
}

const SCAN_POINTS = 40;

/** solve reports a value only where the metric is this close to the target (relative, floor 1e-9). */
export const SOLVE_TOLERANCE = 1e-6;

/**
 * The value of `key`, inside its allowed range, at which `metric` equals `target` within
 * SOLVE_TOLERANCE. A coarse scan of the range finds the first bracket (from the current value
 * outwards), then Brent's method refines it to 1e-10 relative in the key. The answer is then
 * re-valued as the engine will use it: keys that move in steps (whole numbers, years rounded to
 * months) and metrics that jump (a mine that stops a month earlier) may have no value that hits
 * the target, and then the error names the nearest attainable values on either side.
 */
export function solve(scenario: ScenarioName, metric: SolvableMetric, target: number, key: AssumptionKey, a: Assumptions): number {
  if (!Number.isFinite(target)) throw new InputError("target", target, "a finite number");
  const def = getDef(key);
  if (def.kind !== "number") throw new InputError("key", key, "a numeric assumption (not a date or TRUE/FALSE)");
  const low = def.minExclusive ? def.min + Math.max(1e-9, Math.abs(def.min) * 1e-9) : def.min;
  const high = def.max;
  const step = def.integer ? 1 : def.step;
  const snap = (value: number): number => (step ? Math.min(high, Math.max(low, Math.round(value / step) * step)) : value);
  const gap = (value: number): number | undefined => {
    try {
      return evaluateAt(scenario, metric, a, key, snap(value)) - target;
    } catch (error) {
      if (error instanceof NoSolutionError || error instanceof InputError) return undefined;
      throw error;
    }
  };
  const tolerance = Math.max(1e-9, SOLVE_TOLERANCE * Math.abs(target));
  // Scan points: the current value first, then outwards across the range (geometric near zero).
  const points = scanPoints(low, high, a[key]);
  let bracket: [number, number, number, number] | undefined;
  let previous: { x: number; f: number } | undefined;
  for (const x of points) {
    const f = gap(x);
    if (f === undefined) {
      previous = undefined;
      continue;
    }
    if (Math.abs(f) <= tolerance) return snap(x);
    if (previous && Math.sign(previous.f) !== Math.sign(f)) {
      bracket = [previous.x, previous.f, x, f];
      break;
    }
    previous = { x, f };
  }
  if (!bracket) {
    throw new NoSolutionError(`no value of ${key} in its range (${describeAllowed(def)}) makes ${metric} equal ${target}`);
  }
  const root = snap(brent((x) => gap(x) ?? Number.NaN, ...bracket));
  const hit = gap(root);
  if (hit !== undefined && Math.abs(hit) <= tolerance) return root;
  throw new NoSolutionError(missMessage(key, metric, target, tolerance, root, step, gap));
}

/** Why solve has no answer at a jump, with the attainable values either side of the target. */
function missMessage(
  key: AssumptionKey,
  metric: SolvableMetric,
  target: number,
  tolerance: number,
  root: number,
  step: number | undefined,
  gap: (value: number) => number | undefined,
): string {
  const width = step ?? Math.max(1e-9, Math.abs(root) * 1e-9);
  const sides = [root - width, root, root + width].map((x) => ({ x, f: gap(x) })).filter((s): s is { x: number; f: number } => s.f !== undefined);
  const below = sides.filter((s) => s.f < 0).sort((p, q) => q.f - p.f)[0];
  const above = sides.filter((s) => s.f > 0).sort((p, q) => p.f - q.f)[0];
  const show = (s: { x: number; f: number } | undefined) => (s ? `${key} = ${formatNumber(s.x)} gives ${formatNumber(s.f + target)}` : undefined);
  const nearest = [show(below), show(above)].filter(Boolean).join("; ");
  const why = step
    ? `${key} moves in steps of ${step === 1 ? "1" : step === 1 / 12 ? "a month (1/12 year)" : String(step)}`
    : `${metric} jumps across the target near ${key} = ${formatNumber(root)}`;
  return `${why}, so no value makes ${metric} equal ${target} within ${formatNumber(tolerance)}; nearest attainable: ${nearest}`;
}

function formatNumber(value: number): string {
  return Number(value.toPrecision(6)).toString();
}

/** Sorted scan points of [low, high], dense near `start` and across the range. */
function scanPoints(low: number, high: number, start: number): number[] {
  const points = new Set<number>([start, low, high]);
  for (let i = 1; i < SCAN_POINTS; i++) points.add(low + ((high - low) * i) / SCAN_POINTS);
  // Ranges spanning orders of magnitude (prices up to 1e8) also get geometric points.
  if (low >= 0 && high / Math.max(low, 1e-9) > 1e3) {
    const from = Math.max(low, high * 1e-9);
    for (let i = 0; i <= SCAN_POINTS; i++) points.add(from * Math.pow(high / from, i / SCAN_POINTS));
  }
  for (const factor of [0.5, 0.8, 0.9, 0.95, 1.05, 1.1, 1.25, 2]) {
    const x = start * factor;
    if (x >= low && x <= high) points.add(x);
  }
  return [...points].sort((x, y) => x - y);
}

/** Brent's method on a bracket [a, b] with f(a), f(b) of opposite signs. */
function brent(f: (x: number) => number, a: number, fa: number, b: number, fb: number): number {
  let c = a;
  let fc = fa;
  let d = b - a;
  let e = d;
  for (let iteration = 0; iteration < 200; iteration++) {
    if (Math.sign(fb) === Math.sign(fc)) {
      c = a;
      fc = fa;
      d = e = b - a;
    }
    if (Math.abs(fc) < Math.abs(fb)) {
      [a, b, c] = [b, c, b];
      [fa, fb, fc] = [fb, fc, fb];
    }
    const tolerance = 1e-12 * Math.abs(b) + 1e-15;
    const half = 0.5 * (c - b);
    if (Math.abs(half) <= tolerance || fb === 0) return b;
    if (Math.abs(e) >= tolerance && Math.abs(fa) > Math.abs(fb)) {
      const s = fb / fa;
      let p: number;
      let q: number;
      if (a === c) {
        p = 2 * half * s;
        q = 1 - s;
      } else {
        const qa = fa / fc;
        const r = fb / fc;
        p = s * (2 * half * qa * (qa - r) - (b - a) * (r - 1));
        q = (qa - 1) * (r - 1) * (s - 1);
      }
      if (p > 0) q = -q;
      else p = -p;
      if (2 * p < Math.min(3 * half * q - Math.abs(tolerance * q), Math.abs(e * q))) {
        e = d;
        d = p / q;
      } else {
        d = half;
        e = d;
      }
    } else {
      d = half;
      e = d;
    }
    a = b;
    fa = fb;
    b += Math.abs(d) > tolerance ? d : half > 0 ? tolerance : -tolerance;
    fb = f(b);
    if (Number.isNaN(fb)) throw new NoSolutionError("the metric has no value part-way through the search");
  }
  throw new NoSolutionError("the search did not converge in 200 steps");
}

export interface SensitivityGrid {
  readonly rowKey: AssumptionKey;
  readonly rowValues: readonly number[];
  readonly colKey?: AssumptionKey;
  readonly colValues: readonly number[];
  /** values[row][col]; null where the metric has no value (no IRR, no payback). */
  readonly values: ReadonlyArray<ReadonlyArray<number | null>>;
}

/** A 1-D (no column key) or 2-D grid of `metric` as one or two assumptions vary. */
export function sensitivity(
  scenario: ScenarioName,
  metric: SolvableMetric,
  a: Assumptions,
  rowKey: AssumptionKey,
  rowValues: readonly number[],
  colKey?: AssumptionKey,
  colValues: readonly number[] = [],
): SensitivityGrid {
  const rowDef = getDef(rowKey);
  const rows = rowValues.map((value) => parseValue(rowDef, value));
  const cols = colKey ? colValues.map((value) => parseValue(getDef(colKey), value)) : [];
  if (rows.length === 0) throw new InputError("row_values", "(none)", "at least one value");
  if (colKey && cols.length === 0) throw new InputError("col_values", "(none)", "at least one value");
  const cell = (changes: Partial<Record<AssumptionKey, number>>): number | null => {
    try {
      return metricValue(valueScenario(scenario, { ...a, ...changes } as Assumptions), metric);
    } catch (error) {
      if (error instanceof NoSolutionError) return null;
      throw error;
    }
  };
  const values = rows.map((row) => (colKey ? cols.map((col) => cell({ [rowKey]: row, [colKey]: col })) : [cell({ [rowKey]: row })]));
  return { rowKey, rowValues: rows, ...(colKey ? { colKey } : {}), colValues: cols, values };
}
