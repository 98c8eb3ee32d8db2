/**
 * Generated tables for the deal library and the market snapshots: the reconciliation of the
 * engine with the market (each lease deal valued on its own terms, against the analysts'
 * ranges on the same basis) and the snapshots side by side. Filled in by `npm run docs`.
 */
import {
  ANALYST_RANGES,
  DEALS,
  DEFAULTS,
  MARKETS,
  getDef,
  marketAssumptions,
  marketProvenance,
  reconcileLeaseDeals,
  serialToIso,
  snapshotHashprice,
  valueScenario,
  type AssumptionKey,
} from "../core/index.js";

const cell = (text: string) => text.replace(/\|/g, "\\|");
const fixed = (value: number, digits: number) => value.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** "in", "below" or "above" a published range. */
function against(value: number, range: { readonly low: number; readonly high: number }): string {
  return value < range.low ? "below" : value > range.high ? "above" : "in";
}

/** Each lease deal priced on the example site and valued as a powered shell, beside the analysts' ranges. */
export function reconciliationTable(): string {
  const pue = DEFAULTS.pue_dc;
  const site = ANALYST_RANGES.perSiteWatt;
  const it = ANALYST_RANGES.perItMw;
  const lines = [
    `| lease (priced on the example site) | rent, TCV-derived (USD/kW-month) | engine's average rent | term (yr) | escalator | equity (USD/W of site) | vs ${site.low}-${site.high} USD/W | equity (M USD per IT MW) | vs ${it.low}-${it.high} M USD | at the deal's build cost (USD/W) |`,
    "|---|---:|---:|---:|---:|---:|---|---:|---|---:|",
  ];
  const defaults = valueScenario("powered_shell", DEFAULTS).metrics;
  const defaultPerItMw = defaults.npv_usd / defaults.critical_it_mw! / 1e6;
  lines.push(
    `| MinePivot defaults (starting rent ${DEFAULTS.lease_rate}) | | | ${DEFAULTS.lease_term_years} | ${fixed(DEFAULTS.lease_escalator * 100, 1)} % | ${fixed(defaults.equity_per_watt, 2)} | ${against(defaults.equity_per_watt, site)} | ${fixed(defaultPerItMw, 2)} | ${against(defaultPerItMw, it)} | |`,
  );
  for (const row of reconcileLeaseDeals()) {
    const { deal } = row;
    const escalator = deal.escalator === null ? `${fixed(DEFAULTS.lease_escalator * 100, 1)} % (assumed)` : `${fixed(deal.escalator * 100, 1)} %`;
    const build =
      row.equityPerSiteWattAtDealBuildCost === null
        ? ""
        : `${fixed(row.equityPerSiteWattAtDealBuildCost, 2)} (at ${fixed(deal.build_cost_usd_m_per_mw!, 1)} M USD/MW)`;
    lines.push(
      `| ${cell(deal.name)} | ${fixed(deal.usd_per_kw_month!, 1)} | ${fixed(row.engineRentUsdPerKwMonth, 1)} | ${deal.term_years} | ${escalator} | ${fixed(row.equityPerSiteWatt, 2)} | ${against(row.equityPerSiteWatt, site)} | ${fixed(row.equityUsdMPerItMw, 2)} | ${against(row.equityUsdMPerItMw, it)} | ${build} |`,
    );
  }
  lines.push(
    "",
    `Same basis: at the default PUE of ${pue}, ${site.low}-${site.high} USD per site watt (${site.source}) is ${fixed(site.low * pue, 1)}-${fixed(site.high * pue, 1)} M USD per IT MW, and ${it.low}-${it.high} M USD per IT MW (${it.source}) is ${fixed(it.low / pue, 2)}-${fixed(it.high / pue, 2)} USD per site watt.`,
  );
  return lines.join("\n");
}

/** The deal library in brief: stated terms and derived rates. */
export function dealLibraryTable(): string {
  const lines = ["| deal | date | IT MW | term (yr) | TCV (USD B) | USD/kW-month | M USD per IT MW-year | source |", "|---|---|---:|---:|---:|---:|---:|---|"];
  for (const deal of DEALS) {
    const mark = (field: string) => (deal.qualifiers[field] === "about" ? "~" : deal.qualifiers[field] === "at least" ? ">" : "");
    const tcvMark = deal.derived.tcv_usd ? mark("annual_revenue_usd") : mark("tcv_usd");
    lines.push(
      `| ${cell(deal.name)} | ${deal.date} | ${mark("it_mw")}${deal.it_mw} | ${mark("term_years")}${deal.term_years} | ${tcvMark}${fixed(deal.tcv_usd / 1e9, 2)} | ${deal.usd_per_kw_month === null ? "n/a" : fixed(deal.usd_per_kw_month, 1)} | ${fixed(deal.usd_per_it_mw_year / 1e6, 2)} | ${cell(deal.source)} |`,
    );
  }
  return lines.join("\n");
}

function shown(key: AssumptionKey, value: number): string {
  return getDef(key).kind === "date" ? serialToIso(value) : value.toLocaleString("en-US", { maximumFractionDigits: 2 });
}

/** Every key a snapshot moves, its value in each snapshot and the source of each later value. */
export function marketsTable(): string {
  const keys = [...new Set(MARKETS.flatMap((snapshot) => Object.keys(snapshot.values)))] as AssumptionKey[];
  const later = MARKETS.filter((snapshot) => Object.keys(snapshot.values).length > 0);
  const lines = [
    `| key | ${MARKETS.map((snapshot) => snapshot.id).join(" | ")} | ${later.map((snapshot) => `source of ${snapshot.id} (as of)`).join(" | ")} |`,
    `|---|${MARKETS.map(() => "---:").join("|")}|${later.map(() => "---").join("|")}|`,
  ];
  for (const key of keys) {
    const values = MARKETS.map((snapshot) => shown(key, marketAssumptions(snapshot)[key]));
    const sources = later.map((snapshot) => {
      const { source, asOf } = marketProvenance(snapshot, key);
      return cell(`${source} (${asOf})`);
    });
    lines.push(`| \`${key}\` (${getDef(key).unit}) | ${values.join(" | ")} | ${sources.join(" | ")} |`);
  }
  lines.push(
    `| hashprice, engine (USD/PH/day) | ${MARKETS.map((snapshot) => fixed(snapshotHashprice(snapshot), 2)).join(" | ")} | check against the published figure below |`,
    `| hashprice, published | ${MARKETS.map((snapshot) => fixed(snapshot.reportedHashprice.value, 2)).join(" | ")} | ${later.map((snapshot) => cell(`${snapshot.reportedHashprice.source} (${snapshot.reportedHashprice.asOf})`)).join(" | ")} |`,
  );
  return lines.join("\n");
}
