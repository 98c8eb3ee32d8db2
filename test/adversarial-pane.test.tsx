// @vitest-environment jsdom
/**
 * The task pane's part of the seeded adversarial suite (adversarial.test.ts has the rest):
 * saved sets read from a shared workbook or the browser, full of junk.
 */
import { describe, expect, it } from "vitest";
import { cleanSavedSets } from "../src/taskpane/storage.js";
import { seeded } from "./helpers/random.js";

const random = seeded(1414);
const pick = <T,>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const whole = (low: number, high: number) => low + Math.floor(random() * (high - low + 1));

describe("seeded adversarial suite, task pane", () => {
  const SAVED_CASES = 2_000;
  it(`junk in saved sets: ${SAVED_CASES} stores, never a throw, always text values under known keys`, () => {
    const junk = (depth: number): unknown =>
      depth === 0
        ? pick([1, "s", true, null, undefined, NaN, {}, [], "site_mw", -0])
        : pick([
            () => Array.from({ length: whole(0, 3) }, () => junk(depth - 1)),
            () => ({ name: pick(["A", 1, "", null, "constructor"]), overrides: junk(depth - 1), savedAt: junk(0) }),
            () => Object.fromEntries([[pick(["site_mw", "btc_price", "__proto__", "x"]), junk(depth - 1)]]),
            () => junk(0),
          ])();
    for (let i = 0; i < SAVED_CASES; i++) {
      const sets = cleanSavedSets(junk(whole(1, 4)));
      for (const set of sets) {
        expect(typeof set.name).toBe("string");
        for (const [key, value] of Object.entries(set.overrides)) {
          expect(["site_mw", "btc_price"]).toContain(key);
          expect(typeof value).toBe("string");
        }
      }
    }
  });
});
