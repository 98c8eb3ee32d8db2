/**
 * Build: pick sites, scenarios and the output, then generate the comparison workbook from the
 * workbook plan, with progress and cancel. Inside Excel the sheets go into this workbook
 * (existing sheets are never touched: clashing names get a suffix) or into a new workbook;
 * in a plain browser the .xlsx is downloaded.
 */
import { useMemo, useRef, useState } from "react";
import { Button, Checkbox, Field, MessageBar, MessageBarBody, MessageBarTitle, ProgressBar, Radio, RadioGroup } from "@fluentui/react-components";
import { SCENARIOS, SCENARIO_LABELS, type ScenarioName } from "../../core/index.js";
import { generateWorkbook, type GenerateDeps, type GenerateProgress, type GenerateResult, type OutputKind } from "../generate.js";
import { effectiveSite, siteProblem, type Overrides, type PaneSite } from "../model.js";
import type { HostKind } from "../office.js";
import { useStyles } from "../styles.js";

export interface BuildPanelProps {
  readonly sites: readonly PaneSite[];
  readonly base: Overrides;
  readonly host: HostKind;
  readonly deps: GenerateDeps;
  readonly today: () => string;
}

type Status =
  | { kind: "idle" }
  | { kind: "running"; progress: GenerateProgress }
  | { kind: "done"; result: GenerateResult }
  | { kind: "cancelled" }
  | { kind: "failed"; message: string; output: OutputKind };

function describeResult(result: GenerateResult): { title: string; text: string } {
  if (result.output === "insert") {
    const renamed = Object.entries(result.renamedSheets);
    return {
      title: `Inserted ${result.sheets.length} sheets`,
      text:
        `${result.sheets.join(", ")}.` +
        (renamed.length > 0
          ? ` Existing sheets were left alone; the new ones were renamed: ${renamed.map(([from, to]) => `${from} → ${to}`).join(", ")}.`
          : ""),
    };
  }
  if (result.output === "new") return { title: "Opened as a new workbook", text: `${result.sheets} sheets, in a new Excel window.` };
  const summary = `${result.filename}: ${result.sheets} sheets, ${Math.round(result.bytes / 1024)} KB.`;
  return { title: "Downloaded", text: result.reason ? `${result.reason} ${summary}` : summary };
}

