/** Labelled pickers for sites, scenarios and metrics: one place for the option lists the panels share. */
import { Field, Select } from "@fluentui/react-components";
import { METRIC_DEFS, SCENARIOS, SCENARIO_LABELS, type ScenarioName, type SolvableMetric } from "../../core/index.js";
import type { PaneSite } from "../model.js";

/** `T` is the value type: ScenarioName, or ScenarioName plus the values of `extra`. */
export function ScenarioSelect<T extends string>(props: {
  readonly label: string;
  readonly value: T;
  readonly onChange: (value: T) => void;
  /** Extra options shown before the scenarios, such as "all". */
  readonly extra?: ReadonlyArray<{ readonly value: Exclude<T, ScenarioName>; readonly label: string }>;
}) {
  return (
    <Field label={props.label}>
      <Select value={props.value} onChange={(_, data) => props.onChange(data.value as T)}>
        {props.extra?.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
        {SCENARIOS.map((name) => (
          <option key={name} value={name}>
            {SCENARIO_LABELS[name]}
          </option>
        ))}
      </Select>
    </Field>
  );
}

export function MetricSelect(props: { readonly value: SolvableMetric; readonly onChange: (value: SolvableMetric) => void }) {
  return (
    <Field label="Metric">
      <Select value={props.value} onChange={(_, data) => props.onChange(data.value as SolvableMetric)}>
        {METRIC_DEFS.map((def) => (
          <option key={def.key} value={def.key}>
            {def.label} ({def.unit})
          </option>
        ))}
      </Select>
    </Field>
  );
}

export function SiteSelect(props: { readonly sites: readonly PaneSite[]; readonly value: string | undefined; readonly onChange: (id: string) => void }) {
  return (
    <Field label="Site">
      <Select value={props.value} onChange={(_, data) => props.onChange(data.value)}>
        {props.sites.map((entry) => (
          <option key={entry.id} value={entry.id}>
            {entry.name || "(no name)"}
          </option>
        ))}
      </Select>
    </Field>
  );
}
