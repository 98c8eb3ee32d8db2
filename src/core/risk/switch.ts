/**
 * The switch option: keep mining, and convert the site (or sell it) at the best time, valued
 * by least-squares Monte Carlo on the simulation's paths.
 *
 * The holder runs the mine month by month. At the end of any month it may sell the site (as the
 * mine's own stopping rule allows); at each conversion review (every `reviewMonths`, yearly by
 * default) it may instead start the conversion, which then runs as the engine values it: built
 * over construction (delay and overrun drawn on the path), leased or operated to the comparison
 * horizon and sold there. Both are for good: a converted site does not go back to mining.
 *
 * A conversion started at month t is valued by the engine on the rest of the path, as of t: the
 * horizon is what is left of the comparison horizon, the chain is t months further on, the
 * fleet t months older (or renewed, on the mine's replacement schedule), and rent and GPU rates
 * are today's (a lease signed later is priced at today's rate; a later GPU vintage costs and earns
 * what today's does). What the conversion will be worth depends on the path after t (how long
 * the build takes, what it costs, whether the tenant pays), which the holder cannot see at t, so
 * the rule decides on its value expected from what is seen (a least-squares fit on the month's
 * cover ratio, the state the mine's own rule reads) and the path is credited what it realises.
 * Until the conversion starts, cash is the mine's and is discounted at the mining rate.
 */
import { valueColocatedGpu, valuePoweredShell, type ConversionResult } from "../conversion.js";
import { InputError } from "../errors.js";
import { comparisonMonths, effectiveBlockHeight, fleetTiming, miningMonths, type PathMarket } from "../mining.js";
import type { Assumptions } from "../registry.js";
import { SCENARIO_LABELS } from "../scenarios.js";
import { BLOCKS_PER_MONTH } from "../time.js";
import { fittedValue, leastSquaresMonteCarlo, regressOnBasis, type StoppingProblem } from "./lsm.js";
import { moments, probabilityBeats } from "./stats.js";
import { PathReader, coverBasis, minePaths, monthRow, scheduleBufferFor, simulationMarket } from "./simulate.js";

/** The conversions the switch can start. */
export const SWITCH_TARGETS = ["powered_shell", "colocated_gpu"] as const;
export type SwitchTarget = (typeof SWITCH_TARGETS)[number];

export interface SwitchOptions {
  readonly paths?: number;
  readonly seed?: number;
  /** The conversion the holder may start; the powered shell by default. */
  readonly target?: SwitchTarget;
  /** Months between conversion reviews (the site may be sold at any month end). */
  readonly reviewMonths?: number;
  readonly onProgress?: (done: number, total: number) => void;
}

/** A review's rule as a hashprice threshold, and how well that threshold matches the fitted rule. */
export interface SwitchThreshold {
  /** Month of the review (end of month). */
  readonly month: number;
  /** Convert at this review when the month's hashprice is below this, USD/PH/day. */
  readonly hashprice_below: number;
  /** Share of the paths still mining at the review that the threshold classifies as the fitted rule does. */
  readonly agreement: number;
  /** Paths that convert at this review. */
  readonly conversions: number;
}

/** The switch option of one site; USD per watt of site power, each estimate with its standard error. */
export interface SwitchOption {
  readonly target: SwitchTarget;
  readonly paths: number;
  readonly seed: number;
  readonly review_months: number;
  /** Equity value of the site with the right to convert (or sell) at the best time: the better of converting today and holding. */
  readonly option_value_per_watt: number;
  readonly option_value_per_watt_se: number;
  /** Holding the option today (mine on, convert or sell later at the best time), whatever today's decision. */
  readonly hold_value_per_watt: number;
  readonly hold_value_per_watt_se: number;
  /** Mining alone, with the right to sell, on the same paths. */
  readonly mining_per_watt: number;
  readonly mining_per_watt_se: number;
  /** Converting today, on the same paths. */
  readonly convert_today_per_watt: number;
  readonly convert_today_per_watt_se: number;
  /** Holding less converting today, path by path: what waiting is worth (negative when it costs). */
  readonly value_of_waiting_per_watt: number;
  readonly value_of_waiting_per_watt_se: number;
  /** True when converting today beats holding the option (then the option is worth converting today). */
  readonly convert_now: boolean;
  /** Share of paths that convert within the horizon (all of them when converting now). */
  readonly prob_convert: number;
  /** Mean month the conversion starts, over the paths that convert; null when none does. */
  readonly expected_conversion_month: number | null;
  /** The rule in words. */
  readonly rule: string;
  /** Per review with conversions: the hashprice below which the site converts. */
  readonly thresholds: readonly SwitchThreshold[];
  /** Per path: the month the conversion starts (0 today when converting now), −1 when it never does. */
  readonly conversionMonth: Int32Array;
}