export function BuildPanel({ sites, base, host, deps, today }: BuildPanelProps) {
  const styles = useStyles();
  const [excluded, setExcluded] = useState<ReadonlySet<string>>(new Set());
  const [scenarios, setScenarios] = useState<ReadonlySet<ScenarioName>>(new Set(SCENARIOS));
  const [chosenOutput, setOutput] = useState<OutputKind | undefined>(undefined);
  const [status, setStatus] = useState<Status>({ kind: "idle" });
  const controller = useRef<AbortController | undefined>(undefined);

  const output: OutputKind = host === "excel" ? (chosenOutput && chosenOutput !== "download" ? chosenOutput : "insert") : "download";
  // Each progress message renders the panel again: checking every site's assumptions once per change of the sites keeps those renders light.
  const problems = useMemo(() => new Map(sites.map((site) => [site.id, siteProblem(site, base, sites)])), [sites, base]);
  const chosenSites = sites.filter((site) => !excluded.has(site.id));
  const blocked = chosenSites.filter((site) => problems.get(site.id));
  const running = status.kind === "running";
  const chosenScenarios = SCENARIOS.filter((name) => scenarios.has(name));
  const reason =
    sites.length === 0
      ? "Add a site first (Sites tab)."
      : chosenSites.length === 0
        ? "Pick at least one site."
        : chosenScenarios.length === 0
          ? "Pick at least one scenario."
          : blocked.length > 0
            ? `Fix ${blocked.map((site) => site.name || "(no name)").join(", ")} first: ${problems.get(blocked[0]!.id)}`
            : undefined;

  const toggle = <T,>(set: ReadonlySet<T>, item: T, on: boolean): Set<T> => {
    const next = new Set(set);
    if (on) next.add(item);
    else next.delete(item);
    return next;
  };

  // The same elements while only the progress changes, so that React skips a long list of sites.
  const siteBoxes = useMemo(
    () =>
      sites.map((site) => (
        <Checkbox
          key={site.id}
          checked={!excluded.has(site.id)}
          onChange={(_, data) => setExcluded(toggle(excluded, site.id, !data.checked))}
          label={problems.get(site.id) ? `${site.name || "(no name)"} (needs fixing)` : site.name}
        />
      )),
    [sites, excluded, problems],
  );

  const generate = async () => {
    if (reason || running) return;
    const abort = new AbortController();
    controller.current = abort;
    setStatus({ kind: "running", progress: { done: 0, total: 1, label: "Starting" } });
    try {
      const result = await generateWorkbook(
        { sites: chosenSites.map((site) => effectiveSite(site, base)), scenarios: chosenScenarios, output, generatedOn: today() },
        deps,
        { signal: abort.signal, onProgress: (progress) => setStatus({ kind: "running", progress }) },
      );
      setStatus({ kind: "done", result });
    } catch (error) {
      if ((error as Error)?.name === "AbortError") setStatus({ kind: "cancelled" });
      else setStatus({ kind: "failed", message: error instanceof Error ? error.message : String(error), output });
    } finally {
      controller.current = undefined;
    }
  };

  return (
    <div className={styles.panel}>
      <h2 className={styles.heading}>Build a comparison workbook</h2>
      <span className={styles.muted}>
        Cover, inputs, one workings sheet per scenario, comparison tables and charts, and checks: live formulas that recalculate when you change an input.
      </span>
      <fieldset className={styles.section} style={{ border: "none", margin: 0, padding: 0 }} disabled={running}>
        <legend className={styles.subheading}>Sites</legend>
        {sites.length === 0 && <span className={styles.muted}>No sites: add or import them on the Sites tab.</span>}
        {siteBoxes}
      </fieldset>
      <fieldset className={styles.section} style={{ border: "none", margin: 0, padding: 0 }} disabled={running}>
        <legend className={styles.subheading}>Scenarios</legend>
        {SCENARIOS.map((name) => (
          <Checkbox
            key={name}
            checked={scenarios.has(name)}
            onChange={(_, data) => setScenarios(toggle(scenarios, name, !!data.checked))}
            label={SCENARIO_LABELS[name]}
          />
        ))}
        <span className={styles.muted}>Hybrid brings the three scenarios it blends.</span>
      </fieldset>
      <Field label="Output">
        <RadioGroup value={output} onChange={(_, data) => setOutput(data.value as OutputKind)} disabled={running}>
          {host === "excel" ? (
            <>
              <Radio value="insert" label="Insert the sheets into this workbook" />
              <Radio value="new" label="Open as a new workbook" />
            </>
          ) : (
            <Radio value="download" label="Download an .xlsx file" />
          )}
        </RadioGroup>
      </Field>
      {deps.runsOn === "page" && (
        <MessageBar intent="info">
          <MessageBarBody className={styles.wrap}>
            This browser cannot run background workers, so the workbook is made on the pane itself: the pane stops responding until it is done, and Cancel acts
            only between steps.
          </MessageBarBody>
        </MessageBar>
      )}
      {reason && !running && (
        <MessageBar intent="warning">
          <MessageBarBody className={styles.wrap}>{reason}</MessageBarBody>
        </MessageBar>
      )}
      <div className={styles.row}>
        <Button appearance="primary" disabled={!!reason && !running} disabledFocusable={running} onClick={() => void generate()}>
          Generate workbook
        </Button>
        {running && (
          <Button onClick={() => controller.current?.abort()} aria-label="Cancel generation">
            Cancel
          </Button>
        )}
      </div>
      {status.kind === "running" && (
        <Field validationMessage={status.progress.label} validationState="none" label="Progress">
          <ProgressBar value={status.progress.total > 0 ? status.progress.done / status.progress.total : undefined} max={1} aria-label="Generation progress" />
        </Field>
      )}
      <div aria-live="polite">
        {status.kind === "done" && (
          <MessageBar intent="success">
            <MessageBarBody className={styles.wrap}>
              <MessageBarTitle>{describeResult(status.result).title}</MessageBarTitle>
              {describeResult(status.result).text}
            </MessageBarBody>
          </MessageBar>
        )}
        {status.kind === "cancelled" && (
          <MessageBar intent="warning">
            <MessageBarBody>Cancelled. Nothing was added to the workbook.</MessageBarBody>
          </MessageBar>
        )}
        {status.kind === "failed" && (
          <MessageBar intent="error">
            <MessageBarBody className={styles.wrap}>
              <MessageBarTitle>Generation failed</MessageBarTitle>
              {status.output === "insert" ? "Everything it had added was removed; your sheets are as they were. " : ""}
              {status.message}
            </MessageBarBody>
          </MessageBar>
        )}
      </div>
    </div>
  );
}
