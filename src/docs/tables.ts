/**
 * Markdown tables generated from the registry and the core, pasted into the docs between
 * `<!-- generated:NAME -->` markers by `npm run docs`. A test regenerates them and fails when
 * a doc is out of step, so the docs cannot drift from the code.
 */
import { describeAllowed, DEFAULTS, REGISTRY, SCENARIO_LABELS, compare, onBasis, serialToIso, solve, type ScenarioName } from "../core/index.js";
import { dealLibraryTable, marketsTable, reconciliationTable } from "./deals-tables.js";
import { functionsReference } from "./functions-reference.js";
import { riskAnswersTable } from "./risk-tables.js";

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

/**
 * Headline metrics of the example site on the defaults, beside the public figures they should
 * meet, each public figure compared on the basis it is quoted on (per site MW or per IT MW).
 */
export function defaultsTable(): string {
  const { valuations, upliftPerWatt } = compare(DEFAULTS, SCENARIOS);
  const v = (s: ScenarioName) => valuations[s]!;
  const m = (s: ScenarioName) => v(s).metrics;
  const money = (value: number) => `${(value / 1e6).toFixed(2)} M`;
  const pct = (value: number | null) => (value === null ? "n/a" : `${(value * 100).toFixed(1)} %`);
  const years = (value: number | null | undefined) => (value === null || value === undefined ? "n/a" : value.toFixed(1));
  const row = (label: string, cell: (s: ScenarioName) => string) => `| ${label} | ${SCENARIOS.map(cell).join(" | ")} |`;
  const lines = [
    `| metric (100 MW example site, defaults) | ${SCENARIOS.map((s) => SCENARIO_LABELS[s]).join(" | ")} |`,
    `|---|${SCENARIOS.map(() => "---:").join("|")}|`,
    row("Revenue per site MW-year (USD)", (s) => money(m(s).rev_per_mw)),
    row("Revenue per IT MW-year (USD)", (s) => money(onBasis(v(s), "rev_per_mw", "it"))),
    row("EBITDA per site MW-year (USD)", (s) => money(m(s).ebitda_per_mw)),
    row("Equity value per site watt (USD/W)", (s) => m(s).equity_per_watt.toFixed(2)),
    row("Equity value per IT watt (USD/W)", (s) => onBasis(v(s), "equity_per_watt", "it").toFixed(2)),
    row("Uplift over mining (USD per site W)", (s) => (s === "mining" ? "" : upliftPerWatt[s]!.toFixed(2))),
    row("Equity IRR (exit included)", (s) => pct(m(s).irr)),
    row("Payback, operating cash flow (years)", (s) => years(m(s).payback_years)),
    row("Payback with the exit (years)", (s) => years(m(s).payback_with_exit_years)),
    row("PV of the exit after cost and tax (USD)", (s) => money(m(s).terminal_value_pv_usd)),
  ];
  const mining = m("mining");
  const shell = v("powered_shell");
  lines.push(
    "",
    `Horizon: ${v("powered_shell").schedule.months} months for every scenario. The mine stops after month ${mining.stop_month} and is sold as powered land with its used fleet.`,
    "",
    "| check | basis | MinePivot default | public figure |",
    "|---|---|---:|---|",
    `| Mining revenue per MW-year | site | ${money(mining.rev_per_mw)} | 0.45-0.85 M USD: 51-97 USD per MWh consumed (Hashrate Index revenue per MWh by fleet, Jan 2026) x 8,766 h |`,
    `| Powered-shell rent per IT MW-year | IT | ${money(onBasis(shell, "rev_per_mw", "it"))} | 1.22-1.91 M USD: 102-159 USD/kW-month implied by 2024-25 miner leases |`,
    `| Colocated-GPU revenue per IT MW-year | IT | ${money(onBasis(v("colocated_gpu"), "rev_per_mw", "it"))} | ~9.7 M USD (IREN-Microsoft, 9.7 B USD over 5 years on ~200 MW IT) |`,
    `| Powered-shell equity value per IT MW | IT | ${onBasis(shell, "equity_per_watt", "it").toFixed(2)} M USD | 8-17 M USD per critical IT MW (JPMorgan, Nov 2025) |`,
    `| Powered-shell equity per watt | site | ${shell.metrics.equity_per_watt.toFixed(2)} USD/W | 5-8 USD/W, quoted per watt of a miner's site (Morgan Stanley, Sep 2025) |`,
    `| Mining cash cost per BTC | | ${Math.round(mining.cost_to_mine_cash!).toLocaleString("en-US")} USD | ~74,600 (Q2 2025) to ~80,000 (Q4 2025) USD (CoinShares) |`,
    `| Mining all-in cost per BTC | | ${Math.round(mining.cost_to_mine_all_in!).toLocaleString("en-US")} USD | ~137,800 USD incl. SG&A and all depreciation (CoinShares, Q2 2025) |`,
    `| Hashprice at the valuation date | | ${mining.hashprice!.toFixed(2)} USD/PH/day | 35-43 USD/PH/day, Nov 2025 average 39.82 (Hashrate Index) |`,
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
  "risk-answers": riskAnswersTable,
};

/** Replaces each `<!-- generated:NAME -->...<!-- /generated:NAME -->` block with fresh output. */
export function fillGenerated(markdown: string): string {
  return markdown.replace(/(<!-- generated:([\w-]+) -->)[\s\S]*?(<!-- \/generated:\2 -->)/g, (_match, open: string, name: string, close: string) => {
    const make = GENERATED[name];
    if (!make) throw new Error(`unknown generated block "${name}"`);
    return `${open}\n${make()}\n${close}`;
  });
}