/**
 * The assumptions of a conversion started at the end of month `t`, as of then: the horizon
 * that is left, the chain and the fleet `t` months on. Rates, costs and rent are today's.
 */
export function deferredAssumptions(a: Assumptions, t: number): Assumptions {
  const { lifeMonths, firstReplacement } = fleetTiming(a);
  // The mine that kept going renews its fleet at firstReplacement and every lifeMonths after.
  const ageMonths = t < firstReplacement ? Math.round(a.fleet_age_years * 12) + t : (t - firstReplacement) % lifeMonths;
  return {
    ...a,
    horizon_years: (comparisonMonths(a) - t) / 12,
    block_height: effectiveBlockHeight(a) + t * BLOCKS_PER_MONTH,
    fleet_age_years: ageMonths / 12,
  };
}

/** Path `p` from the end of month `t` on: calendar series shifted; lease and GPU-service series start with service. */
function deferredPath(path: PathMarket, t: number, debtUsd: number): PathMarket {
  const shift = (series: ArrayLike<number>): ArrayLike<number> => (series as Float64Array).subarray(t);
  return {
    ...path,
    btcPriceUsd: shift(path.btcPriceUsd),
    networkHashrateEhs: shift(path.networkHashrateEhs),
    powerPriceUsdPerMwh: shift(path.powerPriceUsdPerMwh),
    debtUsd,
  };
}

/** The review months at which a conversion can still start: it needs construction plus a year before the horizon. */
export function reviewMonthsOf(a: Assumptions, reviewMonths: number, lastDate: number): number[] {
  const latest = Math.min(lastDate, comparisonMonths(a) - a.construction_months - 12);
  const out: number[] = [];
  for (let t = reviewMonths; t <= latest; t += reviewMonths) out.push(t);
  return out;
}

function checkOptions(options: SwitchOptions): { target: SwitchTarget; reviewMonths: number } {
  const target = options.target ?? "powered_shell";
  if (!SWITCH_TARGETS.includes(target)) throw new InputError("target", target, `one of ${SWITCH_TARGETS.join(", ")}`);
  const reviewMonths = options.reviewMonths ?? 12;
  if (!Number.isSafeInteger(reviewMonths) || reviewMonths < 1) throw new InputError("reviewMonths", reviewMonths, "a whole number of months, at least 1");
  return { target, reviewMonths };
}

/** Paths on which each review's conversion is valued to fit what it is expected to be worth. */
export const SWITCH_FIT_PATHS = 2_000;

/**
 * Values the switch option of `a`'s site on `paths` paths from `seed` (the simulation's, by
 * default: the same paths as `simulateRisk`, so converting today is the conversion's simulated
 * value path for path).
 *
 * The backward induction credits a conversion its value expected from the state (fitted on the
 * first `SWITCH_FIT_PATHS` paths at each review); each path that converts is then valued once,
 * at its conversion month, and credited what it realises. So the engine runs about three times
 * per path, not once per path and review.
 */
