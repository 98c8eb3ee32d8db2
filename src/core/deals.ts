/**
 * The public deal library: the stated terms of deal-library.ts with every rate derived from
 * them, a name lookup, "price like a deal" (the lease or GPU terms that reproduce a deal on any
 * site) and the reconciliation of the engine with the market: each lease valued on its own terms.
 */
import { parseAssumptions } from "./assumptions.js";
import { DEAL_LIBRARY, type DealTerms, type Missing, type Qualifier, type Range, type Stated } from "./deal-library.js";
import { InputError, describeValue } from "./errors.js";
import type { Provenance } from "./markets.js";
import { DEFAULTS, type AssumptionKey, type Assumptions } from "./registry.js";
import { HOURS_PER_MONTH } from "./time.js";
import { valueScenario, type Valuation } from "./value.js";

export type { DealKind, DealTerms, Qualifier } from "./deal-library.js";

/** A deal as users see it: stated terms flattened (null where the source is silent) plus derived rates. */
export interface Deal extends Pick<DealTerms, "id" | "name" | "kind" | "date" | "developer" | "counterparty" | "it_mw" | "term_years" | "source" | "as_of"> {
  readonly site: string | null;
  /** Stated, or derived from yearly revenue × term. */
  readonly tcv_usd: number;
  /** Stated, or derived as the average: TCV / term. */
  readonly annual_revenue_usd: number;
  readonly escalator: number | null;
  readonly lease_type: string | null;
  readonly pue: number | null;
  readonly build_cost_low_usd_m_per_mw: number | null;
  readonly build_cost_high_usd_m_per_mw: number | null;
  readonly noi_margin_low: number | null;
  readonly noi_margin_high: number | null;
  /** Derived: TCV / (IT MW × term). */
  readonly usd_per_it_mw_year: number;
  /** Derived (leases): the average rent, USD per IT MW-year / 12,000. */
  readonly usd_per_kw_month: number | null;
  /** The PUE of the site-MW basis: the deal's where public, else MinePivot's default pue_dc. */
  readonly site_basis_pue: number;
  /** Derived: USD per IT MW-year / site_basis_pue. */
  readonly usd_per_site_mw_year: number;
  /** Derived (leases with a public escalator): the first year's rent whose escalated path averages usd_per_kw_month. */
  readonly start_rent_usd_per_kw_month: number | null;
  /** Derived: the middle of the build-cost range, M USD per IT MW. */
  readonly build_cost_usd_m_per_mw: number | null;
  /** Derived (leases): average yearly rent / build cost. */
  readonly rent_yield_on_cost: number | null;
  readonly note: string | null;
  /** "about" / "at least" for figures the source quotes with "~" / ">". */
  readonly qualifiers: Readonly<Record<string, Qualifier>>;
  /** How each derived field is computed, in words. */
  readonly derived: Readonly<Record<string, string>>;
  /** Why each null field is null. */
  readonly missing: Readonly<Record<string, string>>;
}

/** Fields `MINEPIVOT.DEAL` and `minepivot deals --json` give, in the library's column order. */
export const DEAL_FIELDS = [
  "id",
  "name",
  "kind",
  "date",
  "developer",
  "counterparty",
  "site",
  "it_mw",
  "term_years",
  "tcv_usd",
  "annual_revenue_usd",
  "usd_per_kw_month",
  "usd_per_it_mw_year",
  "usd_per_site_mw_year",
  "site_basis_pue",
  "escalator",
  "start_rent_usd_per_kw_month",
  "lease_type",
  "pue",
  "build_cost_low_usd_m_per_mw",
  "build_cost_high_usd_m_per_mw",
  "build_cost_usd_m_per_mw",
  "rent_yield_on_cost",
  "noi_margin_low",
  "noi_margin_high",
  "note",
  "source",
  "as_of",
] as const satisfies readonly (keyof Deal)[];
export type DealField = (typeof DEAL_FIELDS)[number];

function isMissing<T>(value: Stated<T>): value is Missing {
  return typeof value === "object" && value !== null && "missing" in value;
}

/** kW per MW × months per year: USD per MW-year → USD per kW-month. */
const KW_MONTHS_PER_MW_YEAR = 12_000;

