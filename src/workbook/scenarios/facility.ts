/**
 * Rows both conversions share (engine: core/conversion.ts): the facility's capex, depreciation
 * and timing; mining on the unconverted part of the site while it builds, read from the site's
 * Mining block; the installed fleet sold slice by slice; the exit at the horizon; and project
 * debt sized by loan-to-cost and debt service cover.
 */
import { COL_CONST, konst, line, result, type BlockLayout, type Ctx, type RowSpec } from "../layout.js";
import { absRef } from "../refs.js";
import { firstFlow, headlineResults, horizonConstant } from "./closing.js";
import type { MINING_LINKS } from "./mining.js";

/** The site's Mining block, whose market rows and fleet a conversion reads. */
export interface MiningLink {
  readonly layout: BlockLayout;
}

/** A reference to the Mining block's constant `key` (absolute) or timeline row `key` (this column). */
function miningConst(link: MiningLink, key: string): string {
  return absRef(link.layout.consts.get(key)!, COL_CONST, link.layout.sheet);
}
function miningLine(link: MiningLink, x: Ctx, key: (typeof MINING_LINKS)[number]): string {
  return x.x(link.layout.sheet, link.layout.lines.get(key)!);
}

/** Derived constants of the facility both conversions build. */
export function facilityConstants(link: MiningLink): RowSpec[] {
  return [
    horizonConstant(),
    konst("it_mw", "Critical IT power", "MW", (x) => `=${x.c("site_mw")}/${x.c("pue_dc")}`),
    konst("it_kw", "Critical IT power", "kW", (x) => `=${x.c("it_mw")}*kw_per_mw`),
    konst("capex_total", "Conversion capex", "USD", (x) => `=${x.c("conversion_capex")}*usd_per_musd*${x.c("it_mw")}`),
    konst("dep_months", "Facility depreciation life", "months", (x) => `=MAX(1,ROUND(${x.c("facility_life_years")}*12,0))`),
    konst("dep_monthly", "Facility depreciation a month", "USD", (x) => `=${x.c("capex_total")}/${x.c("dep_months")}`),
    konst(
      "book_left",
      "Facility book value at the horizon",
      "USD",
      (x) => `=${x.c("capex_total")}-${x.c("dep_monthly")}*MIN(${x.c("dep_months")},${x.c("horizon")}-${x.c("construction_months")})`,
    ),
    konst("land", "Powered land value (tax basis)", "USD", (x) => `=${x.c("powered_land_value")}*usd_per_musd*${x.c("site_mw")}`),
    konst(
      "exit_noi",
      "Next-12-month NOI after the horizon",
      "USD",
      (x) =>
        `=${x.c("lease_rate")}*${x.c("it_kw")}*12*(1+${x.c("lease_escalator")})^INT((${x.c("horizon")}-${x.c("construction_months")})/12)*${x.c("noi_margin")}`,
      "The hall leased as a powered shell at the escalated rent",
    ),
    konst("fleet_cost", "Installed fleet cost (new)", "USD", () => `=${miningConst(link, "fleet_cost")}`),
    konst("first_rep", "Installed fleet's replacement month", "month", () => `=${miningConst(link, "first_rep")}`),
    konst("life", "Fleet life", "months", () => `=${miningConst(link, "life")}`),
    konst("fixed_month", "Fixed mining opex a month (whole site)", "USD", () => `=${miningConst(link, "fixed_month")}`),
    konst("debt_months", "Debt repayment period", "months", (x) => `=MAX(1,ROUND(${x.c("debt_term_years")}*12,0))`),
    konst("debt_rate_m", "Debt interest a month", "/month", (x) => `=${x.c("debt_rate")}/12`),
    konst("lowest_ebitda", "Lowest EBITDA over the debt service months", "USD", (x) => `=MIN(${x.r("cover_ebitda")})`),
    konst(
      "debt_cover_cap",
      "Debt the lowest EBITDA serves at min_dscr",
      "USD",
      (x) => `=IF(${x.c("lowest_ebitda")}>0,${x.c("lowest_ebitda")}/${x.c("min_dscr")}/PMT(${x.c("debt_rate_m")},${x.c("debt_months")},-1),0)`,
    ),
    konst("debt", "Project debt", "USD", (x) => `=MAX(0,MIN(${x.c("debt_ltc")}*${x.c("capex_total")},${x.c("debt_cover_cap")}))`),
    konst("payment", "Level debt payment", "USD", (x) => `=PMT(${x.c("debt_rate_m")},${x.c("debt_months")},-${x.c("debt")})`),
  ];
}

