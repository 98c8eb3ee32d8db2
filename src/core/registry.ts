/**
 * The assumption registry: the one place where a key is defined. Every front end reads it:
 * the parser validates against it, the custom functions list it, the workbook writes its
 * inputs sheet from it and docs/methodology.md carries a table generated from it.
 *
 * Values are plain numbers: dates are Excel serial numbers, booleans are 0 or 1.
 */
import type { ScenarioName } from "./scenarios.js";

export type ValueKind = "number" | "date" | "boolean";
export type AssumptionGroup = "site" | "market" | "mining" | "conversion" | "lease" | "debt" | "gpu" | "hybrid";

export interface AssumptionDef {
  readonly key: string;
  readonly label: string;
  readonly unit: string;
  readonly kind: ValueKind;
  readonly default: number;
  readonly min: number;
  readonly max: number;
  /** When true the minimum itself is not allowed (a strictly positive quantity). */
  readonly minExclusive?: boolean;
  readonly integer?: boolean;
  readonly meaning: string;
  readonly source: string;
  /** ISO date, or year-month where the source gives no day. */
  readonly asOf: string;
  readonly group: AssumptionGroup;
  /** Scenarios whose value depends on the key. */
  readonly scenarios: readonly ScenarioName[];
}

const ALL: readonly ScenarioName[] = ["mining", "powered_shell", "colocated_gpu", "hybrid"];
const MINING: readonly ScenarioName[] = ["mining", "hybrid"];
const CONVERSION: readonly ScenarioName[] = ["powered_shell", "colocated_gpu", "hybrid"];
const GPU: readonly ScenarioName[] = ["colocated_gpu", "hybrid"];
const SHELL: readonly ScenarioName[] = ["powered_shell", "hybrid"];
const POWER_USERS: readonly ScenarioName[] = ["mining", "colocated_gpu", "hybrid"];

const MINEPIVOT = "MinePivot assumption";

