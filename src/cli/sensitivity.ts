/** `minepivot sensitivity`: a tornado of one metric, as text bars or JSON. */
import {
  InputError,
  SCENARIO_LABELS,
  metricDef,
  normalizeName,
  parseKey,
  parseMetric,
  parseNumberText,
  type AssumptionKey,
  type ScenarioName,
  type Tornado,
  type TornadoMetric,
} from "../core/index.js";
import { formatPlain, renderTable, wrapText } from "./format.js";

const UPLIFT_NAMES = new Set(["uplift", "uplift_per_watt", "uplift_over_mining"]);

/** A metric of `solve` or `uplift_per_watt` (the scenario's equity per watt minus mining's). */
export function parseTornadoMetric(text: string | undefined): TornadoMetric {
  if (text !== undefined && UPLIFT_NAMES.has(normalizeName(text))) return "uplift_per_watt";
  try {
    return parseMetric(text);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    throw new InputError("metric", text, `${error.allowed} or uplift_per_watt`);
  }
}

export function parseKeyList(text: string | undefined): AssumptionKey[] | undefined {
  if (text === undefined) return undefined;
  const keys = text
    .split(",")
    .filter((part) => part.trim() !== "")
    .map((part) => parseKey(part, "--keys"));
  if (keys.length === 0) throw new InputError("--keys", text, "a comma-separated list of assumption keys, such as lease_rate,exit_cap_rate");
  return [...new Set(keys)];
}

/** "0.2", "20%" or "20 %": a share more than 0 and less than 1. */
export function parseRange(text: string | undefined): number {
  if (text === undefined) return 0.2;
  const value = parseNumberText(text);
  if (value === undefined || !(value > 0 && value < 1)) throw new InputError("--range", text, "a share more than 0 and less than 1, such as 0.2 or 20%");
  return value;
}

function metricText(metric: TornadoMetric): { label: string; unit: string } {
  return metric === "uplift_per_watt" ? { label: "Uplift over mining", unit: "USD/W" } : metricDef(metric);
}

const BAR_HALF_WIDTH = 12;

/** Text bars around the base value: left of the axis the side below it, right the side above. */
function bar(result: Tornado, low: number | null, high: number | null, scale: number): string {
  if (result.base === null || low === null || high === null || scale === 0) return "".padEnd(2 * BAR_HALF_WIDTH + 1);
  const below = Math.max(0, result.base - Math.min(low, high));
  const above = Math.max(0, Math.max(low, high) - result.base);
  const cells = (amount: number) => Math.round((amount / scale) * BAR_HALF_WIDTH);
  // Fixed width, so the axis lines up down the column.
  return `${" ".repeat(BAR_HALF_WIDTH - cells(below))}${"#".repeat(cells(below))}|${"#".repeat(cells(above))}`.padEnd(2 * BAR_HALF_WIDTH + 1);
}

export function tornadoJson(result: Tornado): Record<string, unknown> {
  return {
    scenario: result.scenario,
    metric: result.metric,
    unit: metricText(result.metric).unit,
    range: result.range,
    base: result.base,
    bars: result.bars.map((b) => ({
      key: b.key,
      unit: b.unit,
      base_input: b.baseInput,
      low_input: b.lowInput,
      high_input: b.highInput,
      low: b.low,
      high: b.high,
      swing: b.swing,
    })),
  };
}

export function renderTornado(result: Tornado): string {
  const { label, unit } = metricText(result.metric);
  const moving = result.bars.filter((b) => b.swing > 0 || b.low === null || b.high === null);
  const still = result.bars.filter((b) => !moving.includes(b));
  const scale = Math.max(
    0,
    ...moving.map((b) => Math.max(Math.abs((b.low ?? result.base ?? 0) - (result.base ?? 0)), Math.abs((b.high ?? result.base ?? 0) - (result.base ?? 0)))),
  );
  const rows = [
    ["Key", "Low input", "High input", `At low`, `At high`, "Below | above base"],
    ...moving.map((b) => [
      b.key,
      formatPlain(b.lowInput),
      formatPlain(b.highInput),
      formatPlain(b.low),
      formatPlain(b.high),
      bar(result, b.low, b.high, scale),
    ]),
  ];
  const percent = `${(result.range * 100).toLocaleString("en-US", { maximumFractionDigits: 2 })} %`;
  const lines = [
    `${SCENARIO_LABELS[result.scenario as ScenarioName]}: ${label} (${unit}), each key moved ±${percent} alone`,
    `Base: ${formatPlain(result.base)} ${unit}`,
    "",
    renderTable(rows).replace(/ +$/gm, ""),
  ];
  if (still.length > 0) lines.push("", wrapText(`No effect at ±${percent}: ${still.map((b) => b.key).join(", ")}`, 100, ""));
  return lines.join("\n");
}
