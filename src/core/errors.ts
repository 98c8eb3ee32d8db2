/**
 * Typed errors shared by every front end. The core throws only these; adapters map them:
 * InputError → Excel #VALUE! / CLI exit 2, NoSolutionError → Excel #NUM!.
 */

/** Bad input: names the argument, the value received and what is allowed. */
export class InputError extends Error {
  readonly argument: string;
  readonly value: unknown;
  readonly allowed: string;

  constructor(argument: string, value: unknown, allowed: string, detail?: string) {
    const shown = describeValue(value);
    super(detail ?? `${argument}: ${shown} is not allowed; expected ${allowed}`);
    this.name = "InputError";
    this.argument = argument;
    this.value = value;
    this.allowed = allowed;
  }
}

/** A well-formed question with no answer: no IRR, no payback, no root of a solve. */
export class NoSolutionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "NoSolutionError";
  }
}

/** Renders a received value for an error message, short and unambiguous. */
export function describeValue(value: unknown): string {
  if (value === undefined) return "(missing)";
  if (value === null || value === "") return "(empty)";
  if (typeof value === "string") return JSON.stringify(value.length > 40 ? `${value.slice(0, 37)}...` : value);
  if (typeof value === "number") {
    if (Number.isNaN(value)) return "NaN";
    if (!Number.isFinite(value)) return value > 0 ? "Infinity" : "-Infinity";
    return String(value);
  }
  if (typeof value === "boolean") return value ? "TRUE" : "FALSE";
  return Object.prototype.toString.call(value);
}
