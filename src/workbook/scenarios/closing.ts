/**
 * Rows every base scenario shares: the tax, equity-flow, discounting and payback tail after
 * EBITDA, the headline results read off it, and IRR's starting guess.
 */
import { keysFor, type AssumptionKey, type BaseScenario } from "../../core/index.js";
import { input, line, konst, result, type Ctx, type RowSpec } from "../layout.js";

/** The inputs a scenario block links in: exactly the keys the registry tags with the scenario. */
export const inputsOf = (scenario: BaseScenario): RowSpec[] => keysFor(scenario).map(input);

/** Rows shared by every base scenario after EBITDA: tax with a loss pool, equity flow, discounting, payback. */
export function closingRows(rateKey: AssumptionKey, withDebt: boolean): RowSpec[] {
  const cfe = withDebt
    ? (x: Ctx) => `=${x.t("ebitda")}-${x.t("capex")}-${x.t("tax")}+${x.t("debt_draw")}-${x.t("interest")}-${x.t("principal")}`
    : (x: Ctx) => `=${x.t("ebitda")}-${x.t("capex")}-${x.t("tax")}`;
  return [
    line("taxable", "Taxable income", "USD", (x) => `=${x.t("ebitda")}-${x.t("depreciation")}${withDebt ? `-${x.t("interest")}` : ""}`, true),
    line("loss_open", "Tax loss pool, opening", "USD", (x) => `=${x.p("loss_close")}`),
    line("tax_base", "Taxable after losses", "USD", (x) => `=MAX(0,${x.t("taxable")}-${x.t("loss_open")})`, true),
    line("loss_close", "Tax loss pool, closing", "USD", (x) => `=${x.c("tax_loss_carryforward")}*MAX(0,${x.t("loss_open")}-${x.t("taxable")})`),
    line("tax", "Tax", "USD", (x) => `=${x.t("tax_base")}*${x.c("tax_rate")}`, true),
    line("cfe", "Cash flow to equity", "USD", cfe, true),
    line("tv", "Terminal value", "USD", (x) => `=(${x.m}=${x.c("horizon")})*${x.c("tv_const")}`, true),
    line("flow", "Equity flow incl. terminal value", "USD", (x) => `=${x.t("cfe")}+${x.t("tv")}`, true),
    line("df", "Discount factor", "factor", (x) => `=(1+${x.c(rateKey)})^(-${x.m}/12)`, false, "calc_ratio"),
    line("pv", "Present value", "USD", (x) => `=${x.t("flow")}*${x.t("df")}`, true),
    line("sign", "Sign of the equity flow", "sign", (x) => `=SIGN(${x.t("flow")})`, false, "calc_flag"),
    line("last_sign", "Sign of the latest non-zero flow", "sign", (x) => `=IF(${x.t("sign")}=0,${x.p("last_sign")},${x.t("sign")})`, false, "calc_flag"),
    line("first_sign", "Sign of the first non-zero flow", "sign", (x) => `=IF(${x.p("first_sign")}=0,${x.t("sign")},${x.p("first_sign")})`, false, "calc_flag"),
    line(
      "sign_change",
      "Sign change flag",
      "flag",
      (x) => `=(${x.t("sign")}<>0)*(${x.p("last_sign")}<>0)*(${x.t("sign")}<>${x.p("last_sign")})`,
      false,
      "calc_flag",
    ),
    line("cum", "Cumulative equity flow", "USD", (x) => `=${x.p("cum")}+${x.t("flow")}`),
    line("cross", "Turns non-negative flag", "flag", (x) => `=(${x.t("cum")}>=0)*(${x.p("cum")}<0)`, false, "calc_flag"),
    line("cross_count", "Turns so far", "count", (x) => `=${x.p("cross_count")}+${x.t("cross")}`, false, "calc_flag"),
    line("first_cross", "First turn flag", "flag", (x) => `=${x.t("cross")}*(${x.t("cross_count")}=1)`, false, "calc_flag"),
    line(
      "payback_part",
      "Payback (in the first-turn month)",
      "years",
      (x) => `=IF(${x.t("first_cross")}=1,(${x.m}-1-${x.p("cum")}/${x.t("flow")})/12,0)`,
      true,
      "calc_ratio",
    ),
  ];
}

/** Results every base scenario shows, from its timeline rows. `start` is the first operating month - 1. */
export function headlineResults(start: (x: Ctx) => string): RowSpec[] {
  const firstYear = (x: Ctx, row: string) => `SUMPRODUCT((${x.m}>${start(x)})*(${x.m}<=${start(x)}+12)*${x.r(row)})`;
  return [
    result(
      "equity",
      "Equity value",
      "USD",
      (x) => `=SUM(${x.r("pv")})-${x.c("net_debt")}`,
      "npv_usd",
      "PV of cash flow to equity + PV of terminal value - net debt",
      "calc_usd",
    ),
    result(
      "equity_per_watt",
      "Equity value per watt",
      "USD/W",
      (x) => `=${x.c("equity")}/(${x.c("site_mw")}*w_per_mw)`,
      "equity_per_watt",
      "Equity value / site watts",
    ),
    result(
      "rev_per_mw",
      "Revenue per MW-year",
      "USD/MW-yr",
      (x) => `=${firstYear(x, "revenue")}/${x.c("site_mw")}`,
      "rev_per_mw",
      "Revenue of the first 12 operating months / site MW",
      "calc_usd",
    ),
    result(
      "ebitda_per_mw",
      "EBITDA per MW-year",
      "USD/MW-yr",
      (x) => `=${firstYear(x, "ebitda")}/${x.c("site_mw")}`,
      "ebitda_per_mw",
      "EBITDA of the first 12 operating months / site MW",
      "calc_usd",
    ),
    result(
      "irr",
      "Equity IRR",
      "/yr",
      (x) => `=IF((${x.last("first_sign")}=-1)*(SUM(${x.r("sign_change")})=1)=1,IFERROR((1+IRR(${x.r("flow")},${x.c("irr_guess")}))^12-1,"n/a"),"n/a")`,
      "irr",
      "Monthly IRR of the equity flows, annualised; n/a unless the flows are a conventional investment (outflows first, one change of sign)",
      "calc_pct",
    ),
    result(
      "payback",
      "Payback",
      "years",
      (x) => `=IF((MIN(${x.r("cum")})<0)*(SUM(${x.r("first_cross")})=0)=1,"n/a",SUM(${x.r("payback_part")}))`,
      "payback_years",
      "Years until cumulative equity flow first turns non-negative, interpolated in the month",
      "calc_ratio",
    ),
  ];
}

/** A starting guess for IRR from the flows themselves. */
export function firstFlow(): RowSpec[] {
  return [
    konst(
      "irr_guess",
      "IRR starting guess (monthly)",
      "/month",
      // (inflows / outflows)^(1 / half the flow months) - 1: near the root for sunk-cost and
      // investment flows alike, where a fixed guess leaves some engines' IRR unconverged.
      (x) => `=IFERROR((SUMIF(${x.r("flow")},">0")/-SUMIF(${x.r("flow")},"<0"))^(2/SUMPRODUCT((${x.r("flow")}<>0)*1))-1,irr_guess_monthly)`,
    ),
  ];
}