export function valueSwitchOption(a: Assumptions, options: SwitchOptions = {}): SwitchOption {
  const { target, reviewMonths } = checkOptions(options);
  const paths = options.paths ?? a.paths;
  const seed = options.seed ?? a.seed;
  // Each review fits three coefficients (constant, cover, cover squared) and needs more paths than that.
  if (!Number.isSafeInteger(paths) || paths < 4) throw new InputError("paths", paths, "a whole number of at least 4 for the switch option");
  const market = simulationMarket(a, paths, seed);
  const value = target === "powered_shell" ? valuePoweredShell : valueColocatedGpu;
  const dates = miningMonths(a);
  const reviews = reviewMonthsOf(a, reviewMonths, dates);
  const fitPaths = Math.min(paths, SWITCH_FIT_PATHS);

  let done = 0;
  // The mine and today's conversion on every path, the fits, and at most one conversion a path.
  const total = 3 * paths + fitPaths * reviews.length;
  const tick = (count: number): void => {
    const before = done;
    done = Math.min(total, done + count);
    if (options.onProgress && (Math.floor(done / 1000) > Math.floor(before / 1000) || done === total)) options.onProgress(done, total);
  };
  const mine = minePaths(a, market, () => tick(1), { hashprice: true });
  const starts = [0, ...reviews].map((t) => startAt(a, value, t));
  const today = new Float64Array(paths);
  const fits = reviews.map(() => new Float64Array(fitPaths));
  const scheduleBuffer = scheduleBufferFor(market.months);
  const reader = new PathReader(market.months);
  for (let p = 0; p < paths; p++) {
    const path = reader.path(market, p, { scheduleBuffer });
    today[p] = starts[0]!.valueOn(path);
    if (p < fitPaths) for (let r = 0; r < reviews.length; r++) fits[r]![p] = starts[r + 1]!.valueOn(path);
    tick(p < fitPaths ? 1 + reviews.length : 1);
  }

  const step = Math.pow(1 + a.discount_rate_mining, -1 / 12);
  const basis = [new Float64Array(paths), new Float64Array(paths)];
  const sample = [new Float64Array(fitPaths), new Float64Array(fitPaths)];
  // What each review's conversion is expected to be worth given the cover ratio seen then.
  const expected = new Map<number, Float64Array>();
  reviews.forEach((t, r) => {
    coverBasis(mine, t, basis);
    for (let j = 0; j < 2; j++) sample[j]!.set(basis[j]!.subarray(0, fitPaths));
    const beta = regressOnBasis(fits[r]!, sample);
    const fitted = new Float64Array(paths);
    for (let p = 0; p < paths; p++) fitted[p] = fittedValue(beta, basis, p);
    expected.set(t, fitted);
  });
  const problem: StoppingProblem = {
    paths,
    dates,
    stepDiscount: new Float64Array(dates).fill(step),
    basisSize: 2,
    exerciseValue: (date, out) => monthRow(mine.sales, paths, date, out),
    runningValue: (date, out) => monthRow(mine.flows, paths, date, out),
    basis: (date, out) => coverBasis(mine, date, out),
  };
  const miningAlone = leastSquaresMonteCarlo(problem);
  const held = leastSquaresMonteCarlo({
    ...problem,
    exerciseValue: (date, out) => {
      monthRow(mine.sales, paths, date, out);
      const fitted = expected.get(date);
      if (fitted) for (let p = 0; p < paths; p++) out[p] = Math.max(out[p]!, fitted[p]!);
    },
  });

  // Each path that converts is credited what its conversion realises, not what was expected.
  const holdValues = held.pathValues;
  const conversionMonth = new Int32Array(paths).fill(-1);
  for (let p = 0; p < paths; p++) {
    const t = held.exerciseDate[p]!;
    const fitted = expected.get(t);
    if (!fitted) continue;
    // Exercised at a review: converted when the expected conversion beat the sale that month.
    if (!(fitted[p]! > mine.sales[(t - 1) * paths + p]!)) continue;
    conversionMonth[p] = t;
    const realised = starts[reviews.indexOf(t) + 1]!.valueOn(reader.path(market, p, { scheduleBuffer }));
    holdValues[p] = holdValues[p]! + (realised - fitted[p]!) * Math.pow(step, t);
    tick(1);
  }
  tick(total);
  return summarise(a, {
    target,
    paths,
    seed,
    reviewMonths,
    reviews,
    today,
    holdValues,
    miningValues: miningAlone.pathValues,
    conversionMonth,
    hashprice: mine.hashprice!,
    exerciseDate: held.exerciseDate,
  });
}

