/**
 * The audit trail behind a metric: ordered steps, each with a label, its formula in words,
 * its value and unit. Values are read from the same valuation the metric came from, so the
 * trail and the number can never disagree.
 */
import { blockSubsidy, feesPerBlock, halvingDate } from "./bitcoin.js";
import type { ConversionResult } from "./conversion.js";
import { effectiveBlockHeight, type MiningResult } from "./mining.js";
import type { Assumptions } from "./registry.js";
import type { BaseScenario, ScenarioName } from "./scenarios.js";
import { SCENARIO_LABELS } from "./scenarios.js";
import { firstOperatingYear, sumRange } from "./schedule.js";
import { serialToIso } from "./time.js";
import { HYBRID_SHARE_KEYS, METRIC_DEFS, valueScenario, type HybridDetail, type SolvableMetric, type Valuation } from "./value.js";

export interface ExplainStep {
  readonly label: string;
  /** The formula in words, naming assumption keys and earlier steps. */
  readonly formula: string;
  /** A number, or text for dates and absent values. */
  readonly value: number | string;
  readonly unit: string;
}

const VALUE_METRICS = new Set<SolvableMetric>(["npv_usd", "equity_per_watt", "irr", "payback_years"]);
const COST_METRICS = new Set<SolvableMetric>(["cost_to_mine_cash", "cost_to_mine_all_in", "breakeven_power"]);

/** The steps behind `metric` of `scenario` under assumptions `a`. */
export function explain(scenario: ScenarioName, metric: SolvableMetric, a: Assumptions): ExplainStep[] {
  return explainValuation(valueScenario(scenario, a), metric);
}

/** The steps behind `metric` of an existing valuation. */
export function explainValuation(valuation: Valuation, metric: SolvableMetric): ExplainStep[] {
  const a = valuation.assumptions;
  const steps: ExplainStep[] = [];
  if (valuation.scenario === "hybrid") steps.push(...hybridSteps(valuation));
  else steps.push(...operatingSteps(valuation.scenario, a, valuation));
  if (COST_METRICS.has(metric) && valuation.scenario === "mining") steps.push(...costSteps(valuation));
  if (VALUE_METRICS.has(metric)) steps.push(...valueSteps(valuation));
  steps.push(finalStep(valuation, metric));
  return steps;
}

const firstYear = firstOperatingYear;

function operatingSteps(scenario: BaseScenario, a: Assumptions, valuation: Valuation): ExplainStep[] {
  const { schedule } = valuation;
  const c = schedule.columns;
  const revenue = firstYear(schedule, c.revenue);
  const common = (what: string): ExplainStep[] => [
    { label: `Revenue, ${what}`, formula: "sum of monthly revenue over the first 12 operating months", value: revenue, unit: "USD" },
    { label: "Power cost, same months", formula: "sum of monthly power cost", value: firstYear(schedule, c.power_cost), unit: "USD" },
    { label: "Other opex, same months", formula: "sum of monthly non-power operating cost", value: firstYear(schedule, c.other_opex), unit: "USD" },
    { label: "EBITDA, same months", formula: "revenue - power cost - other opex", value: firstYear(schedule, c.ebitda), unit: "USD" },
  ];
  if (scenario === "mining") {
    const detail = valuation.detail as MiningResult;
    const height = effectiveBlockHeight(a);
    const subsidy = blockSubsidy(height);
    const fees = feesPerBlock(height, a.fee_share);
    return [
      { label: "Hashing power", formula: "site_mw / pue_mining", value: detail.hashingMw, unit: "MW" },
      { label: "Own hashrate", formula: "hashing MW × 1,000,000 / fleet_efficiency", value: detail.ownHashrateThs, unit: "TH/s" },
      { label: "Network hashrate, month 1", formula: "network_hashrate × (1 + hashrate_growth)^(1/12)", value: c.network_hashrate[0]!, unit: "EH/s" },
      {
        label: "Share of network, month 1",
        formula: "own TH/s / (network EH/s × 1,000,000)",
        value: detail.ownHashrateThs / (c.network_hashrate[0]! * 1e6),
        unit: "share",
      },
      {
        label: "Block height at the valuation date",
        formula: a.block_height > 0 ? "block_height" : "840,000 + 144 × (valuation_date - 20 Apr 2024) days (block_height is 0)",
        value: height,
        unit: "blocks",
      },
      { label: "Block subsidy now", formula: "50 BTC halved floor(height / 210,000) times", value: subsidy, unit: "BTC" },
      { label: "Fees per block", formula: "subsidy × fee_share / (1 - fee_share), fixed in BTC", value: fees, unit: "BTC" },
      {
        label: "Next halving",
        formula: "valuation_date + (next multiple of 210,000 - height) / 144 days",
        value: serialToIso(halvingDate(height, a.valuation_date)),
        unit: "date",
      },
      // The mine as it runs, whatever month it is sold in: the basis of rev_per_mw and ebitda_per_mw.
      {
        label: "BTC mined, first 12 months",
        formula: "Σ hashing months of 4,383 blocks × (subsidy + fees) × share of network × uptime",
        value: detail.firstYear.btcMined,
        unit: "BTC",
      },
      {
        label: "Average BTC price, first 12 months",
        formula: "btc_price × (1 + btc_price_growth)^(m/12), averaged",
        value: detail.firstYear.btcPriceSum / detail.firstYear.months,
        unit: "USD",
      },
      {
        label: "Revenue, first 12 months (BTC × price × (1 - pool_fee))",
        formula: "sum over the months the fleet hashes (shut-in months earn nothing)",
        value: detail.firstYear.revenueUsd,
        unit: "USD",
      },
      { label: "Power cost, same months", formula: "site_mw × uptime × 730.5 h × power price, hashing months", value: detail.firstYear.powerUsd, unit: "USD" },
      {
        label: "Other opex, same months",
        formula: "site_mw × uptime × 730.5 h × other_opex_mining in hashing months + fixed_opex_mining × site_mw / 12 each month",
        value: detail.firstYear.otherOpexUsd,
        unit: "USD",
      },
      { label: "EBITDA, same months", formula: "revenue - power cost - other opex", value: detail.firstYear.ebitdaUsd, unit: "USD" },
      {
        label: "Months shut in before the stop",
        formula: "months whose revenue would not cover power + other opex (no power bought)",
        value: detail.shutInMonths,
        unit: "months",
      },
      {
        label: "Stop month",
        formula: "the month after which selling the land (powered_land_value) and used fleet is worth the most",
        value: detail.stopMonth,
        unit: "month",
      },
    ];
  }
  const detail = valuation.detail as ConversionResult;
  const steps: ExplainStep[] = [
    { label: "Critical IT power", formula: "site_mw / pue_dc", value: detail.criticalItMw, unit: "MW" },
    {
      label: "Conversion capex",
      formula: "conversion_capex × 1,000,000 × critical IT MW, drawn evenly over construction_months",
      value: detail.conversionCapexUsd,
      unit: "USD",
    },
  ];
  if (scenario === "powered_shell") {
    steps.push({ label: "Rent, first lease year", formula: "lease_rate × critical IT kW × 12 (triple net: tenant pays power)", value: revenue, unit: "USD" });
    steps.push(...common("first lease year").slice(1));
  } else {
    steps.push(
      { label: "GPUs installed", formula: "critical IT kW / gpu_kw", value: detail.gpuCount, unit: "GPUs" },
      { label: "GPU capex", formula: "GPUs × gpu_capex, paid at the end of construction", value: detail.gpuCapexUsd, unit: "USD" },
      {
        label: "GPU-hours sold, first service year",
        formula: "GPUs × 8,766 hours × utilization",
        value: firstYear(schedule, c.gpu_hours_sold),
        unit: "GPU-hours",
      },
      ...common("first service year (GPU-hours × gpu_rate)"),
    );
  }
  return steps;
}

