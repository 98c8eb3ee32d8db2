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
        (((((((2509.0809287301227 * r + 33430.57558358813) * r + 67265.7709270087) * r + 45921.95393154987) * r + 13731.69376550946) * r + 1971.5909503065513) *
          r +
          133.14166789178438) *
          r +
          3.3871328727963665)) /
      (((((((5226.495278852854 * r + 28729.085735721943) * r + 39307.89580009271) * r + 21213.794301586597) * r + 5394.196021424751) * r + 687.1870074920579) *
        r +
        42.31333070160091) *
        r +
        1)
    );
  }
  const tail = q < 0 ? p : 1 - p;
  const r0 = Math.sqrt(-Math.log(tail));
  if (!(r0 <= 5)) throw new InputError("p", p, "a probability at least 1e-11 from 0 and 1");
  const r = r0 - 1.6;
  const value =
    (((((((0.0007745450142783414 * r + 0.022723844989269184) * r + 0.2417807251774506) * r + 1.2704582524523684) * r + 3.6478483247632045) * r +
      5.769497221460691) *
      r +
      4.630337846156546) *
      r +
      1.4234371107496835) /
    (((((((1.0507500716444169e-9 * r + 0.0005475938084995345) * r + 0.015198666563616457) * r + 0.14810397642748008) * r + 0.6897673349851) * r +
      1.6763848301838038) *
      r +
      2.053191626637759) *
      r +
      1);
  return q < 0 ? -value : value;
}
