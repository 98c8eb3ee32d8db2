/**
 * The colocated-GPU scenario's block: convert, install GPUs and sell GPU-hours; when the GPUs
 * retire before the horizon, sell them and lease the hall as a powered shell.
 */
import { konst, line, result, type RowSpec } from "../layout.js";
import { closingRows, inputsOf } from "./closing.js";
import { conversionResults, debtLines, depreciationLine, exitLines, facilityConstants, facilityLines, type MiningLink } from "./facility.js";

export function gpuSpec(link: MiningLink): RowSpec[] {
  return [
    ...inputsOf("colocated_gpu"),
    ...facilityConstants(link),
    konst("gpus", "GPUs installed", "GPUs", (x) => `=${x.c("it_kw")}/${x.c("gpu_kw")}`),
    konst("gpu_capex_total", "GPU capex", "USD", (x) => `=${x.c("gpus")}*${x.c("gpu_capex")}`),
    konst("service_months", "GPU service life", "months", (x) => `=${x.c("gpu_life_years")}*12`),
    konst("gpu_end", "Last month of GPU service", "month", (x) => `=MIN(${x.c("horizon")},${x.c("construction_months")}+${x.c("service_months")})`),
    konst("gpu_dep", "GPU depreciation a month", "USD", (x) => `=${x.c("gpu_capex_total")}/${x.c("service_months")}`),
    konst("hours_sold", "GPU-hours sold a month", "GPU-hours", (x) => `=${x.c("gpus")}*hours_per_month*${x.c("utilization")}`),
    konst("gpu_age_exit", "GPU age at the horizon", "months", (x) => `=${x.c("horizon")}-${x.c("construction_months")}`),
    konst("gpus_at_exit", "GPUs still in service at the horizon", "flag", (x) => `=(${x.c("gpu_age_exit")}<=${x.c("service_months")})*1`),
    konst(
      "exit_price",
      "Exit price: leased hall + GPUs in service",
      "USD",
      (x) =>
        `=${x.c("exit_noi")}/${x.c("exit_cap_rate")}+${x.c("gpus_at_exit")}*${x.c("gpu_capex_total")}*(1-(1-${x.c("gpu_residual_share")})*${x.c("gpu_age_exit")}/${x.c("service_months")})`,
      "NOI / cap rate + GPUs at a price falling linearly from cost to the residual share",
    ),
    konst(
      "exit_basis",
      "Tax basis at the exit",
      "USD",
      (x) => `=${x.c("book_left")}+${x.c("land")}+${x.c("gpus_at_exit")}*${x.c("gpu_capex_total")}*(1-${x.c("gpu_age_exit")}/${x.c("service_months")})`,
      "Undepreciated capex + land + GPU book value",
    ),
    ...conversionResults(),
    result("capex_usd", "Capex", "USD", (x) => `=${x.c("capex_total")}+${x.c("gpu_capex_total")}`, "capex_usd", "Conversion capex + GPU capex", "calc_usd"),
    result("gpu_count", "GPUs", "GPUs", (x) => `=${x.c("gpus")}`, "gpu_count", "Critical IT kW / gpu_kw"),
    ...facilityLines(link),
    line("gpu_on", "GPU service flag", "flag", (x) => `=${x.t("ops")}*(${x.m}<=${x.c("gpu_end")})`, false, "calc_flag"),
    line("shell_on", "Leased as a powered shell flag", "flag", (x) => `=${x.t("ops")}*(${x.m}>${x.c("gpu_end")})`, false, "calc_flag"),
    line("rate", "GPU rate", "USD/GPU-hour", (x) => `=${x.t("gpu_on")}*${x.c("gpu_rate")}*(1-${x.c("gpu_rate_decline")})^${x.t("year_idx")}`),
    line("hours", "GPU-hours sold", "GPU-hours", (x) => `=${x.t("gpu_on")}*${x.c("hours_sold")}`, true),
    line("gpu_revenue", "GPU revenue", "USD", (x) => `=${x.t("rate")}*${x.t("hours")}`, true, "calc_usd"),
    line(
      "rent",
      "Rent after the GPUs retire",
      "USD",
      (x) => `=${x.t("shell_on")}*${x.c("lease_rate")}*${x.c("it_kw")}*(1+${x.c("lease_escalator")})^${x.t("year_idx")}`,
      true,
      "calc_usd",
    ),
    line("revenue", "Revenue", "USD", (x) => `=${x.t("gpu_revenue")}+${x.t("rent")}+${x.t("mining_revenue")}`, true, "calc_usd"),
    line("power_price", "Power price", "USD/MWh", (x) => `=${x.c("power_price")}*(1+${x.c("power_price_growth")})^(${x.m}/12)`),
    line(
      "power",
      "Power cost",
      "USD",
      (x) => `=${x.t("gpu_on")}*${x.c("site_mw")}*hours_per_month*${x.t("power_price")}+${x.t("mining_power")}`,
      true,
      "calc_usd",
    ),
    line(
      "other",
      "Other opex",
      "USD",
      (x) => `=${x.t("gpu_revenue")}*${x.c("gpu_opex_share")}+${x.t("rent")}*(1-${x.c("noi_margin")})+${x.t("mining_other")}`,
      true,
      "calc_usd",
    ),
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
      "gpu_sale",
      "GPUs sold at retirement",
      "USD",
      (x) => `=(${x.m}=${x.c("gpu_end")})*(${x.c("gpu_end")}<${x.c("horizon")})*${x.c("gpu_capex_total")}*${x.c("gpu_residual_share")}`,
      true,
      "calc_usd",
    ),
    line("asset_sales", "Equipment sold (fleet slices, retired GPUs)", "USD", (x) => `=${x.t("fleet_sales")}+${x.t("gpu_sale")}`, true, "calc_usd"),
    line("asset_gain", "Gain on equipment sold", "USD", (x) => `=${x.t("fleet_sales")}-${x.t("slice_book")}+${x.t("gpu_sale")}`, true, "calc_usd"),
    depreciationLine((x) => `+${x.t("gpu_on")}*${x.c("gpu_dep")}`),
    ...exitLines(),
    ...debtLines(),
    ...closingRows("discount_rate_gpu", { debt: true, assetSales: true }),
  ];
}
