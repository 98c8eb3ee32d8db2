/** Sites: add, edit, remove; import from the selected Excel range or from pasted CSV. */
import { useState } from "react";
import { Button, Checkbox, Field, Input, MessageBar, MessageBarBody, Select, Textarea } from "@fluentui/react-components";
import { DEFAULTS, InputError, REGISTRY, getDef, parseNumberText, type AssumptionKey } from "../../core/index.js";
import {
  SITE_KEYS,
  baseValues,
  exampleSite,
  formatInput,
  formatNumber,
  newSiteId,
  siteProblem,
  sitesFromCsv,
  sitesFromTable,
  type Overrides,
  type PaneSite,
} from "../model.js";
import type { ExcelBridge, HostKind } from "../office.js";
import { useStyles } from "../styles.js";
import { AssumptionField } from "./AssumptionField.js";

export interface SitesPanelProps {
  readonly sites: readonly PaneSite[];
  readonly base: Overrides;
  readonly onSitesChange: (sites: PaneSite[]) => void;
  readonly host: HostKind;
  readonly excel?: ExcelBridge;
}

type Notice = { intent: "success" | "error"; text: string } | undefined;

function inheritedValues(base: Overrides) {
  try {
    return baseValues(base);
  } catch {
    return DEFAULTS;
  }
}

function summary(site: PaneSite, base: Overrides): string {
  const values = inheritedValues(base);
  const text = (key: AssumptionKey) => site.overrides[key] ?? formatInput(getDef(key), values[key]);
  const count = Object.keys(site.overrides).length;
  // The core's parser, so "45,5" reads as 45.5 here exactly as it does when valued.
  const mw = parseNumberText(text("site_mw"));
  const price = parseNumberText(text("power_price"));
  const parts = [
    mw !== undefined ? `${formatNumber(mw)} MW` : text("site_mw"),
    price !== undefined ? `${formatNumber(price)} USD/MWh` : text("power_price"),
    count === 0 ? "shared set" : `${count} own value${count === 1 ? "" : "s"}`,
  ];
  return parts.join(" · ");
}

function SiteEditor({ site, base, onChange, onDone }: { site: PaneSite; base: Overrides; onChange: (site: PaneSite) => void; onDone: () => void }) {
  const styles = useStyles();
  const values = inheritedValues(base);
  const extraKeys = (Object.keys(site.overrides) as AssumptionKey[]).filter((key) => !SITE_KEYS.includes(key));
  const shown = [...SITE_KEYS, ...extraKeys];
  const addable = REGISTRY.filter((def) => !shown.includes(def.key));
  const setValue = (key: AssumptionKey, value: string | undefined) => {
    const overrides = { ...site.overrides };
    if (value === undefined) delete overrides[key];
    else overrides[key] = value;
    onChange({ ...site, overrides });
  };
  const nameError = site.name.trim() === "" ? "Give the site a name." : undefined;
  return (
    <div className={styles.section}>
      <Field label="Site name" required validationState={nameError ? "error" : "none"} validationMessage={nameError}>
        <Input value={site.name} onChange={(_, data) => onChange({ ...site, name: data.value })} />
      </Field>
      {shown.map((key) => {
        const def = getDef(key);
        return (
          <AssumptionField
            key={key}
            def={def}
            value={site.overrides[key]}
            inherited={base[key] ?? formatInput(def, values[key])}
            inheritedFrom={base[key] !== undefined ? "shared set" : "default"}
            onChange={setValue}
            idPrefix={site.id}
          />
        );
      })}
      {addable.length > 0 && (
        <Field label="Set another assumption for this site">
          <Select
            value=""
            onChange={(_, data) => {
              if (data.value)
                setValue(
                  data.value as AssumptionKey,
                  base[data.value as AssumptionKey] ?? formatInput(getDef(data.value as AssumptionKey), values[data.value as AssumptionKey]),
                );
            }}
          >
            <option value="">Choose an assumption…</option>
            {addable.map((def) => (
              <option key={def.key} value={def.key}>
                {def.label}
              </option>
            ))}
          </Select>
        </Field>
      )}
      <div className={styles.row}>
        <Button appearance="primary" onClick={onDone}>
          Done
        </Button>
      </div>
    </div>
  );
}

