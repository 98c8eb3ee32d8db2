/**
 * Least-squares Monte Carlo (Longstaff & Schwartz, 2001) for optimal stopping over path arrays:
 * at each exercise date, regress the realised value of continuing on basis functions of the
 * state, over in-the-money paths only, and exercise where the immediate value beats the fitted
 * continuation. The engine knows nothing of options or mines: a problem hands it the exercise
 * value, the running cash flow and the regression basis of each date, for all paths at once.
 */
import { InputError } from "../errors.js";

export interface StoppingProblem {
  readonly paths: number;
  /** Exercise dates 1..dates; date 0 is today. */
  readonly dates: number;
  /** Discount factor from date d − 1 to date d at index d − 1 (length `dates`). */
  readonly stepDiscount: Float64Array;
  /** Number of basis functions; the engine adds the constant. */
  readonly basisSize: number;
  /** Writes the value of exercising at `date` on every path into `out` (length paths). */
  exerciseValue(date: number, out: Float64Array): void;
  /** Writes basis function j at `date` over all paths into out[j]. */
  basis(date: number, out: readonly Float64Array[]): void;
  /** Cash received at `date` while the option is still held (e.g. the business one may leave). */
  runningValue?(date: number, out: Float64Array): void;
  /** Value of exercising today; when given, today's decision compares it with continuing. */
  readonly exerciseToday?: number;
}

export interface StoppingResult {
  /** max(exercise today, continuation) when `exerciseToday` is given, else the continuation value. */
  readonly value: number;
  /** Mean over paths of the discounted cash flows under the stopping rule (holding today). */
  readonly continuationValue: number;
  /** Monte Carlo standard error of `continuationValue`. */
  readonly standardError: number;
  readonly exerciseNow: boolean;
  /** Per path: the exercise date (1..dates), 0 when never exercised. */
  readonly exerciseDate: Int32Array;
  /** Per path: discounted value today of the cash flows under the rule. */
  readonly pathValues: Float64Array;
  /**
   * Row d − 1: the fitted continuation's coefficients at date d, constant first. A date with
   * too few in-the-money paths to fit has constant +Infinity (never exercise there); the last
   * date's row is unused (exercise whenever the exercise value is positive).
   */
  readonly coefficients: Float64Array;
}

/**
 * Prices `problem` by backward induction on its own paths (Longstaff–Schwartz). The estimate
 * is slightly high-biased (the rule has seen the paths it is valued on); `applyStoppingRule`
 * on independent paths gives the low-biased counterpart.
 */
export function leastSquaresMonteCarlo(problem: StoppingProblem): StoppingResult {
  checkProblem(problem);
  const { paths, dates, basisSize } = problem;
  const width = basisSize + 1;
  const exercise = new Float64Array(paths);
  const running = new Float64Array(paths);
  const basis = Array.from({ length: basisSize }, () => new Float64Array(paths));
  const value = new Float64Array(paths);
  const exerciseDate = new Int32Array(paths);
  const coefficients = new Float64Array(dates * width);
  const fit = new Regression(width);

  for (let date = dates; date >= 1; date--) {
    problem.exerciseValue(date, exercise);
    if (date === dates) {
      for (let p = 0; p < paths; p++) {
        if (exercise[p]! > 0) {
          value[p] = exercise[p]!;
          exerciseDate[p] = date;
        }
      }
    } else {
      problem.basis(date, basis);
      const beta = coefficients.subarray((date - 1) * width, date * width);
      if (!fit.solve(exercise, basis, value, beta)) beta[0] = Infinity;
      for (let p = 0; p < paths; p++) {
        const now = exercise[p]!;
        if (now > 0 && now > fittedValue(beta, basis, p)) {
          value[p] = now;
          exerciseDate[p] = date;
        }
      }
    }
    if (problem.runningValue) {
      problem.runningValue(date, running);
      for (let p = 0; p < paths; p++) value[p] = value[p]! + running[p]!;
    }
    const step = problem.stepDiscount[date - 1]!;
    for (let p = 0; p < paths; p++) value[p] = value[p]! * step;
  }
  return result(problem, value, exerciseDate, coefficients);
}

/**
 * Values `problem` forward under a rule fitted elsewhere (`coefficients` from
 * `leastSquaresMonteCarlo` on independent paths): exercise at the first date where the
 * exercise value is positive and beats the fitted continuation. A feasible rule, so the
 * estimate is low-biased; with the in-sample estimate it brackets the true value.
 */