/** The cost metrics count a fleet that hashes all 12 months, whatever the operator then decides. */
function costSteps(valuation: Valuation): ExplainStep[] {
  const a = valuation.assumptions;
  const detail = valuation.detail as MiningResult;
  const hashing = detail.fullHash;
  return [
    {
      label: "BTC earned by a fleet hashing 12 months",
      formula: "Σ BTC mined × (1 - pool_fee), months 1-12",
      value: sumRange(hashing.btcMined, 0, 12) * (1 - a.pool_fee),
      unit: "BTC",
    },
    { label: "Revenue, same fleet", formula: "Σ BTC mined × BTC price × (1 - pool_fee), months 1-12", value: sumRange(hashing.revenue, 0, 12), unit: "USD" },
    {
      label: "Power cost, same fleet",
      formula: "Σ site_mw × uptime × 730.5 h × power price, months 1-12",
      value: sumRange(hashing.powerCost, 0, 12),
      unit: "USD",
    },
    {
      label: "Other opex, same fleet",
      formula: "Σ site_mw × uptime × 730.5 h × other_opex_mining, months 1-12",
      value: sumRange(hashing.otherOpex, 0, 12),
      unit: "USD",
    },
    { label: "Fixed opex, 12 months", formula: "fixed_opex_mining × site_mw", value: a.fixed_opex_mining * a.site_mw, unit: "USD" },
    {
      label: "Fleet depreciation, first 12 months",
      formula: "own TH/s × asic_price / asic_life_years",
      value: (detail.fleetCostUsd / detail.fleetLifeMonths) * 12,
      unit: "USD",
    },
  ];
}

