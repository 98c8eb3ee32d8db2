/** The powered-shell scenario's block: convert and lease the shell on a triple-net lease. */
import { konst, line, result, type RowSpec } from "../layout.js";
import { closingRows, inputsOf } from "./closing.js";
import { conversionResults, debtLines, facilityConstants, facilityLines } from "./facility.js";

export function shellSpec(): RowSpec[] {
  return [
    ...inputsOf("powered_shell"),
    ...facilityConstants(),
    konst("horizon", "Horizon", "months", (x) => `=${x.c("construction_months")}+${x.c("lease_term_years")}*12`),
    konst(
      "tv_const",
      "Terminal value at the end of the term",
      "USD",
      (x) => `=${x.c("lease_rate")}*${x.c("it_kw")}*12*(1+${x.c("lease_escalator")})^${x.c("lease_term_years")}*${x.c("noi_margin")}/${x.c("exit_cap_rate")}`,
      "Next-12-month NOI after the term / exit cap rate",
    ),
    ...conversionResults(),
    result("capex_usd", "Capex", "USD", (x) => `=${x.c("capex_total")}`, "capex_usd", "Conversion capex", "calc_usd"),
    ...facilityLines(),
    line(
      "rent",
      "Rent",
      "USD",
      (x) => `=${x.t("ops")}*${x.c("lease_rate")}*${x.c("it_kw")}*(1+${x.c("lease_escalator")})^${x.t("year_idx")}`,
      true,
      "calc_usd",
    ),
    line("revenue", "Revenue", "USD", (x) => `=${x.t("rent")}`, true, "calc_usd"),
    line("other", "Operating cost (rent - NOI)", "USD", (x) => `=${x.t("rent")}*(1-${x.c("noi_margin")})`, true, "calc_usd"),
    line("ebitda", "NOI (EBITDA)", "USD", (x) => `=${x.t("rent")}*${x.c("noi_margin")}`, true, "calc_usd"),
    line("capex", "Capex", "USD", (x) => `=${x.t("construction")}*${x.c("capex_total")}/${x.c("construction_months")}`, true, "calc_usd"),
    line(
      "depreciation",
      "Depreciation",
      "USD",
      (x) => `=${x.t("ops")}*(${x.m}<=${x.c("construction_months")}+${x.c("dep_months")})*${x.c("dep_monthly")}`,
      true,
      "calc_usd",
    ),
    ...debtLines(),
    ...closingRows("discount_rate_shell", true),
  ];
}
