/**
 * The hybrid scenario's block: the site split between the three uses, run as one company.
 * Each line is the share-weighted sum of the same line in the base blocks; tax is then
 * recomputed on the summed taxable income with one loss pool, and the tax so saved is added
 * to the flows and discounted at the debt rate (engine: valueHybrid in core/value.ts).
 */
import { HYBRID_SHARE_KEYS, type BaseScenario } from "../../core/index.js";
import { COL_CONST, input, konst, line, result, type BlockLayout, type Ctx, type RowSpec } from "../layout.js";
import { absRef } from "../refs.js";
import { equityFlowRows, firstFlow, headlineResults, horizonConstant, returnResults } from "./closing.js";

export interface HybridPart {
  readonly scenario: BaseScenario;
  readonly layout: BlockLayout;
}

export function hybridSpec(parts: readonly HybridPart[]): RowSpec[] {
  const weighted = (x: Ctx, key: string) =>
    parts.map((p) => `${x.c(HYBRID_SHARE_KEYS[p.scenario])}*${x.x(p.layout.sheet, p.layout.lines.get(key)!)}`).join("+");
  const weightedResult = (x: Ctx, key: string) =>
    parts.map((p) => `${x.c(HYBRID_SHARE_KEYS[p.scenario])}*${absRef(p.layout.consts.get(key)!, COL_CONST, p.layout.sheet)}`).join("+");
  return [
    ...(
      [
        "site_mw",
        "share_mining",
        "share_shell",
        "share_gpu",
        "net_debt",
        "tax_rate",
        "tax_loss_carryforward",
        "debt_rate",
        "horizon_years",
        "construction_months",
        "lease_term_years",
      ] as const
    ).map(input),
    horizonConstant(),
    ...firstFlow(),
    ...headlineResults(() => "0").filter((r) => r.key === "equity" || r.key === "equity_per_watt"),
    result(
      "rev_per_mw",
      "Revenue per MW-year",
      "USD/MW-yr",
      (x) => `=${weightedResult(x, "rev_per_mw")}`,
      "rev_per_mw",
      "Σ share × each part's revenue per MW",
      "calc_usd",
    ),
    result(
      "ebitda_per_mw",
      "EBITDA per MW-year",
      "USD/MW-yr",
      (x) => `=${weightedResult(x, "ebitda_per_mw")}`,
      "ebitda_per_mw",
      "Σ share × each part's EBITDA per MW",
      "calc_usd",
    ),
    ...returnResults(),
    konst("tax_saved_pv", "Tax saved by running the parts as one company (PV)", "USD", (x) => `=SUMPRODUCT(${x.r("saving")},${x.r("df_debt")})`),
    line("revenue", "Revenue", "USD", (x) => `=${weighted(x, "revenue")}`, true, "calc_usd"),
    line("ebitda", "EBITDA", "USD", (x) => `=${weighted(x, "ebitda")}`, true, "calc_usd"),
    line("taxable", "Taxable income of the company", "USD", (x) => `=${weighted(x, "taxable")}`, true, "calc_usd"),
    line("parts_tax", "Tax the parts pay on their own", "USD", (x) => `=${weighted(x, "tax")}`, true, "calc_usd"),
    line("loss_open", "Tax loss pool, opening", "USD", (x) => `=${x.p("loss_close")}`),
    line("tax_base", "Taxable after losses", "USD", (x) => `=MAX(0,${x.t("taxable")}-${x.t("loss_open")})`, true),
    line("loss_close", "Tax loss pool, closing", "USD", (x) => `=${x.c("tax_loss_carryforward")}*MAX(0,${x.t("loss_open")}-${x.t("taxable")})`),
    line("tax", "Tax of the company", "USD", (x) => `=${x.t("tax_base")}*${x.c("tax_rate")}`, true, "calc_usd"),
    line("saving", "Tax saved by consolidation", "USD", (x) => `=${x.t("parts_tax")}-${x.t("tax")}`, true, "calc_usd"),
    line("cfe", "Operating cash flow to equity", "USD", (x) => `=${weighted(x, "cfe")}+${x.t("saving")}`, true, "calc_usd"),
    line("tv", "Exit to equity", "USD", (x) => `=${weighted(x, "tv")}`, true, "calc_usd"),
    line("df_debt", "Discount factor at the debt rate", "factor", (x) => `=(1+${x.c("debt_rate")})^(-${x.m}/12)`, false, "calc_ratio"),
    line(
      "pv",
      "Present value (each part at its own rates + tax saved)",
      "USD",
      (x) => `=${weighted(x, "pv")}+${x.t("saving")}*${x.t("df_debt")}`,
      true,
      "calc_usd",
    ),
    ...equityFlowRows(),
  ];
}
