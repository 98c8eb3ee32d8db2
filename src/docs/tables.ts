/**
 * Markdown tables generated from the registry and the core, pasted into the docs between
 * `<!-- generated:NAME -->` markers by `npm run docs`. A test regenerates them and fails when
 * a doc is out of step, so the docs cannot drift from the code.
 */
import { describeAllowed, DEFAULTS, REGISTRY, SCENARIO_LABELS, compare, serialToIso, solve, type ScenarioName } from "../core/index.js";
import { dealLibraryTable, marketsTable, reconciliationTable } from "./deals-tables.js";
import { functionsReference } from "./functions-reference.js";

function cell(text: string): string {
  return text.replace(/\|/g, "\\|");
}

function shownDefault(def: (typeof REGISTRY)[number]): string {
  if (def.kind === "date") return serialToIso(def.default);
  if (def.kind === "boolean") return def.default ? "TRUE" : "FALSE";
  return def.default.toLocaleString("en-US", { maximumFractionDigits: 6 });
}

/** Every assumption key with unit, default, allowed range, meaning, source and as-of date. */
export function assumptionsTable(): string {
  const lines = ["| key | unit | default | allowed | meaning | source | as of |", "|---|---|---|---|---|---|---|"];
  for (const def of REGISTRY) {
    lines.push(
      `| \`${def.key}\` | ${cell(def.unit)} | ${shownDefault(def)} | ${cell(describeAllowed(def))} | ${cell(def.meaning)} | ${cell(def.source)} | ${def.asOf} |`,
    );
  }
  return lines.join("\n");
}

const SCENARIOS: readonly ScenarioName[] = ["mining", "powered_shell", "colocated_gpu", "hybrid"];

/** Headline metrics of the example site on the defaults, beside the public ranges they should meet. */
export function defaultsTable(): string {
  const { valuations, upliftPerWatt } = compare(DEFAULTS, SCENARIOS);
  const m = (s: ScenarioName) => valuations[s]!.metrics;
  const money = (value: number) => `${(value / 1e6).toFixed(2)} M`;
  const pct = (value: number | null) => (value === null ? "n/a" : `${(value * 100).toFixed(1)} %`);
  const years = (value: number | null) => (value === null ? "n/a" : value.toFixed(1));
  const lines = [
    `| metric (100 MW example site, defaults) | ${SCENARIOS.map((s) => SCENARIO_LABELS[s]).join(" | ")} |`,
    `|---|${SCENARIOS.map(() => "---:").join("|")}|`,
    `| Revenue per site MW-year (USD) | ${SCENARIOS.map((s) => money(m(s).rev_per_mw)).join(" | ")} |`,
    `| EBITDA per site MW-year (USD) | ${SCENARIOS.map((s) => money(m(s).ebitda_per_mw)).join(" | ")} |`,
    `| Equity value per watt (USD/W) | ${SCENARIOS.map((s) => m(s).equity_per_watt.toFixed(2)).join(" | ")} |`,
    `| Uplift over mining (USD/W) | ${SCENARIOS.map((s) => (s === "mining" ? "" : upliftPerWatt[s]!.toFixed(2))).join(" | ")} |`,
    `| Equity IRR | ${SCENARIOS.map((s) => pct(m(s).irr)).join(" | ")} |`,
    `| Payback (years) | ${SCENARIOS.map((s) => years(m(s).payback_years)).join(" | ")} |`,
  ];
  const mining = m("mining");
  lines.push(
    "",
    "| check | MinePivot default | public range |",
    "|---|---:|---|",
    `| Mining revenue per site MW-year | ${money(mining.rev_per_mw)} | 0.5-1.0 M USD (Hashrate Index revenue per MWh by fleet, Jan 2026) |`,
    `| Powered-shell revenue per site MW-year | ${money(m("powered_shell").rev_per_mw)} | 1.0-2.0 M USD (2024-25 miner leases) |`,
    `| Colocated-GPU revenue per site MW-year | ${money(m("colocated_gpu").rev_per_mw)} | 5-15 M USD (IREN-Microsoft ~9.7 M per IT MW-year) |`,
    `| Powered-shell equity per watt | ${m("powered_shell").equity_per_watt.toFixed(2)} USD/W | 5-8 USD/W (Morgan Stanley, Sep 2025) |`,
    `| Mining cash cost per BTC | ${Math.round(mining.cost_to_mine_cash!).toLocaleString("en-US")} USD | ~74,600 (Q2 2025) to ~80,000 (Q4 2025) USD (CoinShares) |`,
    `| Mining all-in cost per BTC | ${Math.round(mining.cost_to_mine_all_in!).toLocaleString("en-US")} USD | ~137,800 USD incl. SG&A and all depreciation (CoinShares, Q2 2025) |`,
    `| Hashprice at the valuation date | ${mining.hashprice!.toFixed(2)} USD/PH/day | 35-43 USD/PH/day, Nov 2025 average 39.82 (Hashrate Index) |`,
  );
  return lines.join("\n");
}

/** The press claim "up to 25 M USD per MW-year from AI" solved for the GPU rate it needs. */
export function pressClaimTable(): string {
  const rate = solve("colocated_gpu", "rev_per_mw", 25_000_000, "gpu_rate", DEFAULTS);
  const ratio = rate / DEFAULTS.gpu_rate;
  return [
    "| question | answer |",
    "|---|---:|",
    `| GPU rate that makes colocated-GPU revenue 25 M USD per site MW-year | ${rate.toFixed(2)} USD per GPU-hour |`,
    `| ... as a multiple of the default rate (${DEFAULTS.gpu_rate.toFixed(2)} USD per GPU-hour) | ${ratio.toFixed(2)} x |`,
  ].join("\n");
}

export const GENERATED: Readonly<Record<string, () => string>> = {
  assumptions: assumptionsTable,
  defaults: defaultsTable,
  "press-claim": pressClaimTable,
  functions: () => functionsReference(),
  "deal-reconciliation": reconciliationTable,
  "deal-library": dealLibraryTable,
  markets: marketsTable,
};

/** Replaces each `<!-- generated:NAME -->...<!-- /generated:NAME -->` block with fresh output. */
export function fillGenerated(markdown: string): string {
  return markdown.replace(/(<!-- generated:([\w-]+) -->)[\s\S]*?(<!-- \/generated:\2 -->)/g, (_match, open: string, name: string, close: string) => {
    const make = GENERATED[name];
    if (!make) throw new Error(`unknown generated block "${name}"`);
    return `${open}\n${make()}\n${close}`;
  });
}
