/**
 * The README's function reference, generated from the custom functions' metadata
 * (functions.json, locked by test/golden/functions.json). Reading the metadata rather than the
 * sources means the reference shows exactly what Excel shows: names, argument order,
 * optional arguments and help text.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export interface FunctionMetadata {
  readonly id: string;
  readonly name: string;
  readonly description?: string;
  readonly helpUrl?: string;
  readonly parameters: ReadonlyArray<{ readonly name: string; readonly description?: string; readonly optional?: boolean; readonly dimensionality?: string }>;
  readonly result: { readonly type?: string; readonly dimensionality?: string };
}

export interface FunctionsMetadata {
  readonly functions: readonly FunctionMetadata[];
}

/** The project's locked functions.json, found from this module whether run from src/ or dist/. */
export function lockedMetadata(): FunctionsMetadata {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "package.json"))) {
    const up = dirname(dir);
    if (up === dir) throw new Error("functions reference: cannot find the project folder (package.json)");
    dir = up;
  }
  return JSON.parse(readFileSync(join(dir, "test", "golden", "functions.json"), "utf8")) as FunctionsMetadata;
}

const cell = (text: string | undefined) => (text ?? "").replace(/\|/g, "\\|");

/** "MINEPIVOT.NAME(a, [b])", as Excel shows a signature. */
export function signature(fn: FunctionMetadata): string {
  return `MINEPIVOT.${fn.name}(${fn.parameters.map((p) => (p.optional ? `[${p.name}]` : p.name)).join(", ")})`;
}

/** One entry per function: signature, what it returns (spilled or single), its arguments. */
export function functionsReference(metadata: FunctionsMetadata = lockedMetadata()): string {
  const blocks = metadata.functions.map((fn) => {
    const spills = fn.result.dimensionality === "matrix" ? " Spills a table." : "";
    const args = fn.parameters.map(
      (p) => `- \`${p.name}\`${p.optional ? " (optional)" : ""}${p.dimensionality === "matrix" ? ", a range" : ""}: ${cell(p.description)}`,
    );
    return [`#### \`${signature(fn)}\``, "", `${cell(fn.description)}${spills}`, "", ...args].join("\n");
  });
  return blocks.join("\n\n");
}
