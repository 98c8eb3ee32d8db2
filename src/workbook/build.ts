/**
 * Builds the comparison workbook plan from the core: the valuation re-expressed as native
 * spreadsheet formulas that any engine recalculates (Excel 2016+, LibreOffice 7.4+), laid out
 * in the spirit of the FAST Standard:
 *
 *   Cover → Inputs → one workings sheet per scenario → Comparison (tables, charts) → Checks
 *
 * Workings sheets share one column layout: label | constant | unit | total | (blank) | months.
 * Each block (one site, one scenario) first links its inputs into the constant column, then
 * derives constants, then lays out timeline rows: one formula per row, copied unchanged across
 * the months, with timing by flag rows. The column left of the timeline stays blank so that
 * balance rows (opening = previous closing) start from zero.
 */
import {
  BLOCKS_PER_DAY,
  BLOCKS_PER_MONTH,
  DEFAULTS,
  HALVING_INTERVAL,
  HEADLINE_METRICS,
  HOURS_PER_MONTH,
  HYBRID_SHARE_KEYS,
  INITIAL_SUBSIDY_SATS,
  InputError,
  MAX_HALVINGS,
  REGISTRY,
  SATS_PER_BTC,
  SCENARIO_LABELS,
  compare,
  getDef,
  keysFor,
  metricDef,
  serialToIso,
  type AssumptionDef,
  type AssumptionKey,
  type Assumptions,
  type BaseScenario,
  type Comparison,
  type HeadlineMetric,
  type Metrics,
  type ScenarioName,
} from "../core/index.js";
import type { CellPlan, ChartPlan, DefinedName, ResultCell, SheetPlan, SheetRole, StyleName, WorkbookPlan } from "./plan.js";
import { absRange, absRef, cellRef, sheetPrefix, toR1C1 } from "./refs.js";

export interface WorkbookSite {
  readonly name: string;
  readonly values: Assumptions;
  /** Keys the user gave (the rest are defaults); shown in the inputs sheet's note column. */
  readonly provided?: ReadonlySet<AssumptionKey>;
}

export interface WorkbookOptions {
  /** Scenarios to include; hybrid brings the three base scenarios with it. */
  readonly scenarios?: readonly ScenarioName[];
  /** Shown on the cover; ISO date. Left out when absent so that plans are reproducible. */
  readonly generatedOn?: string;
  /** Source and as-of date of a key's base value, where it is not the registry's default (a market snapshot, a deal). */
  readonly provenance?: (key: AssumptionKey) => { readonly source: string; readonly asOf: string };
  /** What the base values stand on (the market snapshot, a deal), one line for the cover. */
  readonly basis?: string;
}

export const SHEET_NAMES = {
  cover: "Cover",
  inputs: "Inputs",
  mining: "Mining",
  powered_shell: "Powered shell",
  colocated_gpu: "Colocated GPU",
  hybrid: "Hybrid",
  comparison: "Comparison",
  checks: "Checks",
} as const;

/** Universal constants, written once on the inputs sheet and used in formulas by name. */
const CONSTANTS: ReadonlyArray<{ name: string; value: number; label: string; unit: string }> = [
  { name: "blocks_per_day", value: BLOCKS_PER_DAY, label: "Blocks a day (protocol target)", unit: "blocks" },
  { name: "blocks_per_month", value: BLOCKS_PER_MONTH, label: "Blocks a model month (144 × 365.25 / 12)", unit: "blocks" },
  { name: "hours_per_month", value: HOURS_PER_MONTH, label: "Hours a model month (24 × 365.25 / 12)", unit: "hours" },
  { name: "halving_interval", value: HALVING_INTERVAL, label: "Blocks between halvings", unit: "blocks" },
  { name: "initial_subsidy_sats", value: INITIAL_SUBSIDY_SATS, label: "First block subsidy", unit: "satoshis" },
  { name: "max_halvings", value: MAX_HALVINGS, label: "Halvings after which the subsidy is zero", unit: "halvings" },
  { name: "sats_per_btc", value: SATS_PER_BTC, label: "Satoshis per bitcoin", unit: "satoshis" },
  { name: "w_per_mw", value: 1_000_000, label: "Watts per megawatt", unit: "W" },
  { name: "kw_per_mw", value: 1_000, label: "Kilowatts per megawatt", unit: "kW" },
  { name: "usd_per_musd", value: 1_000_000, label: "USD per million USD", unit: "USD" },
  { name: "th_per_eh", value: 1_000_000, label: "TH/s per EH/s", unit: "TH/s" },
  { name: "ph_per_eh", value: 1_000, label: "PH/s per EH/s", unit: "PH/s" },
  { name: "irr_guess_monthly", value: 0.01, label: "Starting guess for IRR (monthly)", unit: "/month" },
  { name: "check_tolerance", value: 1e-9, label: "Check tolerance, relative (floor 1)", unit: "share" },
  { name: "irr_check_tolerance", value: 1e-6, label: "Check tolerance for IRR (iterative in every engine)", unit: "/yr" },
  { name: "share_tolerance", value: 1e-6, label: "Tolerance for hybrid shares summing to 1", unit: "share" },
];

// Workings column layout.
const COL_LABEL = 0;
const COL_CONST = 1;
const COL_UNIT = 2;
const COL_TOTAL = 3;
const COL_FIRST_MONTH = 5;
const ROW_MONTH = 3;
const ROW_YEAR = 4;
const FIRST_BLOCK_ROW = 6;

