/**
 * Values one scenario of one site and derives the headline metrics. The public entry points
 * of the core (value, compare, solve, sensitivity, explain) all stand on `valueScenario`.
 */
import { InputError } from "./errors.js";
import { tryMonthlyIrr, tryPaybackYears } from "./finance.js";
import { hashprice } from "./bitcoin.js";
import { valueColocatedGpu, valuePoweredShell, type ConversionResult } from "./conversion.js";
import { effectiveBlockHeight, valueMining, type MiningResult } from "./mining.js";
import type { AssumptionKey, Assumptions } from "./registry.js";
import { BASE_SCENARIOS, normalizeName, type BaseScenario, type ScenarioName } from "./scenarios.js";
import { COLUMN_DEFS, allocateSchedule, equityFlows, firstOperatingYear, lossPoolAfter, taxBaseOf, type Schedule } from "./schedule.js";
import { HOURS_PER_MONTH } from "./time.js";

/** Headline metrics of the contract plus scenario-specific ones. Absent values are null. */
export interface Metrics {
  /** Equity value: PV of equity flows + PV of terminal value − net debt, USD. */
  readonly npv_usd: number;
  /** Equity value per watt of site power, USD/W. */
  readonly equity_per_watt: number;
  /**
   * Revenue of the first 12 operating months per site MW, USD per MW-year (for a mine: the first
   * 12 months as it runs, shut-ins included, whenever it is later sold).
   */
  readonly rev_per_mw: number;
  /** EBITDA of the first 12 operating months per site MW, USD per MW-year. */
  readonly ebitda_per_mw: number;
  /** Annual equity IRR; null where the flows have no unique IRR (see `unavailable`). */
  readonly irr: number | null;
  /**
   * Years after which the cumulative operating cash flow to equity (the exit excluded) stays
   * non-negative; null where it ends negative.
   */
  readonly payback_years: number | null;
  /** The same with the exit proceeds to equity counted. */
  readonly payback_with_exit_years: number | null;
  /** Present value of the exit after its costs and tax, USD. */
  readonly terminal_value_pv_usd: number;
  /** Power the per-MW metrics divide by on the "it" basis: critical IT MW (hashing MW for a mine). */
  readonly it_mw: number;
  /** Mining: the month after which the mine is sold, and the months it was shut in. */
  readonly stop_month?: number;
  readonly shut_in_months?: number;
  /** Conversions: project debt drawn and its lowest debt service cover. */
  readonly debt_usd?: number;
  readonly min_dscr?: number | null;
  /** Mining only: first-12-month cost per BTC earned, cash and all-in; breakeven power; hashprice. */
  /** null where the first 12 months earn no BTC (no subsidy left and so no fees): see `unavailable`. */
  readonly cost_to_mine_cash?: number | null;
  readonly cost_to_mine_all_in?: number | null;
  readonly breakeven_power?: number;
  readonly hashprice?: number;
  /** Conversions: critical IT MW, capex and GPU count. */
  readonly critical_it_mw?: number;
  readonly capex_usd?: number;
  readonly gpu_count?: number;
}

/** Metrics that `solve`, `sensitivity` and `explain` accept, with their units. */
export const METRIC_DEFS = [
  { key: "npv_usd", label: "Equity value", unit: "USD" },
  { key: "equity_per_watt", label: "Equity value per watt", unit: "USD/W" },
  { key: "rev_per_mw", label: "Revenue per MW-year", unit: "USD/MW-yr" },
  { key: "ebitda_per_mw", label: "EBITDA per MW-year", unit: "USD/MW-yr" },
  { key: "irr", label: "Equity IRR", unit: "/yr" },
  { key: "payback_years", label: "Payback", unit: "years" },
  { key: "cost_to_mine_cash", label: "Cash cost to mine", unit: "USD/BTC" },
  { key: "cost_to_mine_all_in", label: "All-in cost to mine", unit: "USD/BTC" },
  { key: "breakeven_power", label: "Breakeven power price", unit: "USD/MWh" },
] as const;
export type SolvableMetric = (typeof METRIC_DEFS)[number]["key"];