/** Starting the conversion at month `t`: its assumptions then, the debt sized then, and its value on a path. */
function startAt(
  a: Assumptions,
  value: (a: Assumptions, siteMw: number, path?: PathMarket) => ConversionResult,
  t: number,
): { valueOn(path: PathMarket): number } {
  const at = t === 0 ? a : deferredAssumptions(a, t);
  // Lenders size the debt at financial close on the forecast then, not on the path that follows.
  const debtUsd = value(at, a.site_mw).debtUsd;
  return { valueOn: (path) => value(at, a.site_mw, deferredPath(path, t, debtUsd)).presentValue };
}

interface SwitchPaths {
  readonly target: SwitchTarget;
  readonly paths: number;
  readonly seed: number;
  readonly reviewMonths: number;
  readonly reviews: readonly number[];
  /** Per path, USD today: converting today; holding the option; mining alone. */
  readonly today: Float64Array;
  readonly holdValues: Float64Array;
  readonly miningValues: Float64Array;
  readonly conversionMonth: Int32Array;
  readonly hashprice: Float64Array;
  /** Per path: the month the held option was exercised (converted or sold), 0 when never. */
  readonly exerciseDate: Int32Array;
}

function summarise(a: Assumptions, s: SwitchPaths): SwitchOption {
  const siteW = a.site_mw * 1e6;
  const perWatt = (usd: number): number => (usd - a.net_debt) / siteW;
  const today = meanAndError(s.today);
  const hold = meanAndError(s.holdValues);
  const mining = meanAndError(s.miningValues);
  // Paired on the same paths: the shared market noise cancels out of the difference's error.
  const waiting = probabilityBeats(s.holdValues, s.today);
  // Today's decision is made on today's knowledge: convert now when that beats holding on average.
  const convertNow = today.mean > hold.mean;
  const conversionMonth = convertNow ? new Int32Array(s.paths) : s.conversionMonth;
  const option = convertNow ? today : hold;
  let converting = 0;
  let monthSum = 0;
  for (const month of conversionMonth) {
    if (month < 0) continue;
    converting++;
    monthSum += month;
  }
  const thresholds = convertNow ? [] : reviewThresholds(s);
  return {
    target: s.target,
    paths: s.paths,
    seed: s.seed,
    review_months: s.reviewMonths,
    option_value_per_watt: perWatt(option.mean),
    option_value_per_watt_se: option.error / siteW,
    hold_value_per_watt: perWatt(hold.mean),
    hold_value_per_watt_se: hold.error / siteW,
    mining_per_watt: perWatt(mining.mean),
    mining_per_watt_se: mining.error / siteW,
    convert_today_per_watt: perWatt(today.mean),
    convert_today_per_watt_se: today.error / siteW,
    value_of_waiting_per_watt: waiting.meanDifference / siteW,
    value_of_waiting_per_watt_se: waiting.meanDifferenceStandardError / siteW,
    convert_now: convertNow,
    prob_convert: converting / s.paths,
    expected_conversion_month: converting > 0 ? monthSum / converting : null,
    rule: ruleInWords(s.target, convertNow, thresholds, s.reviewMonths, waiting.meanDifference / siteW),
    thresholds,
    conversionMonth,
  };
}

/**
 * At each review where some paths convert, the hashprice below which converting best matches
 * the fitted rule over the paths still mining then: the rule in the unit miners watch.
 */
function reviewThresholds(s: SwitchPaths): SwitchThreshold[] {
  const { paths } = s;
  const out: SwitchThreshold[] = [];
  for (const t of s.reviews) {
    const live: { price: number; converts: boolean }[] = [];
    for (let p = 0; p < paths; p++) {
      const date = s.exerciseDate[p]!;
      if (date !== 0 && date < t) continue;
      live.push({ price: s.hashprice[(t - 1) * paths + p]!, converts: s.conversionMonth[p] === t });
    }
    const conversions = live.filter((row) => row.converts).length;
    if (conversions === 0) continue;
    live.sort((x, y) => x.price - y.price);
    // Threshold after position k: the k cheapest convert. Count the matches of every k at once.
    let correct = live.length - conversions;
    let bestCorrect = correct;
    let bestK = 0;
    for (let k = 0; k < live.length; k++) {
      correct += live[k]!.converts ? 1 : -1;
      if (correct > bestCorrect) {
        bestCorrect = correct;
        bestK = k + 1;
      }
    }
    const below = bestK === 0 ? live[0]!.price : bestK === live.length ? live[bestK - 1]!.price : (live[bestK - 1]!.price + live[bestK]!.price) / 2;
    out.push({ month: t, hashprice_below: below, agreement: bestCorrect / live.length, conversions });
  }
  return out;
}

