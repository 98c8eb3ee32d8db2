/** Unwrapping the adapter's outcomes in tests: the value, or the error, or a failure that says what came instead. */
import type { Outcome } from "../../src/functions/adapter.js";

export function value<T>(outcome: Outcome<T>): T {
  if (!outcome.ok) throw new Error(`expected a value, got ${outcome.code} ${outcome.message}`);
  return outcome.value;
}

export function failure(outcome: Outcome<unknown>): { code: string; message: string } {
  if (outcome.ok) throw new Error(`expected an error, got ${JSON.stringify(outcome.value)}`);
  return outcome;
}
