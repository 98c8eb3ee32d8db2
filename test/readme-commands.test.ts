/**
 * Every `minepivot` command the README shows in a shell block runs as written: from a copy of
 * the project's examples folder, through the real launcher, with exit status 0 and nothing on
 * stderr. A command added to the README is tested without touching this file.
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildCli, REPO_ROOT } from "./helpers/build-cli.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/** The `npx minepivot ...` commands of the README's ```sh blocks, comments dropped. */
function readmeCommands(markdown: string): string[] {
  const commands: string[] = [];
  for (const block of markdown.matchAll(/```sh\n([\s\S]*?)```/g)) {
    for (const line of block[1]!.split("\n")) {
      const at = line.indexOf("npx minepivot");
      if (at < 0) continue;
      commands.push(
        line
          .slice(at)
          .replace(/\s+#.*$/, "")
          .trim(),
      );
    }
  }
  return commands;
}

const commands = readmeCommands(readFileSync(join(REPO_ROOT, "README.md"), "utf8"));

describe("the README's commands", () => {
  let dir: string;
  beforeAll(() => {
    buildCli();
    // A copy of the project folder's examples, so commands that write files leave the repository alone.
    dir = mkdtempSync(join(tmpdir(), "minepivot-readme-"));
    cpSync(join(REPO_ROOT, "examples"), join(dir, "examples"), { recursive: true });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("include the examples and the new commands", () => {
    expect(commands.length).toBeGreaterThanOrEqual(10);
    expect(commands.some((c) => c.includes("examples/portfolio.csv"))).toBe(true);
    expect(commands.some((c) => c.includes(" sensitivity "))).toBe(true);
  });

  it.each(commands)("%s", (command) => {
    const launcher = `"${process.execPath}" "${join(REPO_ROOT, "bin", "minepivot.js")}"`;
    const result = spawnSync("/bin/sh", ["-c", command.replace(/^npx minepivot/, launcher)], { cwd: dir, encoding: "utf8", timeout: 120_000 });
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    const redirect = /> *(\S+)$/.exec(command);
    const written = redirect ? redirect[1]! : /--out (\S+)/.exec(command)?.[1];
    if (written) expect(statSync(join(dir, written)).size).toBeGreaterThan(0);
    else expect(result.stdout.length).toBeGreaterThan(0);
  });

  it("leave nothing in the examples folder", () => {
    expect(readdirSync(join(dir, "examples")).sort()).toEqual(readdirSync(join(REPO_ROOT, "examples")).sort());
  });
});
