/**
 * The one seeded random generator of MinePivot: every simulation and every randomised test
 * draws from it, so a seed reproduces a result bit for bit in the CLI, the functions and the pane.
 *
 * xoshiro128** (Blackman & Vigna, 2018): 128 bits of state, period 2^128 − 1, passes BigCrush,
 * and needs only 32-bit integer arithmetic, which JavaScript does exactly (Math.imul, >>>).
 * Normal draws invert the normal distribution function (Wichura's AS 241), so each normal
 * consumes exactly one uniform: streams stay aligned when a volatility changes, and a path's
 * draws do not depend on what was drawn before it was rejected (there is no rejection).
 */
import { InputError } from "../errors.js";

const TWO_POW_32 = 4_294_967_296;

export class Random {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  /** `seed`: a whole number from 0 to 2^53; different seeds give unrelated streams. */
  constructor(seed: number) {
    if (!Number.isSafeInteger(seed) || seed < 0) throw new InputError("seed", seed, "a whole number from 0 to 9007199254740991");
    // SplitMix32 spreads the seed over the four state words (never all zero), so neighbouring
    // seeds such as 1 and 2 do not start from neighbouring states.
    let x = (seed >>> 0) ^ Math.imul(Math.floor(seed / TWO_POW_32), 0x9e3779b9);
    const next = (): number => {
      x = (x + 0x9e3779b9) | 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** The next 32 random bits, as an unsigned integer. */
  nextUint32(): number {
    const s1 = this.s1;
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform on the open interval (0, 1): the midpoints of 2^32 equal cells, never 0 or 1. */
  uniform(): number {
    return (this.nextUint32() + 0.5) / TWO_POW_32;
  }

  /** A standard normal draw. */
  normal(): number {
    return normalQuantile(this.uniform());
  }

  /** Fills `out` with standard normal draws (the hot-loop form of `normal`). */
  fillNormal(out: Float64Array): Float64Array {
    for (let i = 0; i < out.length; i++) out[i] = normalQuantile((this.nextUint32() + 0.5) / TWO_POW_32);
    return out;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/**
 * Inverse of the standard normal distribution function, Wichura's AS 241 (PPND16), accurate to
 * about 1e-16. Defined for 0 < p < 1; the generator's uniforms are at least 2^-33 from 0 and 1,
 * where r = sqrt(−ln p) stays below 5, so AS 241's third (far-tail) branch is not needed and
 * smaller p is refused rather than approximated.
 */
export function normalQuantile(p: number): number {
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    return (
      (q *
        (((((((2509.0809287301226727 * r + 33430.575583588128105) * r + 67265.770927008700853) * r + 45921.953931549871457) * r + 13731.693765509461125) * r +
          1971.5909503065514427) *
          r +
          133.14166789178437745) *
          r +
          3.387132872796366608)) /
      (((((((5226.495278852854561 * r + 28729.085735721942674) * r + 39307.89580009271061) * r + 21213.794301586595867) * r + 5394.1960214247511077) * r +
        687.1870074920579083) *
        r +
        42.313330701600911252) *
        r +
        1)
    );
  }
  const tail = q < 0 ? p : 1 - p;
  const r0 = Math.sqrt(-Math.log(tail));
  if (!(r0 <= 5)) throw new InputError("p", p, "a probability at least 1e-11 from 0 and 1");
  const r = r0 - 1.6;
  const value =
    (((((((7.7454501427834140764e-4 * r + 0.0227238449892691845833) * r + 0.24178072517745061177) * r + 1.27045825245236838258) * r + 3.64784832476320460504) *
      r +
      5.7694972214606914055) *
      r +
      4.6303378461565452959) *
      r +
      1.42343711074968357734) /
    (((((((1.05075007164441684324e-9 * r + 5.475938084995344946e-4) * r + 0.0151986665636164571966) * r + 0.14810397642748007459) * r +
      0.68976733498510000455) *
      r +
      1.6763848301838038494) *
      r +
      2.05319162663775882187) *
      r +
      1);
  return q < 0 ? -value : value;
}