type Ctx = {
  /** Absolute reference to a constant or result of this block. */
  c(key: string): string;
  /** This column of a timeline row of this block. */
  t(key: string): string;
  /** The previous column of a timeline row (balances). */
  p(key: string): string;
  /** Whole timeline range of a row, absolute. */
  r(key: string): string;
  /** The month counter in this column (or its range in results). */
  readonly m: string;
  /** This column of a row in another sheet's block (hybrid). */
  x(sheet: string, row: number): string;
  /** The last timeline column of a row, absolute (a running row's final value). */
  last(key: string): string;
};

interface RowSpec {
  readonly kind: "input" | "const" | "result" | "line";
  readonly key: string;
  readonly label: string;
  readonly unit: string;
  readonly f?: (x: Ctx) => string;
  /** For inputs: the assumption key linked from the inputs sheet. */
  readonly input?: AssumptionKey;
  /** Line rows that are flows get a total; balances and rates do not. */
  readonly total?: boolean;
  readonly style?: StyleName;
  readonly note?: string;
  /** For results: the engine metric it reproduces. */
  readonly metric?: keyof Metrics;
}

/** The inputs a scenario block links in: exactly the keys the registry tags with the scenario. */
const inputsOf = (scenario: BaseScenario): RowSpec[] => keysFor(scenario).map(input);

function input(key: AssumptionKey): RowSpec {
  const def = getDef(key);
  return { kind: "input", key, label: def.label, unit: def.unit, input: key };
}
const konst = (key: string, label: string, unit: string, f: (x: Ctx) => string, note?: string): RowSpec => ({
  kind: "const",
  key,
  label,
  unit,
  f,
  ...(note ? { note } : {}),
});
const line = (key: string, label: string, unit: string, f: (x: Ctx) => string, total = false, style?: StyleName): RowSpec => ({
  kind: "line",
  key,
  label,
  unit,
  f,
  total,
  ...(style ? { style } : {}),
});
const result = (key: string, label: string, unit: string, f: (x: Ctx) => string, metric: keyof Metrics, note: string, style: StyleName = "calc"): RowSpec => ({
  kind: "result",
  key,
  label,
  unit,
  f,
  metric,
  note,
  style,
});

/** Subsidy in satoshis at a height reference: 0 after 64 halvings, else an integer shift. */
const subsidySatsAt = (height: string) => `(INT(${height}/halving_interval)<max_halvings)*INT(initial_subsidy_sats/2^INT(${height}/halving_interval))`;