export function SitesPanel({ sites, base, onSitesChange, host, excel }: SitesPanelProps) {
  const styles = useStyles();
  const [editing, setEditing] = useState<string | undefined>(undefined);
  const [csv, setCsv] = useState("");
  const [replace, setReplace] = useState(true);
  const [notice, setNotice] = useState<Notice>(undefined);
  const [reading, setReading] = useState(false);

  const update = (site: PaneSite) => onSitesChange(sites.map((other) => (other.id === site.id ? site : other)));
  const remove = (site: PaneSite) => {
    onSitesChange(sites.filter((other) => other.id !== site.id));
    if (editing === site.id) setEditing(undefined);
    setNotice({ intent: "success", text: `Removed ${site.name || "the site"}.` });
  };
  const add = () => {
    const names = new Set(sites.map((site) => site.name.toLowerCase()));
    let n = sites.length + 1;
    while (names.has(`site ${n}`)) n++;
    const site: PaneSite = { id: newSiteId(), name: `Site ${n}`, overrides: {} };
    onSitesChange([...sites, site]);
    setEditing(site.id);
    setNotice(undefined);
  };
  const imported = (found: PaneSite[], from: string) => {
    onSitesChange(replace ? found : [...sites, ...found]);
    setEditing(undefined);
    setNotice({ intent: "success", text: `Imported ${found.length} site${found.length === 1 ? "" : "s"} from ${from}.` });
  };
  const failed = (error: unknown) => setNotice({ intent: "error", text: error instanceof Error ? error.message : String(error) });

  const importCsv = () => {
    try {
      imported(sitesFromCsv(csv), "the CSV");
      setCsv("");
    } catch (error) {
      failed(error);
    }
  };
  const importRange = async () => {
    if (!excel) return;
    setReading(true);
    try {
      const selection = await excel.readSelection();
      imported(sitesFromTable(selection.values, selection.address), selection.address);
    } catch (error) {
      failed(error instanceof InputError ? error : new Error(`The selected range could not be read: ${(error as Error).message}`));
    } finally {
      setReading(false);
    }
  };

  return (
    <div className={styles.panel}>
      <h2 className={styles.heading} id="sites-heading">
        Sites ({sites.length})
      </h2>
      {notice && (
        <MessageBar intent={notice.intent} aria-live="polite">
          <MessageBarBody className={styles.wrap}>{notice.text}</MessageBarBody>
        </MessageBar>
      )}
      {sites.length === 0 ? (
        <div className={styles.card}>
          <span>No sites yet. Add one, import a table, or start again from the example site.</span>
          <div className={styles.row}>
            <Button onClick={() => onSitesChange([exampleSite()])}>Restore the example site</Button>
          </div>
        </div>
      ) : (
        <ul className={styles.list} aria-labelledby="sites-heading">
          {sites.map((site) => {
            const problem = siteProblem(site, base, sites);
            return (
              <li key={site.id} className={styles.card}>
                {editing === site.id ? (
                  <SiteEditor site={site} base={base} onChange={update} onDone={() => setEditing(undefined)} />
                ) : (
                  <>
                    <h3 className={styles.subheading}>{site.name || "(no name)"}</h3>
                    <span className={styles.muted}>{summary(site, base)}</span>
                    {problem && (
                      <MessageBar intent="error">
                        <MessageBarBody className={styles.wrap}>{problem}</MessageBarBody>
                      </MessageBar>
                    )}
                    <div className={styles.row}>
                      <Button size="small" onClick={() => setEditing(site.id)} aria-label={`Edit ${site.name}`}>
                        Edit
                      </Button>
                      <Button size="small" appearance="subtle" onClick={() => remove(site)} aria-label={`Remove ${site.name}`}>
                        Remove
                      </Button>
                    </div>
                  </>
                )}
              </li>
            );
          })}
        </ul>
      )}
      <div className={styles.row}>
        <Button onClick={add}>Add site</Button>
      </div>

      <h2 className={styles.heading}>Import sites</h2>
      <span className={styles.muted}>
        A table with a header row: <code>name</code> and assumption keys (<code>site_mw</code>, <code>power_price</code>…), one site per row. Empty cells take
        the shared set&apos;s value.
      </span>
      <Checkbox checked={replace} onChange={(_, data) => setReplace(!!data.checked)} label="Replace the current sites" />
      <div className={styles.row}>
        <Button onClick={() => void importRange()} disabled={host !== "excel" || reading}>
          {reading ? "Reading the selection…" : "Import the selected range"}
        </Button>
      </div>
      {host !== "excel" && <span className={styles.muted}>Importing a range works inside Excel; here, paste CSV.</span>}
      <Field label="Or paste CSV">
        <Textarea
          value={csv}
          onChange={(_, data) => setCsv(data.value)}
          placeholder={"name,site_mw,power_price\nTexas A,150,38\nQuebec,80,30"}
          resize="vertical"
          rows={4}
        />
      </Field>
      <div className={styles.row}>
        <Button onClick={importCsv} disabled={csv.trim() === ""}>
          Import CSV
        </Button>
      </div>
    </div>
  );
}
