/**
 * Risk: the Monte Carlo distribution of each scenario's equity per watt for one site, computed
 * in a Web Worker with progress and Cancel. The table has the figures `minepivot simulate`
 * prints (mean with its standard error, percentiles, the chances of a loss, of never paying
 * back and of beating mining on the same paths), then a histogram and a cash-flow fan per
 * scenario, and the switch option: its value, the value of waiting, the rule in words and when
 * the conversion starts.
 */
import { useEffect, useRef, useState } from "react";
import {
  Button,
  Checkbox,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  ProgressBar,
  Select,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import {
  BASE_SCENARIOS,
  InputError,
  SCENARIO_LABELS,
  SCENARIO_SHORT_LABELS,
  SWITCH_TARGETS,
  getDef,
  switchEstimates,
  type BaseScenario,
  type ScenarioRisk,
  type SwitchSummary,
  type SwitchTarget,
} from "../../core/index.js";
import {
  PANE_DEFAULT_PATHS,
  PANE_MAX_PATHS,
  defaultSwitchTarget,
  parsePanePaths,
  parsePaneSeed,
  type RiskProgress,
  type RiskRequest,
  type RiskView,
} from "../../worker/risk.js";
import { CashFlowFanChart, ConversionMonthsChart, EquityHistogram, fanRange } from "../charts/RiskCharts.js";
import { effectiveSite, type Overrides, type PaneSite } from "../model.js";
import { startRisk, type CreateRiskWorker, type RiskRun } from "../risk.js";
import { useStyles } from "../styles.js";
import { SiteSelect } from "./pickers.js";

export interface RiskPanelProps {
  readonly sites: readonly PaneSite[];
  readonly base: Overrides;
  /** Where simulations run; the bundled worker unless a test stands in. */
  readonly createWorker?: CreateRiskWorker;
}

type Status =
  | { kind: "idle" }
  | { kind: "running"; where: RiskRun["where"]; progress: RiskProgress }
  | { kind: "done"; view: RiskView; where: RiskRun["where"]; key: string; seconds: number }
  | { kind: "cancelled" }
  | { kind: "failed"; message: string };

const usd = (value: number) => value.toFixed(3);
const pct = (p: number | undefined, se: number | undefined) => (p === undefined ? "" : `${(100 * p).toFixed(1)} % ± ${(100 * se!).toFixed(1)}`);

/** The table's rows, formatted as `minepivot simulate` prints them. */
const ROWS: ReadonlyArray<{ id: string; label: string; show: (r: ScenarioRisk) => string }> = [
  { id: "mean", label: "Mean ± standard error", show: (r) => `${usd(r.equity_per_watt.mean)} ± ${usd(r.equity_per_watt.mean_se)}` },
  { id: "std", label: "Standard deviation", show: (r) => usd(r.equity_per_watt.std) },
  ...(["p5", "p25", "p50", "p75", "p95"] as const).map((q) => ({ id: q, label: q.toUpperCase(), show: (r: ScenarioRisk) => usd(r.equity_per_watt[q]) })),
  { id: "prob_loss", label: "P(loss)", show: (r) => pct(r.prob_loss, r.prob_loss_se) },
  { id: "prob_never_pays_back", label: "P(never pays back)", show: (r) => pct(r.prob_never_pays_back, r.prob_never_pays_back_se) },
  { id: "prob_beats_mining", label: "P(beats mining, same paths)", show: (r) => pct(r.prob_beats_mining, r.prob_beats_mining_se) },
];

const useRiskStyles = makeStyles({
  table: { tableLayout: "fixed", width: "100%", fontSize: tokens.fontSizeBase200 },
  labelCell: { width: "30%", overflowWrap: "anywhere", paddingLeft: 0 },
  number: { textAlign: "right", fontVariantNumeric: "tabular-nums", paddingLeft: "2px", paddingRight: "2px" },
  head: { "& .fui-TableHeaderCell__button": { justifyContent: "flex-end" }, paddingLeft: "2px", paddingRight: "2px" },
  switchLabel: { width: "58%", overflowWrap: "anywhere", paddingLeft: 0 },
  // Two fields side by side that shrink with the pane rather than push past it.
  fields: { display: "grid", gridTemplateColumns: "minmax(0, 1fr) minmax(0, 1fr)", columnGap: tokens.spacingHorizontalS, minWidth: 0 },
  input: { minWidth: 0, width: "100%" },
});

export function RiskPanel({ sites, base, createWorker }: RiskPanelProps) {
  const styles = useStyles();
  const own = useRiskStyles();
  const [siteId, setSiteId] = useState<string | undefined>(undefined);
  const [scenarios, setScenarios] = useState<ReadonlySet<BaseScenario>>(new Set(BASE_SCENARIOS));
  const [pathsText, setPathsText] = useState(String(PANE_DEFAULT_PATHS));
  const [seedText, setSeedText] = useState("1");
  // Until the user picks, the switch option converts as the CLI's does by default.
  const [switchChoice, setSwitchChoice] = useState<SwitchTarget | "none" | undefined>(undefined);
  const [status, setStatus] = useState<Status>({ kind: "idle" });
  const run = useRef<RiskRun | undefined>(undefined);
  // A run still going when the pane closes is ended with it.
  useEffect(() => () => run.current?.cancel(), []);

  const site = sites.find((entry) => entry.id === siteId) ?? sites[0];
  const chosen = BASE_SCENARIOS.filter((s) => scenarios.has(s));
  const switchTarget = switchChoice === undefined ? defaultSwitchTarget(chosen) : switchChoice === "none" ? null : switchChoice;
  const fieldProblem = (parse: (text: string) => number, text: string): string | undefined => {
    try {
      parse(text);
      return undefined;
    } catch (error) {
      if (error instanceof InputError) return error.message;
      throw error;
    }
  };
  const pathsError = fieldProblem(parsePanePaths, pathsText);
  const seedError = fieldProblem(parsePaneSeed, seedText);
  const request = ((): { ok: true; request: RiskRequest; key: string } | { ok: false; reason: string } => {
    if (!site) return { ok: false, reason: "Add a site first (Sites tab)." };
    if (chosen.length === 0) return { ok: false, reason: "Pick at least one scenario." };
    if (pathsError || seedError) return { ok: false, reason: "Fix the paths and seed first." };
    try {
      const values = effectiveSite(site, base).values;
      const built: RiskRequest = { values, scenarios: chosen, paths: parsePanePaths(pathsText), seed: parsePaneSeed(seedText), switchTarget };
      return { ok: true, request: built, key: JSON.stringify(built) };
    } catch (error) {
      if (error instanceof InputError) return { ok: false, reason: `Cannot value ${site.name || "this site"}: ${error.message}` };
      throw error;
    }
  })();
  const running = status.kind === "running";

  const start = () => {
    if (!request.ok || running) return;
    const began = performance.now();
    const current = startRisk(request.request, (progress) => setStatus((s) => (s.kind === "running" ? { ...s, progress } : s)), createWorker);
    run.current = current;
    setStatus({
      kind: "running",
      where: current.where,
      progress: { stage: "scenarios", step: 1, steps: request.request.switchTarget ? 2 : 1, done: 0, total: 1 },
    });
    current.result.then(
      (view) => {
        if (run.current !== current) return;
        run.current = undefined;
        setStatus({ kind: "done", view, where: current.where, key: request.key, seconds: (performance.now() - began) / 1000 });
      },
      (error: unknown) => {
        if (run.current !== current) return;
        run.current = undefined;
        if ((error as Error)?.name === "AbortError") setStatus({ kind: "cancelled" });
        else setStatus({ kind: "failed", message: error instanceof Error ? error.message : String(error) });
      },
    );
  };

  const toggle = (scenario: BaseScenario, on: boolean) => {
    const next = new Set(scenarios);
    if (on) next.add(scenario);
    else next.delete(scenario);
    setScenarios(next);
  };

  return (
    <div className={styles.panel}>
      <h2 className={styles.heading}>Risk</h2>
      <span className={styles.muted}>
        How each scenario&apos;s equity per watt spreads when the BTC price, network hashrate, power and GPU prices, tenant defaults, construction delays and
        capex overruns vary (the Risk keys on the Assumptions tab). Every scenario is valued on the same simulated paths.
      </span>
      {sites.length > 1 && <SiteSelect sites={sites} value={site?.id} onChange={setSiteId} />}
      {site && sites.length === 1 && <span className={styles.muted}>Site: {site.name}</span>}
      <fieldset className={styles.section} style={{ border: "none", margin: 0, padding: 0 }} disabled={running}>
        <legend className={styles.subheading}>Scenarios</legend>
        {BASE_SCENARIOS.map((name) => (
          <Checkbox key={name} checked={scenarios.has(name)} onChange={(_, data) => toggle(name, !!data.checked)} label={SCENARIO_LABELS[name]} />
        ))}
        <span className={styles.muted}>
          Hybrid is a blend of the three and is not simulated. Mining is simulated with any conversion, for the chance of beating it.
        </span>
      </fieldset>
      <Field label="Switch option: keep mining, then convert to" hint="valued on the same paths; takes longer than the scenarios">
        <Select value={switchTarget ?? "none"} onChange={(_, data) => setSwitchChoice(data.value as SwitchTarget | "none")} disabled={running}>
          {SWITCH_TARGETS.map((target) => (
            <option key={target} value={target}>
              {SCENARIO_LABELS[target]}
            </option>
          ))}
          <option value="none">None (skip the switch option)</option>
        </Select>
      </Field>
      <div className={own.fields}>
        <Field
          label="Paths"
          hint={`2 to ${PANE_MAX_PATHS.toLocaleString("en-US")}`}
          validationState={pathsError ? "error" : "none"}
          validationMessage={pathsError}
        >
          <Input className={own.input} value={pathsText} onChange={(_, data) => setPathsText(data.value)} inputMode="numeric" disabled={running} />
        </Field>
        <Field
          label="Seed"
          hint={`0 to ${getDef("seed").max.toLocaleString("en-US")}`}
          validationState={seedError ? "error" : "none"}
          validationMessage={seedError}
        >
          <Input className={own.input} value={seedText} onChange={(_, data) => setSeedText(data.value)} inputMode="numeric" disabled={running} />
        </Field>
      </div>
      {!request.ok && !pathsError && !seedError && (
        <MessageBar intent="warning">
          <MessageBarBody className={styles.wrap}>{request.reason}</MessageBarBody>
        </MessageBar>
      )}
      <div className={styles.row}>
        <Button appearance="primary" disabled={!request.ok && !running} disabledFocusable={running} onClick={start}>
          Run simulation
        </Button>
        {running && (
          <Button onClick={() => run.current?.cancel()} aria-label="Cancel simulation">
            Cancel
          </Button>
        )}
      </div>
      {status.kind === "running" && (
        <Field label="Simulation progress" validationState="none" validationMessage={progressText(status.progress, status.where)}>
          <ProgressBar value={status.progress.done / status.progress.total} max={1} />
        </Field>
      )}
      <div aria-live="polite">
        {status.kind === "cancelled" && (
          <MessageBar intent="warning">
            <MessageBarBody>Cancelled: the simulation was stopped.</MessageBarBody>
          </MessageBar>
        )}
        {status.kind === "failed" && (
          <MessageBar intent="error">
            <MessageBarBody className={styles.wrap}>Simulation failed. {status.message}</MessageBarBody>
          </MessageBar>
        )}
      </div>
      {status.kind === "done" && <RiskResults status={status} stale={!request.ok || request.key !== status.key} />}
    </div>
  );
}

const STAGE_LABELS: Readonly<Record<RiskProgress["stage"], string>> = { scenarios: "the scenarios", switch: "the switch option" };

/** "Step 1 of 2, the scenarios: 2,000 of 6,000 valuations, in a background worker". */
function progressText(progress: RiskProgress, where: RiskRun["where"]): string {
  const step = progress.steps > 1 ? `Step ${progress.step} of ${progress.steps}, ` : "";
  return (
    `${step}${STAGE_LABELS[progress.stage]}: ${progress.done.toLocaleString("en-US")} of ${progress.total.toLocaleString("en-US")} valuations, ` +
    (where === "worker" ? "in a background worker" : "on this page")
  );
}

function RiskResults({ status, stale }: { status: Extract<Status, { kind: "done" }>; stale: boolean }) {
  const styles = useStyles();
  const own = useRiskStyles();
  const { view } = status;
  const paths = view.paths.toLocaleString("en-US");
  const scenarioList = view.scenarios.map((s) => s.scenario).join(",");
  return (
    <section className={styles.section} aria-label="Simulation results">
      {stale && (
        <MessageBar intent="info">
          <MessageBarBody className={styles.wrap}>The inputs have changed since this run: run again to update it.</MessageBarBody>
        </MessageBar>
      )}
      <span className={styles.muted} data-testid="risk-note">
        A simulation with {paths} paths and seed {view.seed}, {status.where === "worker" ? "computed in a background worker" : "computed on this page"} in{" "}
        {status.seconds.toFixed(1)} s. Same seed, same numbers: the same assumptions, paths and seed give these figures to the last digit in{" "}
        <code className={styles.code}>
          minepivot simulate --scenarios {scenarioList} --paths {view.paths} --seed {view.seed} --switch {view.switch?.target ?? "none"}
        </code>
        , on any machine. Another seed draws other paths, and its results differ by about the standard errors shown.
      </span>
      <Table size="extra-small" className={own.table} aria-label="Risk by scenario">
        <TableHeader>
          <TableRow>
            <TableHeaderCell className={own.labelCell}>Equity per watt (USD/W)</TableHeaderCell>
            {view.scenarios.map((s) => (
              <TableHeaderCell key={s.scenario} className={own.head}>
                <abbr title={SCENARIO_LABELS[s.scenario]}>{SCENARIO_SHORT_LABELS[s.scenario]}</abbr>
              </TableHeaderCell>
            ))}
          </TableRow>
        </TableHeader>
        <TableBody>
          {ROWS.map((row) => (
            <TableRow key={row.id}>
              <TableCell className={own.labelCell}>{row.label}</TableCell>
              {view.scenarios.map((s) => (
                <TableCell key={s.scenario} className={own.number} data-metric={row.id} data-scenario={s.scenario}>
                  {row.show(s.risk)}
                </TableCell>
              ))}
            </TableRow>
          ))}
        </TableBody>
      </Table>
      <span className={styles.muted}>
        Loss: equity value below zero. Never pays back: the cash flow to equity has not turned positive for good within the horizon. P(beats mining): the share
        of paths on which the conversion is worth more than mining.
      </span>
      {view.scenarios.map((s) => (
        <EquityHistogram key={s.scenario} view={s} paths={view.paths} />
      ))}
      <span className={styles.muted}>
        Each fan: the cumulative cash flow to equity (exit included, undiscounted) by month; the median line, half the paths in the dark band, nine in ten in
        the pale one. A mine that is sold stops there.
      </span>
      {view.scenarios.map((s) => (
        <CashFlowFanChart key={s.scenario} view={s} range={fanRange(view.scenarios)} />
      ))}
      {view.switch && <SwitchSection option={view.switch} paths={view.paths} />}
    </section>
  );
}

function SwitchSection({ option, paths }: { option: SwitchSummary; paths: number }) {
  const styles = useStyles();
  const own = useRiskStyles();
  const target = SCENARIO_LABELS[option.target];
  return (
    <section className={styles.section} aria-label="Switch option">
      <h3 className={styles.subheading}>Switch option: keep mining, convert to {target} at the best time</h3>
      <Table size="extra-small" className={own.table} aria-label="Switch option values">
        <TableHeader>
          <TableRow>
            <TableHeaderCell className={own.switchLabel}>USD/W</TableHeaderCell>
            <TableHeaderCell className={own.head}>value ± standard error</TableHeaderCell>
          </TableRow>
        </TableHeader>
        <TableBody>
          {switchEstimates(option).map((estimate) => (
            <TableRow key={estimate.key}>
              <TableCell className={own.switchLabel}>{estimate.label}</TableCell>
              <TableCell className={own.number} data-switch={estimate.key}>
                {usd(estimate.value)} ± {usd(estimate.se)}
              </TableCell>
            </TableRow>
          ))}
          <TableRow>
            <TableCell className={own.switchLabel}>P(converts within the horizon)</TableCell>
            <TableCell className={own.number} data-switch="prob_convert">
              {(100 * option.prob_convert).toFixed(1)} %
            </TableCell>
          </TableRow>
          <TableRow>
            <TableCell className={own.switchLabel}>Mean conversion month</TableCell>
            <TableCell className={own.number} data-switch="expected_conversion_month">
              {option.expected_conversion_month === null ? "never" : option.expected_conversion_month.toFixed(1)}
            </TableCell>
          </TableRow>
        </TableBody>
      </Table>
      <span data-testid="switch-rule">
        <strong>Rule:</strong> {option.rule}
      </span>
      {option.convert_now ? (
        <span className={styles.muted}>Converting today beats waiting on these inputs, so every path converts at month 0.</span>
      ) : option.conversion_months.length > 0 ? (
        <ConversionMonthsChart option={option} paths={paths} />
      ) : (
        <span className={styles.muted}>No path converts within the horizon: holding on to mining (and selling at the best time) is worth more.</span>
      )}
    </section>
  );
}
