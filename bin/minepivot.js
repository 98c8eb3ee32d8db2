#!/usr/bin/env node
// Thin launcher: the CLI is compiled to dist/node by `npm install` (the prepare script).
import { existsSync } from "node:fs";

const entry = new URL("../dist/node/cli/main.js", import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write("minepivot: not built yet; run `npm install` (or `npm run build:cli`) in the project folder first\n");
  process.exit(1);
}
const { main } = await import(entry.href);
main();
