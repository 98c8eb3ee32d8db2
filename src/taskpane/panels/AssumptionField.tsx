/**
 * One assumption as a form field, generated from its registry entry: label, unit, inline range
 * validation (the core's own message), the default's source and as-of date, and a reset.
 */
import { Button, Checkbox, Field, Input } from "@fluentui/react-components";
import { describeAllowed, type AssumptionDef, type AssumptionKey } from "../../core/index.js";
import { fieldError } from "../model.js";
import { useStyles } from "../styles.js";

export interface AssumptionFieldProps {
  readonly def: AssumptionDef;
  /** The text set for this key, or undefined when the key takes the inherited value. */
  readonly value: string | undefined;
  /** The inherited value as text (the shared set's or the default), shown as the placeholder. */
  readonly inherited: string;
  /** What "reset" returns to, in words ("default" or "shared set"). */
  readonly inheritedFrom: string;
  readonly onChange: (key: AssumptionKey, value: string | undefined) => void;
  /** Makes ids unique when the same key appears twice on a page (a site and the shared set). */
  readonly idPrefix: string;
}

export function AssumptionField({ def, value, inherited, inheritedFrom, onChange, idPrefix }: AssumptionFieldProps) {
  const styles = useStyles();
  const key = def.key as AssumptionKey;
  const error = fieldError(key, value);
  const hint = `${def.key} · ${describeAllowed(def)}. Default source: ${def.source} (as of ${def.asOf}).`;
  const set = value !== undefined;
  const reset = (
    <Button
      size="small"
      appearance="subtle"
      disabled={!set}
      onClick={() => onChange(key, undefined)}
      aria-label={`Reset ${def.label} to the ${inheritedFrom} (${inherited})`}
    >
      Reset
    </Button>
  );
  if (def.kind === "boolean") {
    const checked = (value ?? inherited).toUpperCase() === "TRUE";
    return (
      <Field hint={hint} className={styles.wrap}>
        <div className={styles.fieldRow}>
          <Checkbox
            id={`${idPrefix}-${def.key}`}
            className={styles.grow}
            checked={checked}
            label={def.label}
            onChange={(_, data) => onChange(key, data.checked ? "TRUE" : "FALSE")}
          />
          {reset}
        </div>
      </Field>
    );
  }
  return (
    <Field
      label={def.unit === "date" ? def.label : `${def.label} (${def.unit})`}
      hint={hint}
      validationState={error ? "error" : "none"}
      validationMessage={error}
      className={styles.wrap}
    >
      {(fieldProps) => (
        <div className={styles.fieldRow}>
          <Input
            {...fieldProps}
            name={`${idPrefix}-${def.key}`}
            className={styles.grow}
            // Dates as ISO text: a native date input cannot show the inherited value as its placeholder.
            type="text"
            inputMode={def.kind === "date" ? "text" : "decimal"}
            value={value ?? ""}
            placeholder={inherited}
            onChange={(_, data) => onChange(key, data.value === "" ? undefined : data.value)}
          />
          {reset}
        </div>
      )}
    </Field>
  );
}
