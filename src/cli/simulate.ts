/** `minepivot simulate`: the Monte Carlo distributions of each scenario, as a table and histograms, or JSON. */
import {
  BASE_SCENARIOS,
  InputError,
  REGISTRY,
  SCENARIO_LABELS,
  checkSimulatedScenario,
  histogram,
  parseScenario,
  simulateRisk,
  type BaseScenario,
  type ScenarioRisk,
  type Site,
  type SiteRisk,
} from "../core/index.js";
import { renderTable } from "./format.js";

interface SimulateIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

/** Runs past this many path valuations report their progress on stderr. */
const PROGRESS_FROM = 20_000;
const HISTOGRAM_BINS = 12;
const BAR_WIDTH = 40;

export function parseSimulatedScenarios(text: string | undefined): BaseScenario[] {
  if (text === undefined) return [...BASE_SCENARIOS];
  const list = text
    .split(",")
    .filter((part) => part.trim() !== "")
    .map((part) => checkSimulatedScenario(parseScenario(part, "--scenarios")));
  if (list.length === 0) throw new InputError("--scenarios", text, `a comma-separated list of ${BASE_SCENARIOS.join(", ")}`);
  return [...new Set(list)];
}

export function commandSimulate(io: SimulateIo, sites: readonly Site[], scenarioText: string | undefined, json: boolean): void {
  const scenarios = parseSimulatedScenarios(scenarioText);
  // Everything is simulated before anything is printed: a bad site leaves no half an output.
  const results = sites.map((site) => {
    const paths = site.values.paths;
    const onProgress =
      paths * (scenarios.length + 1) >= PROGRESS_FROM
        ? (done: number, total: number): void => io.stderr(`\rsimulating ${site.name}: ${Math.round((100 * done) / total)} %${done === total ? "\n" : ""}`)
        : undefined;
    try {
      return { site, risk: simulateRisk(site.values, scenarios, onProgress ? { onProgress } : {}) };
    } catch (error) {
      if (error instanceof InputError) throw new InputError(error.argument, error.value, error.allowed, `site "${site.name}": ${error.message}`);
      throw error;
    }
  });
  if (json) {
    const first = results[0]!.risk;
    const body = {
      paths: first.paths,
      seed: first.seed,
      sites: results.map(({ site, risk }) => ({ name: site.name, paths: risk.paths, seed: risk.seed, scenarios: risk.scenarios })),
    };
    io.stdout(`${JSON.stringify(body, null, 2)}\n`);
    return;
  }
  io.stdout(`${results.map(({ site, risk }) => siteText(site, risk, scenarios)).join("\n\n")}\n`);
}

function siteText(site: Site, risk: SiteRisk, scenarios: readonly BaseScenario[]): string {
  // The risk inputs the distributions stand on, so a reader can trace them (sources: minepivot assumptions).
  const inputs = REGISTRY.filter((def) => def.group === "risk" && def.key !== "paths" && def.key !== "seed")
    .map((def) => `${def.key} ${site.values[def.key]} ${def.unit}`)
    .reduce<string[]>(
      (lines, item) => {
        // Lines of at most 100 columns, like the other terminal output.
        const current = lines[lines.length - 1]!;
        if (`${current}, ${item}`.length > 100) lines.push(`  ${item}`);
        else lines[lines.length - 1] = current.endsWith(":") ? `${current} ${item}` : `${current}, ${item}`;
        return lines;
      },
      ["Risk inputs:"],
    )
    .join(",\n");
  const title = `${site.name}: ${site.values.site_mw} MW, ${risk.paths.toLocaleString("en-US")} paths, seed ${risk.seed}\n${inputs}`;
  const rows: string[][] = [["Equity per watt (USD/W)", ...scenarios.map((s) => SCENARIO_LABELS[s])]];
  const cell = (f: (r: ScenarioRisk) => string): string[] => scenarios.map((s) => f(risk.scenarios[s]!));
  const usd = (v: number): string => v.toFixed(3);
  const pct = (p: number | undefined, se: number | undefined): string => (p === undefined ? "" : `${(100 * p).toFixed(1)} % ± ${(100 * se!).toFixed(1)}`);
  rows.push(["mean ± standard error", ...cell((r) => `${usd(r.equity_per_watt.mean)} ± ${usd(r.equity_per_watt.mean_se)}`)]);
  rows.push(["standard deviation", ...cell((r) => usd(r.equity_per_watt.std))]);
  for (const q of ["p5", "p25", "p50", "p75", "p95"] as const) rows.push([q.toUpperCase(), ...cell((r) => usd(r.equity_per_watt[q]))]);
  rows.push(["P(loss)", ...cell((r) => pct(r.prob_loss, r.prob_loss_se))]);
  rows.push(["P(never pays back)", ...cell((r) => pct(r.prob_never_pays_back, r.prob_never_pays_back_se))]);
  rows.push(["P(beats mining, same paths)", ...cell((r) => pct(r.prob_beats_mining, r.prob_beats_mining_se))]);
  const histograms = scenarios.map((s) => `${SCENARIO_LABELS[s]}: equity per watt (USD/W)\n${histogramText(risk.simulation.scenarios[s]!.equityPerWatt)}`);
  return `${title}\n\n${renderTable(rows)}\n\n${histograms.join("\n\n")}`;
}

function histogramText(values: Float64Array): string {
  const { edges, counts } = histogram(values, HISTOGRAM_BINS);
  const most = Math.max(...counts);
  const lines: string[] = [];
  for (let i = 0; i < counts.length; i++) {
    const range = `${edges[i]!.toFixed(2).padStart(7)} to ${edges[i + 1]!.toFixed(2).padStart(7)}`;
    const bar = "#".repeat(Math.round((BAR_WIDTH * counts[i]!) / most));
    lines.push(`${range}  ${bar} ${counts[i]}`);
  }
  return lines.join("\n");
}
