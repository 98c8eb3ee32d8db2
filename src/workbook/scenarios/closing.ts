/**
 * Rows every base scenario shares: the tax, flows-to-equity, discounting and payback tail after
 * EBITDA, the headline results read off it, and IRR's starting guess. The engine's
 * `closeSchedule` is the reference: tax with a loss pool (exit gain taxed with its month), the
 * exit's share of that tax, and adjusted present value (unlevered flows at the scenario's rate
 * plus the tax saved by interest at the debt rate).
 */
import { keysFor, type AssumptionKey, type BaseScenario } from "../../core/index.js";
import { input, line, konst, result, type Ctx, type RowSpec } from "../layout.js";

/** The inputs a scenario block links in: exactly the keys the registry tags with the scenario. */
export const inputsOf = (scenario: BaseScenario): RowSpec[] => keysFor(scenario).map(input);

/** A tax loss pool: taxable → base after losses, pool carried forward (when the input allows). */
function taxRows(prefix: string, label: string, taxable: (x: Ctx) => string): RowSpec[] {
  const k = (key: string) => `${prefix}${key}`;
  return [
    line(k("taxable"), `Taxable income${label}`, "USD", taxable, true),
    line(k("loss_open"), `Tax loss pool, opening${label}`, "USD", (x) => `=${x.p(k("loss_close"))}`),
    line(k("tax_base"), `Taxable after losses${label}`, "USD", (x) => `=MAX(0,${x.t(k("taxable"))}-${x.t(k("loss_open"))})`, true),
    line(
      k("loss_close"),
      `Tax loss pool, closing${label}`,
      "USD",
      (x) => `=${x.c("tax_loss_carryforward")}*MAX(0,${x.t(k("loss_open"))}-${x.t(k("taxable"))})`,
    ),
    line(k("tax"), `Tax${label}`, "USD", (x) => `=${x.t(k("tax_base"))}*${x.c("tax_rate")}`, true),
  ];
}

/** Which optional lines a scenario's block defines before its closing rows. */
export interface ClosingShape {
  /** Project debt lines (debt_draw, interest, principal, exit_debt) exist. */
  readonly debt: boolean;
  /** Equipment sold before the exit (asset_sales, asset_gain) exists. */
  readonly assetSales: boolean;
}

/**
 * Rows after EBITDA: tax, the exit's tax, the flows to equity, adjusted present value and the
 * payback and IRR helpers. Needs lines ebitda, capex, depreciation, exit_proceeds, exit_gain.
 */
export function closingRows(rateKey: AssumptionKey, shape: ClosingShape): RowSpec[] {
  const plus = (x: Ctx, key: string, on: boolean) => (on ? `+${x.t(key)}` : "");
  const minus = (x: Ctx, key: string, on: boolean) => (on ? `-${x.t(key)}` : "");
  const operating = (x: Ctx) => `${x.t("ebitda")}-${x.t("depreciation")}${plus(x, "asset_gain", shape.assetSales)}+${x.t("exit_gain")}`;
  const cash = (x: Ctx) => `${x.t("ebitda")}-${x.t("capex")}${plus(x, "asset_sales", shape.assetSales)}`;
  const debtFlows = (x: Ctx) => (shape.debt ? `+${x.t("debt_draw")}-${x.t("interest")}-${x.t("principal")}` : "");
  return [
    ...taxRows("", "", (x) => `=${operating(x)}${minus(x, "interest", shape.debt)}`),
    line(
      "exit_tax",
      "Tax on the exit gain",
      "USD",
      (x) => `=${x.t("tax")}-MAX(0,${x.t("taxable")}-${x.t("exit_gain")}-${x.t("loss_open")})*${x.c("tax_rate")}`,
      true,
    ),
    ...(shape.debt
      ? [
          ...taxRows("u_", " (without debt)", (x) => `=${operating(x)}`),
          line("shield", "Tax saved by debt", "USD", (x) => `=${x.t("u_tax")}-${x.t("tax")}`, true),
        ]
      : []),
    line("unlevered", "Unlevered cash flow (exit included)", "USD", (x) => `=${cash(x)}+${x.t("exit_proceeds")}-${x.t(shape.debt ? "u_tax" : "tax")}`, true),
    line("cfe", "Operating cash flow to equity", "USD", (x) => `=${cash(x)}-(${x.t("tax")}-${x.t("exit_tax")})${debtFlows(x)}`, true),
    line(
      "tv",
      "Exit to equity (after cost, tax and debt)",
      "USD",
      (x) => `=${x.t("exit_proceeds")}-${x.t("exit_tax")}${minus(x, "exit_debt", shape.debt)}`,
      true,
    ),
    line("df", "Discount factor", "factor", (x) => `=(1+${x.c(rateKey)})^(-${x.m}/12)`, false, "calc_ratio"),
    ...(shape.debt
      ? [
          line("df_debt", "Discount factor at the debt rate", "factor", (x) => `=(1+${x.c("debt_rate")})^(-${x.m}/12)`, false, "calc_ratio"),
          line(
            "pv",
            "Present value (unlevered + tax saved by debt)",
            "USD",
            (x) => `=${x.t("unlevered")}*${x.t("df")}+${x.t("shield")}*${x.t("df_debt")}`,
            true,
          ),
        ]
      : [line("pv", "Present value", "USD", (x) => `=${x.t("unlevered")}*${x.t("df")}`, true)]),
    ...equityFlowRows(),
  ];
}

