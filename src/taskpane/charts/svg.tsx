/**
 * Plain SVG charts sized in CSS pixels to their container (measured), so text stays at the
 * pane's font size at 320 px and at 800 px alike. Colours are Fluent tokens (CSS variables), so
 * the charts follow the light or dark theme with the rest of the pane.
 */
import { useEffect, useRef, useState, type RefObject } from "react";
import { tokens } from "@fluentui/react-components";
import type { ScenarioName } from "../../core/index.js";

export const SCENARIO_COLORS: Readonly<Record<ScenarioName, string>> = {
  mining: tokens.colorPaletteMarigoldForeground2,
  powered_shell: tokens.colorPaletteBlueForeground2,
  colocated_gpu: tokens.colorPaletteGrapeForeground2,
  hybrid: tokens.colorPaletteTealForeground2,
};

export const TEXT = tokens.colorNeutralForeground2;
export const MUTED = tokens.colorNeutralForeground3;
export const GRID = tokens.colorNeutralStroke2;
export const AXIS = tokens.colorNeutralStroke1;
export const FONT = tokens.fontFamilyBase;

/** The container's width in CSS pixels, following resizes (a default before layout and where ResizeObserver is missing). */
export function useWidth(fallback = 296): [RefObject<HTMLDivElement>, number] {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(fallback);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const measure = () => {
      const measured = Math.floor(element.getBoundingClientRect().width);
      if (measured > 0) setWidth(measured);
    };
    measure();
    if (typeof ResizeObserver === "undefined") return;
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return [ref, width];
}

/** Round axis steps: 1, 2 or 5 times a power of ten, about `count` of them over [low, high]. */
export function niceTicks(low: number, high: number, count = 4): number[] {
  if (!(high > low)) return [low];
  const raw = (high - low) / count;
  const power = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 5, 10].map((f) => f * power).find((s) => s >= raw)!;
  const ticks: number[] = [];
  for (let t = Math.ceil(low / step) * step; t <= high + step * 1e-9; t += step) ticks.push(Math.abs(t) < step * 1e-9 ? 0 : t);
  return ticks;
}

/** A linear scale from [d0, d1] to [r0, r1]. */
export function scale(d0: number, d1: number, r0: number, r1: number): (value: number) => number {
  const span = d1 - d0 || 1;
  return (value) => r0 + ((value - d0) / span) * (r1 - r0);
}

/** Horizontal grid lines at `ticks` (the zero line solid) with their labels left of `left`. */
export function YGrid(props: {
  readonly ticks: readonly number[];
  readonly y: (value: number) => number;
  readonly left: number;
  readonly right: number;
  readonly format: (value: number) => string;
}) {
  return (
    <>
      {props.ticks.map((t) => (
        <g key={`y${t}`}>
          <line x1={props.left} x2={props.right} y1={props.y(t)} y2={props.y(t)} stroke={t === 0 ? AXIS : GRID} strokeDasharray={t === 0 ? undefined : "2 3"} />
          <text x={props.left - 4} y={props.y(t) + 4} textAnchor="end" fill={MUTED} fontSize={11} fontFamily={FONT}>
            {props.format(t)}
          </text>
        </g>
      ))}
    </>
  );
}

/** Year labels along the bottom at `ticks` (in years), the first reading "year 0". */
export function YearLabels(props: { readonly ticks: readonly number[]; readonly x: (years: number) => number; readonly baseline: number }) {
  return (
    <>
      {props.ticks.map((t) => (
        <text key={`x${t}`} x={props.x(t)} y={props.baseline} textAnchor="middle" fill={MUTED} fontSize={11} fontFamily={FONT}>
          {t === 0 ? "year 0" : t}
        </text>
      ))}
    </>
  );
}
