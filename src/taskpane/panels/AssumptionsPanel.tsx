/**
 * The shared assumption set: forms generated from the registry, grouped by what they model and
 * filtered by scenario; presets; sets saved with the workbook (or the browser); JSON files in
 * and out (the CLI reads the same file: `minepivot value --assumptions FILE.json`).
 */
import { useEffect, useRef, useState } from "react";
import {
  Accordion,
  AccordionHeader,
  AccordionItem,
  AccordionPanel,
  Badge,
  Button,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  Select,
} from "@fluentui/react-components";
import { DEFAULTS, REGISTRY, SCENARIOS, SCENARIO_LABELS, checkInputSize, parseUserJson, type AssumptionKey, type ScenarioName } from "../../core/index.js";
import { GROUP_LABELS, GROUP_ORDER, formatInput, keyAffects, overrideErrors, overridesFromJson, overridesToJson, type Overrides } from "../model.js";
import { DEAL_PRESETS, PRESETS, applyDeal } from "../presets.js";
import type { SavedSet, SetStore } from "../storage.js";
import { useStyles } from "../styles.js";
import { AssumptionField } from "./AssumptionField.js";
import { ScenarioSelect } from "./pickers.js";

export interface AssumptionsPanelProps {
  readonly base: Overrides;
  readonly onBaseChange: (base: Overrides) => void;
  readonly store: SetStore;
  readonly download: (data: string, filename: string, type: string) => void;
}

type Notice = { intent: "success" | "error" | "info"; text: string } | undefined;

/** A file's text; FileReader where Blob.text() is missing (older Office webviews). */
function readText(file: File): Promise<string> {
  // Refused before reading: a huge file would stall the pane.
  checkInputSize(file.size, file.name);
  if (typeof file.text === "function") return file.text();
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result ?? ""));
    reader.onerror = () => reject(reader.error ?? new Error(`${file.name} could not be read`));
    reader.readAsText(file);
  });
}

function sameOverrides(a: Overrides, b: Overrides): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]) as Set<AssumptionKey>;
  return [...keys].every((key) => a[key] === b[key]);
}

