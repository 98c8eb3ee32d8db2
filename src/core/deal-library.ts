/**
 * Public AI/HPC deals signed by bitcoin miners, as published: only stated terms live here.
 * Every rate (per kW-month, per MW-year, starting rent, yield) is derived in deals.ts, so a
 * typo in a derived figure cannot happen. A term the source does not state is `missing` with
 * the reason, never a guess. Quantities quoted with "~" or ">" carry that qualifier.
 */

/** A term the source does not give, and why. */
export interface Missing {
  readonly missing: string;
}
export type Stated<T> = T | Missing;

export interface Range {
  readonly low: number;
  readonly high: number;
}

/** "about" for figures quoted with "~", "at least" for figures quoted with ">". */
export type Qualifier = "about" | "at least";

export type DealKind = "lease" | "gpu_cloud";

export interface DealTerms {
  /** The name users type (CLI --deal, MINEPIVOT.DEAL). */
  readonly id: string;
  readonly name: string;
  /** A lease of space, power and cooling, or a GPU-cloud contract in which the seller owns the GPUs. */
  readonly kind: DealKind;
  /** Announcement date: ISO yyyy-mm-dd, or yyyy-mm where the source gives no day. */
  readonly date: string;
  /** The miner that owns the site. */
  readonly developer: string;
  /** The tenant or customer (with the backer where one is public). */
  readonly counterparty: string;
  readonly site: Stated<string>;
  /** Critical IT MW contracted. */
  readonly it_mw: number;
  readonly term_years: number;
  /** Total contract value over the base term, USD. */
  readonly tcv_usd: Stated<number>;
  /** Yearly contract revenue, USD, where the source quotes that instead of a total. */
  readonly annual_revenue_usd: Stated<number>;
  /** Annual rent step-up. */
  readonly escalator: Stated<number>;
  readonly lease_type: Stated<string>;
  /** Site MW / critical IT MW of the design. */
  readonly pue: Stated<number>;
  /** Build cost, M USD per MW of critical IT. */
  readonly build_cost_usd_m_per_mw: Stated<Range>;
  readonly noi_margin: Stated<Range>;
  readonly qualifiers: Readonly<
    Partial<Record<"it_mw" | "term_years" | "tcv_usd" | "annual_revenue_usd" | "build_cost_usd_m_per_mw" | "noi_margin", Qualifier>>
  >;
  readonly note?: string;
  readonly source: string;
  /** Date of the figures (the announcement or filing that states them). */
  readonly as_of: string;
}

const NOT_DISCLOSED: Missing = { missing: "not disclosed in the cited source" };
const NOT_RECORDED: Missing = { missing: "not recorded in MinePivot's reference figures" };
const TOTAL_STATED: Missing = { missing: "the source states the total contract value instead" };

/** Terms a source usually leaves out; a record lists only what its source states. */
type Optional = "site" | "tcv_usd" | "annual_revenue_usd" | "escalator" | "lease_type" | "pue" | "build_cost_usd_m_per_mw" | "noi_margin" | "qualifiers";

/** A deal as its source states it: terms left out are missing, with the reason. */
function stated(terms: Omit<DealTerms, Optional> & Partial<Pick<DealTerms, Optional>>): DealTerms {
  const totalGiven = terms.tcv_usd !== undefined;
  return {
    site: NOT_RECORDED,
    tcv_usd: { missing: "the source states yearly revenue only" },
    annual_revenue_usd: totalGiven ? TOTAL_STATED : NOT_DISCLOSED,
    escalator: NOT_DISCLOSED,
    lease_type: NOT_DISCLOSED,
    pue: NOT_DISCLOSED,
    build_cost_usd_m_per_mw: NOT_DISCLOSED,
    noi_margin: NOT_DISCLOSED,
    qualifiers: {},
    ...terms,
  };
}

