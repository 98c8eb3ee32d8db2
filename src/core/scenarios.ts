import { InputError } from "./errors.js";

/** Canonical scenario names (public API: see the contract). */
export const SCENARIOS = ["mining", "powered_shell", "colocated_gpu", "hybrid"] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

/** The three single-use futures of a site; `hybrid` splits the site between them. */
export const BASE_SCENARIOS = ["mining", "powered_shell", "colocated_gpu"] as const;
export type BaseScenario = (typeof BASE_SCENARIOS)[number];

export const SCENARIO_LABELS: Readonly<Record<ScenarioName, string>> = {
  mining: "Mining",
  powered_shell: "Powered shell",
  colocated_gpu: "Colocated GPU",
  hybrid: "Hybrid",
};

/** Names short enough for a column head in a narrow pane or a terminal table. */
export const SCENARIO_SHORT_LABELS: Readonly<Record<ScenarioName, string>> = {
  mining: "Mining",
  powered_shell: "Shell",
  colocated_gpu: "GPU",
  hybrid: "Hybrid",
};

// A Map, not an object: user text such as "constructor" must not find Object.prototype.
const ALIASES: ReadonlyMap<string, ScenarioName> = new Map(
  Object.entries<ScenarioName>({
    mining: "mining",
    btc: "mining",
    bitcoin: "mining",
    powered_shell: "powered_shell",
    shell: "powered_shell",
    colo_lease: "powered_shell",
    lease: "powered_shell",
    colocated_gpu: "colocated_gpu",
    gpu: "colocated_gpu",
    gpu_cloud: "colocated_gpu",
    neocloud: "colocated_gpu",
    hybrid: "hybrid",
  }),
);

/** Folds case and treats `-`, `_` and spaces alike, as the contract asks. */
export function normalizeName(text: string): string {
  return text
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, "_");
}

/** Resolves a scenario name or alias; anything else is an InputError naming the accepted ones. */
export function parseScenario(value: unknown, argument = "scenario"): ScenarioName {
  if (typeof value === "string") {
    const found = ALIASES.get(normalizeName(value));
    if (found) return found;
  }
  throw new InputError(argument, value, `one of ${SCENARIOS.join(", ")} (aliases: btc, bitcoin, shell, colo_lease, lease, gpu, gpu_cloud, neocloud)`);
}
