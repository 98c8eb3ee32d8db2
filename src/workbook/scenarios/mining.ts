/**
 * The mining scenario's block: keep the site mining as a rational operator runs it. The
 * candidate rows follow a mine that keeps going (shutting in any month that loses cash,
 * replacing fleets on schedule); "value if the mine stops after this month" adds the
 * discounted, taxed sale of the site and used fleet at that month; the stop month is the best
 * of those, and the operating rows are the candidate rows up to it (engine: core/mining.ts).
 */
import { konst, line, result, type Ctx, type RowSpec } from "../layout.js";
import { closingRows, firstFlow, headlineResults, horizonConstant, inputsOf } from "./closing.js";

/** Subsidy in satoshis at a height reference: 0 after 64 halvings, else an integer shift. */
const subsidySatsAt = (height: string) => `(INT(${height}/halving_interval)<max_halvings)*INT(initial_subsidy_sats/2^INT(${height}/halving_interval))`;

/** Fleet constants both the mine and a conversion's construction-time mining use. */
function fleetConstants(): RowSpec[] {
  return [
    konst("hashing_mw", "Hashing power", "MW", (x) => `=${x.c("site_mw")}/${x.c("pue_mining")}`),
    konst("own_ths", "Own hashrate", "TH/s", (x) => `=${x.c("hashing_mw")}*w_per_mw/${x.c("fleet_efficiency")}`),
    konst("life", "Fleet life", "months", (x) => `=MAX(1,ROUND(${x.c("asic_life_years")}*12,0))`),
    konst("first_rep", "First replacement", "month", (x) => `=ROUND((${x.c("asic_life_years")}-${x.c("fleet_age_years")})*12,0)`),
    konst("fleet_cost", "Fleet cost", "USD", (x) => `=${x.c("own_ths")}*${x.c("asic_price")}`),
    konst("fixed_month", "Fixed mining opex a month", "USD", (x) => `=${x.c("fixed_opex_mining")}*${x.c("site_mw")}/12`),
  ];
}

/** Market rows and the all-month economics of a fleet that hashes. */
function marketLines(): RowSpec[] {
  return [
    line("date", "Period start", "date", (x) => `=${x.c("valuation_date")}+(${x.m}-1)*365.25/12`, false, "calc_date"),
    line("height", "Opening block height", "blocks", (x) => `=${x.c("height0")}+blocks_per_month*(${x.m}-1)`, false, "calc_flag"),
    line("next_halving", "Next halving height", "blocks", (x) => `=(INT(${x.t("height")}/halving_interval)+1)*halving_interval`, false, "calc_flag"),
    line("sub_open", "Subsidy before the halving", "satoshis", (x) => `=${subsidySatsAt(x.t("height"))}`, false, "calc_flag"),
    line("sub_next", "Subsidy after the halving", "satoshis", (x) => `=${subsidySatsAt(x.t("next_halving"))}`, false, "calc_flag"),
    line("halving", "Halving flag", "flag", (x) => `=(${x.t("next_halving")}<${x.t("height")}+blocks_per_month)*1`, false, "calc_flag"),
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
      "hashprice",
      "Hashprice",
      "USD/PH/day",
      (x) => `=blocks_per_day*(${x.t("sub_open")}/sats_per_btc+${x.c("fee_per_block")})*${x.t("btc_price")}/(${x.t("network")}*ph_per_eh)`,
    ),
    line(
      "btc_on",
      "BTC a hashing fleet mines (before pool fee)",
      "BTC",
      (x) => `=(${x.t("subsidy_btc")}+${x.c("fee_per_block")}*blocks_per_month)*${x.c("own_ths")}*${x.c("uptime")}/(${x.t("network")}*th_per_eh)`,
      true,
    ),
    line("revenue_on", "Revenue if hashing", "USD", (x) => `=${x.t("btc_on")}*${x.t("btc_price")}*(1-${x.c("pool_fee")})`, true, "calc_usd"),
    line("power_price", "Power price", "USD/MWh", (x) => `=${x.c("power_price")}*(1+${x.c("power_price_growth")})^(${x.m}/12)`),
    line("power_on", "Power cost if hashing", "USD", (x) => `=${x.c("mwh_month")}*${x.t("power_price")}`, true, "calc_usd"),
    line("other_on", "Variable other opex if hashing", "USD", (x) => `=${x.c("mwh_month")}*${x.c("other_opex_mining")}`, true, "calc_usd"),
    line("margin_on", "Cash margin if hashing", "USD", (x) => `=${x.t("revenue_on")}-${x.t("power_on")}-${x.t("other_on")}`, true, "calc_usd"),
  ];
}

/** A conversion block reads these mining rows for its construction period. */
export const MINING_LINKS = ["btc_price", "network", "hashprice", "halving", "btc_on", "revenue_on", "power_on", "other_on", "margin_on"] as const;