/** Rows over `cfe` and `tv` that IRR and the two paybacks read. */
export function equityFlowRows(): RowSpec[] {
  return [
    line("flow", "Equity flow incl. exit", "USD", (x) => `=${x.t("cfe")}+${x.t("tv")}`, true),
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
    line("cum", "Cumulative operating cash flow to equity", "USD", (x) => `=${x.p("cum")}+${x.t("cfe")}`),
    line("neg", "Month if still negative", "month", (x) => `=(${x.t("cum")}<0)*${x.m}`, false, "calc_flag"),
    line("cum_exit", "Cumulative equity flow incl. exit", "USD", (x) => `=${x.p("cum_exit")}+${x.t("flow")}`),
    line("neg_exit", "Month if still negative, exit included", "month", (x) => `=(${x.t("cum_exit")}<0)*${x.m}`, false, "calc_flag"),
  ];
}

/**
 * Payback from a cumulative row: after the last month L it is negative, interpolated into
 * month L + 1; n/a when it is still negative at the horizon. When L is 0 the interpolation term
 * is 0 (nothing is negative); the flag term keeps a zero flow from dividing by zero then.
 */
function payback(x: Ctx, last: string, cum: string, flow: string): string {
  const at = (row: string, month: string) => `SUMPRODUCT((${x.m}=${month})*${x.r(row)})`;
  const next = at(flow, `${x.c(last)}+1`);
  return `=IF(${x.c(last)}>=${x.c("horizon")},"n/a",(${x.c(last)}-${at(cum, x.c(last))}/(${next}+(${next}=0)))/12)`;
}

/** Results every scenario shows, from its timeline rows. `start` is the first operating month - 1. */
export function headlineResults(start: (x: Ctx) => string, firstYearOf: (key: string) => string = (key) => key): RowSpec[] {
  const firstYear = (x: Ctx, row: string) => `SUMPRODUCT((${x.m}>${start(x)})*(${x.m}<=${start(x)}+12)*${x.r(firstYearOf(row))})`;
  return [
    result(
      "equity",
      "Equity value",
      "USD",
      (x) => `=SUM(${x.r("pv")})-${x.c("net_debt")}`,
      "npv_usd",
      "Adjusted present value of the flows and exit - net debt",
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
    ...returnResults(),
  ];
}

/** IRR and the two paybacks, from the equity flow rows. */
export function returnResults(): RowSpec[] {
  return [
    result(
      "irr",
      "Equity IRR",
      "/yr",
      (x) => `=IF((${x.last("first_sign")}=-1)*(SUM(${x.r("sign_change")})=1)=1,IFERROR((1+IRR(${x.r("flow")},${x.c("irr_guess")}))^12-1,"n/a"),"n/a")`,
      "irr",
      "Monthly IRR of the equity flows with the exit, annualised; n/a unless the flows are a conventional investment (outflows first, one change of sign)",
      "calc_pct",
    ),
    konst("last_neg", "Last month the cumulative operating flow is negative", "month", (x) => `=MAX(${x.r("neg")})`),
    result(
      "payback",
      "Payback",
      "years",
      (x) => payback(x, "last_neg", "cum", "cfe"),
      "payback_years",
      "Years after which the cumulative operating cash flow to equity (exit excluded) stays non-negative, interpolated in the month",
      "calc_ratio",
    ),
    konst("last_neg_exit", "Last month the cumulative flow incl. exit is negative", "month", (x) => `=MAX(${x.r("neg_exit")})`),
    result(
      "payback_exit",
      "Payback with the exit",
      "years",
      (x) => payback(x, "last_neg_exit", "cum_exit", "flow"),
      "payback_with_exit_years",
      "The same, counting the exit proceeds to equity",
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

/** The comparison horizon in months: horizon_years, or construction plus the lease term when 0. */
export function horizonConstant(): RowSpec {
  return konst(
    "horizon",
    "Comparison horizon",
    "months",
    (x) => `=IF(${x.c("horizon_years")}>0,MAX(1,ROUND(${x.c("horizon_years")}*12,0)),${x.c("construction_months")}+${x.c("lease_term_years")}*12)`,
    "horizon_years x 12, or construction + lease term when horizon_years is 0",
  );
}
