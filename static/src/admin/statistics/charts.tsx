// Charts of sync statistics in plain SVG: one bar group or one point per
// bucket, an axis with a few round ticks, and each value in a tooltip.
import type { ReactNode } from 'react';
import { niceMax } from './statistics-lib';

export interface Series {
  key: string;
  label: string;
  /** A CSS colour, from the design tokens. */
  color: string;
  values: (number | null)[];
}

const WIDTH = 640;
const HEIGHT = 180;
const PAD = { top: 12, right: 12, bottom: 28, left: 44 };

interface ChartProps {
  title: string;
  labels: string[];
  series: Series[];
  kind: 'bars' | 'lines';
  unit?: string;
  testId?: string;
}

function Legend({ series }: { series: Series[] }) {
  return (
    <ul className="chart__legend">
      {series.map((s) => (
        <li key={s.key}>
          <span className="chart__swatch" style={{ background: s.color }} aria-hidden />
          {s.label}
        </li>
      ))}
    </ul>
  );
}

export function TimeChart({ title, labels, series, kind, unit = '', testId }: ChartProps) {
  const max = niceMax(Math.max(0, ...series.flatMap((s) => s.values.filter((v): v is number => v !== null))));
  const plotWidth = WIDTH - PAD.left - PAD.right;
  const plotHeight = HEIGHT - PAD.top - PAD.bottom;
  const slot = plotWidth / Math.max(1, labels.length);
  const y = (value: number) => PAD.top + plotHeight - (value / max) * plotHeight;
  // About six labels on the time axis, whatever the number of buckets.
  const labelEvery = Math.max(1, Math.ceil(labels.length / 6));
  const marks: ReactNode[] = [];

  if (kind === 'bars') {
    const barWidth = Math.max(1, (slot * 0.8) / series.length);
    series.forEach((s, si) =>
      s.values.forEach((value, i) => {
        if (!value) return;
        const x = PAD.left + i * slot + slot * 0.1 + si * barWidth;
        marks.push(
          <rect key={`${s.key}-${i}`} x={x} y={y(value)} width={barWidth} height={PAD.top + plotHeight - y(value)} fill={s.color}>
            <title>{`${s.label}, ${labels[i]}: ${value}${unit}`}</title>
          </rect>,
        );
      }),
    );
  } else {
    for (const s of series) {
      const points = s.values.map((value, i) => (value === null ? null : ([PAD.left + i * slot + slot / 2, y(value), value, i] as const)));
      const path = points
        .filter((p): p is NonNullable<typeof p> => p !== null)
        .map(([px, py], i) => `${i === 0 ? 'M' : 'L'}${px.toFixed(1)},${py.toFixed(1)}`)
        .join(' ');
      if (path) marks.push(<path key={`${s.key}-line`} d={path} fill="none" stroke={s.color} strokeWidth={2} />);
      for (const p of points) {
        if (!p) continue;
        marks.push(
          <circle key={`${s.key}-${p[3]}`} cx={p[0]} cy={p[1]} r={3} fill={s.color}>
            <title>{`${s.label}, ${labels[p[3]]}: ${p[2]}${unit}`}</title>
          </circle>,
        );
      }
    }
  }

  const empty = series.every((s) => s.values.every((v) => !v));
  return (
    <figure className="chart" data-testid={testId}>
      <figcaption className="chart__title">{title}</figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={`${title}${empty ? ': nothing in this period' : ''}`} className="chart__svg">
        {/* Counts are whole numbers: no tick halfway between 0 and 1. */}
        {[0, 0.5, 1].filter((f) => kind === 'lines' || Number.isInteger(max * f)).map((f) => (
          <g key={f}>
            <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y(max * f)} y2={y(max * f)} className="chart__grid" />
            <text x={PAD.left - 6} y={y(max * f) + 4} textAnchor="end" className="chart__tick">
              {`${+(max * f).toFixed(2)}${unit}`}
            </text>
          </g>
        ))}
        {labels.map((label, i) =>
          i % labelEvery === 0 ? (
            <text key={label + i} x={PAD.left + i * slot + slot / 2} y={HEIGHT - 8} textAnchor="middle" className="chart__tick">
              {label}
            </text>
          ) : null,
        )}
        {marks}
        {empty ? (
          <text x={PAD.left + plotWidth / 2} y={PAD.top + plotHeight / 2} textAnchor="middle" className="chart__empty">
            Nothing in this period
          </text>
        ) : null}
      </svg>
      <Legend series={series} />
    </figure>
  );
}
