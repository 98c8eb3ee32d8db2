/**
 * Results: the answer at a glance for one site. Each scenario's equity per watt, equity value,
 * revenue and EBITDA per MW-year, IRR, payback and uplift over mining, recomputed as the
 * assumptions change, then the charts (loaded after the first render) and, below, the
 * portfolio of every site.
 */
import { Suspense, lazy, useMemo, useState } from "react";
import {
  Field,
  MessageBar,
  MessageBarBody,
  Select,
  Spinner,
  Switch,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { InputError, SCENARIOS, SCENARIO_LABELS, SCENARIO_SHORT_LABELS, type Basis, type ScenarioName } from "../../core/index.js";
import { effectiveSite, type Overrides, type PaneSite } from "../model.js";
import { BASIS_UNITS, bestConversion, bestScenario, compactUsd, siteResults, type ScenarioResult } from "../results.js";
import { useStyles } from "../styles.js";
import type { ExcelBridge, HostKind } from "../office.js";
import { SiteSelect } from "./pickers.js";

const ResultsCharts = lazy(() => import(/* webpackChunkName: "results-charts" */ "../charts/ResultsCharts.js"));
const PortfolioSection = lazy(() => import(/* webpackChunkName: "portfolio" */ "./PortfolioSection.js").then((m) => ({ default: m.PortfolioSection })));

export interface ResultsPanelProps {
  readonly sites: readonly PaneSite[];
  readonly base: Overrides;
  readonly host: HostKind;
  readonly excel?: ExcelBridge;
  readonly download: (data: Uint8Array | string, filename: string, type: string) => void;
}

/** The table's rows; the per-MW ones name the basis their figures are on. */
function rows(basis: Basis): ReadonlyArray<{ id: string; label: string; show: (r: ScenarioResult) => string }> {
  const { watt, mw } = BASIS_UNITS[basis];
  return [
    { id: "equity_per_watt", label: `Equity per ${watt.replace("W", "watt")} (USD/${watt})`, show: (r) => r.equityPerWatt.toFixed(2) },
    { id: "npv_usd", label: "Equity value (USD)", show: (r) => compactUsd(r.equityUsd) },
    { id: "rev_per_mw", label: `Revenue per ${mw}-yr (USD)`, show: (r) => compactUsd(r.revenuePerMwYear) },
    { id: "ebitda_per_mw", label: `EBITDA per ${mw}-yr (USD)`, show: (r) => compactUsd(r.ebitdaPerMwYear) },
    { id: "irr", label: "Equity IRR", show: (r) => (r.irr === null ? "n/a" : `${(r.irr * 100).toFixed(1)} %`) },
    { id: "payback_years", label: "Payback (years)", show: (r) => (r.paybackYears === null ? "n/a" : r.paybackYears.toFixed(1)) },
    {
      id: "uplift_per_watt",
      label: basis === "site" ? "Uplift over mining (USD/W)" : "Uplift over mining (USD per site W)",
      show: (r) => (r.scenario === "mining" ? "" : r.upliftPerWatt.toFixed(2)),
    },
  ];
}

const useResultStyles = makeStyles({
  table: { tableLayout: "fixed", width: "100%", fontSize: tokens.fontSizeBase200 },
  labelCell: { width: "34%", overflowWrap: "anywhere", paddingLeft: 0 },
  number: { textAlign: "right", fontVariantNumeric: "tabular-nums", paddingLeft: "2px", paddingRight: "2px", whiteSpace: "nowrap" },
  head: { "& .fui-TableHeaderCell__button": { justifyContent: "flex-end" }, paddingLeft: "2px", paddingRight: "2px" },
  best: { fontWeight: tokens.fontWeightSemibold },
});

export function ResultsPanel({ sites, base, host, excel, download }: ResultsPanelProps) {
  const styles = useStyles();
  const own = useResultStyles();
  const [siteId, setSiteId] = useState<string | undefined>(undefined);
  const [tornadoChoice, setTornadoChoice] = useState<ScenarioName | "best">("best");
  const [basis, setBasis] = useState<Basis>("site");
  const site = sites.find((entry) => entry.id === siteId) ?? sites[0];
  const outcome = useMemo(() => {
    if (!site) return undefined;
    try {
      const effective = effectiveSite(site, base);
      return { ok: true as const, values: effective.values, results: siteResults(effective.values, SCENARIOS, basis) };
    } catch (error) {
      if (error instanceof InputError) return { ok: false as const, message: error.message };
      throw error;
    }
  }, [site, base, basis]);
  const best = outcome?.ok ? bestScenario(outcome.results) : undefined;
  const tornadoScenario = outcome?.ok ? (tornadoChoice === "best" ? bestConversion(outcome.results) : tornadoChoice) : "powered_shell";

  return (
    <div className={styles.panel}>
      <h2 className={styles.heading}>Results</h2>
      {sites.length === 0 && <span className={styles.muted}>Add a site on the Sites tab to see its results.</span>}
      {sites.length > 1 && <SiteSelect sites={sites} value={site?.id} onChange={setSiteId} />}
      {site && sites.length === 1 && <span className={styles.muted}>{site.name}: every scenario, on the assumptions in this pane.</span>}
      {outcome && !outcome.ok && (
        <MessageBar intent="error">
          <MessageBarBody className={styles.wrap}>Cannot value this site. {outcome.message}</MessageBarBody>
        </MessageBar>
      )}
      {outcome?.ok && (
        <>
          <Switch
            checked={basis === "it"}
            onChange={(_, data) => setBasis(data.checked ? "it" : "site")}
            label="Per IT MW (critical IT power) instead of per site MW"
          />
          <Table size="extra-small" className={own.table} aria-label="Results by scenario">
            <TableHeader>
              <TableRow>
                <TableHeaderCell className={own.labelCell}>Metric</TableHeaderCell>
                {outcome.results.scenarios.map((r) => (
                  <TableHeaderCell key={r.scenario} className={own.head}>
                    <abbr title={SCENARIO_LABELS[r.scenario]} className={r.scenario === best ? own.best : undefined}>
                      {SCENARIO_SHORT_LABELS[r.scenario]}
                    </abbr>
                  </TableHeaderCell>
                ))}
              </TableRow>
            </TableHeader>
            <TableBody>
              {rows(basis).map((row) => (
                <TableRow key={row.id}>
                  <TableCell className={own.labelCell}>{row.label}</TableCell>
                  {outcome.results.scenarios.map((r) => (
                    <TableCell key={r.scenario} className={own.number} data-metric={row.id} data-scenario={r.scenario}>
                      {row.show(r)}
                    </TableCell>
                  ))}
                </TableRow>
              ))}
            </TableBody>
          </Table>
          {basis === "it" && (
            <span className={styles.muted}>
              IT MW is site MW / PUE: critical IT power for the conversions, hashing power for the mine, share-weighted for the hybrid. The uplift stays per
              site watt, the denominator every scenario shares.
            </span>
          )}
          {best && (
            <span>
              Highest equity value: <strong>{SCENARIO_LABELS[best]}</strong>
              {best !== "mining" && (
                <>
                  , {outcome.results.scenarios.find((r) => r.scenario === best)!.upliftPerWatt.toFixed(2)} {basis === "site" ? "USD/W" : "USD per site W"} above
                  mining
                </>
              )}
              .
            </span>
          )}
          <Field label="Tornado of the uplift over mining for">
            <Select value={tornadoChoice} onChange={(_, data) => setTornadoChoice(data.value as ScenarioName | "best")}>
              <option value="best">The best conversion ({SCENARIO_LABELS[bestConversion(outcome.results)]})</option>
              {SCENARIOS.filter((s) => s !== "mining").map((s) => (
                <option key={s} value={s}>
                  {SCENARIO_LABELS[s]}
                </option>
              ))}
            </Select>
          </Field>
          <Suspense fallback={<Spinner size="tiny" label="Loading charts…" />}>
            <ResultsCharts results={outcome.results} values={outcome.values} tornadoScenario={tornadoScenario} />
          </Suspense>
        </>
      )}
      <Suspense fallback={<Spinner size="tiny" label="Loading the portfolio…" />}>
        <PortfolioSection sites={sites} base={base} host={host} excel={excel} download={download} />
      </Suspense>
    </div>
  );
}
