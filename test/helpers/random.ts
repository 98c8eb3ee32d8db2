/** Seeded randomness for tests: the core's one generator, so a failing case reproduces from its seed. */
import { Random } from "../../src/core/index.js";

/** Uniform draws on (0, 1) from the core generator seeded with `seed`. */
export function seeded(seed: number): () => number {
  const random = new Random(seed);
  return () => random.uniform();
}
