/** Rows both conversions share: the facility's capex, depreciation and construction timing, and its project debt. */
import { line, konst, result, type RowSpec } from "../layout.js";
import { firstFlow, headlineResults } from "./closing.js";

/** Derived constants and timeline rows of the facility both conversions build. */
export function facilityConstants(): RowSpec[] {
  return [
    konst("it_mw", "Critical IT power", "MW", (x) => `=${x.c("site_mw")}/${x.c("pue_dc")}`),
    konst("it_kw", "Critical IT power", "kW", (x) => `=${x.c("it_mw")}*kw_per_mw`),
    konst("capex_total", "Conversion capex", "USD", (x) => `=${x.c("conversion_capex")}*usd_per_musd*${x.c("it_mw")}`),
    konst("dep_months", "Facility depreciation life", "months", (x) => `=ROUND(${x.c("facility_life_years")}*12,0)`),
    konst("dep_monthly", "Facility depreciation a month", "USD", (x) => `=${x.c("capex_total")}/MAX(1,${x.c("dep_months")})`),
    konst("debt_months", "Debt repayment period", "months", (x) => `=MAX(1,ROUND(${x.c("debt_term_years")}*12,0))`),
    konst("debt_rate_m", "Debt interest a month", "/month", (x) => `=${x.c("debt_rate")}/12`),
    konst("payment", "Level debt payment", "USD", (x) => `=PMT(${x.c("debt_rate_m")},${x.c("debt_months")},-${x.c("debt_ltc")}*${x.c("capex_total")})`),
  ];
}

export function facilityLines(): RowSpec[] {
  return [
    line("date", "Period start", "date", (x) => `=${x.c("valuation_date")}+(${x.m}-1)*365.25/12`, false, "calc_date"),
    line("construction", "Construction flag", "flag", (x) => `=(${x.m}<=${x.c("construction_months")})*1`, false, "calc_flag"),
    line("ops", "Operations flag", "flag", (x) => `=(${x.m}>${x.c("construction_months")})*(${x.m}<=${x.c("horizon")})`, false, "calc_flag"),
    line("year_idx", "Service year (0 = first)", "years", (x) => `=${x.t("ops")}*INT((${x.m}-${x.c("construction_months")}-1)/12)`, false, "calc_flag"),
  ];
}

export function debtLines(): RowSpec[] {
  return [
    line("debt_open", "Debt, opening", "USD", (x) => `=${x.p("debt_close")}`, false, "calc_usd"),
    line(
      "debt_draw",
      "Debt drawn",
      "USD",
      (x) => `=${x.t("construction")}*${x.c("capex_total")}/${x.c("construction_months")}*${x.c("debt_ltc")}`,
      true,
      "calc_usd",
    ),
    line("interest", "Interest", "USD", (x) => `=${x.t("debt_open")}*${x.c("debt_rate_m")}`, true, "calc_usd"),
    line(
      "principal",
      "Debt repaid",
      "USD",
      (x) =>
        `=${x.t("ops")}*IF(${x.m}=${x.c("horizon")},${x.t("debt_open")},(${x.m}<=${x.c("construction_months")}+${x.c("debt_months")})*MIN(${x.t("debt_open")},${x.c("payment")}-${x.t("interest")}))`,
      true,
      "calc_usd",
    ),
    line("debt_close", "Debt, closing", "USD", (x) => `=${x.t("debt_open")}+${x.t("debt_draw")}-${x.t("principal")}`, false, "calc_usd"),
  ];
}

export function conversionResults(): RowSpec[] {
  return [
    ...firstFlow(),
    ...headlineResults((x) => x.c("construction_months")),
    result("critical_it_mw", "Critical IT", "MW", (x) => `=${x.c("it_mw")}`, "critical_it_mw", "site_mw / pue_dc"),
  ];
}
