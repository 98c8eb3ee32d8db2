/**
 * Finance primitives, written for the engine's hot path: no allocation per call beyond what
 * the caller passes, Horner evaluation instead of a power per cash flow.
 *
 * Rate-of-return problems are solved in x = 1 / (1 + period rate), where the present value
 * Σ c_k x^t_k is a (generalised) polynomial. Descartes' rule of signs, which holds for real
 * exponents too, bounds its positive roots by the sign changes of the cash flows: with one
 * change the IRR exists and is unique; with several, a scan over rates decides.
 */
import { InputError, NoSolutionError } from "./errors.js";

const IRR_RANGE_PERIOD = "between -99 % and 1,000,000 % a period";
const IRR_RANGE_ANNUAL = "between -99.99 % and 1,000,000 % a year";

/** Excel NPV: Σ values[i] / (1 + rate)^(i + 1). */
export function npv(rate: number, values: ArrayLike<number>): number {
  checkRate(rate, "rate");
  const x = 1 / (1 + rate);
  let sum = 0;
  for (let i = values.length - 1; i >= 0; i--) sum = (sum + values[i]!) * x;
  return sum;
}

/** Present value of monthly flows at month ends 1..N under an annual rate: Σ c_m (1+r)^(-m/12). */
export function monthlyNpv(annualRate: number, flows: ArrayLike<number>): number {
  checkRate(annualRate, "rate");
  const x = Math.pow(1 + annualRate, -1 / 12);
  let sum = 0;
  for (let i = flows.length - 1; i >= 0; i--) sum = (sum + flows[i]!) * x;
  return sum;
}

/** Discount factor at month m from the valuation date: (1 + r)^(-m/12). */
export function discountFactor(annualRate: number, month: number): number {
  return Math.pow(1 + annualRate, -month / 12);
}

/** Excel XNPV: Σ values[i] / (1 + rate)^((dates[i] - dates[0]) / 365). Dates are day serials. */
export function xnpv(rate: number, values: ArrayLike<number>, dates: ArrayLike<number>): number {
  checkRate(rate, "rate");
  checkDated(values, dates);
  const logX = -Math.log1p(rate) / 365;
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]! * Math.exp(logX * (dates[i]! - dates[0]!));
  return sum;
}

/** Excel IRR semantics (flows at periods 0..n-1), but an error where no or several IRRs exist. */
export function irr(values: ArrayLike<number>): number {
  const x = orThrow(uniqueRoot(values, hornerAt(values), 1 / (1 + 1e4), 1 / (1 - 0.99), 1 / 1.1, IRR_RANGE_PERIOD));
  return 1 / x - 1;
}

/** Annual IRR of monthly flows at month ends 1..N: the r with Σ c_m (1+r)^(-m/12) = 0. */
export function monthlyIrr(flows: ArrayLike<number>): number {
  return orThrow(tryMonthlyIrr(flows));
}

/**
 * monthlyIrr without the exception: the IRR, or the reason there is none. The valuation calls
 * this on every scenario, where building an Error (and its stack) would dominate the cost.
 */
export function tryMonthlyIrr(flows: ArrayLike<number>): number | string {
  // Σ c_m x^m = x Σ c_m x^(m-1): the roots x > 0 are those of the polynomial in c_1..c_N.
  const x = uniqueRoot(flows, hornerAt(flows), X_LOW_ANNUAL, X_HIGH_ANNUAL, X_GUESS_ANNUAL, IRR_RANGE_ANNUAL);
  return typeof x === "string" ? x : Math.pow(x, -12) - 1;
}

const X_LOW_ANNUAL = Math.pow(1 + 1e4, -1 / 12);
const X_HIGH_ANNUAL = Math.pow(1 - 0.9999, -1 / 12);
const X_GUESS_ANNUAL = Math.pow(1.1, -1 / 12);

function orThrow<T>(result: T | string): T {
  if (typeof result === "string") throw new NoSolutionError(result);
  return result;
}

