// Regenerates the tables in README.md and docs/methodology.md from the registry and the core.
import { readFileSync, writeFileSync } from "node:fs";

const { fillGenerated } = await import("../dist/node/docs/tables.js");
for (const file of ["README.md", "docs/methodology.md"]) {
  const url = new URL(`../${file}`, import.meta.url);
  const before = readFileSync(url, "utf8");
  const after = fillGenerated(before);
  if (after !== before) {
    writeFileSync(url, after);
    console.log(`updated ${file}`);
  } else console.log(`${file} already up to date`);
}
