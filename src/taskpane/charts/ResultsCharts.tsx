/**
 * The Results view's charts, loaded after the first render: equity per watt by scenario,
 * cumulative cash flow to equity by scenario over time, and a tornado of the uplift over mining.
 * Each chart is an image with a text alternative that states what it shows.
 */
import { useEffect, useState } from "react";
import { Spinner, makeStyles, tokens } from "@fluentui/react-components";
import { InputError, SCENARIO_LABELS, type Assumptions, type ScenarioName, type Tornado } from "../../core/index.js";
import { BASIS_UNITS, compactUsd, upliftTornadoInSteps, type SiteResults } from "../results.js";
import { AXIS, FONT, MUTED, SCENARIO_COLORS, TEXT, YGrid, YearLabels, niceTicks, scale, useWidth } from "./svg.js";

const useChartStyles = makeStyles({
  figure: { margin: 0, display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalXS, minWidth: 0 },
  caption: { fontSize: tokens.fontSizeBase300, fontWeight: tokens.fontWeightSemibold },
  note: { fontSize: tokens.fontSizeBase200, color: tokens.colorNeutralForeground3 },
  legend: { display: "flex", flexWrap: "wrap", columnGap: tokens.spacingHorizontalM, rowGap: "2px", fontSize: tokens.fontSizeBase200 },
  swatch: { display: "inline-block", width: "10px", height: "10px", borderRadius: "2px", marginRight: "4px", verticalAlign: "middle" },
  svg: { display: "block", overflow: "visible" },
});

const FONT_SIZE = 12;

function EquityBars({ results }: { results: SiteResults }) {
  const styles = useChartStyles();
  const [ref, width] = useWidth();
  const rows = results.scenarios;
  const label = 92;
  const valueRoom = 40;
  const rowHeight = 26;
  const values = rows.map((r) => r.equityPerWatt);
  const low = Math.min(0, ...values);
  const high = Math.max(0, ...values);
  const x = scale(low, high, label + valueRoom, width - valueRoom);
  const height = rows.length * rowHeight + 8;
  const { watt } = BASIS_UNITS[results.basis];
  const perWatt = `per ${watt.replace("W", "watt")}`;
  const description = rows.map((r) => `${SCENARIO_LABELS[r.scenario]} ${r.equityPerWatt.toFixed(2)} USD/${watt}`).join(", ");
  return (
    <figure className={styles.figure}>
      <figcaption className={styles.caption}>{`Equity value ${perWatt} (USD/${watt})`}</figcaption>
      <div ref={ref}>
        <svg className={styles.svg} width={width} height={height} role="img" aria-label={`Equity value ${perWatt} by scenario: ${description}`}>
          <line x1={x(0)} x2={x(0)} y1={0} y2={height - 4} stroke={AXIS} />
          {rows.map((r, i) => {
            const y = i * rowHeight + 4;
            const x0 = Math.min(x(0), x(r.equityPerWatt));
            const w = Math.max(1, Math.abs(x(r.equityPerWatt) - x(0)));
            const positive = r.equityPerWatt >= 0;
            return (
              <g key={r.scenario}>
                <text x={0} y={y + 15} fill={TEXT} fontSize={FONT_SIZE} fontFamily={FONT}>
                  {SCENARIO_LABELS[r.scenario]}
                </text>
                <rect x={x0} y={y + 3} width={w} height={rowHeight - 10} rx={2} fill={SCENARIO_COLORS[r.scenario]} />
                <text x={positive ? x0 + w + 4 : x0 - 4} y={y + 15} textAnchor={positive ? "start" : "end"} fill={TEXT} fontSize={FONT_SIZE} fontFamily={FONT}>
                  {r.equityPerWatt.toFixed(2)}
                </text>
              </g>
            );
          })}
        </svg>
      </div>
    </figure>
  );
}

function Legend({ items }: { items: ReadonlyArray<{ label: string; color: string }> }) {
  const styles = useChartStyles();
  return (
    <div className={styles.legend}>
      {items.map((item) => (
        <span key={item.label}>
          <span className={styles.swatch} style={{ backgroundColor: item.color }} aria-hidden />
          {item.label}
        </span>
      ))}
    </div>
  );
}

function CumulativeLines({ results }: { results: SiteResults }) {
  const styles = useChartStyles();
  const [ref, width] = useWidth();
  const height = 190;
  const margin = { left: 48, right: 8, top: 8, bottom: 24 };
  const years = Math.max(...results.scenarios.map((r) => r.cumulativeEquityUsd.length - 1));
  const all = results.scenarios.flatMap((r) => r.cumulativeEquityUsd);
  const low = Math.min(0, ...all);
  const high = Math.max(0, ...all);
  const yTicks = niceTicks(low, high, 4);
  const y = scale(Math.min(low, yTicks[0]!), Math.max(high, yTicks[yTicks.length - 1]!), height - margin.bottom, margin.top);
  const x = scale(0, years, margin.left, width - margin.right);
  const xTicks = niceTicks(0, years, Math.max(2, Math.floor((width - margin.left) / 60)));
  const description = results.scenarios
    .map(
      (r) =>
        `${SCENARIO_LABELS[r.scenario]} ends at ${compactUsd(r.cumulativeEquityUsd[r.cumulativeEquityUsd.length - 1]!)} USD after ${r.cumulativeEquityUsd.length - 1} years`,
    )
    .join("; ");
  return (
    <figure className={styles.figure}>
      <figcaption className={styles.caption}>Cumulative cash flow to equity (USD)</figcaption>
      <div ref={ref}>
        <svg className={styles.svg} width={width} height={height} role="img" aria-label={`Cumulative cash flow to equity by year: ${description}`}>
          <YGrid ticks={yTicks} y={y} left={margin.left} right={width - margin.right} format={compactUsd} />
          <YearLabels ticks={xTicks} x={x} baseline={height - 6} />
          {results.scenarios.map((r) => (
            <polyline
              key={r.scenario}
              fill="none"
              stroke={SCENARIO_COLORS[r.scenario]}
              strokeWidth={2}
              strokeLinejoin="round"
              points={r.cumulativeEquityUsd.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(" ")}
            />
          ))}
        </svg>
      </div>
      <Legend items={results.scenarios.map((r) => ({ label: SCENARIO_LABELS[r.scenario], color: SCENARIO_COLORS[r.scenario] }))} />
      <span className={styles.note}>Terminal value counted in its year, as payback counts it.</span>
    </figure>
  );
}

