/** The headline metrics as the output sheets show them, and the block row each comes from. */
import { HEADLINE_METRICS, metricDef, type HeadlineMetric, type Metrics } from "../../core/index.js";
import { COL_CONST } from "../layout.js";
import type { DefinedName, StyleName } from "../plan.js";
import { absRef } from "../refs.js";
import type { Layouts, Model } from "./model.js";

const METRIC_STYLE: Readonly<Record<HeadlineMetric, StyleName>> = {
  equity_per_watt: "calc",
  npv_usd: "calc_usd",
  rev_per_mw: "calc_usd",
  ebitda_per_mw: "calc_usd",
  irr: "calc_pct",
  payback_years: "calc_ratio",
};

export const METRIC_ROWS = HEADLINE_METRICS.map((metric) => {
  const def = metricDef(metric);
  return { metric, label: def.unit === "/yr" ? def.label : `${def.label} (${def.unit})`, style: METRIC_STYLE[metric] };
});

/** The block row of each engine metric the workbook reproduces. */
export const RESULT_KEY: Partial<Record<keyof Metrics, string>> = {
  npv_usd: "equity",
  equity_per_watt: "equity_per_watt",
  rev_per_mw: "rev_per_mw",
  ebitda_per_mw: "ebitda_per_mw",
  irr: "irr",
  payback_years: "payback",
  cost_to_mine_cash: "cost_cash",
  cost_to_mine_all_in: "cost_all_in",
  breakeven_power: "breakeven",
  critical_it_mw: "critical_it_mw",
  capex_usd: "capex_usd",
  gpu_count: "gpu_count",
};

/** In a single-site workbook, <scenario>_<metric> names each headline result. */
export function metricNames(model: Model, layouts: Layouts): DefinedName[] {
  if (!model.single) return [];
  return model.scenarios.flatMap((scenario) => {
    const layout = layouts[0]![scenario]!;
    return METRIC_ROWS.map(({ metric }) => ({
      name: `${scenario}_${metric}`,
      refersTo: `=${absRef(layout.consts.get(RESULT_KEY[metric]!)!, COL_CONST, layout.sheet)}`,
    }));
  });
}