/** Excel XIRR semantics (365-day years from the first date), but an error where no or several IRRs exist. */
export function xirr(values: ArrayLike<number>, dates: ArrayLike<number>): number {
  checkDated(values, dates);
  const order = Array.from({ length: values.length }, (_, i) => i).sort((a, b) => dates[a]! - dates[b]!);
  const sorted = order.map((i) => values[i]!);
  const times = order.map((i) => (dates[i]! - dates[0]!) / 365);
  const shift = times[0]!;
  // x = 1 / (1 + r) with exponents in years; evaluate Σ v_i x^(t_i - t_min) to keep x^t finite.
  const at = (x: number): [number, number] => {
    let value = 0;
    let slope = 0;
    const logX = Math.log(x);
    for (let i = 0; i < sorted.length; i++) {
      const t = times[i]! - shift;
      const term = sorted[i]! * Math.exp(logX * t);
      value += term;
      slope += t === 0 ? 0 : (term * t) / x;
    }
    return [value, slope];
  };
  const x = orThrow(uniqueRoot(sorted, at, 1 / (1 + 1e4), 1 / (1 - 0.9999), 1 / 1.1, IRR_RANGE_ANNUAL));
  return 1 / x - 1;
}

/**
 * Years after which the cumulative monthly flow (month ends 1..N) stays non-negative: the end
 * of the last month it is negative, interpolated into the month that recovers it. A later dip
 * (a fleet bought, a debt balloon) moves payback past it; flows that never go negative pay
 * back at once (0); flows whose cumulative ends negative never pay back.
 */
export function paybackYears(flows: ArrayLike<number>): number {
  return orThrow(tryPaybackYears(flows));
}

/** paybackYears without the exception: the years, or the reason there is no payback. */
export function tryPaybackYears(flows: ArrayLike<number>): number | string {
  let cumulative = 0;
  let lastNegative = 0;
  let cumulativeThen = 0;
  for (let m = 1; m <= flows.length; m++) {
    cumulative += flows[m - 1]!;
    if (cumulative < 0) {
      lastNegative = m;
      cumulativeThen = cumulative;
    }
  }
  if (lastNegative === 0) return 0;
  if (lastNegative === flows.length) return "no payback: cumulative cash flow to equity ends negative over the horizon";
  return (lastNegative + -cumulativeThen / flows[lastNegative]!) / 12;
}

// ---------------------------------------------------------------------------------------------

type Evaluator = (x: number) => [value: number, slope: number];

/** Σ c_k x^k and its derivative by Horner's rule. */
function hornerAt(coefficients: ArrayLike<number>): Evaluator {
  return (x) => {
    let value = 0;
    let slope = 0;
    for (let k = coefficients.length - 1; k >= 0; k--) {
      slope = slope * x + value;
      value = value * x + coefficients[k]!;
    }
    return [value, slope];
  };
}

function signChanges(values: ArrayLike<number>): number {
  let changes = 0;
  let last = 0;
  for (let i = 0; i < values.length; i++) {
    const sign = Math.sign(values[i]!);
    if (sign === 0 || Number.isNaN(sign)) continue;
    if (last !== 0 && sign !== last) changes++;
    last = sign;
  }
  return changes;
}

const SCAN_POINTS = 96;

/**
 * The unique root x in [xLow, xHigh] of a present-value function, or why there is none.
 * One sign change in the flows (Descartes) proves uniqueness; otherwise a geometric scan of
 * the interval must find exactly one crossing. `range` names the interval for messages.
 */
