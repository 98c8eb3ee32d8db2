/** Plain-text tables and number formats for the terminal. */
import { METRIC_DEFS, type Metrics } from "../core/value.js";

/** Formats a metric for people: USD in millions, rates as percentages, years to one decimal. */
export function formatMetric(key: keyof Metrics, value: number | null | undefined): string {
  if (value === null) return "n/a";
  if (value === undefined) return "";
  switch (key) {
    case "npv_usd":
    case "terminal_value_pv_usd":
    case "capex_usd":
    case "debt_usd":
      return `${(value / 1e6).toLocaleString("en-US", { maximumFractionDigits: 1, minimumFractionDigits: 1 })} M`;
    case "rev_per_mw":
    case "ebitda_per_mw":
      return `${(value / 1e6).toLocaleString("en-US", { maximumFractionDigits: 2, minimumFractionDigits: 2 })} M`;
    case "equity_per_watt":
      return value.toFixed(2);
    case "irr":
      return `${(value * 100).toFixed(1)} %`;
    case "payback_years":
    case "payback_with_exit_years":
      return value.toFixed(1);
    case "stop_month":
    case "shut_in_months":
      return value.toFixed(0);
    case "gpu_count":
      return Math.round(value).toLocaleString("en-US");
    default:
      return value.toLocaleString("en-US", { maximumFractionDigits: 2, minimumFractionDigits: 2 });
  }
}

/** Label with unit for a metric row. */
export function metricLabel(key: keyof Metrics): string {
  const def = METRIC_DEFS.find((entry) => entry.key === key);
  const units: Partial<Record<keyof Metrics, string>> = {
    npv_usd: "USD",
    rev_per_mw: "USD/MW-yr",
    ebitda_per_mw: "USD/MW-yr",
    terminal_value_pv_usd: "USD",
    capex_usd: "USD",
    debt_usd: "USD",
    payback_with_exit_years: "years",
    stop_month: "month",
    shut_in_months: "months",
    min_dscr: "x",
  };
  const labels: Partial<Record<keyof Metrics, string>> = {
    terminal_value_pv_usd: "PV of the exit",
    payback_with_exit_years: "Payback with the exit",
    stop_month: "Mine sold after month",
    shut_in_months: "Months shut in",
    debt_usd: "Project debt",
    min_dscr: "Lowest debt service cover",
    critical_it_mw: "Critical IT",
    capex_usd: "Capex",
    gpu_count: "GPUs",
    hashprice: "Hashprice",
  };
  const unit = units[key] ?? def?.unit ?? (key === "critical_it_mw" ? "MW" : key === "hashprice" ? "USD/PH/day" : "");
  return `${labels[key] ?? def?.label ?? key}${unit ? ` (${unit})` : ""}`;
}

/** A left-aligned first column and right-aligned others, separated by two spaces. */
export function renderTable(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows
    .map((row, r) => {
      const line = row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join("  ");
      return r === 0 ? `${line}\n${widths.map((w) => "-".repeat(w)).join("  ")}` : line;
    })
    .join("\n");
}

/** A number as people write it, never in exponent form: grouped thousands, about four significant figures below 1,000. */
export function formatPlain(value: number | string | null | undefined): string {
  if (value === null || value === undefined) return "n/a";
  if (typeof value === "string") return value;
  if (!Number.isFinite(value)) return "n/a";
  const abs = Math.abs(value);
  if (abs >= 1000 || Number.isInteger(value)) return value.toLocaleString("en-US", { maximumFractionDigits: 0 });
  if (abs >= 1) return value.toLocaleString("en-US", { maximumFractionDigits: 2 });
  return value.toLocaleString("en-US", { maximumSignificantDigits: 4 });
}

/** Words wrapped to `width` columns; the first line starts with `firstIndent`, the others with `indent`. A word longer than a line stays whole. */
export function wrapText(text: string, width: number, indent: string, firstIndent = ""): string {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/).filter((w) => w !== "")) {
    const prefix = lines.length === 0 ? firstIndent : indent;
    if (line !== "" && prefix.length + line.length + 1 + word.length > width) {
      lines.push(prefix + line);
      line = word;
    } else line = line === "" ? word : `${line} ${word}`;
  }
  lines.push((lines.length === 0 ? firstIndent : indent) + line);
  return lines.join("\n");
}

/** Explain steps for a terminal of 100 columns: label, value and unit on one line, the formula wrapped under it. */
export function renderSteps(steps: ReadonlyArray<{ label: string; value: number | string; unit: string; formula: string }>): string {
  // A value in words ("no IRR: ...") is too long for the value column: it goes under the formula.
  const inColumn = (value: string) => value.length <= 24;
  const values = steps.map((s) => formatPlain(s.value));
  const labelWidth = Math.min(60, Math.max(...steps.map((s) => s.label.length)));
  const valueWidth = Math.max(0, ...values.filter(inColumn).map((v) => v.length));
  return steps
    .map((step, i) => {
      const value = values[i]!;
      const head = inColumn(value) ? `${step.label.padEnd(labelWidth)}  ${value.padStart(valueWidth)}  ${step.unit}` : step.label;
      const formula = wrapText(`= ${step.formula}`, 100, "    ", "  ");
      return [head.trimEnd(), formula, ...(inColumn(value) ? [] : [wrapText(value, 100, "    ", "  ")])].join("\n");
    })
    .join("\n");
}
