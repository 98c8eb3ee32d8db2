/**
 * Risk: the Monte Carlo distribution of each scenario's equity per watt for one site, computed
 * in a Web Worker with progress and Cancel. The table has the figures `minepivot simulate`
 * prints (mean with its standard error, percentiles, the chances of a loss, of never paying
 * back and of beating mining on the same paths), then a histogram per scenario.
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
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { BASE_SCENARIOS, InputError, getDef, SCENARIO_LABELS, SCENARIO_SHORT_LABELS, type BaseScenario, type ScenarioRisk } from "../../core/index.js";
import { PANE_DEFAULT_PATHS, PANE_MAX_PATHS, parsePanePaths, parsePaneSeed, type RiskProgress, type RiskRequest, type RiskView } from "../../worker/risk.js";
import { EquityHistogram } from "../charts/RiskCharts.js";
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
  fields: { display: "grid", gridTemplateColumns: "1fr 1fr", columnGap: tokens.spacingHorizontalS, minWidth: 0 },
});

export function RiskPanel({ sites, base, createWorker }: RiskPanelProps) {
  const styles = useStyles();
  const own = useRiskStyles();
  const [siteId, setSiteId] = useState<string | undefined>(undefined);
  const [scenarios, setScenarios] = useState<ReadonlySet<BaseScenario>>(new Set(BASE_SCENARIOS));
  const [pathsText, setPathsText] = useState(String(PANE_DEFAULT_PATHS));
  const [seedText, setSeedText] = useState("1");
  const [status, setStatus] = useState<Status>({ kind: "idle" });
  const run = useRef<RiskRun | undefined>(undefined);
  // A run still going when the pane closes is ended with it.
  useEffect(() => () => run.current?.cancel(), []);

  const site = sites.find((entry) => entry.id === siteId) ?? sites[0];
  const chosen = BASE_SCENARIOS.filter((s) => scenarios.has(s));
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
      const built: RiskRequest = { values, scenarios: chosen, paths: parsePanePaths(pathsText), seed: parsePaneSeed(seedText) };
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
    setStatus({ kind: "running", where: current.where, progress: { done: 0, total: 1 } });
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
      <div className={own.fields}>
        <Field
          label="Paths"
          hint={`2 to ${PANE_MAX_PATHS.toLocaleString("en-US")}`}
          validationState={pathsError ? "error" : "none"}
          validationMessage={pathsError}
        >
          <Input value={pathsText} onChange={(_, data) => setPathsText(data.value)} inputMode="numeric" disabled={running} />
        </Field>
        <Field
          label="Seed"
          hint={`0 to ${getDef("seed").max.toLocaleString("en-US")}`}
          validationState={seedError ? "error" : "none"}
          validationMessage={seedError}
        >
          <Input value={seedText} onChange={(_, data) => setSeedText(data.value)} inputMode="numeric" disabled={running} />
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
        <Field
          label="Simulation progress"
          validationState="none"
          validationMessage={`${status.progress.done.toLocaleString("en-US")} of ${status.progress.total.toLocaleString("en-US")} path valuations, ${
            status.where === "worker" ? "in a background worker" : "on this page"
          }`}
        >
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
        {status.seconds.toFixed(1)} s. The same assumptions, paths and seed give the same numbers, to the last digit, as{" "}
        <code className={styles.code}>
          minepivot simulate --scenarios {scenarioList} --paths {view.paths} --seed {view.seed}
        </code>{" "}
        and the MINEPIVOT.SIMULATE function; another seed draws other paths, and its results differ by about the standard errors shown.
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
    </section>
  );
}