/** The six headline metrics, in the order every comparison table shows them. */
export const HEADLINE_METRICS = ["equity_per_watt", "npv_usd", "rev_per_mw", "ebitda_per_mw", "irr", "payback_years"] as const;
export type HeadlineMetric = (typeof HEADLINE_METRICS)[number];

/** Label and unit of a metric. */
export function metricDef(key: SolvableMetric): (typeof METRIC_DEFS)[number] {
  return METRIC_DEFS.find((def) => def.key === key)!;
}

// A Map, not an object: user text such as "constructor" must not find Object.prototype.
const METRIC_ALIASES: ReadonlyMap<string, SolvableMetric> = new Map(
  Object.entries<SolvableMetric>({
    npv: "npv_usd",
    equity_value: "npv_usd",
    payback: "payback_years",
    rev_per_mw_year: "rev_per_mw",
    revenue_per_mw: "rev_per_mw",
    ebitda_per_mw_year: "ebitda_per_mw",
  }),
);

export function parseMetric(raw: unknown, argument = "metric"): SolvableMetric {
  if (typeof raw === "string") {
    const name = normalizeName(raw);
    const found = METRIC_DEFS.find((def) => def.key === name)?.key ?? METRIC_ALIASES.get(name);
    if (found) return found;
  }
  throw new InputError(argument, raw, `one of ${METRIC_DEFS.map((def) => def.key).join(", ")}`);
}

/** The power a per-MW metric divides by: gross site MW, or critical IT MW (hashing MW for a mine). */
export const BASES = ["site", "it"] as const;
export type Basis = (typeof BASES)[number];

/** Metrics that exist on both bases. */
export const PER_MW_METRICS = ["equity_per_watt", "rev_per_mw", "ebitda_per_mw"] as const;
export type PerMwMetric = (typeof PER_MW_METRICS)[number];

// A Map, not an object: user text such as "constructor" must not find Object.prototype.
const BASIS_ALIASES: ReadonlyMap<string, Basis> = new Map(
  Object.entries<Basis>({ site: "site", gross: "site", site_mw: "site", it: "it", critical_it: "it", it_mw: "it" }),
);

export function parseBasis(raw: unknown, argument = "basis"): Basis {
  if (raw === undefined || raw === null || raw === "") return "site";
  const found = typeof raw === "string" ? BASIS_ALIASES.get(normalizeName(raw)) : undefined;
  if (found) return found;
  throw new InputError(argument, raw, '"site" (per MW of gross site power, the default) or "it" (per MW of critical IT power)');
}

/**
 * A per-MW metric on `basis`. The engine's metrics are per site MW; per IT MW multiplies by
 * site MW / IT MW (PUE for a conversion, pue_mining for a mine, share-weighted for a hybrid).
 */
export function onBasis(valuation: Valuation, metric: PerMwMetric, basis: Basis): number {
  const perSite = valuation.metrics[metric];
  return basis === "site" ? perSite : (perSite * valuation.assumptions.site_mw) / valuation.metrics.it_mw;
}

/** Metrics that may be null, with a reason in `Valuation.unavailable`. */
export type UnavailableMetric = "irr" | "payback_years" | "payback_with_exit_years" | "cost_to_mine_cash" | "cost_to_mine_all_in";

export interface Valuation {
  readonly scenario: ScenarioName;
  readonly assumptions: Assumptions;
  readonly schedule: Schedule;
  readonly metrics: Metrics;
  /** Why a null metric is null, in words. */
  readonly unavailable: Readonly<Partial<Record<UnavailableMetric, string>>>;
  /** Raw engine results behind the schedule (for explain and the workbook). */
  readonly detail: MiningResult | ConversionResult | HybridDetail;
}

export interface HybridDetail {
  readonly components: Readonly<Partial<Record<BaseScenario, Valuation>>>;
  readonly shares: Readonly<Record<BaseScenario, number>>;
}