/** Definitions, in the order the inputs sheet and the docs show them. */
export const REGISTRY = [
  // Site and general
  { key: "valuation_date", label: "Valuation date", unit: "date", kind: "date", default: 46023, min: 39816, max: 73415, group: "site", scenarios: ALL,
    meaning: "First day of month 1; cash flows are discounted to this date",
    source: `${MINEPIVOT}: first month after the late-2025 market figures`, asOf: "2026-01-01" },
  { key: "site_mw", label: "Site power capacity", unit: "MW", kind: "number", default: 100, min: 0.000001, max: 100_000, group: "site", scenarios: ALL,
    meaning: "Gross power capacity of the site (the interconnect the mine runs on); the per-MW denominator",
    source: `${MINEPIVOT}: example site the size of a large US mine`, asOf: "2025-12" },
  { key: "power_price", label: "Delivered power price", unit: "USD/MWh", kind: "number", default: 45, min: 0, max: 1_000, group: "site", scenarios: POWER_USERS,
    meaning: "All-in delivered price of power in month 0",
    source: "Cambridge Centre for Alternative Finance, 2025 mining survey (2024 data): median 45 USD/MWh", asOf: "2025-04" },
  { key: "power_price_growth", label: "Power price growth", unit: "/yr", kind: "number", default: 0.02, min: -0.5, max: 1, group: "site", scenarios: POWER_USERS,
    meaning: "Annual escalation of the power price, compounded monthly",
    source: `${MINEPIVOT}: in line with the 2 % US inflation target`, asOf: "2025-12" },
  { key: "tax_rate", label: "Income tax rate", unit: "share", kind: "number", default: 0.21, min: 0, max: 0.6, group: "site", scenarios: ALL,
    meaning: "Tax on EBITDA less depreciation and interest",
    source: "US federal corporate income tax rate (Internal Revenue Code §11, since 2018)", asOf: "2025-12" },
  { key: "tax_loss_carryforward", label: "Carry tax losses forward", unit: "boolean", kind: "boolean", default: 1, min: 0, max: 1, group: "site", scenarios: ALL,
    meaning: "TRUE: losses offset later taxable income; FALSE: each month is taxed on its own",
    source: `${MINEPIVOT}: US net operating losses carry forward indefinitely (since 2018)`, asOf: "2025-12" },
  { key: "net_debt", label: "Net debt", unit: "USD", kind: "number", default: 0, min: -1e12, max: 1e12, group: "site", scenarios: ALL,
    meaning: "Existing net debt of the site, subtracted from equity value",
    source: `${MINEPIVOT}: example site carries no debt`, asOf: "2025-12" },

  // Bitcoin market
  { key: "btc_price", label: "Bitcoin price", unit: "USD", kind: "number", default: 90_000, min: 0, minExclusive: true, max: 100_000_000, group: "market", scenarios: MINING,
    meaning: "BTC price at the valuation date",
    source: "Below 90,000 USD on 18 Nov 2025; 85,000-91,000 Dec 2025-Jan 2026 (Hashrate Index weekly)", asOf: "2025-12" },
  { key: "btc_price_growth", label: "Bitcoin price growth", unit: "/yr", kind: "number", default: 0, min: -0.9, max: 5, group: "market", scenarios: MINING,
    meaning: "Annual drift of the BTC price, compounded monthly",
    source: `${MINEPIVOT}: flat, no house view on the price`, asOf: "2025-12" },
  { key: "network_hashrate", label: "Network hashrate", unit: "EH/s", kind: "number", default: 1_045, min: 0.000001, max: 1_000_000, group: "market", scenarios: MINING,
    meaning: "Bitcoin network hashrate at the valuation date",
    source: "December 2025 average 1,045 EH/s (JPMorgan); ~1,124 EH/s 7-day mid-Nov (TheMinerMag)", asOf: "2025-12" },
  { key: "hashrate_growth", label: "Network hashrate growth", unit: "/yr", kind: "number", default: 0.2, min: -0.9, max: 5, group: "market", scenarios: MINING,
    meaning: "Annual growth of the network hashrate, compounded monthly",
    source: `${MINEPIVOT}: below 2025's +35 % difficulty growth (109.8 T to 148.2 T, bitbo.io) as hashprice sits at record lows`, asOf: "2025-12" },
  { key: "fee_share", label: "Fee share of block reward", unit: "share", kind: "number", default: 0.0062, min: 0, max: 0.99, group: "market", scenarios: MINING,
    meaning: "Transaction fees / total block reward at the valuation date; fees then held constant in BTC",
    source: "Hashrate Index, week to 3 Nov 2025: 0.62 %", asOf: "2025-11-03" },
  { key: "block_height", label: "Block height", unit: "blocks", kind: "number", default: 929_424, min: 0, max: 13_440_000, integer: true, group: "market", scenarios: MINING,
    meaning: "Chain height at the valuation date",
    source: "Estimate: block 840,000 on 20 Apr 2024 plus 144 blocks a day to 1 Jan 2026", asOf: "2026-01-01" },

  // Mining operations
  { key: "fleet_efficiency", label: "Fleet efficiency", unit: "J/TH", kind: "number", default: 20, min: 1, max: 500, group: "mining", scenarios: MINING,
    meaning: "Energy per terahash of the fleet",
    source: "Large listed fleets: Riot 20.5 J/TH (Sep 2025), CleanSpark 16.15 J/TH (Jun 2025), company reports", asOf: "2025-09" },
  { key: "pue_mining", label: "Mining PUE", unit: "ratio", kind: "number", default: 1.05, min: 1, max: 3, group: "mining", scenarios: MINING,
    meaning: "Site MW / hashing MW (fans, transformers, controls)",
    source: `${MINEPIVOT}: typical air-cooled mine overhead`, asOf: "2025-12" },
  { key: "uptime", label: "Uptime", unit: "share", kind: "number", default: 0.95, min: 0.000001, max: 1, group: "mining", scenarios: MINING,
    meaning: "Share of hours the fleet hashes (curtailment and downtime out)",
    source: `${MINEPIVOT}: large US miners report 93-97 % outside curtailment events`, asOf: "2025-12" },
  { key: "pool_fee", label: "Pool fee", unit: "share", kind: "number", default: 0.015, min: 0, max: 0.5, group: "mining", scenarios: MINING,
    meaning: "Share of mining revenue kept by the pool",
    source: `${MINEPIVOT}: between negotiated ~1 % and published FPPS 2-2.5 %`, asOf: "2025-12" },
  { key: "other_opex_mining", label: "Other mining opex", unit: "USD/MWh", kind: "number", default: 10.5, min: 0, max: 1_000, group: "mining", scenarios: MINING,
    meaning: "Non-power cash opex per MWh consumed (staff, repairs, hosting overhead)",
    source: "Cambridge 2025 survey: all-in cash opex 55.5 USD/MWh less 45 USD/MWh power", asOf: "2025-04" },
  { key: "asic_price", label: "ASIC price", unit: "USD/TH", kind: "number", default: 15, min: 0, max: 1_000, group: "mining", scenarios: MINING,
    meaning: "Price of a replacement fleet of the same efficiency",
    source: "Hashrate Index ASIC price index: S21 XP 25.70 USD/TH (3 Nov 2025), hydro S21 7-8 (Dec 2025); mid-generation point chosen", asOf: "2025-11-03" },
  { key: "asic_life_years", label: "ASIC life", unit: "years", kind: "number", default: 4, min: 0.5, max: 20, group: "mining", scenarios: MINING,
    meaning: "Years a fleet runs before it is replaced; also its depreciation life",
    source: `${MINEPIVOT}: one halving cycle`, asOf: "2025-12" },
  { key: "fleet_age_years", label: "Fleet age", unit: "years", kind: "number", default: 2, min: 0, max: 20, group: "mining", scenarios: MINING,
    meaning: "Age of the installed fleet at the valuation date (first replacement at asic_life_years minus this)",
    source: `${MINEPIVOT}: mid-life fleet`, asOf: "2025-12" },
  { key: "horizon_years_mining", label: "Mining horizon", unit: "years", kind: "number", default: 10, min: 1, max: 40, group: "mining", scenarios: MINING,
    meaning: "Years of mining valued; no terminal value after it",
    source: `${MINEPIVOT}: two to three halvings ahead`, asOf: "2025-12" },
  { key: "discount_rate_mining", label: "Discount rate, mining", unit: "/yr", kind: "number", default: 0.15, min: 0, max: 1, group: "mining", scenarios: MINING,
    meaning: "Cost of equity for merchant mining cash flows",
    source: `${MINEPIVOT}: merchant commodity exposure priced above contracted leases`, asOf: "2025-12" },

  // Conversion (shared by powered shell and colocated GPU)
  { key: "pue_dc", label: "Data-centre PUE", unit: "ratio", kind: "number", default: 1.2, min: 1, max: 3, group: "conversion", scenarios: CONVERSION,
    meaning: "Site MW / critical IT MW after conversion",
    source: "Uptime Institute 2025: new large builds 1.1-1.3; Applied Digital design 1.18", asOf: "2025" },
  { key: "conversion_capex", label: "Conversion capex", unit: "USD M per MW IT", kind: "number", default: 9.5, min: 0, max: 100, group: "conversion", scenarios: CONVERSION,
    meaning: "Cost to convert the site, per MW of critical IT, excluding GPUs",
    source: "8-11 M USD per MW IT (Needham, CoinShares); TeraWulf 8-10, Cipher 9-11 (2025)", asOf: "2025-09" },
  { key: "construction_months", label: "Construction period", unit: "months", kind: "number", default: 12, min: 1, max: 60, integer: true, group: "conversion", scenarios: CONVERSION,
    meaning: "Months of conversion before rent or GPU service starts; capex drawn evenly over them",
    source: `${MINEPIVOT}: first halls of 2025 conversions delivered in 12-18 months`, asOf: "2025-12" },
  { key: "facility_life_years", label: "Facility depreciation life", unit: "years", kind: "number", default: 20, min: 1, max: 50, group: "conversion", scenarios: CONVERSION,
    meaning: "Straight-line tax life of the conversion capex, from service start",
    source: `${MINEPIVOT}: blend of 15- and 39-year US recovery periods for data-centre fit-out`, asOf: "2025-12" },
  { key: "discount_rate_shell", label: "Discount rate, powered shell", unit: "/yr", kind: "number", default: 0.1, min: 0, max: 1, group: "lease", scenarios: SHELL,
    meaning: "Cost of equity for a contracted lease to an investment-grade-backed tenant",
    source: `${MINEPIVOT}: powered-shell cap rate 7-8 % (JLL) plus the 3 % escalator`, asOf: "2025-12" },
  { key: "lease_rate", label: "Lease rate", unit: "USD/kW-month", kind: "number", default: 130, min: 0, max: 10_000, group: "lease", scenarios: CONVERSION,
    meaning: "Starting rent per kW of critical IT per month (triple net: tenant pays power)",
    source: "102-159 USD/kW-month implied by 2024-25 miner leases (Core Scientific, TeraWulf, Cipher, Hut 8)", asOf: "2025-12" },
  { key: "lease_escalator", label: "Lease escalator", unit: "/yr", kind: "number", default: 0.03, min: -0.2, max: 0.5, group: "lease", scenarios: CONVERSION,
    meaning: "Annual step-up of rent at each lease anniversary",
    source: "Hut 8-Fluidstack/Anthropic lease: 3 %/yr (Dec 2025)", asOf: "2025-12" },
  { key: "lease_term_years", label: "Lease term", unit: "years", kind: "number", default: 15, min: 1, max: 50, integer: true, group: "lease", scenarios: SHELL,
    meaning: "Years of rent; terminal value at the end of the term",
    source: "Hut 8 (15 yr), Applied Digital (~15 yr), Core Scientific (12 yr) leases", asOf: "2025-12" },
  { key: "noi_margin", label: "NOI margin", unit: "share", kind: "number", default: 0.85, min: 0, max: 1, group: "lease", scenarios: CONVERSION,
    meaning: "Net operating income / rent",
    source: "TeraWulf-Fluidstack ~85 %, Cipher-Fluidstack 80-85 % (2025)", asOf: "2025-09" },
  { key: "exit_cap_rate", label: "Exit cap rate", unit: "share", kind: "number", default: 0.075, min: 0.01, max: 0.5, group: "lease", scenarios: CONVERSION,
    meaning: "Terminal value = next-12-month NOI / cap rate",
    source: "JLL as reported: powered shell 7-8 %, colocation 6-7 %, hyperscale 5.5-6.5 %", asOf: "2025-12" },

  // Project debt on conversion capex
  { key: "debt_ltc", label: "Debt loan-to-cost", unit: "share", kind: "number", default: 0, min: 0, max: 0.95, group: "debt", scenarios: CONVERSION,
    meaning: "Share of conversion capex funded by project debt, drawn with the capex",
    source: `${MINEPIVOT}: unlevered by default, so equity value is the project value`, asOf: "2025-12" },
  { key: "debt_rate", label: "Debt interest rate", unit: "/yr", kind: "number", default: 0.08, min: 0, max: 0.5, group: "debt", scenarios: CONVERSION,
    meaning: "Annual interest on project debt, paid monthly",
    source: `${MINEPIVOT}: 2025 high-yield data-centre financings priced 7-9 %`, asOf: "2025-12" },
  { key: "debt_term_years", label: "Debt term", unit: "years", kind: "number", default: 10, min: 1, max: 40, group: "debt", scenarios: CONVERSION,
    meaning: "Level monthly repayment from service start; any balance left at the horizon is repaid from the exit",
    source: `${MINEPIVOT}: shorter than the lease term`, asOf: "2025-12" },

  // Colocated GPU
  { key: "discount_rate_gpu", label: "Discount rate, colocated GPU", unit: "/yr", kind: "number", default: 0.15, min: 0, max: 1, group: "gpu", scenarios: GPU,
    meaning: "Cost of equity for selling GPU capacity",
    source: `${MINEPIVOT}: merchant pricing and fast obsolescence, priced like mining`, asOf: "2025-12" },
  { key: "gpu_kw", label: "Power per GPU", unit: "kW", kind: "number", default: 1.4, min: 0.05, max: 20, group: "gpu", scenarios: GPU,
    meaning: "All-in IT power per GPU (server and network share)",
    source: "NVIDIA DGX H100: 10.2 kW for 8 GPUs (1.28 kW) plus network share", asOf: "2025-12" },
  { key: "gpu_capex", label: "Cost per GPU", unit: "USD", kind: "number", default: 40_600, min: 0, max: 10_000_000, group: "gpu", scenarios: GPU,
    meaning: "All-in installed cost per GPU (servers, network, racks, labour)",
    source: "IREN: ~40,600 USD per H200 all-in (Sep 2024)", asOf: "2024-09" },
  { key: "gpu_rate", label: "GPU rental rate", unit: "USD/GPU-hour", kind: "number", default: 2, min: 0, max: 1_000, group: "gpu", scenarios: GPU,
    meaning: "Price per GPU-hour sold in the first service year",
    source: "H100 one-year contracts from ~1.70 USD/hr (Oct 2025), B200 floor ~2.80 (SemiAnalysis, RBC); H200 point chosen", asOf: "2025-10" },
  { key: "gpu_rate_decline", label: "GPU rate decline", unit: "/yr", kind: "number", default: 0.2, min: -0.5, max: 0.99, group: "gpu", scenarios: GPU,
    meaning: "Annual fall of the GPU-hour rate, stepped at each service anniversary",
    source: "H100 -22 %, H200 -29 % year to date 2025 (SemiAnalysis, RBC)", asOf: "2025-10" },
  { key: "utilization", label: "GPU utilization", unit: "share", kind: "number", default: 0.85, min: 0, max: 1, group: "gpu", scenarios: GPU,
    meaning: "Share of GPU-hours sold",
    source: `${MINEPIVOT}: contracted clusters run 80-90 %`, asOf: "2025-12" },
  { key: "gpu_life_years", label: "GPU life", unit: "years", kind: "number", default: 5, min: 1, max: 15, integer: true, group: "gpu", scenarios: GPU,
    meaning: "Years GPUs are in service and depreciated; the horizon ends when they retire",
    source: "IREN-Microsoft 5-year GPU cloud contract (Nov 2025)", asOf: "2025-11" },
  { key: "gpu_residual_share", label: "GPU residual value", unit: "share", kind: "number", default: 0.1, min: 0, max: 1, group: "gpu", scenarios: GPU,
    meaning: "Resale value of the retired GPUs, as a share of their cost",
    source: `${MINEPIVOT}: five-year-old accelerators resell for little`, asOf: "2025-12" },
  { key: "gpu_opex_share", label: "GPU opex", unit: "share of revenue", kind: "number", default: 0.1, min: 0, max: 1, group: "gpu", scenarios: GPU,
    meaning: "Non-power operating cost (staff, network, software, maintenance)",
    source: `${MINEPIVOT}: neocloud cash opex excluding power`, asOf: "2025-12" },

  // Hybrid split
  { key: "share_mining", label: "Hybrid share, mining", unit: "share", kind: "number", default: 0.4, min: 0, max: 1, group: "hybrid", scenarios: ["hybrid"],
    meaning: "Share of site MW that keeps mining", source: `${MINEPIVOT}: illustrative split`, asOf: "2025-12" },
  { key: "share_shell", label: "Hybrid share, powered shell", unit: "share", kind: "number", default: 0.4, min: 0, max: 1, group: "hybrid", scenarios: ["hybrid"],
    meaning: "Share of site MW leased as powered shell", source: `${MINEPIVOT}: illustrative split`, asOf: "2025-12" },
  { key: "share_gpu", label: "Hybrid share, colocated GPU", unit: "share", kind: "number", default: 0.2, min: 0, max: 1, group: "hybrid", scenarios: ["hybrid"],
    meaning: "Share of site MW sold as GPU capacity", source: `${MINEPIVOT}: illustrative split`, asOf: "2025-12" },
] as const satisfies readonly AssumptionDef[];

export type AssumptionKey = (typeof REGISTRY)[number]["key"];
/** A validated assumption set: every key present, each a finite number. */
export type Assumptions = Readonly<Record<AssumptionKey, number>>;

export const ASSUMPTION_KEYS: readonly AssumptionKey[] = REGISTRY.map((def) => def.key);

const BY_KEY = new Map<string, AssumptionDef>(REGISTRY.map((def) => [def.key, def]));

export function getDef(key: AssumptionKey): AssumptionDef {
  return BY_KEY.get(key) as AssumptionDef;
}

export function findDef(key: string): AssumptionDef | undefined {
  return BY_KEY.get(key);
}

/** The defaults as a complete assumption set. */
export const DEFAULTS: Assumptions = Object.freeze(
  Object.fromEntries(REGISTRY.map((def) => [def.key, def.default])) as Record<AssumptionKey, number>,
);

/** Keys that change the value of a scenario, in registry order. */
export function keysFor(scenario: ScenarioName): AssumptionKey[] {
  return REGISTRY.filter((def) => (def.scenarios as readonly string[]).includes(scenario)).map((def) => def.key);
}
