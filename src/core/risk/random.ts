/**
 * The one seeded random generator of MinePivot: every simulation and every randomised test
 * draws from it, so a seed reproduces a result bit for bit in the CLI, the functions and the pane.
 *
 * xoshiro128** (Blackman & Vigna, 2018): 128 bits of state, period 2^128 − 1, passes BigCrush,
 * and needs only 32-bit integer arithmetic, which JavaScript does exactly (Math.imul, >>>).
 * Normal draws use Marsaglia's polar method: exact, and in V8 about twice as fast as inverting
 * the distribution function (AS 241), which costs a long rational function per draw.
 * `split` hands each consumer its own stream, so what one series draws never shifts another's.
 */
import { InputError } from "../errors.js";

const TWO_POW_32 = 4_294_967_296;

export class Random {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  /** The second normal of the last polar pair, NaN when none is waiting. */
  private spare = NaN;
  /** The disc point behind the last polar pair. */
  private lastU = 0;
  private lastV = 0;

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

  /**
   * A new generator whose state is the next 128 bits of this one: an independent stream for
   * one consumer (overlap of two such streams within 2^64 draws has probability ~2^-64).
   */
  split(): Random {
    const child = new Random(0);
    child.s0 = this.nextUint32();
    child.s1 = this.nextUint32();
    child.s2 = this.nextUint32();
    child.s3 = this.nextUint32();
    if ((child.s0 | child.s1 | child.s2 | child.s3) === 0) child.s0 = 1;
    return child;
  }

  /** A standard normal draw. */
  normal(): number {
    if (!Number.isNaN(this.spare)) {
      const z = this.spare;
      this.spare = NaN;
      return z;
    }
    const pair = this.polarPair();
    this.spare = pair * this.lastV;
    return pair * this.lastU;
  }

  /** Fills `out` with standard normal draws, two per polar pair (an odd length drops one). */
  fillNormal(out: Float64Array): Float64Array {
    for (let i = 0; i < out.length; i += 2) {
      const factor = this.polarPair();
      out[i] = factor * this.lastU;
      if (i + 1 < out.length) out[i + 1] = factor * this.lastV;
    }
    return out;
  }

  /**
   * Marsaglia's polar method: a uniform point (u, v) in the unit disc gives two independent
   * normals u·f and v·f with f = sqrt(−2 ln s / s), s = u² + v². Returns f; u, v in lastU, lastV.
   */
  private polarPair(): number {
    for (;;) {
      // Midpoints of 2^32 cells mapped to (−1, 1): never exactly 0 or ±1.
      const u = (this.nextUint32() + 0.5) / 2_147_483_648 - 1;
      const v = (this.nextUint32() + 0.5) / 2_147_483_648 - 1;
      const s = u * u + v * v;
      if (s < 1) {
        this.lastU = u;
        this.lastV = v;
        return Math.sqrt((-2 * Math.log(s)) / s);
      }
    }
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