/** Values `scenario` for the site described by `a` (a validated assumption set). */
export function valueScenario(scenario: ScenarioName, a: Assumptions): Valuation {
  if (scenario === "hybrid") return valueHybrid(a);
  return finishValuation(scenario, a, runBase(scenario, a, a.site_mw));
}

function runBase(scenario: BaseScenario, a: Assumptions, siteMw: number): MiningResult | ConversionResult {
  switch (scenario) {
    case "mining":
      return valueMining(a, siteMw);
    case "powered_shell":
      return valuePoweredShell(a, siteMw);
    case "colocated_gpu":
      return valueColocatedGpu(a, siteMw);
  }
}

/** First-12-operating-month sum of a column. */
const firstYear = firstOperatingYear;

/**
 * Why flows have no meaningful IRR, or undefined when they are a conventional investment:
 * outflows first, then inflows, the sign changing exactly once. Only then is the IRR sure to
 * exist and be unique (Descartes' rule of signs), and only then does every spreadsheet's IRR
 * find the same root, so the workbook and the engine agree.
 */
export function unconventionalFlows(flows: ArrayLike<number>): string | undefined {
  let first = 0;
  let last = 0;
  let changes = 0;
  for (let i = 0; i < flows.length; i++) {
    const sign = Math.sign(flows[i]!);
    if (sign === 0) continue;
    if (first === 0) first = sign;
    else if (sign !== last) changes++;
    last = sign;
  }
  if (first === 0) return "no IRR: there are no equity flows";
  if (first > 0) return "no IRR: the equity flows open with an inflow, so there is no up-front investment to earn a return on";
  if (changes === 0) return "no IRR: the equity flows never turn positive";
  if (changes > 1) return `no IRR: the equity flows change sign ${changes} times, so an IRR may not exist or may not be unique; use the equity value`;
  return undefined;
}

function rateAndPayback(schedule: Schedule): {
  irr: number | null;
  payback: number | null;
  paybackWithExit: number | null;
  unavailable: Partial<Record<UnavailableMetric, string>>;
} {
  const unavailable: Partial<Record<UnavailableMetric, string>> = {};
  const payback = tryPaybackYears(schedule.columns.equity_cash_flow);
  if (typeof payback === "string") unavailable.payback_years = `${payback} (the exit excluded)`;
  const flows = equityFlows(schedule);
  const paybackWithExit = tryPaybackYears(flows);
  if (typeof paybackWithExit === "string") unavailable.payback_with_exit_years = paybackWithExit;
  const irr = unconventionalFlows(flows) ?? tryMonthlyIrr(flows);
  if (typeof irr === "string") unavailable.irr = irr;
  return {
    irr: typeof irr === "number" ? irr : null,
    payback: typeof payback === "number" ? payback : null,
    paybackWithExit: typeof paybackWithExit === "number" ? paybackWithExit : null,
    unavailable,
  };
}

/** Present value of the exits after their costs and tax, at the scenario's rate. */
function exitPresentValue(schedule: Schedule): number {
  const c = schedule.columns;
  let sum = 0;
  for (let i = 0; i < schedule.months; i++) {
    if (c.exit_proceeds[i] !== 0) sum += (c.exit_proceeds[i]! - c.exit_tax[i]!) * c.discount_factor[i]!;
  }
  return sum;
}