/** Σ (1 + e)^y for y = 0 .. years - 1: rent paid over the term per unit of first-year rent. */
function escalatedYears(escalator: number, years: number): number {
  let sum = 0;
  for (let y = 0; y < years; y++) sum += Math.pow(1 + escalator, y);
  return sum;
}

/** The first year's rent whose yearly steps of `escalator` average `averageRent` over `years`. */
export function startingRent(averageRent: number, escalator: number, years: number): number {
  return (averageRent * years) / escalatedYears(escalator, years);
}

/** Derives a deal's rates from its stated terms. */
export function deriveDeal(terms: DealTerms): Deal {
  const missing: Record<string, string> = {};
  const derived: Record<string, string> = {};
  const stated = <T>(field: string, value: Stated<T>): T | null => {
    if (!isMissing(value)) return value;
    missing[field] = value.missing;
    return null;
  };
  const site = stated("site", terms.site);
  const escalator = stated("escalator", terms.escalator);
  const leaseType = stated("lease_type", terms.lease_type);
  const pue = stated("pue", terms.pue);
  const build = stated<Range>("build_cost_usd_m_per_mw", terms.build_cost_usd_m_per_mw);
  const noi = stated<Range>("noi_margin", terms.noi_margin);

  let tcv: number;
  let annual: number;
  if (!isMissing(terms.tcv_usd)) {
    tcv = terms.tcv_usd;
    annual = tcv / terms.term_years;
    derived.annual_revenue_usd = "tcv_usd / term_years (the average year)";
  } else if (!isMissing(terms.annual_revenue_usd)) {
    annual = terms.annual_revenue_usd;
    tcv = annual * terms.term_years;
    derived.tcv_usd = `annual_revenue_usd × term_years (${terms.tcv_usd.missing})`;
  } else throw new Error(`deal ${terms.id}: neither a total contract value nor yearly revenue`);

  const perItMwYear = tcv / (terms.it_mw * terms.term_years);
  derived.usd_per_it_mw_year = "tcv_usd / (it_mw × term_years)";
  const lease = terms.kind === "lease";
  let perKwMonth: number | null = null;
  if (lease) {
    perKwMonth = perItMwYear / KW_MONTHS_PER_MW_YEAR;
    derived.usd_per_kw_month = "usd_per_it_mw_year / 12,000 (1,000 kW × 12 months): the average rent over the term";
  } else missing.usd_per_kw_month = "a GPU-cloud contract: its revenue pays for the GPUs too, so it is no rent per kW";

  const basisPue = pue ?? DEFAULTS.pue_dc;
  derived.site_basis_pue = pue === null ? "MinePivot's default pue_dc (the deal's PUE is not public)" : "the deal's design PUE";
  derived.usd_per_site_mw_year = "usd_per_it_mw_year / site_basis_pue";

  let startRent: number | null = null;
  if (perKwMonth !== null && escalator !== null) {
    startRent = startingRent(perKwMonth, escalator, terms.term_years);
    derived.start_rent_usd_per_kw_month = "usd_per_kw_month × term_years / Σ (1 + escalator)^y, y = 0 .. term_years - 1";
  } else
    missing.start_rent_usd_per_kw_month =
      perKwMonth === null ? missing.usd_per_kw_month! : "the escalator is not public, so the first year's rent cannot be told from the average";

  const buildMid = build === null ? null : (build.low + build.high) / 2;
  if (buildMid !== null) derived.build_cost_usd_m_per_mw = "the middle of the stated build-cost range";
  else missing.build_cost_low_usd_m_per_mw = missing.build_cost_high_usd_m_per_mw = missing.build_cost_usd_m_per_mw!;
  let yieldOnCost: number | null = null;
  if (lease && buildMid !== null) {
    yieldOnCost = perItMwYear / (buildMid * 1e6);
    derived.rent_yield_on_cost = "usd_per_it_mw_year / (build_cost_usd_m_per_mw × 1,000,000)";
  } else missing.rent_yield_on_cost = lease ? missing.build_cost_usd_m_per_mw! : "a GPU-cloud contract: no rent";
  if (noi === null) missing.noi_margin_low = missing.noi_margin_high = missing.noi_margin!;
  delete missing.noi_margin;

  return {
    id: terms.id,
    name: terms.name,
    kind: terms.kind,
    date: terms.date,
    developer: terms.developer,
    counterparty: terms.counterparty,
    site,
    it_mw: terms.it_mw,
    term_years: terms.term_years,
    tcv_usd: tcv,
    annual_revenue_usd: annual,
    escalator,
    lease_type: leaseType,
    pue,
    build_cost_low_usd_m_per_mw: build?.low ?? null,
    build_cost_high_usd_m_per_mw: build?.high ?? null,
    noi_margin_low: noi?.low ?? null,
    noi_margin_high: noi?.high ?? null,
    usd_per_it_mw_year: perItMwYear,
    usd_per_kw_month: perKwMonth,
    site_basis_pue: basisPue,
    usd_per_site_mw_year: perItMwYear / basisPue,
    start_rent_usd_per_kw_month: startRent,
    build_cost_usd_m_per_mw: buildMid,
    rent_yield_on_cost: yieldOnCost,
    note: terms.note ?? null,
    source: terms.source,
    as_of: terms.as_of,
    qualifiers: { ...terms.qualifiers },
    derived,
    missing,
  };
}

