/** `minepivot deals`: the public deal library, as a table or as JSON. */
import { DEALS, DEAL_FIELDS, type Deal, type Qualifier } from "../core/index.js";
import { renderTable } from "./format.js";

const MARK: Readonly<Record<Qualifier, string>> = { about: "~", "at least": ">" };

function number(deal: Deal, field: keyof Deal, value: number | null, digits: number, scale = 1): string {
  if (value === null) return "n/a";
  const mark = MARK[deal.qualifiers[field] ?? ("" as Qualifier)] ?? "";
  return `${mark}${(value / scale).toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits })}`;
}

/** One object per deal: the fields in library order, then qualifiers, derivations and reasons for nulls. */
export function dealsJson(): Record<string, unknown> {
  return {
    deals: DEALS.map((deal) => ({
      ...Object.fromEntries(DEAL_FIELDS.map((field) => [field, deal[field]])),
      qualifiers: deal.qualifiers,
      derived: deal.derived,
      missing: deal.missing,
    })),
  };
}

export function dealsTable(): string {
  const rows: string[][] = [
    ["Deal", "Date", "Counterparty", "IT MW", "Term (yr)", "TCV (USD B)", "USD/kW-month", "USD M/IT MW-yr", "USD M/site MW-yr", "Escalator", "Source"],
  ];
  for (const deal of DEALS) {
    // The TCV of a deal quoted by its yearly revenue carries that figure's qualifier.
    const tcvMark = deal.derived.tcv_usd ? (MARK[deal.qualifiers.annual_revenue_usd ?? ("" as Qualifier)] ?? "") : "";
    rows.push([
      deal.id,
      deal.date,
      deal.counterparty,
      number(deal, "it_mw", deal.it_mw, 0),
      number(deal, "term_years", deal.term_years, 0),
      `${tcvMark}${number(deal, "tcv_usd", deal.tcv_usd, 2, 1e9)}`,
      number(deal, "usd_per_kw_month", deal.usd_per_kw_month, 1),
      number(deal, "usd_per_it_mw_year", deal.usd_per_it_mw_year, 2, 1e6),
      `${number(deal, "usd_per_site_mw_year", deal.usd_per_site_mw_year, 2, 1e6)} @${deal.site_basis_pue}`,
      deal.escalator === null ? "n/a" : `${(deal.escalator * 100).toFixed(1)} %`,
      deal.source,
    ]);
  }
  return [
    renderTable(rows),
    "",
    "Rates are derived: USD per IT MW-year = TCV / (IT MW × term); per kW-month = that / 12,000 (the average",
    "rent over the term); per site MW-year = that / PUE (@: the deal's PUE where public, else MinePivot's",
    "default pue_dc). ~ about, > at least, n/a not public (minepivot deals --json gives each reason).",
    "iren-microsoft is a GPU-cloud contract (the revenue pays for the GPUs too), not a lease.",
  ].join("\n");
}
