/** The valuation core's public surface: pure TypeScript, no Office, DOM, React or Node. */
export * from "./errors.js";
export * from "./time.js";
export * from "./scenarios.js";
export * from "./registry.js";
export * from "./assumptions.js";
export * from "./finance.js";
export * from "./bitcoin.js";
export * from "./schedule.js";
export * from "./value.js";
export * from "./analysis.js";
export * from "./explain.js";
export * from "./annual.js";
export * from "./csv.js";
export * from "./sites.js";
export * from "./portfolio.js";