function finishValuation(scenario: BaseScenario, a: Assumptions, detail: MiningResult | ConversionResult): Valuation {
  const { schedule } = detail;
  const c = schedule.columns;
  const equity = detail.presentValue - a.net_debt;
  const siteW = a.site_mw * 1e6;
  const { irr, payback, paybackWithExit, unavailable } = rateAndPayback(schedule);
  const itMw = scenario === "mining" ? (detail as MiningResult).hashingMw : (detail as ConversionResult).criticalItMw;
  let metrics: Metrics = {
    npv_usd: equity,
    equity_per_watt: equity / siteW,
    rev_per_mw: firstYear(schedule, c.revenue) / a.site_mw,
    ebitda_per_mw: firstYear(schedule, c.ebitda) / a.site_mw,
    irr,
    payback_years: payback,
    payback_with_exit_years: paybackWithExit,
    terminal_value_pv_usd: exitPresentValue(schedule),
    it_mw: itMw,
  };
  if (scenario === "mining") {
    const mining = detail as MiningResult;
    metrics = {
      ...metrics,
      rev_per_mw: mining.firstYear.revenueUsd / a.site_mw,
      ebitda_per_mw: mining.firstYear.ebitdaUsd / a.site_mw,
      ...miningMetrics(a, mining),
      stop_month: mining.stopMonth,
      shut_in_months: mining.shutInMonths,
    };
    if (metrics.cost_to_mine_cash === null) {
      const why = "no cost to mine: the first 12 months earn no BTC (the block subsidy has run out, and fees are a share of it)";
      unavailable.cost_to_mine_cash = why;
      unavailable.cost_to_mine_all_in = why;
    }
  } else {
    const conversion = detail as ConversionResult;
    metrics = {
      ...metrics,
      critical_it_mw: conversion.criticalItMw,
      capex_usd: conversion.conversionCapexUsd + conversion.gpuCapexUsd,
      debt_usd: conversion.debtUsd,
      min_dscr: conversion.minDscr,
      ...(scenario === "colocated_gpu" ? { gpu_count: conversion.gpuCount } : {}),
    };
  }
  return { scenario, assumptions: a, schedule, metrics, unavailable, detail };
}

/**
 * Cost to mine, breakeven power price and hashprice over the first 12 months, for a fleet
 * that hashes all 12 (the classic definitions, whatever the operator then decides).
 */
function miningMetrics(a: Assumptions, result: MiningResult): Partial<Metrics> {
  const months = 12;
  const market = result.fullHash;
  let btcEarned = 0;
  let power = 0;
  let other = 0;
  let revenue = 0;
  for (let i = 0; i < months; i++) {
    btcEarned += market.btcMined[i]! * (1 - a.pool_fee);
    power += market.powerCost[i]!;
    other += market.otherOpex[i]!;
    revenue += market.revenue[i]!;
  }
  const fixed = a.fixed_opex_mining * a.site_mw;
  const cash = power + other + fixed;
  const depreciation = (result.fleetCostUsd / result.fleetLifeMonths) * months;
  // Power cost is linear in the starting power price: cost = power_price × escalation-weighted
  // MWh. (Dividing the schedule's cost by power_price would be 0 / 0 at tiny prices.)
  const powerPerUnitPrice = powerCostPerUnitPrice(a);
  return {
    cost_to_mine_cash: btcEarned > 0 ? cash / btcEarned : null,
    cost_to_mine_all_in: btcEarned > 0 ? (cash + depreciation) / btcEarned : null,
    breakeven_power: (revenue - other - fixed) / powerPerUnitPrice,
    hashprice: hashprice(a.btc_price, a.network_hashrate, a.fee_share, effectiveBlockHeight(a)),
  };
}

/** First-12-month MWh weighted by the power price escalation. */
function powerCostPerUnitPrice(a: Assumptions): number {
  const step = Math.pow(1 + a.power_price_growth, 1 / 12);
  let factor = 1;
  let sum = 0;
  for (let m = 1; m <= 12; m++) {
    factor *= step;
    sum += factor;
  }
  return a.site_mw * a.uptime * HOURS_PER_MONTH * sum;
}

/** The assumption key holding each base scenario's share of a hybrid site. */
export const HYBRID_SHARE_KEYS = { mining: "share_mining", powered_shell: "share_shell", colocated_gpu: "share_gpu" } as const satisfies Record<
  BaseScenario,
  AssumptionKey
>;

/** The hybrid split of `a` by base scenario; an InputError unless the shares sum to 1 (within 1e-6). */
export function hybridShares(a: Assumptions): Record<BaseScenario, number> {
  const shares = { mining: a[HYBRID_SHARE_KEYS.mining], powered_shell: a[HYBRID_SHARE_KEYS.powered_shell], colocated_gpu: a[HYBRID_SHARE_KEYS.colocated_gpu] };
  const total = shares.mining + shares.powered_shell + shares.colocated_gpu;
  if (Math.abs(total - 1) > 1e-6) {
    throw new InputError(
      "share_mining + share_shell + share_gpu",
      total,
      "shares that sum to 1",
      `hybrid shares share_mining + share_shell + share_gpu sum to ${total}; they must sum to 1`,
    );
  }
  return shares;
}