/** Timing rows, construction-time mining and fleet sales. */
export function facilityLines(link: MiningLink): RowSpec[] {
  const m = (x: Ctx, key: (typeof MINING_LINKS)[number]) => miningLine(link, x, key);
  return [
    line("date", "Period start", "date", (x) => `=${x.c("valuation_date")}+(${x.m}-1)*365.25/12`, false, "calc_date"),
    line("construction", "Construction flag", "flag", (x) => `=(${x.m}<=${x.c("construction_months")})*1`, false, "calc_flag"),
    line("ops", "Operations flag", "flag", (x) => `=(${x.m}>${x.c("construction_months")})*(${x.m}<=${x.c("horizon")})`, false, "calc_flag"),
    line("year_idx", "Service year (0 = first)", "years", (x) => `=${x.t("ops")}*INT((${x.m}-${x.c("construction_months")}-1)/12)`, false, "calc_flag"),
    line(
      "mine_share",
      "Share of the site still mining",
      "share",
      (x) => `=${x.t("construction")}*(${x.m}<=${x.c("first_rep")})*(${x.c("construction_months")}-${x.m})/${x.c("construction_months")}`,
      false,
      "calc_pct",
    ),
    line("hashing", "Share of the site hashing", "share", (x) => `=${x.t("mine_share")}*(${m(x, "margin_on")}>0)`, false, "calc_pct"),
    line("btc_mined", "BTC mined (before pool fee)", "BTC", (x) => `=${x.t("hashing")}*${m(x, "btc_on")}`, true),
    line("mining_revenue", "Mining revenue while converting", "USD", (x) => `=${x.t("hashing")}*${m(x, "revenue_on")}`, true, "calc_usd"),
    line("mining_power", "Mining power cost while converting", "USD", (x) => `=${x.t("hashing")}*${m(x, "power_on")}`, true, "calc_usd"),
    line(
      "mining_other",
      "Mining other opex while converting",
      "USD",
      (x) => `=${x.t("hashing")}*${m(x, "other_on")}+${x.t("mine_share")}*${x.c("fixed_month")}`,
      true,
      "calc_usd",
    ),
    line(
      "slice_book",
      "Book value of the fleet slice taken offline",
      "USD",
      (x) => `=${x.t("construction")}*${x.c("fleet_cost")}*MAX(0,${x.c("first_rep")}-${x.m}+1)/${x.c("life")}/${x.c("construction_months")}`,
      true,
      "calc_usd",
    ),
    line("fleet_sales", "Fleet slice sold", "USD", (x) => `=${x.c("fleet_resale_share")}*${x.t("slice_book")}`, true, "calc_usd"),
    line("exit_flag", "Exit flag", "flag", (x) => `=(${x.m}=${x.c("horizon")})*1`, false, "calc_flag"),
  ];
}

/** Depreciation of the facility and the fleet still mining; `extra` adds the GPUs'. */
export function depreciationLine(extra: (x: Ctx) => string = () => ""): RowSpec {
  return line(
    "depreciation",
    "Depreciation",
    "USD",
    (x) =>
      `=${x.t("ops")}*(${x.m}<=${x.c("construction_months")}+${x.c("dep_months")})*${x.c("dep_monthly")}+${x.t("mine_share")}*${x.c("fleet_cost")}/${x.c("life")}${extra(x)}`,
    true,
    "calc_usd",
  );
}

/** Exit at the horizon: `price` and `basis` are constants of the block. */
export function exitLines(): RowSpec[] {
  return [
    line(
      "exit_proceeds",
      "Exit proceeds (after exit cost)",
      "USD",
      (x) => `=${x.t("exit_flag")}*${x.c("exit_price")}*(1-${x.c("exit_cost_share")})`,
      true,
      "calc_usd",
    ),
    line(
      "exit_gain",
      "Taxable gain on the exit",
      "USD",
      (x) => `=${x.t("exit_flag")}*(${x.c("exit_price")}*(1-${x.c("exit_cost_share")})-${x.c("exit_basis")})`,
      true,
      "calc_usd",
    ),
  ];
}

/** Project debt: drawn with the conversion capex, level repayment, balance repaid at the exit. */
export function debtLines(): RowSpec[] {
  return [
    line(
      "cover_ebitda",
      "EBITDA in a debt service month",
      "USD",
      (x) => `=IF(${x.t("ops")}*(${x.m}<=${x.c("construction_months")}+${x.c("debt_months")})=1,${x.t("ebitda")},"")`,
      false,
      "calc_usd",
    ),
    line("debt_open", "Debt, opening", "USD", (x) => `=${x.p("debt_close")}`, false, "calc_usd"),
    line("debt_draw", "Debt drawn", "USD", (x) => `=${x.t("construction")}*${x.c("debt")}/${x.c("construction_months")}`, true, "calc_usd"),
    line("interest", "Interest", "USD", (x) => `=${x.t("debt_open")}*${x.c("debt_rate_m")}`, true, "calc_usd"),
    line(
      "principal",
      "Debt repaid (scheduled)",
      "USD",
      (x) => `=${x.t("ops")}*(${x.m}<=${x.c("construction_months")}+${x.c("debt_months")})*MIN(${x.t("debt_open")},${x.c("payment")}-${x.t("interest")})`,
      true,
      "calc_usd",
    ),
    line("exit_debt", "Debt repaid from the exit", "USD", (x) => `=${x.t("exit_flag")}*(${x.t("debt_open")}-${x.t("principal")})`, true, "calc_usd"),
    line("debt_close", "Debt, closing", "USD", (x) => `=${x.t("debt_open")}+${x.t("debt_draw")}-${x.t("principal")}-${x.t("exit_debt")}`, false, "calc_usd"),
    line(
      "cover",
      "Debt service cover",
      "ratio",
      (x) => `=IF((${x.t("interest")}+${x.t("principal")})*${x.t("ops")}>0,${x.t("ebitda")}/(${x.t("interest")}+${x.t("principal")}),"")`,
      false,
      "calc_ratio",
    ),
  ];
}

export function conversionResults(): RowSpec[] {
  return [
    ...firstFlow(),
    ...headlineResults((x) => x.c("construction_months")),
    result("critical_it_mw", "Critical IT", "MW", (x) => `=${x.c("it_mw")}`, "critical_it_mw", "site_mw / pue_dc"),
    result(
      "debt_usd",
      "Project debt",
      "USD",
      (x) => `=${x.c("debt")}`,
      "debt_usd",
      "Lesser of debt_ltc x capex and the debt EBITDA covers min_dscr times",
      "calc_usd",
    ),
    result(
      "dscr_low",
      "Lowest debt service cover",
      "ratio",
      (x) => `=IF(${x.c("debt")}>0,MIN(${x.r("cover")}),"n/a")`,
      "min_dscr",
      "Lowest EBITDA / (interest + principal) over the scheduled service months",
      "calc_ratio",
    ),
  ];
}