export function miningSpec(): RowSpec[] {
  const first12 = (x: Ctx, row: string) => `SUMPRODUCT((${x.m}<=12)*${x.r(row)})`;
  return [
    ...inputsOf("mining"),
    ...fleetConstants(),
    konst(
      "height0",
      "Block height at the valuation date",
      "blocks",
      (x) =>
        `=IF(${x.c("block_height")}>0,${x.c("block_height")},MAX(0,reference_block+ROUND(blocks_per_day*(${x.c("valuation_date")}-reference_block_date),0)))`,
      "block_height, or 144 blocks a day from block 840,000 (20 Apr 2024) when it is 0",
    ),
    konst("subsidy0", "Block subsidy now", "BTC", (x) => `=${subsidySatsAt(x.c("height0"))}/sats_per_btc`),
    konst("fee_per_block", "Fees per block (fixed in BTC)", "BTC", (x) => `=${x.c("subsidy0")}*${x.c("fee_share")}/(1-${x.c("fee_share")})`),
    konst("mwh_month", "Energy bought a month when hashing", "MWh", (x) => `=${x.c("site_mw")}*${x.c("uptime")}*hours_per_month`),
    horizonConstant(),
    konst(
      "run_months",
      "Longest the mine may run",
      "months",
      (x) => `=IF(${x.c("horizon_years_mining")}>0,MIN(${x.c("horizon")},MAX(1,ROUND(${x.c("horizon_years_mining")}*12,0))),${x.c("horizon")})`,
    ),
    konst("land", "Powered land value", "USD", (x) => `=${x.c("powered_land_value")}*usd_per_musd*${x.c("site_mw")}`),
    konst("book0", "Fleet book value at the valuation date", "USD", (x) => `=${x.c("fleet_cost")}*${x.c("first_rep")}/${x.c("life")}`),
    konst("stop", "Stop month (the mine is sold at its end)", "month", (x) => `=MATCH(MAX(${x.r("value_if_stop")}),${x.r("value_if_stop")},0)`),
    ...firstFlow(),
    // Revenue and EBITDA per MW-year: the first 12 months of the mine as it runs, whenever it is sold.
    ...headlineResults(
      () => "0",
      (key) => (key === "revenue" ? "cand_revenue" : key === "ebitda" ? "cand_ebitda" : key),
    ),
    result("stop_month", "Stop month", "month", (x) => `=${x.c("stop")}`, "stop_month", "The month after which selling the site is worth the most"),
    result(
      "shut_in",
      "Months shut in",
      "months",
      (x) => `=SUM(${x.r("ops")})-SUM(${x.r("hashing")})`,
      "shut_in_months",
      "Months before the stop in which hashing would have lost cash",
    ),
    result(
      "cost_cash",
      "Cash cost to mine",
      "USD/BTC",
      (x) => `=IFERROR((${first12(x, "power_on")}+${first12(x, "other_on")}+12*${x.c("fixed_month")})/(${first12(x, "btc_on")}*(1-${x.c("pool_fee")})),"n/a")`,
      "cost_to_mine_cash",
      "(Power + other opex) / BTC earned after the pool fee, first 12 months of a hashing fleet",
      "calc_usd",
    ),
    result(
      "cost_all_in",
      "All-in cost to mine",
      "USD/BTC",
      (x) =>
        `=IFERROR((${first12(x, "power_on")}+${first12(x, "other_on")}+12*${x.c("fixed_month")}+12*${x.c("fleet_cost")}/${x.c("life")})/(${first12(x, "btc_on")}*(1-${x.c("pool_fee")})),"n/a")`,
      "cost_to_mine_all_in",
      "(Power + other opex + fleet depreciation) / BTC earned, first 12 months",
      "calc_usd",
    ),
    result(
      "breakeven",
      "Breakeven power price",
      "USD/MWh",
      (x) =>
        `=(${first12(x, "revenue_on")}-${first12(x, "other_on")}-12*${x.c("fixed_month")})/(${x.c("mwh_month")}*SUMPRODUCT((${x.m}<=12)*(1+${x.c("power_price_growth")})^(${x.m}/12)))`,
      "breakeven_power",
      "Starting power price at which first-12-month revenue = power + other opex",
      "calc_usd",
    ),
    ...marketLines(),
    // The candidate mine: keeps going until run_months.
    line("can_run", "May run flag", "flag", (x) => `=(${x.m}<=${x.c("run_months")})*1`, false, "calc_flag"),
    line("hash_if_run", "Hashing flag if running (margin > 0)", "flag", (x) => `=${x.t("can_run")}*(${x.t("margin_on")}>0)`, false, "calc_flag"),
    line(
      "replace",
      "Fleet replacement flag",
      "flag",
      (x) => `=${x.t("can_run")}*(${x.m}>=${x.c("first_rep")})*(${x.m}<${x.c("run_months")})*(MOD(${x.m}-${x.c("first_rep")},${x.c("life")})=0)`,
      false,
      "calc_flag",
    ),
    line("cand_revenue", "Revenue if running", "USD", (x) => `=${x.t("hash_if_run")}*${x.t("revenue_on")}`, true, "calc_usd"),
    line("cand_capex", "Fleet bought if running", "USD", (x) => `=${x.t("replace")}*${x.c("fleet_cost")}`, true, "calc_usd"),
    line(
      "cand_ebitda",
      "EBITDA if running",
      "USD",
      (x) => `=${x.t("hash_if_run")}*${x.t("margin_on")}-${x.t("can_run")}*${x.c("fixed_month")}`,
      true,
      "calc_usd",
    ),
    line("cand_dep", "Depreciation if running", "USD", (x) => `=${x.t("can_run")}*${x.c("fleet_cost")}/${x.c("life")}`, true, "calc_usd"),
    line(
      "book",
      "Fleet book value, closing",
      "USD",
      (x) => `=(${x.m}=1)*${x.c("book0")}+${x.p("book")}+${x.t("cand_capex")}-${x.t("cand_dep")}`,
      false,
      "calc_usd",
    ),
    line("cand_taxable", "Taxable income if running", "USD", (x) => `=${x.t("cand_ebitda")}-${x.t("cand_dep")}`, true),
    line("cand_loss_open", "Tax loss pool if running, opening", "USD", (x) => `=${x.p("cand_loss_close")}`),
    line("cand_base", "Taxable after losses if running", "USD", (x) => `=MAX(0,${x.t("cand_taxable")}-${x.t("cand_loss_open")})`, true),
    line(
      "cand_loss_close",
      "Tax loss pool if running, closing",
      "USD",
      (x) => `=${x.c("tax_loss_carryforward")}*MAX(0,${x.t("cand_loss_open")}-${x.t("cand_taxable")})`,
    ),
    line(
      "cand_flow",
      "Cash flow if running",
      "USD",
      (x) => `=${x.t("cand_ebitda")}-${x.t("cand_capex")}-${x.t("cand_base")}*${x.c("tax_rate")}`,
      true,
      "calc_usd",
    ),
    line("cand_pv", "Cumulative present value if running", "USD", (x) => `=${x.p("cand_pv")}+${x.t("cand_flow")}*${x.t("df")}`, false, "calc_usd"),
    line(
      "sale",
      "Sale of land and fleet after this month (after exit cost)",
      "USD",
      (x) => `=(${x.c("land")}+${x.c("fleet_resale_share")}*${x.t("book")})*(1-${x.c("exit_cost_share")})`,
      false,
      "calc_usd",
    ),
    line("sale_gain", "Taxable gain on that sale", "USD", (x) => `=${x.t("sale")}-${x.c("land")}-${x.t("book")}`, false, "calc_usd"),
    line(
      "sale_tax",
      "Tax on that gain",
      "USD",
      (x) => `=(MAX(0,${x.t("cand_taxable")}+${x.t("sale_gain")}-${x.t("cand_loss_open")})-${x.t("cand_base")})*${x.c("tax_rate")}`,
      false,
      "calc_usd",
    ),
    line(
      "value_if_stop",
      "Value if the mine stops after this month",
      "USD",
      (x) => `=IF(${x.t("can_run")}=1,${x.t("cand_pv")}+(${x.t("sale")}-${x.t("sale_tax")})*${x.t("df")},"")`,
      false,
      "calc_usd",
    ),
    // The mine as run: the candidate rows up to the stop month, then sold.
    line("ops", "Operations flag", "flag", (x) => `=(${x.m}<=${x.c("stop")})*1`, false, "calc_flag"),
    line("hashing", "Hashing flag", "flag", (x) => `=${x.t("ops")}*${x.t("hash_if_run")}`, false, "calc_flag"),
    line("btc_mined", "BTC mined (before pool fee)", "BTC", (x) => `=${x.t("hashing")}*${x.t("btc_on")}`, true),
    line("revenue", "Revenue", "USD", (x) => `=${x.t("hashing")}*${x.t("revenue_on")}`, true, "calc_usd"),
    line("power", "Power cost", "USD", (x) => `=${x.t("hashing")}*${x.t("power_on")}`, true, "calc_usd"),
    line("other", "Other opex", "USD", (x) => `=${x.t("hashing")}*${x.t("other_on")}+${x.t("ops")}*${x.c("fixed_month")}`, true, "calc_usd"),
    line("ebitda", "EBITDA", "USD", (x) => `=${x.t("revenue")}-${x.t("power")}-${x.t("other")}`, true, "calc_usd"),
    line("capex", "Capex (fleet replacement)", "USD", (x) => `=${x.t("ops")}*${x.t("cand_capex")}`, true, "calc_usd"),
    line("depreciation", "Depreciation", "USD", (x) => `=${x.t("ops")}*${x.t("cand_dep")}`, true, "calc_usd"),
    line("exit_proceeds", "Exit proceeds (land and fleet, after exit cost)", "USD", (x) => `=(${x.m}=${x.c("stop")})*${x.t("sale")}`, true, "calc_usd"),
    line("exit_gain", "Taxable gain on the exit", "USD", (x) => `=(${x.m}=${x.c("stop")})*${x.t("sale_gain")}`, true, "calc_usd"),
    ...closingRows("discount_rate_mining", { debt: false, assetSales: false }),
  ];
}