/** The ten deals of the reference figures (shared FIGURES.md, "Deals"). */
export const DEAL_LIBRARY: readonly DealTerms[] = [
  stated({
    id: "hut8-fluidstack",
    name: "Hut 8 → Fluidstack (Anthropic), River Bend",
    kind: "lease",
    date: "2025-12-17",
    developer: "Hut 8",
    counterparty: "Fluidstack (Anthropic)",
    site: "River Bend",
    it_mw: 245,
    term_years: 15,
    tcv_usd: 7.0e9,
    escalator: 0.03,
    lease_type: "triple net",
    note: "Up to 17.7 B USD with renewals; the base term is valued.",
    source: "Hut 8 company release, as reported",
    as_of: "2025-12-17",
  }),
  stated({
    id: "cipher-aws",
    name: "Cipher → AWS",
    kind: "lease",
    date: "2025-11-03",
    developer: "Cipher Mining",
    counterparty: "Amazon Web Services",
    it_mw: 300,
    term_years: 15,
    tcv_usd: 5.5e9,
    source: "News coverage (secondary)",
    as_of: "2025-11-03",
  }),
  stated({
    id: "cipher-fluidstack",
    name: "Cipher → Fluidstack (Google backstop)",
    kind: "lease",
    date: "2025-09-25",
    developer: "Cipher Mining",
    counterparty: "Fluidstack (Google backstop)",
    it_mw: 168,
    term_years: 10,
    tcv_usd: 3.0e9,
    build_cost_usd_m_per_mw: { low: 9, high: 11 },
    noi_margin: { low: 0.8, high: 0.85 },
    qualifiers: { tcv_usd: "about" },
    source: "Blockworks",
    as_of: "2025-09-25",
  }),
  stated({
    id: "terawulf-fluidstack",
    name: "TeraWulf → Fluidstack, Lake Mariner",
    kind: "lease",
    date: "2025-08",
    developer: "TeraWulf",
    counterparty: "Fluidstack",
    site: "Lake Mariner",
    it_mw: 360,
    term_years: 10,
    tcv_usd: 6.7e9,
    build_cost_usd_m_per_mw: { low: 8, high: 10 },
    noi_margin: { low: 0.85, high: 0.85 },
    qualifiers: { it_mw: "about", noi_margin: "about" },
    note: "The first >200 MW (3.7 B USD, Aug 2025) and the expansion together.",
    source: "TeraWulf company releases, as reported",
    as_of: "2025-08",
  }),
  stated({
    id: "terawulf-abernathy",
    name: "TeraWulf / Fluidstack JV, Abernathy",
    kind: "lease",
    date: "2025-10-28",
    developer: "TeraWulf (joint venture with Fluidstack)",
    counterparty: "Fluidstack",
    site: "Abernathy",
    it_mw: 168,
    term_years: 25,
    tcv_usd: 9.5e9,
    source: "TeraWulf release",
    as_of: "2025-10-28",
  }),
  stated({
    id: "core-scientific-coreweave",
    name: "Core Scientific → CoreWeave",
    kind: "lease",
    date: "2024-10-22",
    developer: "Core Scientific",
    counterparty: "CoreWeave",
    it_mw: 500,
    term_years: 12,
    tcv_usd: 8.7e9,
    qualifiers: { it_mw: "about" },
    note: "All CoreWeave contracts at the time together (the June 2024 first tranche: 3.5 B USD, 200 MW).",
    source: "SEC filing",
    as_of: "2024-10-22",
  }),
  stated({
    id: "galaxy-coreweave",
    name: "Galaxy → CoreWeave, Helios",
    kind: "lease",
    date: "2025-08-15",
    developer: "Galaxy Digital",
    counterparty: "CoreWeave",
    site: "Helios",
    it_mw: 800,
    term_years: 15,
    annual_revenue_usd: 1.0e9,
    qualifiers: { annual_revenue_usd: "at least" },
    source: "CoinDesk",
    as_of: "2025-08-15",
  }),
  stated({
    id: "applied-digital-coreweave",
    name: "Applied Digital → CoreWeave",
    kind: "lease",
    date: "2025-08-29",
    developer: "Applied Digital",
    counterparty: "CoreWeave",
    it_mw: 400,
    term_years: 15,
    tcv_usd: 11e9,
    pue: 1.18,
    qualifiers: { term_years: "about", tcv_usd: "about" },
    source: "Applied Digital company release",
    as_of: "2025-08-29",
  }),
  stated({
    id: "riot-amd",
    name: "Riot → AMD",
    kind: "lease",
    date: "2026-01-16",
    developer: "Riot Platforms",
    counterparty: "AMD",
    it_mw: 25,
    term_years: 10,
    tcv_usd: 311e6,
    build_cost_usd_m_per_mw: { low: 3.6, high: 3.6 },
    qualifiers: { build_cost_usd_m_per_mw: "about" },
    note: "A retrofit of existing buildings, hence the low build cost.",
    source: "Dow Jones, as reported",
    as_of: "2026-01-16",
  }),
  stated({
    id: "iren-microsoft",
    name: "IREN → Microsoft (GPU cloud)",
    kind: "gpu_cloud",
    date: "2025-11-03",
    developer: "IREN",
    counterparty: "Microsoft",
    it_mw: 200,
    term_years: 5,
    tcv_usd: 9.7e9,
    escalator: { missing: "a GPU-cloud contract, not a lease: no rent to escalate" },
    lease_type: { missing: "a GPU-cloud contract, not a lease" },
    qualifiers: { it_mw: "about" },
    note: "IREN buys and runs the GPUs, so the revenue pays for them too.",
    source: "Reuters",
    as_of: "2025-11-03",
  }),
];
