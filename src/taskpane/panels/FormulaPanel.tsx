/** Insert formula: pick a function, scenario and assumptions range; insert it into the active cell. */
import { useState } from "react";
import { Button, Field, Input, MessageBar, MessageBarBody, Select } from "@fluentui/react-components";
import { DEFAULT_CHOICE, FORMULA_FUNCTIONS, buildFormula, rangeError, type FormulaChoice } from "../formula.js";
import type { ExcelBridge, HostKind } from "../office.js";
import { useStyles } from "../styles.js";
import { MetricSelect, ScenarioSelect } from "./pickers.js";

export interface FormulaPanelProps {
  readonly host: HostKind;
  readonly excel?: ExcelBridge;
  readonly copy: (text: string) => Promise<void>;
}

type Notice = { intent: "success" | "error"; text: string } | undefined;

export function FormulaPanel({ host, excel, copy }: FormulaPanelProps) {
  const styles = useStyles();
  const [choice, setChoice] = useState<FormulaChoice>(DEFAULT_CHOICE);
  const [notice, setNotice] = useState<Notice>(undefined);
  const [busy, setBusy] = useState(false);
  const fn = FORMULA_FUNCTIONS.find((entry) => entry.id === choice.id)!;
  const error = rangeError(choice.range);
  const formula = error ? undefined : buildFormula(choice);
  const inExcel = host === "excel" && !!excel;
  const set = (change: Partial<FormulaChoice>) => {
    setChoice({ ...choice, ...change });
    setNotice(undefined);
  };

  const useSelection = async () => {
    if (!excel) return;
    setBusy(true);
    try {
      const selection = await excel.readSelection();
      set({ range: selection.address });
    } catch (failure) {
      setNotice({ intent: "error", text: `The selection could not be read: ${(failure as Error).message}` });
    } finally {
      setBusy(false);
    }
  };
  const insert = async () => {
    if (!formula) return;
    setBusy(true);
    try {
      if (inExcel) {
        const address = await excel!.insertFormula(formula);
        setNotice({ intent: "success", text: `Inserted into ${address}.${fn.spills ? " It spills into the cells below and to the right." : ""}` });
      } else {
        await copy(formula);
        setNotice({ intent: "success", text: "Copied. Paste it into a cell in Excel." });
      }
    } catch (failure) {
      setNotice({ intent: "error", text: `${inExcel ? "Could not insert" : "Could not copy"}: ${(failure as Error).message}` });
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className={styles.panel}>
      <h2 className={styles.heading}>Insert a formula</h2>
      <Field label="Function">
        <Select value={choice.id} onChange={(_, data) => set({ id: data.value })}>
          {FORMULA_FUNCTIONS.map((entry) => (
            <option key={entry.id} value={entry.id}>
              {entry.label}
            </option>
          ))}
        </Select>
      </Field>
      {fn.params.includes("scenario") && <ScenarioSelect label="Scenario" value={choice.scenario} onChange={(scenario) => set({ scenario })} />}
      {fn.params.includes("metric") && <MetricSelect value={choice.metric} onChange={(metric) => set({ metric })} />}
      {fn.params.includes("period") && (
        <Field label="Period">
          <Select value={choice.period} onChange={(_, data) => set({ period: data.value as FormulaChoice["period"] })}>
            <option value="annual">Annual</option>
            <option value="monthly">Monthly</option>
          </Select>
        </Field>
      )}
      {fn.params.includes("basis") && (
        <Field label="Cost basis">
          <Select value={choice.basis} onChange={(_, data) => set({ basis: data.value as FormulaChoice["basis"] })}>
            <option value="cash">Cash (power and other opex)</option>
            <option value="all_in">All-in (adds fleet depreciation)</option>
          </Select>
        </Field>
      )}
      {fn.params.includes("assumptions") && (
        <>
          <Field
            label="Assumptions range"
            hint="Two columns, key and value. Leave empty for the defaults."
            validationState={error ? "error" : "none"}
            validationMessage={error}
          >
            <Input value={choice.range} onChange={(_, data) => set({ range: data.value })} placeholder="Inputs!A4:G68" />
          </Field>
          {inExcel && (
            <div className={styles.row}>
              <Button size="small" onClick={() => void useSelection()} disabled={busy}>
                Use the selected range
              </Button>
            </div>
          )}
        </>
      )}
      <Field label="Formula">
        <code className={styles.code} aria-label="Formula preview">
          {formula ?? "Fix the range to see the formula."}
        </code>
      </Field>
      <div className={styles.row}>
        <Button appearance="primary" onClick={() => void insert()} disabled={!formula || busy}>
          {inExcel ? "Insert into the active cell" : "Copy the formula"}
        </Button>
      </div>
      {!inExcel && <span className={styles.muted}>Inside Excel this button writes the formula into the active cell.</span>}
      {notice && (
        <MessageBar intent={notice.intent} aria-live="polite">
          <MessageBarBody className={styles.wrap}>{notice.text}</MessageBarBody>
        </MessageBar>
      )}
    </div>
  );
}
