/**
 * The task pane's Risk view, computed: one function that simulates a site and keeps only what
 * the view shows (each scenario's statistics, histogram bins and cash-flow fan, and the switch
 * option's summary), run either in the Web Worker
 * (risk.worker.ts) or, where there is no Worker, on the page a slice of paths at a time. Both call
 * `riskSteps`, so both give the numbers `minepivot simulate` prints for the same assumptions,
 * paths and seed, bit for bit. Pure: no DOM, no React, no Node.
 */
import {
  BASE_SCENARIOS,
  InputError,
  getDef,
  histogram,
  parseValue,
  SWITCH_TARGETS,
  scenarioRisk,
  simulationSteps,
  switchSummary,
  valueSwitchOption,
  withValues,
  type Assumptions,
  type BaseScenario,
  type CashFlowFan,
  type ScenarioRisk,
  type SimulatedSite,
  type SwitchSummary,
  type SwitchTarget,
} from "../core/index.js";

/** The pane's ceiling on paths: a run stays within seconds on a laptop; the CLI takes up to the registry's maximum. */
export const PANE_MAX_PATHS = 20_000;
export const PANE_DEFAULT_PATHS = 2_000;
export const HISTOGRAM_BINS = 16;

export interface RiskRequest {
  /** The site's validated assumptions (paths and seed are taken from the fields below). */
  readonly values: Assumptions;
  readonly scenarios: readonly BaseScenario[];
  readonly paths: number;
  readonly seed: number;
  /** The conversion the switch option starts, or null to skip it. */
  readonly switchTarget: SwitchTarget | null;
}

export interface RiskHistogram {
  /** Bin edges, USD/W: one more than the counts. */
  readonly edges: readonly number[];
  readonly counts: readonly number[];
}

export interface ScenarioRiskView {
  readonly scenario: BaseScenario;
  /** The core's statistics, as `minepivot simulate --json` prints them. */
  readonly risk: ScenarioRisk;
  readonly histogram: RiskHistogram;
  /** Cumulative cash flow to equity by month, USD per watt: the core's P5 … P95 bands. */
  readonly fan: CashFlowFan;
}

/** Everything the view draws: small enough to post from the worker as it is. */
export interface RiskView {
  readonly paths: number;
  readonly seed: number;
  readonly siteMw: number;
  readonly scenarios: readonly ScenarioRiskView[];
  /** The switch option as `minepivot simulate --json` prints it; absent when skipped. */
  readonly switch?: SwitchSummary;
}

/** The run's steps: the scenarios on the paths, then the switch option (when asked for) on the same paths. */
export type RiskStage = "scenarios" | "switch";

export interface RiskProgress {
  readonly stage: RiskStage;
  /** 1-based step of `steps`. */
  readonly step: number;
  readonly steps: number;
  /** Engine valuations done in this step, of `total` (the core's counts). */
  readonly done: number;
  readonly total: number;
}

/** Checks the Risk view's paths field: a whole number from 2 to PANE_MAX_PATHS. Throws InputError naming `paths`. */
export function parsePanePaths(text: string): number {
  const paths = parseValue(getDef("paths"), text);
  if (paths > PANE_MAX_PATHS) {
    throw new InputError(
      "paths",
      text,
      `a whole number from 2 to ${PANE_MAX_PATHS.toLocaleString("en-US")}`,
      `paths: ${JSON.stringify(text)} is more than the pane runs; expected a whole number from 2 to ${PANE_MAX_PATHS.toLocaleString("en-US")} (the CLI takes up to ${getDef("paths").max.toLocaleString("en-US")})`,
    );
  }
  return paths;
}

/** Checks the Risk view's seed field against the registry's range. Throws InputError naming `seed`. */
export function parsePaneSeed(text: string): number {
  return parseValue(getDef("seed"), text);
}

/** The switch option's conversion by default, as the CLI picks it: the powered shell or the GPUs, whichever is asked for first. */
export function defaultSwitchTarget(scenarios: readonly BaseScenario[]): SwitchTarget | null {
  return SWITCH_TARGETS.find((target) => scenarios.includes(target)) ?? null;
}

