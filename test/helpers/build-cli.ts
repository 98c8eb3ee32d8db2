/** Compiles the CLI into dist/ before tests that run the real launcher (a stale dist/ would test old code). */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";

export const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));

export function buildCli(): void {
  const tsc = join(REPO_ROOT, "node_modules", "typescript", "bin", "tsc");
  const build = spawnSync(process.execPath, [tsc, "-p", "tsconfig.build.json"], { cwd: REPO_ROOT, encoding: "utf8" });
  expect(build.status, `${build.stdout}${build.stderr}`).toBe(0);
}