const LOW_COLOR = tokens.colorPaletteMarigoldForeground2;
const HIGH_COLOR = tokens.colorPaletteBlueForeground2;
const TORNADO_BARS = 8;
/** The tornado takes some 60 valuations: start once typing pauses. */
const TORNADO_DELAY_MS = 250;

function TornadoChart({ scenario, values }: { scenario: ScenarioName; values: Assumptions }) {
  const styles = useChartStyles();
  const [ref, width] = useWidth();
  const [result, setResult] = useState<Tornado | undefined>(undefined);
  const [problem, setProblem] = useState<string | undefined>(undefined);
  useEffect(() => {
    let cancel: (() => void) | undefined;
    const timer = setTimeout(() => {
      cancel = upliftTornadoInSteps(
        scenario,
        values,
        (next) => {
          setResult(next);
          setProblem(undefined);
        },
        (error) => {
          if (!(error instanceof InputError)) throw error;
          setProblem(error.message);
        },
      );
    }, TORNADO_DELAY_MS);
    return () => {
      clearTimeout(timer);
      cancel?.();
    };
  }, [scenario, values]);
  const caption = `Uplift of ${SCENARIO_LABELS[scenario]} over mining (USD/W), each input ±20 %`;
  return (
    <figure className={styles.figure}>
      <figcaption className={styles.caption}>{caption}</figcaption>
      {/* The measured box is always there, so the chart has its width when the numbers arrive. */}
      <div ref={ref}>
        {problem ? (
          <span className={styles.note}>{problem}</span>
        ) : !result || result.base === null ? (
          <Spinner size="tiny" label="Computing the tornado…" />
        ) : (
          <TornadoSvg result={result} base={result.base} width={width} />
        )}
      </div>
      <Legend
        items={[
          { label: "input 20 % lower", color: LOW_COLOR },
          { label: "input 20 % higher", color: HIGH_COLOR },
        ]}
      />
    </figure>
  );
}

function TornadoSvg({ result, base, width }: { result: Tornado; base: number; width: number }) {
  const styles = useChartStyles();
  const bars = result.bars.filter((b) => b.swing > 0).slice(0, TORNADO_BARS);
  const label = Math.min(130, Math.floor(width * 0.42));
  const rowHeight = 24;
  const top = 18;
  const height = top + bars.length * rowHeight + 4;
  const ends = bars.flatMap((b) => [b.low ?? base, b.high ?? base]);
  const x = scale(Math.min(base, ...ends), Math.max(base, ...ends), label + 4, width - 4);
  const description = bars.map((b) => `${b.key} from ${b.low?.toFixed(2)} to ${b.high?.toFixed(2)}`).join("; ");
  return (
    <svg className={styles.svg} width={width} height={height} role="img" aria-label={`Tornado around ${base.toFixed(2)} USD/W: ${description}`}>
      <text x={x(base)} y={11} textAnchor="middle" fill={MUTED} fontSize={11} fontFamily={FONT}>
        base {base.toFixed(2)}
      </text>
      <line x1={x(base)} x2={x(base)} y1={top - 4} y2={height} stroke={AXIS} />
      {bars.map((b, i) => {
        const y = top + i * rowHeight;
        const segment = (value: number | null, color: string) => {
          if (value === null) return null;
          const x0 = Math.min(x(base), x(value));
          return <rect x={x0} y={y + 3} width={Math.max(1, Math.abs(x(value) - x(base)))} height={rowHeight - 8} fill={color} rx={2} />;
        };
        return (
          <g key={b.key}>
            <text x={0} y={y + 15} fill={TEXT} fontSize={FONT_SIZE} fontFamily={FONT}>
              {b.key.length * 6.5 > label ? `${b.key.slice(0, Math.floor(label / 6.5) - 1)}…` : b.key}
              <title>{`${b.label}: ${b.lowInput} → ${b.low?.toFixed(2)}, ${b.highInput} → ${b.high?.toFixed(2)} USD/W`}</title>
            </text>
            {segment(b.low, LOW_COLOR)}
            {segment(b.high, HIGH_COLOR)}
          </g>
        );
      })}
    </svg>
  );
}

export default function ResultsCharts({ results, values, tornadoScenario }: { results: SiteResults; values: Assumptions; tornadoScenario: ScenarioName }) {
  return (
    <>
      <EquityBars results={results} />
      <CumulativeLines results={results} />
      <TornadoChart scenario={tornadoScenario} values={values} />
    </>
  );
}