/** The library with its derived rates, in DEAL_LIBRARY's order. */
export const DEALS: readonly Deal[] = DEAL_LIBRARY.map(deriveDeal);

/** Lower case, letters and digits only: "Hut 8 → Fluidstack" and "hut8-fluidstack" meet. */
function squash(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, "");
}

const DEAL_IDS = DEALS.map((deal) => deal.id).join(", ");

/** A deal by id, or by a word that names exactly one deal ("hut8", "abernathy", "IREN"). */
export function parseDeal(raw: unknown, argument = "deal"): Deal {
  if (typeof raw === "string" && raw.trim() !== "") {
    const wanted = squash(raw);
    const exact = DEALS.find((deal) => squash(deal.id) === wanted || squash(deal.name) === wanted);
    if (exact) return exact;
    const matches = wanted.length >= 3 ? DEALS.filter((deal) => squash(`${deal.id} ${deal.name}`).includes(wanted)) : [];
    if (matches.length === 1) return matches[0]!;
    if (matches.length > 1) {
      const names = matches.map((deal) => deal.id).join(", ");
      throw new InputError(argument, raw, `one of ${names}`, `${argument}: ${describeValue(raw)} matches ${matches.length} deals (${names}); name one of them`);
    }
  }
  throw new InputError(
    argument,
    raw,
    `a deal: one of ${DEAL_IDS}`,
    `${argument}: ${describeValue(raw)} is not a deal in the library; expected one of ${DEAL_IDS}`,
  );
}

/** A field name of the library, with `-`/space read as `_`. */
export function parseDealField(raw: unknown, argument = "field"): DealField {
  const text =
    typeof raw === "string"
      ? raw
          .trim()
          .toLowerCase()
          .replace(/[\s-]+/g, "_")
      : "";
  const found = DEAL_FIELDS.find((field) => field === text);
  if (found) return found;
  throw new InputError(argument, raw, `one of ${DEAL_FIELDS.join(", ")}`);
}

/** The assumption values that price a site like a deal, each with where it comes from. */
export interface DealPricing {
  readonly deal: Deal;
  readonly values: Readonly<Partial<Record<AssumptionKey, number>>>;
  readonly provenance: Readonly<Partial<Record<AssumptionKey, Provenance>>>;
}

/**
 * Lease terms (or, for a GPU-cloud contract, GPU economics) that reproduce the deal's revenue
 * per IT MW on any site. Where the deal's escalator is not public, `base`'s escalator stays and
 * the starting rent is set so the escalated rent still averages the deal's rent.
 */
