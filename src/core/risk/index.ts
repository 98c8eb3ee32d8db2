/** Monte Carlo risk machinery: a seeded generator, market paths, least-squares Monte Carlo, statistics. */
export * from "./random.js";
export * from "./paths.js";
export * from "./lsm.js";
export * from "./stats.js";
export * from "./simulate.js";
export * from "./switch.js";
