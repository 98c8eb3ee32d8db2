/**
 * Audit: the explain trace behind a number. In Excel, of the selected cell's MINEPIVOT formula:
 * each step with its formula in words, value and unit, and the assumptions used, marked as read
 * from the range (with a jump to the cell) or left at their defaults. Anywhere, of any metric of
 * a site in the pane.
 */
import { useEffect, useMemo, useRef, useState } from "react";
import {
  Accordion,
  AccordionHeader,
  AccordionItem,
  AccordionPanel,
  Badge,
  Button,
  Field,
  MessageBar,
  MessageBarBody,
  Select,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
} from "@fluentui/react-components";
import { InputError, type ScenarioName, type SolvableMetric } from "../../core/index.js";
import { auditCall, auditValues, needsScenarioChoice, type AuditOutcome, type AuditResult, type UsedAssumption } from "../audit.js";
import { effectiveSite, formatNumber, type Overrides, type PaneSite } from "../model.js";
import type { CellCall, ExcelBridge, HostKind } from "../office.js";
import { useStyles } from "../styles.js";
import { MetricSelect, ScenarioSelect, SiteSelect } from "./pickers.js";

export interface AuditPanelProps {
  readonly sites: readonly PaneSite[];
  readonly base: Overrides;
  readonly host: HostKind;
  readonly excel?: ExcelBridge;
}