export function AssumptionsPanel({ base, onBaseChange, store, download }: AssumptionsPanelProps) {
  const styles = useStyles();
  const [scenario, setScenario] = useState<ScenarioName | "all">("all");
  const [openGroups, setOpenGroups] = useState<string[]>(["site"]);
  const [saved, setSaved] = useState<SavedSet[]>([]);
  const [saveName, setSaveName] = useState("");
  const [notice, setNotice] = useState<Notice>(undefined);
  const fileInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    let live = true;
    store
      .list()
      .then((sets) => live && setSaved(sets))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [store]);

  const errors = overrideErrors(base);
  const errorCount = Object.keys(errors).length;
  const changed = Object.keys(base).length;
  const preset = PRESETS.find((entry) => sameOverrides(entry.overrides, base));
  const savedMatch = saved.find((set) => sameOverrides(set.overrides, base));
  const selected = preset ? `preset:${preset.id}` : savedMatch ? `saved:${savedMatch.name}` : "custom";

  const setValue = (key: AssumptionKey, value: string | undefined) => {
    const next = { ...base };
    if (value === undefined) delete next[key];
    else next[key] = value;
    onBaseChange(next);
  };

  const choose = (value: string) => {
    if (value.startsWith("preset:")) {
      const found = PRESETS.find((entry) => `preset:${entry.id}` === value);
      if (found) {
        onBaseChange({ ...found.overrides });
        setNotice({ intent: "info", text: found.description });
      }
    } else if (value.startsWith("deal:")) {
      try {
        const priced = applyDeal(base, value.slice("deal:".length));
        onBaseChange(priced.overrides);
        setNotice({ intent: "info", text: priced.description });
      } catch (error) {
        setNotice({ intent: "error", text: `Fix the invalid values first: ${(error as Error).message}` });
      }
    } else if (value.startsWith("saved:")) {
      const found = saved.find((set) => `saved:${set.name}` === value);
      if (found) {
        onBaseChange({ ...found.overrides });
        setNotice({ intent: "info", text: `Loaded "${found.name}", saved ${found.savedAt.slice(0, 10)}.` });
      }
    }
  };

  const save = async () => {
    const name = saveName.trim();
    if (!name) return;
    try {
      await store.save({ name, overrides: { ...base }, savedAt: new Date().toISOString() });
      setSaved(await store.list());
      setSaveName("");
      setNotice({ intent: "success", text: `Saved "${name}" in ${store.where}.` });
    } catch (error) {
      setNotice({ intent: "error", text: `Could not save: ${(error as Error).message}` });
    }
  };

  const removeSaved = async () => {
    if (!savedMatch) return;
    try {
      await store.remove(savedMatch.name);
      setSaved(await store.list());
      setNotice({ intent: "success", text: `Deleted "${savedMatch.name}" from ${store.where}.` });
    } catch (error) {
      setNotice({ intent: "error", text: `Could not delete: ${(error as Error).message}` });
    }
  };

  const exportJson = () => {
    const name = (savedMatch?.name ?? preset?.id ?? "custom").replace(/[^\w-]+/g, "-").toLowerCase();
    download(`${JSON.stringify(overridesToJson(base), null, 2)}\n`, `minepivot-assumptions-${name}.json`, "application/json");
    setNotice({ intent: "success", text: `Exported ${changed} value${changed === 1 ? "" : "s"} (keys left out take their defaults).` });
  };

  const importJson = async (file: File) => {
    try {
      const text = await readText(file);
      const overrides = overridesFromJson(parseUserJson(text, file.name), file.name);
      onBaseChange(overrides);
      const count = Object.keys(overrides).length;
      setNotice({ intent: "success", text: `Imported ${count} value${count === 1 ? "" : "s"} from ${file.name}.` });
    } catch (error) {
      setNotice({ intent: "error", text: (error as Error).message });
    }
  };

  return (
    <div className={styles.panel}>
      <h2 className={styles.heading}>Assumptions</h2>
      <span className={styles.muted}>
        The shared set: every site starts from it, and a site&apos;s own values win. Empty fields take the default shown in grey.
      </span>
      <Field label="Preset or saved set">
        <Select value={selected} onChange={(_, data) => choose(data.value)}>
          {selected === "custom" && <option value="custom">Custom ({changed} changed)</option>}
          <optgroup label="Presets">
            {PRESETS.map((entry) => (
              <option key={entry.id} value={`preset:${entry.id}`}>
                {entry.label}
              </option>
            ))}
          </optgroup>
          <optgroup label="Price like a deal (keeps the other values)">
            {DEAL_PRESETS.map((entry) => (
              <option key={entry.id} value={`deal:${entry.id}`}>
                {entry.label}
              </option>
            ))}
          </optgroup>
          {saved.length > 0 && (
            <optgroup label={`Saved in ${store.where}`}>
              {saved.map((set) => (
                <option key={set.name} value={`saved:${set.name}`}>
                  {set.name}
                </option>
              ))}
            </optgroup>
          )}
        </Select>
      </Field>
      {notice && (
        <MessageBar intent={notice.intent} aria-live="polite">
          <MessageBarBody className={styles.wrap}>{notice.text}</MessageBarBody>
        </MessageBar>
      )}
      {errorCount > 0 && (
        <MessageBar intent="error">
          <MessageBarBody className={styles.wrap}>
            {errorCount} value{errorCount === 1 ? " is" : "s are"} invalid: {Object.keys(errors).join(", ")}. Fix or reset {errorCount === 1 ? "it" : "them"} to
            build a workbook.
          </MessageBarBody>
        </MessageBar>
      )}
      <div className={styles.row}>
        <Field label={`Save this set in ${store.where}`} className={styles.grow}>
          <Input value={saveName} onChange={(_, data) => setSaveName(data.value)} placeholder="Name, e.g. Texas base case" />
        </Field>
      </div>
      <div className={styles.row}>
        <Button onClick={() => void save()} disabled={saveName.trim() === "" || errorCount > 0}>
          Save set
        </Button>
        <Button appearance="subtle" onClick={() => void removeSaved()} disabled={!savedMatch}>
          Delete saved set
        </Button>
      </div>
      <div className={styles.row}>
        <Button onClick={exportJson} disabled={errorCount > 0}>
          Export JSON
        </Button>
        <Button onClick={() => fileInput.current?.click()}>Import JSON</Button>
        <Button appearance="subtle" onClick={() => onBaseChange({})} disabled={changed === 0}>
          Reset all
        </Button>
        <input
          ref={fileInput}
          className={styles.fileInput}
          type="file"
          accept=".json,application/json"
          aria-label="Assumptions JSON file"
          onChange={(event) => {
            const file = event.target.files?.[0];
            event.target.value = "";
            if (file) void importJson(file);
          }}
        />
      </div>
      <ScenarioSelect label="Show assumptions for" value={scenario} onChange={setScenario} extra={[{ value: "all" as const, label: "All scenarios" }]} />
      <Accordion multiple collapsible openItems={openGroups} onToggle={(_, data) => setOpenGroups(data.openItems as string[])}>
        {GROUP_ORDER.map((group) => {
          const defs = REGISTRY.filter((def) => def.group === group && keyAffects(def, scenario));
          if (defs.length === 0) return null;
          const groupChanged = defs.filter((def) => base[def.key] !== undefined).length;
          const groupErrors = defs.filter((def) => errors[def.key] !== undefined).length;
          const scenarios = SCENARIOS.filter((name) => defs.some((def) => (def.scenarios as readonly string[]).includes(name)));
          return (
            <AccordionItem key={group} value={group}>
              <AccordionHeader>
                <span className={styles.row}>
                  {GROUP_LABELS[group]}
                  {groupChanged > 0 && (
                    <Badge appearance="tint" color="brand" size="small">
                      {groupChanged} set
                    </Badge>
                  )}
                  {groupErrors > 0 && (
                    <Badge appearance="filled" color="danger" size="small">
                      {groupErrors} invalid
                    </Badge>
                  )}
                </span>
              </AccordionHeader>
              <AccordionPanel>
                <div className={styles.section}>
                  <span className={styles.muted}>Used by: {scenarios.map((name) => SCENARIO_LABELS[name]).join(", ")}</span>
                  {defs.map((def) => (
                    <AssumptionField
                      key={def.key}
                      def={def}
                      value={base[def.key]}
                      inherited={formatInput(def, DEFAULTS[def.key])}
                      inheritedFrom="default"
                      onChange={setValue}
                      idPrefix="shared"
                    />
                  ))}
                </div>
              </AccordionPanel>
            </AccordionItem>
          );
        })}
      </Accordion>
    </div>
  );
}
