/**
 * Tornado sensitivity: each assumption moved down and up by the same share of its value, one at
 * a time, and the metric read at both ends; bars sorted by how far the metric swings. The metric
 * is one of a scenario's own, or its uplift over mining (its equity per watt minus mining's).
 */
import { InputError, NoSolutionError } from "./errors.js";
import { metricValue } from "./analysis.js";
import { parseValue } from "./assumptions.js";
import { REGISTRY, getDef, type AssumptionDef, type AssumptionKey, type Assumptions } from "./registry.js";
import { BASE_SCENARIOS, type ScenarioName } from "./scenarios.js";
import { hybridShares, valueHybrid, valueScenario, type SolvableMetric, type Valuation } from "./value.js";

/** A scenario's metric, or its equity per watt minus mining's (USD/W). */
export type TornadoMetric = SolvableMetric | "uplift_per_watt";

export interface TornadoBar {
  readonly key: AssumptionKey;
  readonly label: string;
  readonly unit: string;
  /** The key's value in the base case and at the two ends (after clamping to its range). */
  readonly baseInput: number;
  readonly lowInput: number;
  readonly highInput: number;
  /**
   * The metric at the low and high input; null where it has no value (no IRR, no payback) or
   * the moved input is refused by the site's other inputs (a fleet older than its ASIC life).
   */
  readonly low: number | null;
  readonly high: number | null;
  /** |high − low|, 0 where either end has no value. */
  readonly swing: number;
}

export interface Tornado {
  readonly scenario: ScenarioName;
  readonly metric: TornadoMetric;
  readonly range: number;
  /** The metric in the base case; null where it has no value. */
  readonly base: number | null;
  /** Largest swing first. */
  readonly bars: readonly TornadoBar[];
}

export interface TornadoOptions {
  /** Keys to move; by default every numeric key the metric depends on (see `defaultTornadoKeys`). */
  readonly keys?: readonly AssumptionKey[];
  /** Share of each key's value to move it by, each way: 0.2 = ±20 %. */
  readonly range?: number;
  /**
   * Values a scenario; `valueScenario` by default. Several tornados of one site can share a
   * memoised one (`memoizedValuer`), since they move the same keys to the same values.
   */
  readonly value?: (scenario: ScenarioName, a: Assumptions) => Valuation;
}

/**
 * A valuer that values each scenario once per set of moved inputs that matter to it (the keys
 * that list the scenario; every key for hybrid, which is built from the memoised base
 * valuations). For tornados and grids around one base case `base`.
 */
export function memoizedValuer(base: Assumptions): (scenario: ScenarioName, a: Assumptions) => Valuation {
  const memo = new Map<string, Valuation>();
  const keys = REGISTRY.map((def) => def.key as AssumptionKey);
  const value = (scenario: ScenarioName, a: Assumptions): Valuation => {
    const moved = keys.filter((key) => a[key] !== base[key] && (scenario === "hybrid" || (getDef(key).scenarios as readonly string[]).includes(scenario)));
    const id = `${scenario}|${moved.map((key) => `${key}=${a[key]}`).join(",")}`;
    let valuation = memo.get(id);
    if (valuation === undefined) {
      const shares = scenario === "hybrid" ? hybridShares(a) : undefined;
      valuation = shares
        ? valueHybrid(a, Object.fromEntries(BASE_SCENARIOS.filter((s) => shares[s] > 0).map((s) => [s, value(s, a)])))
        : valueScenario(scenario, a);
      memo.set(id, valuation);
    }
    return valuation;
  };
  return value;
}

/**
 * Keys left out of the default set: the site's size only scales a per-watt result, the block
 * height is a fact about the chain at the valuation date, and a hybrid share cannot move alone
 * (the shares must sum to 1).
 */
const NOT_BY_DEFAULT: ReadonlySet<string> = new Set(["site_mw", "block_height", "share_mining", "share_shell", "share_gpu"]);

