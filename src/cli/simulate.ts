/** `minepivot simulate`: the Monte Carlo distributions of each scenario, as a table and histograms, or JSON. */
import {
  BASE_SCENARIOS,
  InputError,
  REGISTRY,
  SCENARIO_LABELS,
  checkSimulatedScenario,
  REPORT_HISTOGRAM_BINS,
  histogram,
  parseScenario,
  simulateRisk,
  switchEstimates,
  switchSummary,
  valueSwitchOption,
  SWITCH_TARGETS,
  type BaseScenario,
  type SwitchSummary,
  type SwitchTarget,
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

/** The conversion the switch option starts: `--switch`, else the powered shell or the GPUs among the scenarios. */
export function parseSwitchTarget(text: string | undefined, scenarios: readonly BaseScenario[]): SwitchTarget | null {
  if (text === undefined) return SWITCH_TARGETS.find((target) => scenarios.includes(target)) ?? null;
  if (text.trim().toLowerCase() === "none") return null;
  const scenario = parseScenario(text, "--switch");
  const target = SWITCH_TARGETS.find((name) => name === scenario);
  if (!target) throw new InputError("--switch", text, `one of ${SWITCH_TARGETS.join(", ")} or none`);
  return target;
}

export function commandSimulate(io: SimulateIo, sites: readonly Site[], scenarioText: string | undefined, json: boolean, switchText?: string): void {
  const scenarios = parseSimulatedScenarios(scenarioText);
  const target = parseSwitchTarget(switchText, scenarios);
  // Everything is simulated before anything is printed: a bad site leaves no half an output.
  const results = sites.map((site) => {
    const paths = site.values.paths;
    const progress = (what: string, work: number) =>
      paths * work >= PROGRESS_FROM
        ? {
            onProgress: (done: number, total: number): void =>
              io.stderr(`\r${what} ${site.name}: ${Math.round((100 * done) / total)} %${done === total ? "\n" : ""}`),
          }
        : {};
    try {
      const risk = simulateRisk(site.values, scenarios, progress("simulating", scenarios.length + 1));
      const option = target ? switchSummary(valueSwitchOption(site.values, { target, ...progress("valuing the switch option of", 4) })) : undefined;
      return { site, risk, option };
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
      sites: results.map(({ site, risk, option }) => ({
        name: site.name,
        paths: risk.paths,
        seed: risk.seed,
        scenarios: risk.scenarios,
        ...(option ? { switch: option } : {}),
      })),
    };
    io.stdout(`${JSON.stringify(body, null, 2)}\n`);
    return;
  }
  io.stdout(`${results.map(({ site, risk, option }) => siteText(site, risk, scenarios) + (option ? `\n\n${switchTable(option)}` : "")).join("\n\n")}\n`);
}

/** The switch option as a table, the rule, and when the conversions start. */
function switchTable(option: SwitchSummary): string {
  const usd = (v: number, se: number): string => `${v.toFixed(3)} ± ${se.toFixed(3)}`;
  const rows = [
    ["Switch option (USD/W)", SCENARIO_LABELS[option.target]],
    ...switchEstimates(option).map((estimate) => [estimate.short, usd(estimate.value, estimate.se)]),
    ["P(converts within the horizon)", `${(100 * option.prob_convert).toFixed(1)} %`],
    ["mean conversion month", option.expected_conversion_month === null ? "never" : option.expected_conversion_month.toFixed(1)],
  ];
  const converting = option.conversion_months.reduce((sum, row) => sum + row.paths, 0);
  const months =
    option.convert_now || converting === 0
      ? ""
      : `\n\nConversion month (paths)\n${option.conversion_months
          .map((row) => `${String(row.month).padStart(5)}  ${"#".repeat(Math.max(1, Math.round((BAR_WIDTH * row.paths) / converting)))} ${row.paths}`)
          .join("\n")}`;
  return `${renderTable(rows)}\nRule: ${option.rule}${months}`;
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
  const { edges, counts } = histogram(values, REPORT_HISTOGRAM_BINS);
  const most = Math.max(...counts);
  const lines: string[] = [];
  for (let i = 0; i < counts.length; i++) {
    const range = `${edges[i]!.toFixed(2).padStart(7)} to ${edges[i + 1]!.toFixed(2).padStart(7)}`;
    const bar = "#".repeat(Math.round((BAR_WIDTH * counts[i]!) / most));
    lines.push(`${range}  ${bar} ${counts[i]}`);
  }
  return lines.join("\n");
}
