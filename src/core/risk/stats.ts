/**
 * Statistics over simulation results: one value per path in a Float64Array. Each estimate
 * comes with its Monte Carlo standard error where one is well defined from the sample alone
 * (means and probabilities); percentiles are reported without one.
 */
import { InputError } from "../errors.js";

export interface Distribution {
  readonly count: number;
  readonly mean: number;
  /** Sample standard deviation (n − 1 in the denominator). */
  readonly std: number;
  readonly p5: number;
  readonly p25: number;
  readonly p50: number;
  readonly p75: number;
  readonly p95: number;
  /** Share of values below 0. */
  readonly probLoss: number;
  /** std / sqrt(n). */
  readonly meanStandardError: number;
  /** sqrt(p (1 − p) / n). */
  readonly probLossStandardError: number;
}

export interface Probability {
  readonly probability: number;
  readonly standardError: number;
}

export interface PairedComparison extends Probability {
  /** Mean of a − b over paths. */
  readonly meanDifference: number;
  /** Standard error of the paired difference: far below that of two independent runs when the paths are shared. */
  readonly meanDifferenceStandardError: number;
}

/** Mean, spread, percentiles and probability of loss of `values`. */
export function summarize(values: Float64Array): Distribution {
  checkValues("values", values);
  const { mean, std } = moments(values);
  const sorted = Float64Array.from(values).sort();
  const loss = probabilityBelow(values, 0);
  return {
    count: values.length,
    mean,
    std,
    p5: percentile(sorted, 0.05),
    p25: percentile(sorted, 0.25),
    p50: percentile(sorted, 0.5),
    p75: percentile(sorted, 0.75),
    p95: percentile(sorted, 0.95),
    probLoss: loss.probability,
    meanStandardError: std / Math.sqrt(values.length),
    probLossStandardError: loss.standardError,
  };
}

/**
 * The q-quantile of ascending `sorted` values by linear interpolation between order statistics
 * at position (n − 1) q: Excel's PERCENTILE.INC and numpy's default, so users can reproduce it.
 */
export function percentile(sorted: Float64Array, q: number): number {
  checkValues("sorted", sorted);
  if (!(q >= 0 && q <= 1)) throw new InputError("q", q, "a share from 0 to 1");
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  return sorted[below]! + (position - below) * (sorted[above]! - sorted[below]!);
}

/**
 * Percentiles across paths, month by month, of a month-major series (`months` rows of `paths`
 * values): row m holds the `quantiles` of month m + 1, by `percentile`'s rule.
 */
export function percentileBands(series: Float64Array, paths: number, months: number, quantiles: readonly number[]): Float64Array {
  if (series.length !== paths * months) throw new InputError("series", series.length, `paths × months = ${paths * months} values`);
  const bands = new Float64Array(months * quantiles.length);
  const row = new Float64Array(paths);
  for (let m = 0; m < months; m++) {
    row.set(series.subarray(m * paths, (m + 1) * paths));
    row.sort();
    for (let q = 0; q < quantiles.length; q++) bands[m * quantiles.length + q] = percentile(row, quantiles[q]!);
  }
  return bands;
}

/** Share of values strictly below `threshold`, with its binomial standard error. */
export function probabilityBelow(values: Float64Array, threshold: number): Probability {
  checkValues("values", values);
  let count = 0;
  for (let i = 0; i < values.length; i++) if (values[i]! < threshold) count++;
  return proportion(count, values.length);
}

/**
 * How often `a` beats `b` on the same paths (common random numbers): the share of paths where
 * a > b strictly, and the paired mean difference with its standard error.
 */
export function probabilityBeats(a: Float64Array, b: Float64Array): PairedComparison {
  checkValues("a", a);
  checkValues("b", b);
  if (a.length !== b.length) throw new InputError("b", b.length, `as many values as a (${a.length}): the same paths`);
  const difference = new Float64Array(a.length);
  let wins = 0;
  for (let i = 0; i < a.length; i++) {
    difference[i] = a[i]! - b[i]!;
    if (a[i]! > b[i]!) wins++;
  }
  const { mean, std } = moments(difference);
  return { ...proportion(wins, a.length), meanDifference: mean, meanDifferenceStandardError: std / Math.sqrt(a.length) };
}

function proportion(count: number, n: number): Probability {
  const probability = count / n;
  return { probability, standardError: Math.sqrt((probability * (1 - probability)) / n) };
}

/** Two-pass mean and sample standard deviation (0 for a single value). */
export function moments(values: Float64Array): { mean: number; std: number } {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]!;
  const mean = sum / values.length;
  let squares = 0;
  for (let i = 0; i < values.length; i++) squares += (values[i]! - mean) ** 2;
  return { mean, std: values.length > 1 ? Math.sqrt(squares / (values.length - 1)) : 0 };
}

function checkValues(argument: string, values: Float64Array): void {
  if (values.length === 0) throw new InputError(argument, "(empty)", "at least one value");
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) throw new InputError(argument, values[i], `finite numbers (position ${i + 1} is not)`);
  }
}

/**
 * Bins of the histograms `minepivot simulate` prints and the workbook's Risk sheet draws: one
 * count for both, so a sheet's bars match the CLI's line for line (the pane's wider view uses 16).
 */
export const REPORT_HISTOGRAM_BINS = 12;

/** Counts of `values` in `bins` equal bins from the smallest to the largest value (edges: bins + 1). */
export function histogram(values: Float64Array, bins: number): { edges: Float64Array; counts: Uint32Array } {
  checkValues("values", values);
  if (!Number.isSafeInteger(bins) || bins < 1) throw new InputError("bins", bins, "a whole number of at least 1");
  let low = Infinity;
  let high = -Infinity;
  for (const v of values) {
    low = Math.min(low, v);
    high = Math.max(high, v);
  }
  const width = (high - low) / bins;
  const edges = Float64Array.from({ length: bins + 1 }, (_, i) => low + i * width);
  const counts = new Uint32Array(bins);
  for (const v of values) counts[width > 0 ? Math.min(bins - 1, Math.floor((v - low) / width)) : 0]!++;
  return { edges, counts };
}