function uniqueRoot(flows: ArrayLike<number>, at: Evaluator, xLow: number, xHigh: number, guess: number, range: string): number | string {
  for (let i = 0; i < flows.length; i++) {
    if (!Number.isFinite(flows[i]!)) throw new InputError("values", flows[i], "finite numbers");
  }
  const changes = signChanges(flows);
  if (changes === 0) return "no IRR: the cash flows never change sign";
  if (changes === 1) {
    const low = at(xLow)[0];
    const high = at(xHigh)[0];
    if (low === 0) return xLow;
    if (high === 0) return xHigh;
    if (Math.sign(low) === Math.sign(high)) return `no IRR ${range}`;
    return refine(at, xLow, low, xHigh, guess);
  }
  // Several sign changes: scan rates geometrically (x ≥ 0 counted as one side) for crossings.
  const ratio = Math.pow(xHigh / xLow, 1 / SCAN_POINTS);
  let crossings = 0;
  let low = xLow;
  let fLow = 0;
  let high = xLow;
  let previousX = xLow;
  let [previous, previousSlope] = at(xLow);
  for (let i = 1; i <= SCAN_POINTS; i++) {
    const x = i === SCAN_POINTS ? xHigh : previousX * ratio;
    const [value, slope] = at(x);
    if (value >= 0 !== previous >= 0) {
      crossings++;
      [low, fLow, high] = [previousX, previous, x];
    } else if (hidesRootPair(at, previousX, previous, previousSlope, x, value, slope)) crossings += 2;
    previousX = x;
    previous = value;
    previousSlope = slope;
  }
  if (crossings === 0) return `no IRR ${range}`;
  if (crossings > 1) return "no unique IRR: the cash flows have several";
  return refine(at, low, fLow, high, 0.5 * (low + high));
}

/**
 * Whether [a, b], whose ends share a sign, hides two roots: two IRRs closer than one scan step
 * (10 % and 20 % a year, say) leave no sign change at the grid points. When f heads toward zero
 * at a and away from it at b, bisect on the slope to the extremum and see if f reaches zero.
 */
function hidesRootPair(at: Evaluator, a: number, fa: number, slopeA: number, b: number, fb: number, slopeB: number): boolean {
  if (!(Math.sign(fa) * Math.sign(slopeA) < 0 && Math.sign(fb) * Math.sign(slopeB) > 0)) return false;
  for (let iteration = 0; iteration < 200 && b - a > 4e-16 * b; iteration++) {
    const middle = 0.5 * (a + b);
    const [value, slope] = at(middle);
    if (value === 0 || Math.sign(value) !== Math.sign(fa)) return true;
    if (Math.sign(slope) === Math.sign(slopeA)) a = middle;
    else b = middle;
  }
  return false;
}

/**
 * Newton steps kept inside a shrinking bracket [low, high]: a step that leaves the bracket, or
 * a pair of steps that fails to halve it, is replaced by bisection, so the bracket at least
 * halves every two steps and ~110 steps reach double precision from any start. (Pure Newton
 * can crawl for hundreds of steps on the long, flat flows of a 40-year lease.) Returns the
 * root, or why it could not be found.
 */
function refine(at: Evaluator, low: number, fLow: number, high: number, guess: number): number | string {
  let x = guess > low && guess < high ? guess : 0.5 * (low + high);
  let widthBefore = high - low;
  for (let iteration = 0; iteration < 400; iteration++) {
    const [value, slope] = at(x);
    if (value === 0) return x;
    const step = value / slope;
    // 1e-14 in x is about 1e-13 in the annual rate: far below any quoted precision.
    if (Math.abs(step) <= 1e-14 * x) return x - step;
    if (Math.sign(value) === Math.sign(fLow)) {
      low = x;
      fLow = value;
    } else high = x;
    if (high - low <= 1e-14 * x) return 0.5 * (low + high);
    let next = x - step;
    const slow = iteration % 2 === 1 && high - low > 0.5 * widthBefore;
    if (slow || !(next > low && next < high) || !Number.isFinite(next)) next = 0.5 * (low + high);
    if (iteration % 2 === 1) widthBefore = high - low;
    x = next;
  }
  return "no IRR: the search did not converge";
}

function checkRate(rate: number, argument: string): void {
  if (!Number.isFinite(rate) || rate <= -1) throw new InputError(argument, rate, "a finite rate above -100 %");
}

function checkDated(values: ArrayLike<number>, dates: ArrayLike<number>): void {
  if (values.length !== dates.length) throw new InputError("dates", dates.length, `as many dates as values (${values.length})`);
  if (values.length === 0) throw new InputError("values", "(none)", "at least one cash flow");
  for (let i = 0; i < dates.length; i++) {
    if (!Number.isFinite(dates[i]!)) throw new InputError("dates", dates[i], "finite day serial numbers");
    if (dates[i]! < dates[0]!) throw new InputError("dates", dates[i], "dates on or after the first date, as Excel requires");
  }
}