function valueSteps(valuation: Valuation): ExplainStep[] {
  const { schedule, metrics } = valuation;
  const c = schedule.columns;
  const a = valuation.assumptions;
  const total = sumRange(c.present_value, 0, schedule.months);
  const shieldPv = sumRange(c.tax_shield, 0, schedule.months, c.shield_discount_factor);
  const steps: ExplainStep[] = [
    { label: "Horizon", formula: horizonFormula(valuation.scenario), value: schedule.months, unit: "months" },
    { label: "Capex over the horizon", formula: "sum of monthly capex", value: sumRange(c.capex, 0, schedule.months), unit: "USD" },
    {
      label: "Tax over the horizon",
      formula: "tax_rate × (EBITDA - depreciation - interest + gains on sales), losses carried forward when tax_loss_carryforward",
      value: sumRange(c.tax, 0, schedule.months),
      unit: "USD",
    },
    {
      label: "PV of the operating flows",
      formula: `Σ (EBITDA - capex + equipment sold - tax without debt) × (1 + ${discountKey(valuation.scenario)})^(-m/12)`,
      value: total - metrics.terminal_value_pv_usd - shieldPv,
      unit: "USD",
    },
    { label: "PV of the exit", formula: terminalFormula(valuation.scenario), value: metrics.terminal_value_pv_usd, unit: "USD" },
    {
      label: "PV of tax saved by debt",
      formula: "Σ (tax without debt - tax) × (1 + debt_rate)^(-m/12) (adjusted present value)",
      value: shieldPv,
      unit: "USD",
    },
    { label: "Net debt", formula: "net_debt", value: a.net_debt, unit: "USD" },
    { label: "Equity value", formula: "PV of operating flows + PV of the exit + PV of tax saved by debt - net debt", value: metrics.npv_usd, unit: "USD" },
  ];
  return steps;
}

function horizonFormula(scenario: ScenarioName): string {
  const common = "horizon_years × 12, or construction_months + lease_term_years × 12 when horizon_years is 0";
  return scenario === "mining" ? `${common}; the mine stops at the stop month within it` : common;
}

function discountKey(scenario: ScenarioName): string {
  return scenario === "mining"
    ? "discount_rate_mining"
    : scenario === "powered_shell"
      ? "discount_rate_shell"
      : scenario === "colocated_gpu"
        ? "discount_rate_gpu"
        : "each part's discount rate";
}

function terminalFormula(scenario: ScenarioName): string {
  switch (scenario) {
    case "mining":
      return "(powered_land_value + fleet_resale_share × fleet book value) × (1 - exit_cost_share) at the stop month, less tax on the gain, discounted";
    case "powered_shell":
      return "next-12-month NOI after the horizon / exit_cap_rate × (1 - exit_cost_share), less tax on the gain over land + book value, discounted";
    case "colocated_gpu":
      return "(hall NOI at the escalated lease_rate / exit_cap_rate + GPUs still in service) × (1 - exit_cost_share), less tax on the gain, discounted";
    case "hybrid":
      return "Σ share × each part's PV of the exit";
  }
}

function hybridSteps(valuation: Valuation): ExplainStep[] {
  const detail = valuation.detail as HybridDetail;
  const steps: ExplainStep[] = [];
  for (const [scenario, part] of Object.entries(detail.components) as Array<[BaseScenario, Valuation]>) {
    const share = detail.shares[scenario];
    steps.push({ label: `${SCENARIO_LABELS[scenario]} share`, formula: HYBRID_SHARE_KEYS[scenario], value: share, unit: "share" });
    steps.push({
      label: `${SCENARIO_LABELS[scenario]} equity value, whole site`,
      formula: `${scenario} valued on all of site_mw (before net debt)`,
      value: part.metrics.npv_usd + valuation.assumptions.net_debt,
      unit: "USD",
    });
    steps.push({
      label: `${SCENARIO_LABELS[scenario]} revenue per MW-year, whole site`,
      formula: `${scenario} rev_per_mw`,
      value: part.metrics.rev_per_mw,
      unit: "USD/MW-yr",
    });
  }
  return steps;
}

function perMwFormula(scenario: ScenarioName, line: string, metric: string): string {
  if (scenario === "hybrid") return `Σ share × each part's ${metric}`;
  if (scenario === "mining") return `${line} of the first 12 months of the mine as it runs (shut-ins included) / site_mw`;
  return `${line} of the first 12 operating months / site_mw`;
}

function finalStep(valuation: Valuation, metric: SolvableMetric): ExplainStep {
  const def = METRIC_DEFS.find((entry) => entry.key === metric)!;
  const raw = valuation.metrics[metric];
  const value: number | string =
    raw === undefined ? "not applicable to this scenario" : raw === null ? (valuation.unavailable[metric as "irr" | "payback_years"] ?? "no value") : raw;
  const formulas: Record<SolvableMetric, string> = {
    npv_usd: "equity value",
    equity_per_watt: "equity value / (site_mw × 1,000,000)",
    rev_per_mw: perMwFormula(valuation.scenario, "revenue", "rev_per_mw"),
    ebitda_per_mw: perMwFormula(valuation.scenario, "EBITDA", "ebitda_per_mw"),
    irr: "annual r at which Σ (cash flow to equity + exit to equity) × (1 + r)^(-m/12) = 0",
    payback_years: "months after which cumulative operating cash flow to equity (exit excluded) stays non-negative, interpolated, / 12",
    cost_to_mine_cash: "(power cost + other opex + fixed opex) / BTC earned, a fleet hashing months 1-12",
    cost_to_mine_all_in: "(power cost + other opex + fixed opex + fleet depreciation) / BTC earned, a fleet hashing months 1-12",
    breakeven_power: "power_price at which that fleet's first-12-month revenue = power cost + other opex + fixed opex",
  };
  return { label: def.label, formula: formulas[metric], value, unit: def.unit };
}