function ruleInWords(target: SwitchTarget, convertNow: boolean, thresholds: readonly SwitchThreshold[], reviewMonths: number, waitingPerWatt: number): string {
  const name = SCENARIO_LABELS[target].toLowerCase();
  if (convertNow) return `Convert to ${name} now: holding out for a better time would cost ${(-waitingPerWatt).toFixed(2)} USD/W.`;
  if (thresholds.length === 0) return `Keep mining (sell the site when the mine stops paying); converting to ${name} never pays at a review.`;
  const usd = (x: number): string => x.toFixed(1);
  const main = thresholds.reduce((best, row) => (row.conversions > best.conversions ? row : best));
  const converting = thresholds.reduce((sum, row) => sum + row.conversions, 0);
  const share = `${Math.round((100 * main.conversions) / converting)} % of the conversions`;
  const others = thresholds.filter((row) => row !== main).map((row) => row.hashprice_below);
  const every = reviewMonths === 12 ? "yearly reviews" : `reviews (every ${reviewMonths} months)`;
  const later = others.length === 0 ? "" : ` At the other ${every} the threshold is ${usd(Math.min(...others))}–${usd(Math.max(...others))} USD/PH/day.`;
  return `Keep mining; convert to ${name} at the month-${main.month} review when hashprice is below about ${usd(main.hashprice_below)} USD/PH/day (${share} happen then).${later}`;
}

/** Mean and its standard error (sample standard deviation over √n). */
function meanAndError(values: Float64Array): { mean: number; error: number } {
  const { mean, std } = moments(values);
  return { mean, error: std / Math.sqrt(values.length) };
}

/** The switch option as data (JSON, tables): the per-path months become counts per conversion month. */
export type SwitchSummary = Omit<SwitchOption, "conversionMonth"> & {
  /** Paths converting in each month that has any, ascending (month 0: today); paths that never convert are not listed. */
  readonly conversion_months: readonly { readonly month: number; readonly paths: number }[];
};

export function switchSummary(option: SwitchOption): SwitchSummary {
  const { conversionMonth, ...rest } = option;
  const counts = new Map<number, number>();
  for (const month of conversionMonth) if (month >= 0) counts.set(month, (counts.get(month) ?? 0) + 1);
  const conversion_months = [...counts].sort((x, y) => x[0] - y[0]).map(([month, paths]) => ({ month, paths }));
  return { ...rest, conversion_months };
}

/** One of the switch option's USD/W estimates, as every view shows it: label, unit, value and standard error. */
export interface SwitchEstimate {
  readonly key: "option_value_per_watt" | "hold_value_per_watt" | "convert_today_per_watt" | "mining_per_watt" | "value_of_waiting_per_watt";
  /** The label in a sheet or the pane. */
  readonly label: string;
  /** The same, shorter, for an 80-column terminal table. */
  readonly short: string;
  readonly unit: "USD/W";
  readonly value: number;
  readonly se: number;
}

/** The switch option's estimates in the order the CLI, the pane and the Risk sheet show them. */
export function switchEstimates(option: SwitchSummary): SwitchEstimate[] {
  const target = SCENARIO_LABELS[option.target].toLowerCase();
  const rows: [SwitchEstimate["key"], string, string][] = [
    ["option_value_per_watt", "Value of the site with the option", "value of the site with the option"],
    ["hold_value_per_watt", "Holding the option (mine on, decide later)", "holding the option (mine on, decide later)"],
    ["convert_today_per_watt", `Converting to ${target} today`, "converting today"],
    ["mining_per_watt", "Mining alone (may sell)", "mining alone (may sell)"],
    ["value_of_waiting_per_watt", "Value of waiting (holding less converting today)", "value of waiting (hold less convert today)"],
  ];
  return rows.map(([key, label, short]) => ({ key, label, short, unit: "USD/W", value: option[key], se: option[`${key}_se`] }));
}
