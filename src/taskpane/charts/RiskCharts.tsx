/**
 * The Risk view's charts: a histogram of each scenario's equity per watt over the simulated
 * paths, the fan of its cumulative cash flow to equity, and when the switch option converts.
 * Each is an image whose text alternative states what it shows; bars carry their counts as
 * tooltips.
 */
import { makeStyles, tokens } from "@fluentui/react-components";
import { SCENARIO_LABELS, type SwitchSummary } from "../../core/index.js";
import type { ScenarioRiskView } from "../../worker/risk.js";
import { AXIS, FONT, MUTED, SCENARIO_COLORS, TEXT, YGrid, YearLabels, niceTicks, scale, useWidth } from "./svg.js";

const useRiskChartStyles = makeStyles({
  figure: { margin: 0, display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalXS, minWidth: 0 },
  caption: { fontSize: tokens.fontSizeBase300, fontWeight: tokens.fontWeightSemibold },
  svg: { display: "block", overflow: "visible" },
});

const percent = (share: number) => `${(100 * share).toFixed(1)} %`;

/** One scenario's histogram of equity per watt (USD/W) over `paths` paths. */
export function EquityHistogram({ view, paths }: { view: ScenarioRiskView; paths: number }) {
  const styles = useRiskChartStyles();
  const [ref, width] = useWidth();
  const { edges, counts } = view.histogram;
  const height = 150;
  const margin = { left: 16, right: 16, top: 8, bottom: 24 };
  const low = edges[0]!;
  const high = edges[edges.length - 1]!;
  const x = scale(low, high, margin.left, width - margin.right);
  const most = Math.max(...counts);
  const y = scale(0, most, height - margin.bottom, margin.top);
  const ticks = niceTicks(low, high, Math.max(2, Math.floor(width / 70)));
  const busiest = counts.indexOf(most);
  const label = SCENARIO_LABELS[view.scenario];
  const description =
    `Histogram of ${label}'s equity per watt over ${paths.toLocaleString("en-US")} paths: from ${low.toFixed(2)} to ${high.toFixed(2)} USD/W, ` +
    `most paths (${most.toLocaleString("en-US")}) between ${edges[busiest]!.toFixed(2)} and ${edges[busiest + 1]!.toFixed(2)}, ` +
    `${percent(view.risk.prob_loss)} below zero, median ${view.risk.equity_per_watt.p50.toFixed(2)}`;
  return (
    <figure className={styles.figure}>
      <figcaption className={styles.caption}>{label}: equity per watt (USD/W)</figcaption>
      <div ref={ref}>
        <svg className={styles.svg} width={width} height={height} role="img" aria-label={description}>
          <title>{description}</title>
          {counts.map((count, i) => {
            const x0 = x(edges[i]!);
            const barWidth = Math.max(1, x(edges[i + 1]!) - x0 - 1);
            return (
              <rect key={i} x={x0} y={y(count)} width={barWidth} height={y(0) - y(count)} fill={SCENARIO_COLORS[view.scenario]}>
                <title>{`${edges[i]!.toFixed(2)} to ${edges[i + 1]!.toFixed(2)} USD/W: ${count.toLocaleString("en-US")} paths`}</title>
              </rect>
            );
          })}
          <line x1={margin.left} x2={width - margin.right} y1={y(0)} y2={y(0)} stroke={AXIS} />
          {low < 0 && high > 0 && <line x1={x(0)} x2={x(0)} y1={margin.top} y2={y(0)} stroke={TEXT} strokeDasharray="3 3" />}
          {ticks.map((t) => (
            <text key={t} x={x(t)} y={height - 6} textAnchor="middle" fill={MUTED} fontSize={11} fontFamily={FONT}>
              {Number(t.toPrecision(6))}
            </text>
          ))}
        </svg>
      </div>
    </figure>
  );
}

/** The y range shared by every scenario's fan, so they compare at a glance. */
export function fanRange(views: readonly ScenarioRiskView[]): [number, number] {
  let low = 0;
  let high = 0;
  for (const view of views) {
    for (const value of view.fan.bands) {
      low = Math.min(low, value);
      high = Math.max(high, value);
    }
  }
  return [low, high];
}

/**
 * One scenario's fan of cumulative cash flow to equity, USD/W, month by month: the P5–P95 band
 * pale, the P25–P75 band darker, the median as a line.
 */
