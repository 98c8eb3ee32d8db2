/** The powered-shell scenario's block: convert and lease the hall triple net to the horizon. */
import { konst, line, result, type RowSpec } from "../layout.js";
import { closingRows, inputsOf } from "./closing.js";
import { conversionResults, debtLines, depreciationLine, exitLines, facilityConstants, facilityLines, type MiningLink } from "./facility.js";

export function shellSpec(link: MiningLink): RowSpec[] {
  return [
    ...inputsOf("powered_shell"),
    ...facilityConstants(link),
    konst("exit_price", "Exit price of the leased hall", "USD", (x) => `=${x.c("exit_noi")}/${x.c("exit_cap_rate")}`, "Next-12-month NOI / exit cap rate"),
    konst("exit_basis", "Tax basis at the exit", "USD", (x) => `=${x.c("book_left")}+${x.c("land")}`, "Undepreciated capex + land"),
    ...conversionResults(),
    result("capex_usd", "Capex", "USD", (x) => `=${x.c("capex_total")}`, "capex_usd", "Conversion capex", "calc_usd"),
    ...facilityLines(link),
    line(
      "rent",
      "Rent",
      "USD",
      (x) => `=${x.t("ops")}*${x.c("lease_rate")}*${x.c("it_kw")}*(1+${x.c("lease_escalator")})^${x.t("year_idx")}`,
      true,
      "calc_usd",
    ),
    line("revenue", "Revenue (rent + mining while converting)", "USD", (x) => `=${x.t("rent")}+${x.t("mining_revenue")}`, true, "calc_usd"),
    line("power", "Power cost (mining while converting)", "USD", (x) => `=${x.t("mining_power")}`, true, "calc_usd"),
    line(
      "other",
      "Operating cost (rent - NOI, mining opex)",
      "USD",
      (x) => `=${x.t("rent")}*(1-${x.c("noi_margin")})+${x.t("mining_other")}`,
      true,
      "calc_usd",
    ),
    line("ebitda", "EBITDA (NOI + mining margin)", "USD", (x) => `=${x.t("revenue")}-${x.t("power")}-${x.t("other")}`, true, "calc_usd"),
    line("capex", "Capex", "USD", (x) => `=${x.t("construction")}*${x.c("capex_total")}/${x.c("construction_months")}`, true, "calc_usd"),
    line("asset_sales", "Equipment sold (fleet slices)", "USD", (x) => `=${x.t("fleet_sales")}`, true, "calc_usd"),
    line("asset_gain", "Gain on equipment sold", "USD", (x) => `=${x.t("fleet_sales")}-${x.t("slice_book")}`, true, "calc_usd"),
    depreciationLine(),
    ...exitLines(),
    ...debtLines(),
    ...closingRows("discount_rate_shell", { debt: true, assetSales: true }),
  ];
}
