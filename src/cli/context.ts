/**
 * What a run stands on besides the user's own values: the market snapshot (`--market`, or a
 * `market` row in an assumptions file or `--set`) and the deal a site is priced like
 * (`--deal`). Every output names both, and every value keeps its source and as-of date.
 */
import {
  DEFAULT_MARKET_ID,
  InputError,
  defaultMarket,
  describeMarket,
  getDef,
  marketAssumptions,
  marketProvenance,
  parseDeal,
  parseMarket,
  priceLikeDeal,
  withDeal,
  type AssumptionKey,
  type Assumptions,
  type DealPricing,
  type MarketSnapshot,
  type Provenance,
} from "../core/index.js";

export interface RunContext {
  readonly market: MarketSnapshot;
  readonly pricing?: DealPricing;
}

export interface MarketChoice {
  readonly where: string;
  readonly market: MarketSnapshot | undefined;
}

/** A snapshot named in several places must be the same one: which would win is a guess. */
function chooseMarket(choices: readonly MarketChoice[]): MarketSnapshot {
  const given = choices.filter((choice) => choice.market !== undefined);
  if (new Set(given.map((choice) => choice.market!.id)).size > 1) {
    const list = given.map((choice) => `${choice.where} says ${choice.market!.id}`).join(", ");
    throw new InputError("--market", list, "one market snapshot", `market snapshot given more than once: ${list}`);
  }
  return given[0]?.market ?? defaultMarket();
}

/** The base of a run: the chosen snapshot's values, priced like the deal when one is named. */
export function contextBase(
  marketText: string | undefined,
  dealText: string | undefined,
  elsewhere: readonly MarketChoice[],
): { context: RunContext; base: Assumptions } {
  const market = chooseMarket([{ where: "--market", market: marketText === undefined ? undefined : parseMarket(marketText, "--market") }, ...elsewhere]);
  const snapshot = marketAssumptions(market);
  if (dealText === undefined) return { context: { market }, base: snapshot };
  const deal = parseDeal(dealText, "--deal");
  return { context: { market, pricing: priceLikeDeal(deal, snapshot) }, base: withDeal(snapshot, deal) };
}

/** Source and as-of date of a key that the user did not give. */
export function provenanceOf(context: RunContext, key: AssumptionKey): Provenance {
  return context.pricing?.provenance[key] ?? marketProvenance(context.market, key);
}

/** Lines naming the snapshot and the deal, for the top of every text output. */
export function contextLines(context: RunContext): string {
  const lines = [describeMarket(context.market)];
  if (context.pricing) lines.push(`Priced like ${context.pricing.deal.name}: ${dealChanges(context)}`);
  return `${lines.join("\n")}\n`;
}

function dealChanges(context: RunContext): string {
  return Object.entries(context.pricing!.values)
    .map(([key, value]) => `${key} = ${Number(value.toPrecision(6))} ${getDef(key as AssumptionKey).unit}`)
    .join(", ");
}

/** The snapshot and deal as JSON, for every --json object. */
export function contextJson(context: RunContext): Record<string, unknown> {
  return {
    market: { id: context.market.id, label: context.market.label, is_default: context.market.id === DEFAULT_MARKET_ID },
    ...(context.pricing ? { deal: { id: context.pricing.deal.id, name: context.pricing.deal.name, values: context.pricing.values } } : {}),
  };
}
