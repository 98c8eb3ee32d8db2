/** The mining scenario's block: keep the site mining, month by month. */
import { konst, line, result, type Ctx, type RowSpec } from "../layout.js";
import { closingRows, firstFlow, headlineResults, inputsOf } from "./closing.js";

/** Subsidy in satoshis at a height reference: 0 after 64 halvings, else an integer shift. */
const subsidySatsAt = (height: string) => `(INT(${height}/halving_interval)<max_halvings)*INT(initial_subsidy_sats/2^INT(${height}/halving_interval))`;

export function miningSpec(): RowSpec[] {
  const first12 = (x: Ctx, row: string) => `SUMPRODUCT((${x.m}<=12)*${x.r(row)})`;
  return [
    ...inputsOf("mining"),
    konst("hashing_mw", "Hashing power", "MW", (x) => `=${x.c("site_mw")}/${x.c("pue_mining")}`),
    konst("own_ths", "Own hashrate", "TH/s", (x) => `=${x.c("hashing_mw")}*w_per_mw/${x.c("fleet_efficiency")}`),
    konst("horizon", "Horizon", "months", (x) => `=MAX(1,ROUND(${x.c("horizon_years_mining")}*12,0))`),
    konst("life", "Fleet life", "months", (x) => `=MAX(1,ROUND(${x.c("asic_life_years")}*12,0))`),
    konst("first_rep", "First replacement", "month", (x) => `=ROUND((${x.c("asic_life_years")}-${x.c("fleet_age_years")})*12,0)`),
    konst("fleet_cost", "Fleet cost", "USD", (x) => `=${x.c("own_ths")}*${x.c("asic_price")}`),
    konst("subsidy0", "Block subsidy now", "BTC", (x) => `=${subsidySatsAt(x.c("block_height"))}/sats_per_btc`),
    konst("fee_per_block", "Fees per block (fixed in BTC)", "BTC", (x) => `=${x.c("subsidy0")}*${x.c("fee_share")}/(1-${x.c("fee_share")})`),
    konst("mwh_month", "Energy bought a month", "MWh", (x) => `=${x.c("site_mw")}*${x.c("uptime")}*hours_per_month`),
    konst(
      "tv_const",
      "Unexpired fleet value at the horizon",
      "USD",
      (x) => `=${x.c("fleet_cost")}*MOD(${x.c("first_rep")}-${x.c("horizon")},${x.c("life")})/${x.c("life")}`,
    ),
    ...firstFlow(),
    ...headlineResults(() => "0"),
    result(
      "cost_cash",
      "Cash cost to mine",
      "USD/BTC",
      (x) => `=IFERROR((${first12(x, "power")}+${first12(x, "other")})/(${first12(x, "btc_mined")}*(1-${x.c("pool_fee")})),"n/a")`,
      "cost_to_mine_cash",
      "(Power + other opex) / BTC earned after the pool fee, first 12 months",
      "calc_usd",
    ),
    result(
      "cost_all_in",
      "All-in cost to mine",
      "USD/BTC",
      (x) =>
        `=IFERROR((${first12(x, "power")}+${first12(x, "other")}+${first12(x, "depreciation")})/(${first12(x, "btc_mined")}*(1-${x.c("pool_fee")})),"n/a")`,
      "cost_to_mine_all_in",
      "(Power + other opex + fleet depreciation) / BTC earned, first 12 months",
      "calc_usd",
    ),
    result(
      "breakeven",
      "Breakeven power price",
      "USD/MWh",
      (x) => `=(${first12(x, "revenue")}-${first12(x, "other")})/(${x.c("mwh_month")}*SUMPRODUCT((${x.m}<=12)*(1+${x.c("power_price_growth")})^(${x.m}/12)))`,
      "breakeven_power",
      "Starting power price at which first-12-month revenue = power + other opex",
      "calc_usd",
    ),
    line("date", "Period start", "date", (x) => `=${x.c("valuation_date")}+(${x.m}-1)*365.25/12`, false, "calc_date"),
    line("ops", "Operations flag", "flag", (x) => `=(${x.m}<=${x.c("horizon")})*1`, false, "calc_flag"),
    line("height", "Opening block height", "blocks", (x) => `=${x.c("block_height")}+blocks_per_month*(${x.m}-1)`, false, "calc_flag"),
    line("next_halving", "Next halving height", "blocks", (x) => `=(INT(${x.t("height")}/halving_interval)+1)*halving_interval`, false, "calc_flag"),
    line("sub_open", "Subsidy before the halving", "satoshis", (x) => `=${subsidySatsAt(x.t("height"))}`, false, "calc_flag"),
    line("sub_next", "Subsidy after the halving", "satoshis", (x) => `=${subsidySatsAt(x.t("next_halving"))}`, false, "calc_flag"),
    line("halving", "Halving flag", "flag", (x) => `=${x.t("ops")}*(${x.t("next_halving")}<${x.t("height")}+blocks_per_month)`, false, "calc_flag"),
    line(
      "subsidy_btc",
      "Subsidy over the month's blocks",
      "BTC",
      (x) =>
        `=(MIN(blocks_per_month,${x.t("next_halving")}-${x.t("height")})*${x.t("sub_open")}+MAX(0,${x.t("height")}+blocks_per_month-${x.t("next_halving")})*${x.t("sub_next")})/sats_per_btc`,
    ),
    line("btc_price", "BTC price", "USD", (x) => `=${x.c("btc_price")}*(1+${x.c("btc_price_growth")})^(${x.m}/12)`, false, "calc_usd"),
    line("network", "Network hashrate", "EH/s", (x) => `=${x.c("network_hashrate")}*(1+${x.c("hashrate_growth")})^(${x.m}/12)`),
    line(
      "btc_mined",
      "BTC mined (before pool fee)",
      "BTC",
      (x) => `=${x.t("ops")}*(${x.t("subsidy_btc")}+${x.c("fee_per_block")}*blocks_per_month)*${x.c("own_ths")}*${x.c("uptime")}/(${x.t("network")}*th_per_eh)`,
      true,
    ),
    line(
      "hashprice",
      "Hashprice",
      "USD/PH/day",
      (x) => `=${x.t("ops")}*blocks_per_day*(${x.t("sub_open")}/sats_per_btc+${x.c("fee_per_block")})*${x.t("btc_price")}/(${x.t("network")}*ph_per_eh)`,
    ),
    line("revenue", "Revenue", "USD", (x) => `=${x.t("btc_mined")}*${x.t("btc_price")}*(1-${x.c("pool_fee")})`, true, "calc_usd"),
    line("power_price", "Power price", "USD/MWh", (x) => `=${x.c("power_price")}*(1+${x.c("power_price_growth")})^(${x.m}/12)`),
    line("power", "Power cost", "USD", (x) => `=${x.t("ops")}*${x.c("mwh_month")}*${x.t("power_price")}`, true, "calc_usd"),
    line("other", "Other opex", "USD", (x) => `=${x.t("ops")}*${x.c("mwh_month")}*${x.c("other_opex_mining")}`, true, "calc_usd"),
    line("ebitda", "EBITDA", "USD", (x) => `=${x.t("revenue")}-${x.t("power")}-${x.t("other")}`, true, "calc_usd"),
    line(
      "replace",
      "Fleet replacement flag",
      "flag",
      (x) => `=${x.t("ops")}*(${x.m}>=${x.c("first_rep")})*(${x.m}<${x.c("horizon")})*(MOD(${x.m}-${x.c("first_rep")},${x.c("life")})=0)`,
      false,
      "calc_flag",
    ),
    line("capex", "Capex (fleet replacement)", "USD", (x) => `=${x.t("replace")}*${x.c("fleet_cost")}`, true, "calc_usd"),
    line("depreciation", "Depreciation", "USD", (x) => `=${x.t("ops")}*${x.c("fleet_cost")}/${x.c("life")}`, true, "calc_usd"),
    ...closingRows("discount_rate_mining", false),
  ];
}