export function CashFlowFanChart({ view, range }: { view: ScenarioRiskView; range: readonly [number, number] }) {
  const styles = useRiskChartStyles();
  const [ref, width] = useWidth();
  const { months, quantiles, bands } = view.fan;
  const at = (month: number, q: number) => bands[(month - 1) * quantiles.length + q]!;
  const height = 160;
  const margin = { left: 40, right: 8, top: 8, bottom: 24 };
  const yTicks = niceTicks(range[0], range[1], 4);
  const y = scale(Math.min(range[0], yTicks[0]!), Math.max(range[1], yTicks[yTicks.length - 1]!), height - margin.bottom, margin.top);
  const x = scale(0, months / 12, margin.left, width - margin.right);
  const xTicks = niceTicks(0, months / 12, Math.max(2, Math.floor((width - margin.left) / 60)));
  const monthsList = Array.from({ length: months }, (_, i) => i + 1);
  const band = (lowQ: number, highQ: number) =>
    [
      ...monthsList.map((m) => `${x(m / 12).toFixed(1)},${y(at(m, highQ)).toFixed(1)}`),
      ...[...monthsList].reverse().map((m) => `${x(m / 12).toFixed(1)},${y(at(m, lowQ)).toFixed(1)}`),
    ].join(" ");
  const label = SCENARIO_LABELS[view.scenario];
  const end = (q: number) => at(months, q).toFixed(2);
  const description =
    `Fan of ${label}'s cumulative cash flow to equity by month, USD/W: after ${(months / 12).toFixed(0)} years the median is ${end(2)}, ` +
    `half the paths between ${end(1)} and ${end(3)}, nine in ten between ${end(0)} and ${end(4)}`;
  const color = SCENARIO_COLORS[view.scenario];
  return (
    <figure className={styles.figure}>
      <figcaption className={styles.caption}>{label}: cumulative cash flow to equity (USD/W)</figcaption>
      <div ref={ref}>
        <svg className={styles.svg} width={width} height={height} role="img" aria-label={description}>
          <title>{description}</title>
          <YGrid ticks={yTicks} y={y} left={margin.left} right={width - margin.right} format={(t) => String(Number(t.toPrecision(6)))} />
          <YearLabels ticks={xTicks} x={x} baseline={height - 6} />
          <polygon points={band(0, 4)} fill={color} fillOpacity={0.18} />
          <polygon points={band(1, 3)} fill={color} fillOpacity={0.35} />
          <polyline
            fill="none"
            stroke={color}
            strokeWidth={2}
            strokeLinejoin="round"
            points={monthsList.map((m) => `${x(m / 12).toFixed(1)},${y(at(m, 2)).toFixed(1)}`).join(" ")}
          />
        </svg>
      </div>
    </figure>
  );
}

/** How many paths start the conversion in each month (the switch option's reviews), with the paths that never do in the description. */
export function ConversionMonthsChart({ option, paths }: { option: SwitchSummary; paths: number }) {
  const styles = useRiskChartStyles();
  const [ref, width] = useWidth();
  const rows = option.conversion_months;
  const height = 140;
  const margin = { left: 16, right: 16, top: 8, bottom: 24 };
  const lastMonth = Math.max(12, ...rows.map((r) => r.month));
  const x = scale(0, lastMonth / 12, margin.left, width - margin.right);
  const most = Math.max(1, ...rows.map((r) => r.paths));
  const y = scale(0, most, height - margin.bottom, margin.top);
  const barWidth = Math.max(3, Math.min(24, (width - margin.left - margin.right) / (lastMonth / 12 + 1) - 2));
  const converting = rows.reduce((sum, r) => sum + r.paths, 0);
  const ticks = niceTicks(0, lastMonth / 12, Math.max(2, Math.floor(width / 60)));
  const label = SCENARIO_LABELS[option.target];
  const description =
    `Month the conversion to ${label} starts, over ${paths.toLocaleString("en-US")} paths: ` +
    rows.map((r) => `month ${r.month}: ${r.paths.toLocaleString("en-US")}`).join(", ") +
    `; ${(paths - converting).toLocaleString("en-US")} paths never convert`;
  return (
    <figure className={styles.figure}>
      <figcaption className={styles.caption}>When the switch converts to {label} (paths by month)</figcaption>
      <div ref={ref}>
        <svg className={styles.svg} width={width} height={height} role="img" aria-label={description}>
          <title>{description}</title>
          {rows.map((r) => (
            <rect
              key={r.month}
              x={x(r.month / 12) - barWidth / 2}
              y={y(r.paths)}
              width={barWidth}
              height={y(0) - y(r.paths)}
              fill={SCENARIO_COLORS[option.target]}
            >
              <title>{`month ${r.month}: ${r.paths.toLocaleString("en-US")} paths`}</title>
            </rect>
          ))}
          <line x1={margin.left} x2={width - margin.right} y1={y(0)} y2={y(0)} stroke={AXIS} />
          <YearLabels ticks={ticks} x={x} baseline={height - 6} />
        </svg>
      </div>
    </figure>
  );
}
