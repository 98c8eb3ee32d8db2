/** The colocated-GPU scenario's block: convert, install GPUs and sell GPU-hours. */
import { konst, line, result, type RowSpec } from "../layout.js";
import { closingRows, inputsOf } from "./closing.js";
import { conversionResults, debtLines, facilityConstants, facilityLines } from "./facility.js";

export function gpuSpec(): RowSpec[] {
  return [
    ...inputsOf("colocated_gpu"),
    ...facilityConstants(),
    konst("gpus", "GPUs installed", "GPUs", (x) => `=${x.c("it_kw")}/${x.c("gpu_kw")}`),
    konst("gpu_capex_total", "GPU capex", "USD", (x) => `=${x.c("gpus")}*${x.c("gpu_capex")}`),
    konst("service_months", "GPU service life", "months", (x) => `=${x.c("gpu_life_years")}*12`),
    konst("gpu_dep", "GPU depreciation a month", "USD", (x) => `=${x.c("gpu_capex_total")}/${x.c("service_months")}`),
    konst("hours_sold", "GPU-hours sold a month", "GPU-hours", (x) => `=${x.c("gpus")}*hours_per_month*${x.c("utilization")}`),
    konst("horizon", "Horizon", "months", (x) => `=${x.c("construction_months")}+${x.c("service_months")}`),
    konst(
      "tv_const",
      "Terminal value when the GPUs retire",
      "USD",
      (x) =>
        `=${x.c("lease_rate")}*${x.c("it_kw")}*12*(1+${x.c("lease_escalator")})^${x.c("gpu_life_years")}*${x.c("noi_margin")}/${x.c("exit_cap_rate")}+${x.c("gpu_capex_total")}*${x.c("gpu_residual_share")}`,
      "Facility valued as a powered shell + GPU resale value",
    ),
    ...conversionResults(),
    result("capex_usd", "Capex", "USD", (x) => `=${x.c("capex_total")}+${x.c("gpu_capex_total")}`, "capex_usd", "Conversion capex + GPU capex", "calc_usd"),
    result("gpu_count", "GPUs", "GPUs", (x) => `=${x.c("gpus")}`, "gpu_count", "Critical IT kW / gpu_kw"),
    ...facilityLines(),
    line("rate", "GPU rate", "USD/GPU-hour", (x) => `=${x.t("ops")}*${x.c("gpu_rate")}*(1-${x.c("gpu_rate_decline")})^${x.t("year_idx")}`),
    line("hours", "GPU-hours sold", "GPU-hours", (x) => `=${x.t("ops")}*${x.c("hours_sold")}`, true),
    line("revenue", "Revenue", "USD", (x) => `=${x.t("rate")}*${x.t("hours")}`, true, "calc_usd"),
    line("power_price", "Power price", "USD/MWh", (x) => `=${x.c("power_price")}*(1+${x.c("power_price_growth")})^(${x.m}/12)`),
    line("power", "Power cost", "USD", (x) => `=${x.t("ops")}*${x.c("site_mw")}*hours_per_month*${x.t("power_price")}`, true, "calc_usd"),
    line("other", "Other opex", "USD", (x) => `=${x.t("revenue")}*${x.c("gpu_opex_share")}`, true, "calc_usd"),
    line("ebitda", "EBITDA", "USD", (x) => `=${x.t("revenue")}-${x.t("power")}-${x.t("other")}`, true, "calc_usd"),
    line(
      "capex",
      "Capex (conversion + GPUs)",
      "USD",
      (x) => `=${x.t("construction")}*${x.c("capex_total")}/${x.c("construction_months")}+(${x.m}=${x.c("construction_months")})*${x.c("gpu_capex_total")}`,
      true,
      "calc_usd",
    ),
    line(
      "depreciation",
      "Depreciation",
      "USD",
      (x) => `=${x.t("ops")}*(${x.m}<=${x.c("construction_months")}+${x.c("dep_months")})*${x.c("dep_monthly")}+${x.t("ops")}*${x.c("gpu_dep")}`,
      true,
      "calc_usd",
    ),
    ...debtLines(),
    ...closingRows("discount_rate_gpu", true),
  ];
}