function affects(def: AssumptionDef, scenario: ScenarioName, metric: TornadoMetric): boolean {
  const scenarios = def.scenarios as readonly string[];
  return scenarios.includes(scenario) || (metric === "uplift_per_watt" && scenarios.includes("mining"));
}

/** The numeric keys that can move the metric, less those in NOT_BY_DEFAULT. */
export function defaultTornadoKeys(scenario: ScenarioName, metric: TornadoMetric): AssumptionKey[] {
  return REGISTRY.filter((def) => def.kind === "number" && !NOT_BY_DEFAULT.has(def.key) && affects(def, scenario, metric)).map(
    (def) => def.key as AssumptionKey,
  );
}

/** `value` moved inside the key's allowed range (and rounded for whole-number keys). */
export function clampToRange(def: AssumptionDef, value: number): number {
  const low = def.minExclusive ? def.min + Math.max(1e-9, Math.abs(def.min) * 1e-9) : def.min;
  const clamped = Math.min(def.max, Math.max(low, value));
  return def.integer ? Math.round(clamped) : clamped;
}

/** The tornado of `metric` for `scenario` on the site `a`. */
export function tornado(scenario: ScenarioName, metric: TornadoMetric, a: Assumptions, options: TornadoOptions = {}): Tornado {
  const range = options.range ?? 0.2;
  if (!Number.isFinite(range) || range <= 0 || range >= 1) throw new InputError("range", range, "a share more than 0 and less than 1 (0.2 = ±20 %)");
  const keys = options.keys ?? defaultTornadoKeys(scenario, metric);
  for (const key of keys) {
    if (getDef(key).kind !== "number") throw new InputError("keys", key, "numeric assumption keys (not a date or TRUE/FALSE)");
  }
  const value = options.value ?? valueScenario;
  const baseScenario = value(scenario, a);
  const baseMining = metric === "uplift_per_watt" ? (scenario === "mining" ? baseScenario : value("mining", a)) : undefined;

  // The uplift needs mining's value too, but a key that mining ignores leaves it unchanged (and likewise the other way).
  const read = (changed: Assumptions, def: AssumptionDef | undefined): number | null => {
    const scenarios = (def?.scenarios ?? []) as readonly string[];
    const valuation = (name: ScenarioName, base: Valuation): Valuation => (!def || !scenarios.includes(name) ? base : value(name, changed));
    try {
      if (metric !== "uplift_per_watt") return metricValue(valuation(scenario, baseScenario), metric);
      return valuation(scenario, baseScenario).metrics.equity_per_watt - valuation("mining", baseMining!).metrics.equity_per_watt;
    } catch (error) {
      // A moved value that the site's other inputs refuse (an ASIC life shorter than the fleet's
      // age) leaves that end without a value, as a metric without a solution does.
      if (error instanceof NoSolutionError || (def !== undefined && error instanceof InputError)) return null;
      throw error;
    }
  };

  const base = read(a, undefined);
  const bars = keys.map((key): TornadoBar => {
    const def = getDef(key);
    const baseInput = a[key];
    const lowInput = clampToRange(def, baseInput * (1 - range));
    const highInput = clampToRange(def, baseInput * (1 + range));
    const at = (value: number) => (value === baseInput ? base : read({ ...a, [key]: parseValue(def, value) } as Assumptions, def));
    const low = at(lowInput);
    const high = at(highInput);
    return {
      key,
      label: def.label,
      unit: def.unit,
      baseInput,
      lowInput,
      highInput,
      low,
      high,
      swing: low === null || high === null ? 0 : Math.abs(high - low),
    };
  });
  const indexed = bars.map((bar, index) => ({ bar, index }));
  indexed.sort((x, y) => y.bar.swing - x.bar.swing || x.index - y.index);
  return { scenario, metric, range, base, bars: indexed.map((entry) => entry.bar) };
}
