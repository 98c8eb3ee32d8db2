/** Runs the CLI in-process with a captured io: what every CLI test needs. */
import { readFileSync } from "node:fs";
import { run, type Io } from "../../src/cli/main.js";

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * `minepivot <argv>` with stdout and stderr captured and files read from disk; `io` replaces
 * parts of it (a `writeBytes` for `--out`, an in-memory `readText`), `version` what --version says.
 */
export async function runCli(argv: readonly string[], io: Partial<Io> = {}, version?: string): Promise<CliResult> {
  const out: string[] = [];
  const err: string[] = [];
  const full: Io = { stdout: (text) => out.push(text), stderr: (text) => err.push(text), readText: (path) => readFileSync(path, "utf8"), ...io };
  const code = version === undefined ? await run(argv, full) : await run(argv, full, version);
  return { code, stdout: out.join(""), stderr: err.join("") };
}
