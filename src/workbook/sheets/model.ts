/** What every sheet module builds from: the sites, the scenarios and the engine's valuation of each site. */
import type { AssumptionKey, Assumptions, BaseScenario, Comparison, ScenarioName } from "../../core/index.js";
import type { BlockLayout } from "../layout.js";

export interface WorkbookSite {
  readonly name: string;
  readonly values: Assumptions;
  /** Keys the user gave (the rest are defaults); shown in the inputs sheet's note column. */
  readonly provided?: ReadonlySet<AssumptionKey>;
}

export interface WorkbookOptions {
  /** Scenarios to include; hybrid brings the three base scenarios with it. */
  readonly scenarios?: readonly ScenarioName[];
  /** Shown on the cover; ISO date. Left out when absent so that plans are reproducible. */
  readonly generatedOn?: string;
  /** Source and as-of date of a key's base value, where it is not the registry's default (a market snapshot, a deal). */
  readonly provenance?: (key: AssumptionKey) => { readonly source: string; readonly asOf: string };
  /** What the base values stand on (the market snapshot, a deal), one line for the cover. */
  readonly basis?: string;
  /** Paths of the Risk sheet's simulation of the first site (default 2,000); 0 leaves the sheet out. */
  readonly riskPaths?: number;
}

export interface Model {
  readonly sites: readonly WorkbookSite[];
  readonly options: WorkbookOptions;
  readonly scenarios: readonly ScenarioName[];
  /** The base scenarios with a workings sheet: the chosen ones, or all three under hybrid. */
  readonly bases: readonly BaseScenario[];
  /** The engine's comparison of each site, in site order. */
  readonly engine: readonly Comparison[];
  /** Timeline months: the longest horizon of any site and base scenario. */
  readonly months: number;
  /** The last timeline column of the workings sheets. */
  readonly lastCol: number;
  readonly single: boolean;
}

/** Where each site's scenario blocks went, by site index. */
export type Layouts = ReadonlyArray<Partial<Record<ScenarioName, BlockLayout>>>;
