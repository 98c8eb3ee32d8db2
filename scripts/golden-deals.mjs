// Rewrites test/golden/deals.json from the core's deal library (after `npm run build:cli`).
// The golden file locks every stated term and derived rate: review its diff before committing.
import { writeFileSync } from "node:fs";

const { DEALS } = await import("../dist/node/core/index.js");
writeFileSync(new URL("../test/golden/deals.json", import.meta.url), `${JSON.stringify(DEALS, null, 2)}\n`);
console.log(`wrote test/golden/deals.json: ${DEALS.length} deals`);