export function applyStoppingRule(problem: StoppingProblem, coefficients: Float64Array): StoppingResult {
  checkProblem(problem);
  const { paths, dates, basisSize } = problem;
  const width = basisSize + 1;
  if (coefficients.length !== dates * width) throw new InputError("coefficients", coefficients.length, `${dates * width} values (dates × (basisSize + 1))`);
  const exercise = new Float64Array(paths);
  const running = new Float64Array(paths);
  const basis = Array.from({ length: basisSize }, () => new Float64Array(paths));
  const value = new Float64Array(paths);
  const exerciseDate = new Int32Array(paths);
  let discount = 1;
  for (let date = 1; date <= dates; date++) {
    discount *= problem.stepDiscount[date - 1]!;
    if (problem.runningValue) {
      problem.runningValue(date, running);
      for (let p = 0; p < paths; p++) if (exerciseDate[p] === 0) value[p] = value[p]! + running[p]! * discount;
    }
    problem.exerciseValue(date, exercise);
    if (date < dates) problem.basis(date, basis);
    const beta = coefficients.subarray((date - 1) * width, date * width);
    for (let p = 0; p < paths; p++) {
      const now = exercise[p]!;
      if (exerciseDate[p] !== 0 || !(now > 0)) continue;
      if (date === dates || now > fittedValue(beta, basis, p)) {
        value[p] = value[p]! + now * discount;
        exerciseDate[p] = date;
      }
    }
  }
  return result(problem, value, exerciseDate, coefficients);
}

function result(problem: StoppingProblem, value: Float64Array, exerciseDate: Int32Array, coefficients: Float64Array): StoppingResult {
  const n = problem.paths;
  let sum = 0;
  for (let p = 0; p < n; p++) sum += value[p]!;
  const mean = sum / n;
  let squares = 0;
  for (let p = 0; p < n; p++) squares += (value[p]! - mean) ** 2;
  const standardError = n > 1 ? Math.sqrt(squares / (n - 1) / n) : NaN;
  const exerciseNow = problem.exerciseToday !== undefined && problem.exerciseToday > mean;
  return {
    value: exerciseNow ? problem.exerciseToday! : mean,
    continuationValue: mean,
    standardError,
    exerciseNow,
    exerciseDate,
    pathValues: value,
    coefficients,
  };
}

/**
 * Least-squares fit of `target` on [1, basis…] over all paths: the coefficients, constant
 * first. What a quantity is expected to be given the state the basis describes.
 */
export function regressOnBasis(target: Float64Array, basis: readonly Float64Array[]): Float64Array {
  const beta = new Float64Array(basis.length + 1);
  const everyPath = new Float64Array(target.length).fill(1);
  if (!new Regression(basis.length + 1).solve(everyPath, basis, target, beta)) {
    throw new InputError("paths", target.length, `more than ${basis.length + 1} paths to fit ${basis.length + 1} coefficients`);
  }
  return beta;
}

/** The fitted value of path `p`: β₀ + Σ βⱼ basisⱼ[p]. */
export function fittedValue(beta: Float64Array, basis: readonly Float64Array[], p: number): number {
  let fitted = beta[0]!;
  for (let j = 0; j < basis.length; j++) fitted += beta[j + 1]! * basis[j]![p]!;
  return fitted;
}

/**
 * Ordinary least squares of `target` on [1, basis…] over the paths whose exercise value is
 * positive. The basis is centred and scaled on those paths before the normal equations are
 * formed (powers of a price are otherwise nearly collinear), and the coefficients are mapped
 * back to the raw basis. Directions with no variation are dropped (coefficient 0).
 */
class Regression {
  private readonly width: number;
  private readonly normal: Float64Array;
  private readonly rhs: Float64Array;
  private readonly mean: Float64Array;
  private readonly scale: Float64Array;
  private readonly row: Float64Array;
  /** The in-the-money paths' basis values and targets, gathered densely (grown as needed). */
  private xs: Float64Array[] = [];
  private ys = new Float64Array(0);

  constructor(width: number) {
    this.width = width;
    this.normal = new Float64Array(width * width);
    this.rhs = new Float64Array(width);
    this.mean = new Float64Array(width);
    this.scale = new Float64Array(width);
    this.row = new Float64Array(width);
  }

  /** Fills `beta`; false when fewer in-the-money paths than coefficients (no exercise then). */
  solve(exercise: Float64Array, basis: readonly Float64Array[], target: Float64Array, beta: Float64Array): boolean {
    const k = this.width;
    const { normal, rhs, mean, scale } = this;
    // Gather the in-the-money paths once, in path order: the passes below then run over dense
    // arrays without a test per path, and sum in the same order as a pass over all paths would.
    if (this.ys.length < exercise.length) {
      this.ys = new Float64Array(exercise.length);
      this.xs = Array.from({ length: k - 1 }, () => new Float64Array(exercise.length));
    }
    const { xs, ys } = this;
    let count = 0;
    for (let p = 0; p < exercise.length; p++) {
      if (!(exercise[p]! > 0)) continue;
      for (let j = 1; j < k; j++) xs[j - 1]![count] = basis[j - 1]![p]!;
      ys[count++] = target[p]!;
    }
    if (count <= k) return false;
    mean.fill(0);
    scale.fill(0);
    for (let j = 1; j < k; j++) {
      const x = xs[j - 1]!;
      let sum = 0;
      for (let c = 0; c < count; c++) sum += x[c]!;
      const m = sum / count;
      let squares = 0;
      for (let c = 0; c < count; c++) squares += (x[c]! - m) ** 2;
      mean[j] = m;
      scale[j] = Math.sqrt(squares / count);
    }
    normal.fill(0);
    rhs.fill(0);
    if (k === 3) this.accumulateTwo(count);
    else this.accumulate(count);
    const solved = choleskySolve(normal, rhs, k, count);
    // Back to the raw basis: β_j = γ_j / s_j, β_0 = γ_0 − Σ γ_j m_j / s_j.
    let constant = solved[0]!;
    for (let j = 1; j < k; j++) {
      const raw = scale[j]! > 0 ? solved[j]! / scale[j]! : 0;
      beta[j] = raw;
      constant -= raw * mean[j]!;
    }
    beta[0] = constant;
    return true;
  }

