/**
 * The Risk view's charts: a histogram of each scenario's equity per watt over the simulated
 * paths. An image with a text alternative that gives the range, the busiest bin and the share
 * below zero; each bar's tooltip gives its range and count.
 */
import { makeStyles, tokens } from "@fluentui/react-components";
import { SCENARIO_LABELS } from "../../core/index.js";
import type { ScenarioRiskView } from "../../worker/risk.js";
import { AXIS, FONT, MUTED, SCENARIO_COLORS, TEXT, niceTicks, scale, useWidth } from "./svg.js";

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