export function priceLikeDeal(deal: Deal, base: Assumptions = DEFAULTS): DealPricing {
  const asOf = deal.as_of;
  const cite = `${deal.name} (${deal.source})`;
  if (deal.kind === "gpu_cloud") {
    const gpusPerItMw = 1_000 / base.gpu_kw;
    const rate = deal.usd_per_it_mw_year / (gpusPerItMw * HOURS_PER_MONTH * 12);
    return {
      deal,
      values: { gpu_rate: rate, gpu_rate_decline: 0, utilization: 1, gpu_life_years: deal.term_years },
      provenance: {
        gpu_rate: { source: `Priced like ${cite}: ${fmt(deal.usd_per_it_mw_year / 1e6)} M USD per IT MW-year / (GPUs per IT MW at gpu_kw × 8,766 h)`, asOf },
        gpu_rate_decline: { source: `Priced like ${cite}: a fixed contract value, so no yearly decline`, asOf },
        utilization: { source: `Priced like ${cite}: the contract pays for the whole fleet's hours`, asOf },
        gpu_life_years: { source: `Priced like ${cite}: the contract term`, asOf },
      },
    };
  }
  const escalator = deal.escalator ?? base.lease_escalator;
  const average = deal.usd_per_kw_month!;
  const start = startingRent(average, escalator, deal.term_years);
  const escalatorText =
    deal.escalator === null ? `the assumed ${fmt(escalator * 100)} %/yr escalator (the deal's is not public)` : `its ${fmt(escalator * 100)} %/yr escalator`;
  const provenance: Partial<Record<AssumptionKey, Provenance>> = {
    lease_rate: { source: `Priced like ${cite}: first-year rent that averages ${fmt(average)} USD/kW-month (TCV / (IT MW × term)) at ${escalatorText}`, asOf },
    lease_term_years: { source: `Priced like ${cite}: the base term`, asOf },
  };
  const values: Partial<Record<AssumptionKey, number>> = { lease_rate: start, lease_term_years: deal.term_years };
  if (deal.escalator !== null) {
    values.lease_escalator = deal.escalator;
    provenance.lease_escalator = { source: `Priced like ${cite}: the stated escalator`, asOf };
  }
  return { deal, values, provenance };
}

function fmt(value: number): string {
  return value.toLocaleString("en-US", { maximumFractionDigits: 2 });
}

/** `base` priced like `deal`, validated against the registry's ranges. */
export function withDeal(base: Assumptions, deal: Deal): Assumptions {
  return parseAssumptions(Object.entries(priceLikeDeal(deal, base).values), base, `deal ${deal.id}`).values;
}

/**
 * The powered shell's rent per kW of critical IT per month, averaged over the lease term:
 * what a deal's TCV / (IT MW × term) measures, read back from the engine's schedule.
 */
export function averageRentUsdPerKwMonth(valuation: Valuation): number {
  const a = valuation.assumptions;
  const start = a.construction_months;
  const months = a.lease_term_years * 12;
  let rent = 0;
  for (let i = start; i < start + months; i++) rent += valuation.schedule.columns.revenue[i] ?? 0;
  const itKw = (a.site_mw / a.pue_dc) * 1_000;
  return rent / (itKw * months);
}

/** Published ranges of conversion equity value, each on its own basis. */
export const ANALYST_RANGES = {
  perSiteWatt: { low: 5, high: 8, unit: "USD/W of site power", source: "Morgan Stanley, Sep 2025, as reported" },
  perItMw: { low: 8, high: 17, unit: "M USD per critical IT MW", source: "JPMorgan miner research, Nov 2025, as reported" },
} as const;

export interface DealReconciliation {
  readonly deal: Deal;
  readonly valuation: Valuation;
  /** The engine's rent averaged over the term (equals the deal's rent when priced like it). */
  readonly engineRentUsdPerKwMonth: number;
  readonly equityPerSiteWatt: number;
  /** Equity value / critical IT MW, M USD: JPMorgan's basis. */
  readonly equityUsdMPerItMw: number;
  /** Equity per site watt with the deal's own build cost as conversion_capex; null where that is not public. */
  readonly equityPerSiteWattAtDealBuildCost: number | null;
}

/** Each lease deal priced on `base` (the example site by default) and valued as a powered shell. */
export function reconcileLeaseDeals(base: Assumptions = DEFAULTS): DealReconciliation[] {
  return DEALS.filter((deal) => deal.kind === "lease").map((deal) => {
    const priced = withDeal(base, deal);
    const valuation = valueScenario("powered_shell", priced);
    const { npv_usd, equity_per_watt, critical_it_mw } = valuation.metrics;
    const build = deal.build_cost_usd_m_per_mw;
    return {
      deal,
      valuation,
      engineRentUsdPerKwMonth: averageRentUsdPerKwMonth(valuation),
      equityPerSiteWatt: equity_per_watt,
      equityUsdMPerItMw: npv_usd / critical_it_mw! / 1e6,
      equityPerSiteWattAtDealBuildCost: build === null ? null : valueScenario("powered_shell", { ...priced, conversion_capex: build }).metrics.equity_per_watt,
    };
  });
}