/** Rows shared by every base scenario after EBITDA: tax with a loss pool, equity flow, discounting, payback. */
function closingRows(rateKey: AssumptionKey, withDebt: boolean): RowSpec[] {
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
function headlineResults(start: (x: Ctx) => string): RowSpec[] {
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
function firstFlow(): RowSpec[] {
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

function miningSpec(): RowSpec[] {
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

/** Derived constants and timeline rows of the facility both conversions build. */
function facilityConstants(): RowSpec[] {
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

function facilityLines(): RowSpec[] {
  return [
    line("date", "Period start", "date", (x) => `=${x.c("valuation_date")}+(${x.m}-1)*365.25/12`, false, "calc_date"),
    line("construction", "Construction flag", "flag", (x) => `=(${x.m}<=${x.c("construction_months")})*1`, false, "calc_flag"),
    line("ops", "Operations flag", "flag", (x) => `=(${x.m}>${x.c("construction_months")})*(${x.m}<=${x.c("horizon")})`, false, "calc_flag"),
    line("year_idx", "Service year (0 = first)", "years", (x) => `=${x.t("ops")}*INT((${x.m}-${x.c("construction_months")}-1)/12)`, false, "calc_flag"),
  ];
}

function debtLines(): RowSpec[] {
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

function conversionResults(): RowSpec[] {
  return [
    ...firstFlow(),
    ...headlineResults((x) => x.c("construction_months")),
    result("critical_it_mw", "Critical IT", "MW", (x) => `=${x.c("it_mw")}`, "critical_it_mw", "site_mw / pue_dc"),
  ];
}

function shellSpec(): RowSpec[] {
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

function gpuSpec(): RowSpec[] {
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

const BASE_SPECS: Readonly<Record<BaseScenario, () => RowSpec[]>> = {
  mining: miningSpec,
  powered_shell: shellSpec,
  colocated_gpu: gpuSpec,
};

// ---------------------------------------------------------------------------------------------

class SheetBuilder {
  readonly cells: CellPlan[] = [];
  readonly timelineRows: SheetPlan["timelineRows"] = [];
  readonly widths: Array<readonly [number, number]> = [];
  freeze?: readonly [number, number];

  constructor(
    readonly name: string,
    readonly role: SheetRole,
  ) {}

  put(cell: CellPlan): void {
    this.cells.push(cell);
  }

  text(row: number, col: number, value: string, style: StyleName = "text", note?: string): void {
    this.put({ row, col, value, style, ...(note ? { note } : {}) });
  }

  plan(): SheetPlan {
    return {
      name: this.name,
      role: this.role,
      cells: this.cells,
      columnWidths: this.widths,
      timelineRows: this.timelineRows,
      ...(this.freeze ? { freeze: this.freeze } : {}),
    };
  }
}

/** Where a block put its rows: for links from other sheets. */
interface BlockLayout {
  readonly sheet: string;
  /** Rows of inputs, derived constants and results (values in the constant column). */
  readonly consts: ReadonlyMap<string, number>;
  /** Rows of timeline lines. */
  readonly lines: ReadonlyMap<string, number>;
}

function styleForValue(def: AssumptionDef): StyleName {
  if (def.kind === "date") return "input_date";
  if (def.unit === "share" || def.unit === "/yr" || def.unit === "share of revenue") return "input_pct";
  return "input";
}

function linkStyle(def: AssumptionDef): StyleName {
  return def.unit === "share" || def.unit === "/yr" || def.unit === "share of revenue" ? "link_pct" : "link";
}

function inputCellValue(def: AssumptionDef, value: number): number | boolean {
  return def.kind === "boolean" ? value === 1 : value;
}

const GROUP_TITLES: Readonly<Record<AssumptionDef["group"], string>> = {
  site: "Site and general",
  market: "Bitcoin market",
  mining: "Mining operations",
  conversion: "Conversion to a data centre",
  lease: "Powered-shell lease",
  debt: "Project debt",
  gpu: "Colocated GPU",
  hybrid: "Hybrid split",
};

const METRIC_STYLE: Readonly<Record<HeadlineMetric, StyleName>> = {
  equity_per_watt: "calc",
  npv_usd: "calc_usd",
  rev_per_mw: "calc_usd",
  ebitda_per_mw: "calc_usd",
  irr: "calc_pct",
  payback_years: "calc_ratio",
};

const METRIC_ROWS = HEADLINE_METRICS.map((metric) => {
  const def = metricDef(metric);
  return { metric, label: def.unit === "/yr" ? def.label : `${def.label} (${def.unit})`, style: METRIC_STYLE[metric] };
});

const RESULT_KEY: Partial<Record<keyof Metrics, string>> = {
  npv_usd: "equity",
  equity_per_watt: "equity_per_watt",
  rev_per_mw: "rev_per_mw",
  ebitda_per_mw: "ebitda_per_mw",
  irr: "irr",
  payback_years: "payback",
  cost_to_mine_cash: "cost_cash",
  cost_to_mine_all_in: "cost_all_in",
  breakeven_power: "breakeven",
  critical_it_mw: "critical_it_mw",
  capex_usd: "capex_usd",
  gpu_count: "gpu_count",
};

/**
 * Builds the plan for `sites` (one or more) and the chosen scenarios. Every site is valued by
 * the core first, so bad input fails here, naming the site, before anything is written.
 */
export function buildWorkbookPlan(sites: readonly WorkbookSite[], options: WorkbookOptions = {}): WorkbookPlan {
  if (sites.length === 0) throw new InputError("sites", "(none)", "at least one site");
  const scenarios: ScenarioName[] = [...new Set(options.scenarios ?? (["mining", "powered_shell", "colocated_gpu", "hybrid"] as const))];
  if (scenarios.length === 0) throw new InputError("scenarios", "(none)", "at least one scenario");
  const bases: BaseScenario[] = (["mining", "powered_shell", "colocated_gpu"] as const).filter((s) => scenarios.includes(s) || scenarios.includes("hybrid"));
  const names = new Set<string>();
  sites.forEach((site, i) => {
    if (site.name.trim() === "") throw new InputError(`site ${i + 1}`, site.name, "a non-empty name");
    if (names.has(site.name))
      throw new InputError(`site ${i + 1}`, site.name, "a name no other site has", `site ${i + 1}: the name "${site.name}" is used twice`);
    names.add(site.name);
  });
  const engine: Comparison[] = sites.map((site) => {
    try {
      return compare(site.values, [...bases, ...(scenarios.includes("hybrid") ? (["hybrid"] as const) : [])]);
    } catch (error) {
      if (error instanceof InputError) throw new InputError(error.argument, error.value, error.allowed, `site "${site.name}": ${error.message}`);
      throw error;
    }
  });
  const months = Math.max(...engine.flatMap((c) => bases.map((s) => c.valuations[s]!.schedule.months)));
  const lastCol = COL_FIRST_MONTH + months - 1;
  const single = sites.length === 1;

  const definedNames: DefinedName[] = [];
  const charts: ChartPlan[] = [];

  // Inputs ------------------------------------------------------------------------------------
  const inputs = new SheetBuilder(SHEET_NAMES.inputs, "inputs");
  const siteCol = (i: number) => 3 + i;
  const afterSites = 3 + sites.length;
  inputs.text(0, 0, "Inputs", "title");
  inputs.text(1, 0, "One row per assumption. Blue cells on a pale fill are inputs: change them and every sheet follows.", "subtitle");
  const header = ["Assumption", "Key (defined name)", "Unit", ...sites.map((s) => s.name), "Source of the default", "As of", "Note"];
  header.forEach((text, col) => inputs.text(3, col, text, "header"));
  const keyRow = new Map<AssumptionKey, number>();
  let row = 4;
  let group: string | undefined;
  for (const def of REGISTRY) {
    if (def.group !== group) {
      group = def.group;
      row++;
      inputs.text(row++, 0, GROUP_TITLES[def.group], "heading");
    }
    const key = def.key as AssumptionKey;
    keyRow.set(key, row);
    inputs.text(row, 0, def.label, "label");
    inputs.text(row, 1, key, "note");
    inputs.text(row, 2, def.unit, "unit");
    sites.forEach((site, i) => inputs.put({ row, col: siteCol(i), value: inputCellValue(def, site.values[key]), style: styleForValue(def) }));
    const origin = options.provenance?.(key) ?? def;
    inputs.text(row, afterSites, origin.source, "note");
    inputs.text(row, afterSites + 1, origin.asOf, "note");
    const given = sites.filter((s) => s.provided?.has(key)).map((s) => s.name);
    const changed = sites.filter((s) => s.values[key] !== DEFAULTS[key]).map((s) => s.name);
    const note = `${def.meaning}. Allowed: ${describeRange(def)}.${given.length > 0 ? ` Given for: ${given.join(", ")}.` : ""}${changed.length > 0 && given.length === 0 ? " Differs from the default." : ""}`;
    inputs.text(row, afterSites + 2, note, "note");
    definedNames.push({
      name: key,
      refersTo: `=${single ? absRef(row, siteCol(0), SHEET_NAMES.inputs) : absRange(row, siteCol(0), row, siteCol(sites.length - 1), SHEET_NAMES.inputs)}`,
    });
    row++;
  }
  const lastInputRow = row - 1;
  row += 1;
  inputs.text(row++, 0, "Universal constants (used in formulas by name)", "heading");
  for (const constant of CONSTANTS) {
    inputs.text(row, 0, constant.label, "label");
    inputs.text(row, 1, constant.name, "note");
    inputs.text(row, 2, constant.unit, "unit");
    inputs.put({ row, col: 3, value: constant.value, style: "calc" });
    definedNames.push({ name: constant.name, refersTo: `=${absRef(row, 3, SHEET_NAMES.inputs)}` });
    row++;
  }
  inputs.widths.push(
    [0, 34],
    [1, 24],
    [2, 16],
    ...sites.map((_, i) => [siteCol(i), 16] as const),
    [afterSites, 60],
    [afterSites + 1, 11],
    [afterSites + 2, 70],
  );
  inputs.freeze = [4, 3];
  const inputRef = (key: AssumptionKey, site: number) => absRef(keyRow.get(key)!, siteCol(site), SHEET_NAMES.inputs);

  // Workings ----------------------------------------------------------------------------------
  const layouts: Array<Partial<Record<ScenarioName, BlockLayout>>> = sites.map(() => ({}));
  const workings: SheetBuilder[] = [];
  const timelineHeader = (sheet: SheetBuilder, title: string, blurb: string) => {
    sheet.text(0, 0, title, "title");
    sheet.text(1, 0, blurb, "subtitle");
    sheet.text(ROW_MONTH, COL_LABEL, "Month", "header");
    sheet.text(ROW_MONTH, COL_UNIT, "month", "unit");
    sheet.text(ROW_YEAR, COL_LABEL, "Model year", "header");
    sheet.text(ROW_YEAR, COL_UNIT, "year", "unit");
    sheet.text(ROW_MONTH - 1, COL_CONST, "Constant", "header");
    sheet.text(ROW_MONTH - 1, COL_TOTAL, "Total", "header");
    sheet.timelineRows.push(
      { row: ROW_MONTH, firstCol: COL_FIRST_MONTH, lastCol, formulaR1C1: "=R[0]C[-1]+1", style: "header" },
      { row: ROW_YEAR, firstCol: COL_FIRST_MONTH, lastCol, formulaR1C1: "=INT((R[-1]C[0]-1)/12)+1", style: "calc_flag" },
    );
    sheet.widths.push([COL_LABEL, 36], [COL_CONST, 16], [COL_UNIT, 12], [COL_TOTAL, 16], [4, 2]);
    for (let col = COL_FIRST_MONTH; col <= lastCol; col++) sheet.widths.push([col, 13]);
    sheet.freeze = [ROW_YEAR + 1, COL_FIRST_MONTH];
  };

  for (const scenario of bases) {
    const sheet = new SheetBuilder(SHEET_NAMES[scenario], "workings");
    timelineHeader(
      sheet,
      `${SCENARIO_LABELS[scenario]} workings`,
      "Links to inputs in green, formulas in black; each timeline row is one formula copied across the months.",
    );
    let next = FIRST_BLOCK_ROW;
    sites.forEach((site, s) => {
      const spec = BASE_SPECS[scenario]();
      const layout = layBlock(sheet, spec, next, site.name, lastCol, (key) => inputRef(key, s));
      layouts[s]![scenario] = layout.block;
      seedIrr(sheet, layout.block, engine[s]!.valuations[scenario]!.metrics.irr);
      next = layout.nextRow + 1;
    });
    workings.push(sheet);
  }

  if (scenarios.includes("hybrid")) {
    const sheet = new SheetBuilder(SHEET_NAMES.hybrid, "workings");
    timelineHeader(sheet, "Hybrid workings", "Each line is the share-weighted sum of the same line in the three scenario sheets.");
    let next = FIRST_BLOCK_ROW;
    sites.forEach((site, s) => {
      const parts = bases.map((b) => ({ scenario: b, layout: layouts[s]![b]! }));
      const weighted = (x: Ctx, key: string) =>
        parts.map((p) => `${x.c(HYBRID_SHARE_KEYS[p.scenario])}*${x.x(p.layout.sheet, p.layout.lines.get(key)!)}`).join("+");
      const weightedResult = (x: Ctx, key: string) =>
        parts.map((p) => `${x.c(HYBRID_SHARE_KEYS[p.scenario])}*${absRef(p.layout.consts.get(key)!, COL_CONST, p.layout.sheet)}`).join("+");
      const spec: RowSpec[] = [
        ...(["site_mw", "share_mining", "share_shell", "share_gpu", "net_debt"] as const).map(input),
        ...firstFlow(),
        ...headlineResults(() => "0").filter((r) => r.key === "equity" || r.key === "equity_per_watt"),
        result(
          "rev_per_mw",
          "Revenue per MW-year",
          "USD/MW-yr",
          (x) => `=${weightedResult(x, "rev_per_mw")}`,
          "rev_per_mw",
          "Σ share × each part's revenue per MW",
          "calc_usd",
        ),
        result(
          "ebitda_per_mw",
          "EBITDA per MW-year",
          "USD/MW-yr",
          (x) => `=${weightedResult(x, "ebitda_per_mw")}`,
          "ebitda_per_mw",
          "Σ share × each part's EBITDA per MW",
          "calc_usd",
        ),
        ...headlineResults(() => "0").filter((r) => r.key === "irr" || r.key === "payback"),
        line("revenue", "Revenue", "USD", (x) => `=${weighted(x, "revenue")}`, true, "calc_usd"),
        line("ebitda", "EBITDA", "USD", (x) => `=${weighted(x, "ebitda")}`, true, "calc_usd"),
        line("cfe", "Cash flow to equity", "USD", (x) => `=${weighted(x, "cfe")}`, true, "calc_usd"),
        line("tv", "Terminal value", "USD", (x) => `=${weighted(x, "tv")}`, true, "calc_usd"),
        line("flow", "Equity flow incl. terminal value", "USD", (x) => `=${x.t("cfe")}+${x.t("tv")}`, true, "calc_usd"),
        line("pv", "Present value (each part at its own rate)", "USD", (x) => `=${weighted(x, "pv")}`, true, "calc_usd"),
        ...closingRows("discount_rate_mining", false).filter((r) =>
          ["sign", "last_sign", "first_sign", "sign_change", "cum", "cross", "cross_count", "first_cross", "payback_part"].includes(r.key),
        ),
      ];
      const layout = layBlock(sheet, spec, next, site.name, lastCol, (key) => inputRef(key, s));
      layouts[s]!.hybrid = layout.block;
      seedIrr(sheet, layout.block, engine[s]!.valuations.hybrid!.metrics.irr);
      next = layout.nextRow + 1;
    });
    workings.push(sheet);
  }

  if (single) {
    for (const scenario of scenarios) {
      const layout = layouts[0]![scenario]!;
      for (const { metric } of METRIC_ROWS) {
        definedNames.push({ name: `${scenario}_${metric}`, refersTo: `=${absRef(layout.consts.get(RESULT_KEY[metric]!)!, COL_CONST, layout.sheet)}` });
      }
    }
  }

  // Comparison --------------------------------------------------------------------------------
  const comparison = new SheetBuilder(SHEET_NAMES.comparison, "outputs");
  comparison.text(0, 0, "Comparison", "title");
  comparison.text(1, 0, "Metrics by site and scenario, linked from the workings sheets. Uplift is each scenario's equity per watt minus mining's.", "subtitle");
  row = 3;
  const tableAt = new Map<string, { firstRow: number; lastRow: number }>();
  const metricTables: ReadonlyArray<{ id: string; title: string; style: StyleName; cell: (s: number, scenario: ScenarioName) => string | undefined }> = [
    ...METRIC_ROWS.map((m) => ({
      id: m.metric,
      title: m.label,
      style: m.style,
      cell: (s: number, scenario: ScenarioName) => `=${resultRef(layouts[s]![scenario]!, RESULT_KEY[m.metric]!)}`,
    })),
    {
      id: "uplift",
      title: "Uplift over mining (USD/W)",
      style: "calc",
      cell: (s: number, scenario: ScenarioName) =>
        scenario === "mining" || !layouts[s]!.mining
          ? undefined
          : `=${resultRef(layouts[s]![scenario]!, "equity_per_watt")}-${resultRef(layouts[s]!.mining!, "equity_per_watt")}`,
    },
  ];
  for (const table of metricTables) {
    comparison.text(row, 0, table.title, "heading");
    row++;
    comparison.text(row, 0, "Site", "header");
    scenarios.forEach((scenario, j) => comparison.text(row, 1 + j, SCENARIO_LABELS[scenario], "header"));
    row++;
    const firstRow = row;
    sites.forEach((site, s) => {
      comparison.text(row, 0, site.name, "label");
      scenarios.forEach((scenario, j) => {
        const formula = table.cell(s, scenario);
        if (formula) comparison.put({ row, col: 1 + j, formula, style: LINK_STYLE[table.style] ?? "link" });
      });
      row++;
    });
    tableAt.set(table.id, { firstRow, lastRow: row - 1 });
    row++;
  }
  // Annual cash flow to equity by scenario, all sites together.
  comparison.text(row, 0, "Annual cash flow to equity incl. terminal value, all sites (USD)", "heading");
  row++;
  comparison.text(row, 0, "Model year", "header");
  scenarios.forEach((scenario, j) => comparison.text(row, 1 + j, SCENARIO_LABELS[scenario], "header"));
  row++;
  const years = Math.ceil(months / 12);
  const annualFirst = row;
  for (let y = 1; y <= years; y++) {
    comparison.put({ row, col: 0, formula: y === 1 ? "=1" : `=${cellRef(row - 1, 0)}+1`, style: "calc_flag" });
    scenarios.forEach((scenario, j) => {
      const terms = sites.map((_, s) => {
        const layout = layouts[s]![scenario]!;
        const flowRow = layout.lines.get("flow")!;
        return `SUMPRODUCT((${absRange(ROW_YEAR, COL_FIRST_MONTH, ROW_YEAR, lastCol, layout.sheet)}=${cellRef(row, 0, false, true)})*${absRange(flowRow, COL_FIRST_MONTH, flowRow, lastCol, layout.sheet)})`;
      });
      comparison.put({ row, col: 1 + j, formula: `=${terms.join("+")}`, style: "calc_usd" });
    });
    row++;
  }
  const annualLast = row - 1;
  comparison.widths.push([0, 34], ...scenarios.map((_, j) => [1 + j, 16] as const));
  const chartCol = scenarios.length + 2;
  const seriesFor = (id: string) =>
    scenarios.map((scenario, j) => ({
      name: SCENARIO_LABELS[scenario],
      sheet: SHEET_NAMES.comparison,
      categories: [tableAt.get(id)!.firstRow, 0, tableAt.get(id)!.lastRow, 0] as const,
      values: [tableAt.get(id)!.firstRow, 1 + j, tableAt.get(id)!.lastRow, 1 + j] as const,
    }));
  charts.push(
    {
      sheet: SHEET_NAMES.comparison,
      row: 3,
      col: chartCol,
      type: "column",
      title: "Equity value per watt by scenario",
      yAxisTitle: "USD per watt",
      series: seriesFor("equity_per_watt"),
    },
    {
      sheet: SHEET_NAMES.comparison,
      row: 20,
      col: chartCol,
      type: "line",
      title: "Annual cash flow to equity by scenario",
      yAxisTitle: "USD",
      series: scenarios.map((scenario, j) => ({
        name: SCENARIO_LABELS[scenario],
        sheet: SHEET_NAMES.comparison,
        categories: [annualFirst, 0, annualLast, 0] as const,
        values: [annualFirst, 1 + j, annualLast, 1 + j] as const,
      })),
    },
    {
      sheet: SHEET_NAMES.comparison,
      row: 37,
      col: chartCol,
      type: "column",
      title: "Revenue per MW-year by scenario",
      yAxisTitle: "USD per MW-year",
      series: seriesFor("rev_per_mw"),
    },
  );

  // Checks ------------------------------------------------------------------------------------
  const checks = new SheetBuilder(SHEET_NAMES.checks, "checks");
  checks.text(0, 0, "Checks", "title");
  checks.text(
    1,
    0,
    "Each figure is reconciled with the MinePivot engine that built the workbook. Once inputs are edited, the reconciliation no longer applies and those rows pass; the integrity checks always apply.",
    "subtitle",
  );
  ["Check", "Workbook value", "Engine value", "Difference", "Tolerance", "OK (1 = pass)"].forEach((text, col) => checks.text(3, col, text, "header"));
  row = 4;
  // Inputs as built: a snapshot of the input block, compared cell by cell.
  const snapshotCol = 8;
  checks.text(3, snapshotCol, "Inputs as built (snapshot)", "header");
  for (const [key, r] of keyRow)
    sites.forEach((site, s) => checks.put({ row: r, col: snapshotCol + s, value: inputCellValue(getDef(key), site.values[key]), style: "engine" }));
  const changedTerms = sites.map(
    (_, s) =>
      `SUMPRODUCT((${absRange(4, siteCol(s), lastInputRow, siteCol(s), SHEET_NAMES.inputs)}<>${absRange(4, snapshotCol + s, lastInputRow, snapshotCol + s)})*1)`,
  );
  const changedRow = row;
  checks.text(row, 0, "Inputs changed since the workbook was built (count)", "label");
  checks.put({ row, col: 1, formula: `=${changedTerms.join("+")}`, style: "calc_flag" });
  checks.put({ row, col: 2, value: 0, style: "engine" });
  checks.text(row, 5, "info", "note");
  row++;
  const asBuilt = absRef(changedRow, 1);
  const okRows: number[] = [];
  const results: ResultCell[] = [];
  let checkCount = 0;
  const addCheck = (label: string, workbook: string, engineValue: number | string, tolerance: string, reconciliation: boolean) => {
    checks.text(row, 0, label, "label");
    checks.put({ row, col: 1, formula: workbook, style: "link", ...(typeof engineValue === "number" ? { expected: engineValue } : {}) });
    checks.put({ row, col: 2, value: engineValue, style: "engine" });
    const [b, c, d, e] = [cellRef(row, 1), cellRef(row, 2), cellRef(row, 3), cellRef(row, 4)];
    checks.put({ row, col: 3, formula: `=IFERROR(ABS(${b}-${c}),"")`, style: "calc" });
    checks.put({ row, col: 4, formula: `=${tolerance}`, style: "calc" });
    const match = `IFERROR(ISNUMBER(${c})*(${d}<=${e}*MAX(1,ABS(${c}))),0)+ISTEXT(${c})*(${b}=${c})`;
    checks.put({ row, col: 5, formula: reconciliation ? `=MAX((${asBuilt}>0)*1,${match})` : `=(${match})*1`, style: "check" });
    okRows.push(row);
    checkCount++;
    row++;
  };
  sites.forEach((site, s) => {
    for (const scenario of scenarios) {
      const layout = layouts[s]![scenario]!;
      const metrics = engine[s]!.valuations[scenario]!.metrics;
      for (const [metric, key] of Object.entries(RESULT_KEY) as Array<[keyof Metrics, string]>) {
        const at = layout.consts.get(key);
        if (at === undefined) continue;
        const value = metrics[metric];
        if (value === undefined) continue;
        results.push({ site: site.name, scenario, metric, sheet: layout.sheet, row: at, col: COL_CONST, engine: value === null ? "n/a" : value });
        addCheck(
          `${site.name}: ${SCENARIO_LABELS[scenario]} ${metric}`,
          `=${absRef(at, COL_CONST, layout.sheet)}`,
          value === null ? "n/a" : value,
          metric === "irr" ? "irr_check_tolerance" : "check_tolerance",
          true,
        );
      }
      if (scenario === "powered_shell" || scenario === "colocated_gpu") {
        const closeRow = layout.lines.get("debt_close")!;
        addCheck(
          `${site.name}: ${SCENARIO_LABELS[scenario]} debt repaid by the horizon (closing balance)`,
          `=${absRef(closeRow, lastCol, layout.sheet)}`,
          0,
          "check_tolerance",
          false,
        );
      }
    }
    if (scenarios.includes("hybrid")) {
      addCheck(
        `${site.name}: hybrid shares sum to 1`,
        `=${inputRef("share_mining", s)}+${inputRef("share_shell", s)}+${inputRef("share_gpu", s)}`,
        1,
        "share_tolerance",
        false,
      );
    }
  });
  for (const sheet of workings) {
    const maxRow = Math.max(
      sheet.cells.reduce((max, c) => Math.max(max, c.row), 0),
      sheet.timelineRows.reduce((max, t) => Math.max(max, t.row), 0),
    );
    addCheck(`No error cells on ${sheet.name}`, `=SUMPRODUCT(ISERROR(${absRange(0, 0, maxRow, lastCol, sheet.name)})*1)`, 0, "0", false);
  }
  const masterRow = row + 1;
  checks.text(masterRow, 0, "Master check (1 = every check passes)", "heading");
  checks.put({ row: masterRow, col: 5, formula: `=MIN(${absRange(okRows[0]!, 5, okRows[okRows.length - 1]!, 5)})`, style: "check", expected: 1 });
  definedNames.push({ name: "master_check", refersTo: `=${absRef(masterRow, 5, SHEET_NAMES.checks)}` });
  checks.widths.push([0, 70], [1, 18], [2, 18], [3, 12], [4, 12], [5, 14], ...sites.map((_, s) => [snapshotCol + s, 14] as const));
  checks.freeze = [4, 1];

  // Cover -------------------------------------------------------------------------------------
  const cover = new SheetBuilder(SHEET_NAMES.cover, "cover");
  cover.text(0, 0, "MinePivot comparison workbook", "title");
  const dates = [...new Set(sites.map((s) => serialToIso(s.values.valuation_date)))];
  cover.text(
    1,
    0,
    `${sites.length === 1 ? sites[0]!.name : `${sites.length} sites`}; scenarios: ${scenarios.map((s) => SCENARIO_LABELS[s]).join(", ")}; valued as of ${dates.join(", ")}`,
    "subtitle",
  );
  const generated = options.generatedOn ? `Generated by MinePivot on ${options.generatedOn}` : undefined;
  const coverNote = [generated, options.basis].filter((text) => text !== undefined).join(". ");
  if (coverNote) cover.text(2, 0, coverNote, "note");
  cover.text(4, 0, "Master check", "heading");
  cover.put({
    row: 4,
    col: 1,
    formula: `=IF(master_check=1,"OK: every check passes","CHECK: see the Checks sheet")`,
    style: "check",
    expected: "OK: every check passes",
  });
  cover.text(6, 0, "Contents", "heading");
  const contents: Array<[string, string]> = [
    [SHEET_NAMES.inputs, "Every assumption: value per site, unit, source and as-of date. Edit the blue cells."],
    ...workings.map((w): [string, string] => [w.name, WORKINGS_BLURB[w.name] ?? "Monthly workings."]),
    [SHEET_NAMES.comparison, "Metrics by site and scenario, uplift over mining, annual cash flows and charts."],
    [SHEET_NAMES.checks, "Reconciliation with the MinePivot engine and integrity checks, rolled into the master check."],
  ];
  contents.forEach(([name, text], i) => {
    cover.text(7 + i, 0, name, "label");
    cover.text(7 + i, 1, text, "text");
  });
  const legendRow = 8 + contents.length;
  cover.text(legendRow, 0, "Legend", "heading");
  cover.text(legendRow + 1, 0, "Input: change it", "legend_input");
  cover.text(legendRow + 2, 0, "Formula: calculated on this sheet", "legend_calc");
  cover.text(legendRow + 3, 0, "Link: taken from another sheet", "legend_link");
  cover.text(
    legendRow + 5,
    0,
    "Named cells: every assumption key (for example btc_price) names its input; in a single-site workbook <scenario>_<metric> (for example powered_shell_equity_per_watt) names each headline result.",
    "note",
  );
  cover.widths.push([0, 40], [1, 90]);

  return {
    sheets: [cover.plan(), inputs.plan(), ...workings.map((w) => w.plan()), comparison.plan(), checks.plan()],
    names: definedNames,
    charts,
    results,
    checkCount,
  };
}

/**
 * Seeds IRR's iteration with the engine's IRR at build time, where it has one. Spreadsheet IRR
 * is Newton's method from a guess and fails to converge from a generic guess on flows such as
 * a loss-making mine's (IRR near -85 % a year); from the engine's root it converges at once.
 * IRR still recomputes from the flows whenever an input changes; the seed only says where the
 * search starts, so the cell keeps its heuristic formula where the engine has no IRR.
 */
function seedIrr(sheet: SheetBuilder, block: BlockLayout, irr: number | null): void {
  if (irr === null) return;
  const row = block.consts.get("irr_guess")!;
  const index = sheet.cells.findIndex((c) => c.row === row && c.col === COL_CONST);
  sheet.cells[index] = {
    row,
    col: COL_CONST,
    value: Math.pow(1 + irr, 1 / 12) - 1,
    style: "engine",
    note: "Seed for IRR's iteration: the MinePivot engine's monthly IRR when the workbook was built. IRR recomputes from the flows when inputs change.",
  };
}

const WORKINGS_BLURB: Readonly<Record<string, string>> = {
  [SHEET_NAMES.mining]: "Keep mining: block subsidy and fees, network share, power, fleet replacement, tax; monthly.",
  [SHEET_NAMES.powered_shell]: "Lease a powered shell: conversion capex and debt, escalating triple-net rent, NOI, exit at a cap rate; monthly.",
  [SHEET_NAMES.colocated_gpu]: "Sell GPU capacity: conversion and GPU capex, GPU-hours at a declining rate, power, exit value; monthly.",
  [SHEET_NAMES.hybrid]: "The site split between the three by shares: each line the share-weighted sum of the scenario sheets.",
};

const LINK_STYLE: Partial<Record<StyleName, StyleName>> = { calc: "link", calc_usd: "link_usd", calc_pct: "link_pct", calc_ratio: "link" };

function resultRef(layout: BlockLayout, key: string): string {
  const at = layout.consts.get(key);
  if (at === undefined) throw new Error(`workbook plan: result "${key}" is missing on ${layout.sheet}`);
  return absRef(at, COL_CONST, layout.sheet);
}

function describeRange(def: AssumptionDef): string {
  if (def.kind === "boolean") return "TRUE or FALSE";
  if (def.kind === "date") return `${serialToIso(def.min)} to ${serialToIso(def.max)}`;
  return `${def.min} to ${def.max} ${def.unit}`;
}

/**
 * Lays one block (one site, one scenario) onto a workings sheet from `top`: heading, inputs,
 * constants, results, then timeline rows. Returns where each row went.
 */
function layBlock(
  sheet: SheetBuilder,
  spec: readonly RowSpec[],
  top: number,
  siteName: string,
  lastCol: number,
  inputRef: (key: AssumptionKey) => string,
): { block: BlockLayout; nextRow: number } {
  const consts = new Map<string, number>();
  const lines = new Map<string, number>();
  let row = top + 1;
  let section: RowSpec["kind"] | undefined;
  const sectionTitles: Record<RowSpec["kind"], string> = { input: "Inputs (linked)", const: "Derived constants", result: "Results", line: "Timeline" };
  // First pass: rows, so formulas can refer to rows laid out below them.
  const placed: Array<{ spec: RowSpec; row: number }> = [];
  for (const entry of spec) {
    if (entry.kind !== section) {
      section = entry.kind;
      sheet.text(row, COL_LABEL, sectionTitles[section], "subtitle");
      row++;
    }
    // Constants and lines are separate namespaces: the input btc_price and the timeline line
    // btc_price (its path month by month) are different rows.
    const names = entry.kind === "line" ? lines : consts;
    if (names.has(entry.key)) throw new Error(`workbook plan: block row "${entry.key}" is defined twice`);
    names.set(entry.key, row);
    placed.push({ spec: entry, row });
    row++;
  }
  sheet.text(top, COL_LABEL, siteName, "heading");
  const find = (names: ReadonlyMap<string, number>, key: string): number => {
    const at = names.get(key);
    if (at === undefined) throw new Error(`workbook plan: block row "${key}" is not defined`);
    return at;
  };
  const constRow = (key: string) => find(consts, key);
  const lineRow = (key: string) => find(lines, key);
  const timelineRange = (key: string) => absRange(lineRow(key), COL_FIRST_MONTH, lineRow(key), lastCol);
  const constantCtx: Ctx = {
    c: (key) => absRef(constRow(key), COL_CONST),
    t: () => {
      throw new Error("workbook plan: a constant cannot refer to a timeline cell");
    },
    p: () => {
      throw new Error("workbook plan: a constant cannot refer to a previous column");
    },
    r: timelineRange,
    m: absRange(ROW_MONTH, COL_FIRST_MONTH, ROW_MONTH, lastCol),
    x: () => {
      throw new Error("workbook plan: a constant cannot refer to another sheet's timeline");
    },
    last: (key) => absRef(lineRow(key), lastCol),
  };
  for (const { spec: entry, row: at } of placed) {
    sheet.text(at, COL_LABEL, entry.label, "label");
    sheet.text(at, COL_UNIT, entry.unit, "unit");
    if (entry.kind === "input") {
      const def = getDef(entry.input!);
      sheet.put({ row: at, col: COL_CONST, formula: `=${inputRef(entry.input!)}`, style: linkStyle(def) });
    } else if (entry.kind === "const" || entry.kind === "result") {
      sheet.put({ row: at, col: COL_CONST, formula: entry.f!(constantCtx), style: entry.style ?? "calc", ...(entry.note ? { note: entry.note } : {}) });
    } else {
      // The row's formula is written for its first month and stored relative (R1C1), which is
      // exactly "the same formula copied across".
      const col = COL_FIRST_MONTH;
      const ctx: Ctx = {
        c: (key) => absRef(constRow(key), COL_CONST),
        t: (key) => cellRef(lineRow(key), col),
        p: (key) => cellRef(lineRow(key), col - 1),
        r: timelineRange,
        m: cellRef(ROW_MONTH, col, true, false),
        x: (other, otherRow) => `${sheetPrefix(other)}${cellRef(otherRow, col)}`,
        last: (key) => absRef(lineRow(key), lastCol),
      };
      sheet.timelineRows.push({ row: at, firstCol: COL_FIRST_MONTH, lastCol, formulaR1C1: toR1C1(entry.f!(ctx), at, col), style: entry.style ?? "calc" });
      if (entry.total)
        sheet.put({ row: at, col: COL_TOTAL, formula: `=SUM(${cellRef(at, COL_FIRST_MONTH)}:${cellRef(at, lastCol)})`, style: entry.style ?? "calc" });
    }
  }
  return { block: { sheet: sheet.name, consts, lines }, nextRow: row };
}