/**
 * Hybrid: the site's MW split between the three uses, run as one company. Each part is valued
 * on its share of the site with its own decisions and discount rate (every base scenario is
 * homogeneous of degree one in its MW, so a part is the full-site valuation scaled by its
 * share), then tax is recomputed on the parts' summed taxable income with one loss pool: one
 * part's losses shelter another's profits. The tax so saved is discounted at the debt rate,
 * like the tax saved by interest. `bases` lets compare reuse valuations it has.
 */
export function valueHybrid(a: Assumptions, bases?: Partial<Record<BaseScenario, Valuation>>): Valuation {
  const shares = hybridShares(a);
  const components: Partial<Record<BaseScenario, Valuation>> = {};
  let months = 0;
  for (const scenario of BASE_SCENARIOS) {
    if (shares[scenario] === 0) continue;
    const base = bases?.[scenario] ?? valueScenario(scenario, a);
    components[scenario] = base;
    months = Math.max(months, base.schedule.months);
  }
  const schedule = allocateSchedule(months, 0);
  const c = schedule.columns;
  let presentValue = 0;
  let revenue = 0;
  let ebitda = 0;
  let terminalPv = 0;
  let itMw = 0;
  for (const scenario of BASE_SCENARIOS) {
    const base = components[scenario];
    if (!base) continue;
    const share = shares[scenario];
    presentValue += share * (base.detail as MiningResult | ConversionResult).presentValue;
    revenue += share * base.metrics.rev_per_mw;
    ebitda += share * base.metrics.ebitda_per_mw;
    terminalPv += share * base.metrics.terminal_value_pv_usd;
    itMw += share * base.metrics.it_mw;
    for (const def of COLUMN_DEFS) {
      if (!def.flow && def.key !== "debt_balance") continue;
      const from = base.schedule.columns[def.key];
      const to = c[def.key];
      for (let i = 0; i < from.length; i++) to[i] = to[i]! + share * from[i]!;
    }
    c.shield_discount_factor.set(base.schedule.columns.shield_discount_factor);
  }
  presentValue += consolidateTax(schedule, a);
  const { irr, payback, paybackWithExit, unavailable } = rateAndPayback(schedule);
  const equity = presentValue - a.net_debt;
  const metrics: Metrics = {
    npv_usd: equity,
    equity_per_watt: equity / (a.site_mw * 1e6),
    rev_per_mw: revenue,
    ebitda_per_mw: ebitda,
    irr,
    payback_years: payback,
    payback_with_exit_years: paybackWithExit,
    terminal_value_pv_usd: terminalPv,
    it_mw: itMw,
  };
  return { scenario: "hybrid", assumptions: a, schedule, metrics, unavailable, detail: { components, shares } };
}

/**
 * Replaces the parts' summed tax by the tax of one company on their summed taxable income and
 * adds the difference to the cash flow to equity; returns its present value at the debt rate.
 */
function consolidateTax(schedule: Schedule, a: Assumptions): number {
  const c = schedule.columns;
  const carryForward = a.tax_loss_carryforward === 1;
  let pool = 0;
  let saved = 0;
  for (let i = 0; i < schedule.months; i++) {
    const base = taxBaseOf(c.taxable_income[i]!, pool, carryForward);
    pool = lossPoolAfter(c.taxable_income[i]!, pool, carryForward);
    const saving = c.tax[i]! - base * a.tax_rate;
    c.tax[i] = base * a.tax_rate;
    c.tax_shield[i] = c.tax_shield[i]! + saving;
    c.equity_cash_flow[i] = c.equity_cash_flow[i]! + saving;
    const present = saving * c.shield_discount_factor[i]!;
    c.present_value[i] = c.present_value[i]! + present;
    saved += present;
  }
  return saved;
}