/**
 * The scenarios that are simulated for `scenarios`: mining joins whenever a conversion is asked
 * for, first, as simulateRisk does, so each conversion's chance of beating it uses the same paths.
 */
export function simulatedScenarios(scenarios: readonly BaseScenario[]): BaseScenario[] {
  const asked = BASE_SCENARIOS.filter((s) => scenarios.includes(s));
  return asked.some((s) => s !== "mining") && !asked.includes("mining") ? ["mining", ...asked] : asked;
}

/**
 * Paths a slice of the page's run values (every scenario on each) before it yields: tens of
 * milliseconds of work here, so the page can paint between slices.
 */
export const SLICE_PATHS = 256;

/**
 * Simulates `request` and returns its view. With `sliced` the generator yields after every
 * `SLICE_PATHS` paths and after the last, so a caller on the page can let it paint between
 * slices; the simulation is the same one pass either way (the core's `simulationSteps`), so
 * the numbers are the same bit for bit. The switch option is one more slice. `onProgress` is
 * called within slices too (every 1,000 valuations, from the core).
 */
export function* riskSteps(
  request: RiskRequest,
  options: { readonly sliced: boolean; readonly onProgress?: (progress: RiskProgress) => void },
): Generator<RiskProgress, RiskView, void> {
  const values = withValues(request.values, { paths: request.paths, seed: request.seed });
  const asked = BASE_SCENARIOS.filter((s) => request.scenarios.includes(s));
  if (asked.length === 0) throw new InputError("scenarios", request.scenarios.join(","), `at least one of ${BASE_SCENARIOS.join(", ")}`);
  const simulated = simulatedScenarios(asked);
  const steps = request.switchTarget ? 2 : 1;
  const scenarioTotal = request.paths * simulated.length;
  const report = (done: number) => options.onProgress?.({ stage: "scenarios", step: 1, steps, done, total: scenarioTotal });
  const blocks = simulationSteps(values, simulated, { paths: request.paths, seed: request.seed, fan: true, onProgress: report });
  let simulation: SimulatedSite;
  let sliceStart = 0;
  for (;;) {
    const block = blocks.next();
    if (block.done) {
      simulation = block.value;
      break;
    }
    const pathsDone = block.value;
    if (options.sliced && (pathsDone - sliceStart >= SLICE_PATHS || pathsDone === request.paths)) {
      sliceStart = pathsDone;
      yield { stage: "scenarios", step: 1, steps, done: pathsDone * simulated.length, total: scenarioTotal };
    }
  }
  const option = request.switchTarget
    ? switchSummary(
        valueSwitchOption(values, {
          target: request.switchTarget,
          paths: request.paths,
          seed: request.seed,
          onProgress: (done, total) => options.onProgress?.({ stage: "switch", step: 2, steps, done, total }),
        }),
      )
    : undefined;
  return {
    paths: simulation.paths,
    seed: simulation.seed,
    siteMw: values.site_mw,
    scenarios: asked.map((scenario) => {
      const paths = simulation.scenarios[scenario]!;
      const bins = histogram(paths.equityPerWatt, HISTOGRAM_BINS);
      return { scenario, risk: scenarioRisk(simulation, scenario), histogram: { edges: [...bins.edges], counts: [...bins.counts] }, fan: paths.fan! };
    }),
    ...(option ? { switch: option } : {}),
  };
}

/** Runs `riskSteps` to the end in one go: what the worker does. */
export function computeRiskView(request: RiskRequest, onProgress?: (progress: RiskProgress) => void): RiskView {
  const steps = riskSteps(request, { sliced: false, ...(onProgress ? { onProgress } : {}) });
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** Messages between the page and the worker. */
export type RiskReply =
  | { readonly type: "progress"; readonly progress: RiskProgress }
  | { readonly type: "result"; readonly view: RiskView }
  | { readonly type: "error"; readonly message: string };

/** The worker's reply to one request: progress as it goes, then the view or the error's message. */
export function answerRiskRequest(request: RiskRequest, post: (reply: RiskReply) => void): void {
  try {
    post({ type: "result", view: computeRiskView(request, (progress) => post({ type: "progress", progress })) });
  } catch (error) {
    post({ type: "error", message: error instanceof Error ? error.message : String(error) });
  }
}