  /** The normal equations (lower triangle) and right-hand side over the `count` gathered paths. */
  private accumulate(count: number): void {
    const k = this.width;
    const { normal, rhs, mean, scale, row, xs, ys } = this;
    row[0] = 1;
    for (let c = 0; c < count; c++) {
      for (let j = 1; j < k; j++) row[j] = scale[j]! > 0 ? (xs[j - 1]![c]! - mean[j]!) / scale[j]! : 0;
      const y = ys[c]!;
      for (let i = 0; i < k; i++) {
        rhs[i] = rhs[i]! + row[i]! * y;
        for (let j = 0; j <= i; j++) normal[i * k + j] = normal[i * k + j]! + row[i]! * row[j]!;
      }
    }
  }

  /**
   * `accumulate` for two basis functions (the mine's and the switch's cover and its square),
   * in scalars: the same products summed in the same order, so the same bits, at a third of
   * the time of the general loops.
   */
  private accumulateTwo(count: number): void {
    const { normal, rhs, mean, scale, xs, ys } = this;
    const x1 = xs[0]!;
    const x2 = xs[1]!;
    const m1 = mean[1]!;
    const m2 = mean[2]!;
    const s1 = scale[1]!;
    const s2 = scale[2]!;
    let n00 = 0;
    let n10 = 0;
    let n11 = 0;
    let n20 = 0;
    let n21 = 0;
    let n22 = 0;
    let b0 = 0;
    let b1 = 0;
    let b2 = 0;
    for (let c = 0; c < count; c++) {
      const r1 = s1 > 0 ? (x1[c]! - m1) / s1 : 0;
      const r2 = s2 > 0 ? (x2[c]! - m2) / s2 : 0;
      const y = ys[c]!;
      b0 += 1 * y;
      n00 += 1 * 1;
      b1 += r1 * y;
      n10 += r1 * 1;
      n11 += r1 * r1;
      b2 += r2 * y;
      n20 += r2 * 1;
      n21 += r2 * r1;
      n22 += r2 * r2;
    }
    normal[0] = n00;
    normal[3] = n10;
    normal[4] = n11;
    normal[6] = n20;
    normal[7] = n21;
    normal[8] = n22;
    rhs[0] = b0;
    rhs[1] = b1;
    rhs[2] = b2;
  }
}

/**
 * Solves the symmetric system (lower triangle of `a`) by Cholesky, in place. A pivot below
 * 1e-10 of the observation count marks a direction with no information: its coefficient is 0.
 */
function choleskySolve(a: Float64Array, b: Float64Array, k: number, count: number): Float64Array {
  const tiny = 1e-10 * count;
  const dropped = new Uint8Array(k);
  for (let j = 0; j < k; j++) {
    let d = a[j * k + j]!;
    for (let m = 0; m < j; m++) d -= a[j * k + m]! ** 2;
    if (!(d > tiny)) {
      dropped[j] = 1;
      for (let i = j; i < k; i++) a[i * k + j] = 0;
      continue;
    }
    const root = Math.sqrt(d);
    a[j * k + j] = root;
    for (let i = j + 1; i < k; i++) {
      let s = a[i * k + j]!;
      for (let m = 0; m < j; m++) s -= a[i * k + m]! * a[j * k + m]!;
      a[i * k + j] = s / root;
    }
  }
  for (let i = 0; i < k; i++) {
    if (dropped[i]) {
      b[i] = 0;
      continue;
    }
    let s = b[i]!;
    for (let m = 0; m < i; m++) s -= a[i * k + m]! * b[m]!;
    b[i] = s / a[i * k + i]!;
  }
  for (let i = k - 1; i >= 0; i--) {
    if (dropped[i]) continue;
    let s = b[i]!;
    for (let m = i + 1; m < k; m++) s -= a[m * k + i]! * b[m]!;
    b[i] = s / a[i * k + i]!;
  }
  return b;
}

function checkProblem(problem: StoppingProblem): void {
  if (!Number.isSafeInteger(problem.paths) || problem.paths < 2) throw new InputError("paths", problem.paths, "a whole number of at least 2");
  if (!Number.isSafeInteger(problem.dates) || problem.dates < 1) throw new InputError("dates", problem.dates, "a whole number of at least 1");
  if (!Number.isSafeInteger(problem.basisSize) || problem.basisSize < 0) throw new InputError("basisSize", problem.basisSize, "a whole number of at least 0");
  if (problem.stepDiscount.length !== problem.dates)
    throw new InputError("stepDiscount", problem.stepDiscount.length, `${problem.dates} factors, one per date`);
}