function AssumptionRows({ items, onJump, origin }: { items: readonly UsedAssumption[]; onJump?: (cell: string) => void; origin: string }) {
  const styles = useStyles();
  return (
    <Table size="small" className={styles.table} aria-label={`Assumptions ${origin}`}>
      <TableHeader>
        <TableRow>
          <TableHeaderCell>Assumption</TableHeaderCell>
          <TableHeaderCell className={styles.valueHeader}>Value</TableHeaderCell>
        </TableRow>
      </TableHeader>
      <TableBody>
        {items.map((item) => (
          <TableRow key={item.key}>
            <TableCell className={styles.wrap}>
              <div className={styles.row}>
                <code>{item.key}</code>
                <Badge appearance="tint" color={item.origin === "range" ? "brand" : "informative"} size="small">
                  {item.origin === "range" ? (item.cell ? "from range" : "set") : "default"}
                </Badge>
              </div>
              <div className={styles.muted}>
                {item.origin === "range" ? (item.cell ? `From ${item.cell}` : "Set in the pane") : `Default: ${item.source}`} · as of {item.asOf}
              </div>
              {item.cell && onJump && (
                <Button size="small" appearance="transparent" onClick={() => onJump(item.cell!)} aria-label={`Go to ${item.cell} (${item.key})`}>
                  Go to cell
                </Button>
              )}
            </TableCell>
            <TableCell className={styles.valueCell}>{formatValue(item.value, item.unit)}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

function formatValue(value: number, unit: string): string {
  if (unit === "date") return formatNumber(value, unit);
  if (unit === "boolean") return value ? "TRUE" : "FALSE";
  return formatNumber(value, unit);
}

export function Trace({ result, onJump }: { result: AuditResult; onJump?: (cell: string) => void }) {
  const styles = useStyles();
  const fromRange = result.assumptions.filter((item) => item.origin === "range");
  const defaults = result.assumptions.filter((item) => item.origin === "default");
  const last = result.steps[result.steps.length - 1];
  return (
    <div className={styles.section} aria-live="polite">
      <h3 className={styles.subheading}>{result.title}</h3>
      {last && (
        <span>
          Result: <strong>{typeof last.value === "number" ? formatNumber(last.value, last.unit) : last.value}</strong>
        </span>
      )}
      <Table size="small" className={styles.table} aria-label="Explain trace">
        <TableHeader>
          <TableRow>
            <TableHeaderCell>Step</TableHeaderCell>
            <TableHeaderCell className={styles.valueHeader}>Value</TableHeaderCell>
          </TableRow>
        </TableHeader>
        <TableBody>
          {result.steps.map((step, index) => (
            <TableRow key={index}>
              <TableCell className={styles.wrap}>
                <div>{step.label}</div>
                <div className={styles.muted}>= {step.formula}</div>
              </TableCell>
              <TableCell className={styles.valueCell}>{typeof step.value === "number" ? formatNumber(step.value, step.unit) : step.value}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      <h3 className={styles.subheading}>Assumptions used</h3>
      <span className={styles.muted}>
        {fromRange.length} from {result.rangeAddress ? `the range ${result.rangeAddress}` : "your inputs"}, {defaults.length} at their defaults.
      </span>
      {fromRange.length > 0 && <AssumptionRows items={fromRange} onJump={onJump} origin={result.rangeAddress ? "from the range" : "you set"} />}
      {defaults.length > 0 && (
        <Accordion collapsible>
          <AccordionItem value="defaults">
            <AccordionHeader>Defaults used ({defaults.length})</AccordionHeader>
            <AccordionPanel>
              <AssumptionRows items={defaults} origin="at their defaults" />
            </AccordionPanel>
          </AccordionItem>
        </Accordion>
      )}
    </div>
  );
}

function SiteAudit({ sites, base }: { sites: readonly PaneSite[]; base: Overrides }) {
  const styles = useStyles();
  const [siteId, setSiteId] = useState<string | undefined>(undefined);
  const [scenario, setScenario] = useState<ScenarioName>("powered_shell");
  const [metric, setMetric] = useState<SolvableMetric>("equity_per_watt");
  const site = sites.find((entry) => entry.id === siteId) ?? sites[0];
  const outcome = useMemo((): AuditOutcome | undefined => {
    if (!site) return undefined;
    try {
      const effective = effectiveSite(site, base);
      return { ok: true, result: auditValues(scenario, metric, effective.values, effective.provided) };
    } catch (error) {
      if (error instanceof InputError) return { ok: false, message: error.message };
      throw error;
    }
  }, [site, base, scenario, metric]);
  if (sites.length === 0) return <span className={styles.muted}>No sites to audit: add one on the Sites tab.</span>;
  return (
    <div className={styles.section}>
      <SiteSelect sites={sites} value={site?.id} onChange={setSiteId} />
      <ScenarioSelect label="Scenario" value={scenario} onChange={setScenario} />
      <MetricSelect value={metric} onChange={setMetric} />
      {outcome && !outcome.ok && (
        <MessageBar intent="error">
          <MessageBarBody className={styles.wrap}>{outcome.message}</MessageBarBody>
        </MessageBar>
      )}
      {outcome?.ok && <Trace result={outcome.result} />}
    </div>
  );
}

/** Selections in quick succession (dragging, arrow keys) are read once, after this pause. */
export const SELECTION_DEBOUNCE_MS = 300;

function CellAudit({ excel }: { excel: ExcelBridge }) {
  const styles = useStyles();
  const [cell, setCell] = useState<CellCall | undefined>(undefined);
  const [scenario, setScenario] = useState<ScenarioName>("powered_shell");
  const [reading, setReading] = useState(false);
  const [problem, setProblem] = useState<string | undefined>(undefined);
  /** Set when a selection followed automatically holds no MINEPIVOT call: the last audit stays. */
  const [passed, setPassed] = useState<string | undefined>(undefined);
  const hasAudit = useRef(false);
  hasAudit.current = !!cell?.call;

  const read = async (automatic = false) => {
    setReading(true);
    setProblem(undefined);
    try {
      const next = await excel.readSelectedCall();
      if (automatic && !next.call && hasAudit.current) setPassed(next.address);
      else {
        setPassed(undefined);
        setCell(next);
      }
    } catch (error) {
      setCell(undefined);
      setProblem(`The selected cell could not be read: ${(error as Error).message}`);
    } finally {
      setReading(false);
    }
  };
  const readRef = useRef(read);
  readRef.current = read;

  // Follow the selection: each new selection is audited after a short pause.
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stop: (() => Promise<void>) | undefined;
    let live = true;
    excel
      .onSelectionChanged(() => {
        clearTimeout(timer);
        timer = setTimeout(() => void readRef.current(true), SELECTION_DEBOUNCE_MS);
      })
      .then((remove) => {
        if (live) stop = remove;
        else void remove();
      })
      .catch(() => undefined);
    return () => {
      live = false;
      clearTimeout(timer);
      void stop?.().catch(() => undefined);
    };
  }, [excel]);
  const jump = (address: string) => {
    excel.select(address).catch((error: Error) => setProblem(`Could not go to ${address}: ${error.message}`));
  };
  const outcome = cell?.call ? auditCall(cell.call.id, cell.call.args, scenario) : undefined;

  return (
    <div className={styles.section}>
      <div className={styles.row}>
        <Button appearance="primary" onClick={() => void read()} disabled={reading}>
          {reading ? "Reading…" : "Audit the selected cell"}
        </Button>
      </div>
      <span className={styles.muted}>The audit follows your selection: select a MINEPIVOT cell and its trail appears here.</span>
      {passed && <span className={styles.muted}>{passed} holds no MINEPIVOT formula; the audit below is of the last one you selected.</span>}
      {problem && (
        <MessageBar intent="error">
          <MessageBarBody className={styles.wrap}>{problem}</MessageBarBody>
        </MessageBar>
      )}
      {!cell && !problem && (
        <span className={styles.muted}>Select a cell with a MINEPIVOT formula, such as =MINEPIVOT.NPV(&quot;shell&quot;, Inputs!A4:G68), then audit it.</span>
      )}
      {cell && (
        <div className={styles.card}>
          <span>
            <strong>{cell.address}</strong> shows {typeof cell.value === "number" ? formatNumber(cell.value) : String(cell.value ?? "")}
          </span>
          <code className={styles.code}>{cell.formula || "(no formula)"}</code>
        </div>
      )}
      {cell && !cell.call && (
        <MessageBar intent="info">
          <MessageBarBody className={styles.wrap}>This cell holds no MINEPIVOT formula. Select one that does and audit again.</MessageBarBody>
        </MessageBar>
      )}
      {cell?.call && needsScenarioChoice(cell.call.id) && <ScenarioSelect label="Scenario to explain" value={scenario} onChange={setScenario} />}
      {outcome && !outcome.ok && (
        <MessageBar intent="error">
          <MessageBarBody className={styles.wrap}>{outcome.message}</MessageBarBody>
        </MessageBar>
      )}
      {outcome?.ok && <Trace result={outcome.result} onJump={jump} />}
    </div>
  );
}

export function AuditPanel({ sites, base, host, excel }: AuditPanelProps) {
  const styles = useStyles();
  const [mode, setMode] = useState<"cell" | "site">("cell");
  const inExcel = host === "excel" && !!excel;
  return (
    <div className={styles.panel}>
      <h2 className={styles.heading}>Audit</h2>
      {inExcel && (
        <Field label="Audit">
          <Select value={mode} onChange={(_, data) => setMode(data.value as "cell" | "site")}>
            <option value="cell">The selected cell</option>
            <option value="site">A site in this pane</option>
          </Select>
        </Field>
      )}
      {!inExcel && <span className={styles.muted}>Outside Excel, audit any metric of a site in this pane. Inside Excel, audit a MINEPIVOT cell.</span>}
      {inExcel && mode === "cell" ? <CellAudit excel={excel!} /> : <SiteAudit sites={sites} base={base} />}
    </div>
  );
}
