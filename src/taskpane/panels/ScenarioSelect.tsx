/** A labelled scenario picker: one place for the option list every panel shows. */
import { Field, Select } from "@fluentui/react-components";
import { SCENARIOS, SCENARIO_LABELS, type ScenarioName } from "../../core/index.js";

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
