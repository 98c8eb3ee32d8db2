/** The hybrid scenario's block: each line the share-weighted sum of the same line in the three base blocks. */
import { HYBRID_SHARE_KEYS, type BaseScenario } from "../../core/index.js";
import { COL_CONST, input, line, result, type BlockLayout, type Ctx, type RowSpec } from "../layout.js";
import { absRef } from "../refs.js";
import { closingRows, firstFlow, headlineResults } from "./closing.js";

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
    ...(["site_mw", "share_mining", "share_shell", "share_gpu", "net_debt"] as const).map(input),
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
    ...headlineResults(() => "0").filter((r) => r.key === "irr" || r.key === "payback"),
    line("revenue", "Revenue", "USD", (x) => `=${weighted(x, "revenue")}`, true, "calc_usd"),
    line("ebitda", "EBITDA", "USD", (x) => `=${weighted(x, "ebitda")}`, true, "calc_usd"),
    line("cfe", "Cash flow to equity", "USD", (x) => `=${weighted(x, "cfe")}`, true, "calc_usd"),
    line("tv", "Terminal value", "USD", (x) => `=${weighted(x, "tv")}`, true, "calc_usd"),
    line("flow", "Equity flow incl. terminal value", "USD", (x) => `=${x.t("cfe")}+${x.t("tv")}`, true, "calc_usd"),
    line("pv", "Present value (each part at its own rate)", "USD", (x) => `=${weighted(x, "pv")}`, true, "calc_usd"),
    ...closingRows("discount_rate_mining", false).filter((r) =>
      ["sign", "last_sign", "first_sign", "sign_change", "cum", "cross", "cross_count", "first_cross", "payback_part"].includes(r.key),
    ),
  ];
}
