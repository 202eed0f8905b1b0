"use client";

import { useEffect, useRef, useState } from "react";
import { formatMoney } from "@/lib/money";

export interface BalancePoint {
  /** A UTC day, YYYY-MM-DD. */
  day: string;
  /** Cents at the end of that day. */
  balance: number;
}

const HEIGHT = 200;
const PAD = { top: 12, right: 12, bottom: 28, left: 72 };

const dayLabel = new Intl.DateTimeFormat("en-US", { month: "short", day: "numeric", timeZone: "UTC" });
const formatDay = (day: string) => dayLabel.format(new Date(`${day}T00:00:00Z`));

/** A 1-2-2.5-5 step in whole cents (at least $1) that splits `max` into at most 3 intervals. */
function niceStep(max: number): number {
  const raw = Math.max(max / 3, 100);
  let magnitude = 100;
  while (magnitude * 10 <= raw) magnitude *= 10;
  for (const factor of [1, 2, 2.5, 5, 10]) {
    const step = Math.round(magnitude * factor);
    if (step >= raw) return step;
  }
  return magnitude * 10;
}

/** Evenly spread indexes for the date labels, always including the first and the last day. */
function labelIndexes(count: number, labels: number): number[] {
  if (count <= 1) return [0];
  const picks = new Set<number>();
  for (let i = 0; i < labels; i++) picks.add(Math.round((i * (count - 1)) / (labels - 1)));
  return [...picks];
}

/**
 * The available balance day by day, as an SVG drawn at the container's real width so the labels
 * keep a readable size on a phone instead of shrinking with a fixed viewBox.
 */
export function BalanceChart({ points }: { points: BalancePoint[] }) {
  const box = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(640);

  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const observer = new ResizeObserver(([entry]) => {
      if (entry) setWidth(Math.max(260, Math.round(entry.contentRect.width)));
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  return (
    <div ref={box} className="w-full">
      <Plot points={points} width={width} />
    </div>
  );
}

function Plot({ points, width }: { points: BalancePoint[]; width: number }) {
  const first = points[0];
  const last = points.at(-1);
  if (!first || !last || points.every((point) => point.balance === 0)) {
    return (
      <div className="flex h-48 items-center justify-center rounded-md border border-dashed border-zinc-300 px-6 text-center text-sm text-zinc-600 dark:border-zinc-700 dark:text-zinc-400">
        Your balance chart appears after your first top-up.
      </div>
    );
  }

  const max = Math.max(...points.map((point) => point.balance));
  const step = niceStep(max);
  const top = Math.max(step, Math.ceil(max / step) * step);
  const ticks = Array.from({ length: top / step + 1 }, (_, i) => i * step);

  const plotWidth = width - PAD.left - PAD.right;
  const plotHeight = HEIGHT - PAD.top - PAD.bottom;
  const x = (i: number) => PAD.left + (points.length === 1 ? plotWidth : (i * plotWidth) / (points.length - 1));
  const y = (cents: number) => PAD.top + plotHeight - (cents / top) * plotHeight;
  const baseline = y(0);

  const line = points.map((point, i) => `${i === 0 ? "M" : "L"}${x(i).toFixed(1)},${y(point.balance).toFixed(1)}`).join(" ");
  const area = `${line} L${x(points.length - 1).toFixed(1)},${baseline} L${x(0).toFixed(1)},${baseline} Z`;
  const summary = `Available balance over the last ${points.length} days: from ${formatMoney(first.balance)} to ${formatMoney(last.balance)}`;

  return (
    <svg
      role="img"
      aria-label={summary}
      viewBox={`0 0 ${width} ${HEIGHT}`}
      className="block h-auto w-full text-brand-500 dark:text-brand-400"
    >
      <g className="text-xs">
        {ticks.map((tick) => (
          <g key={tick}>
            <line
              x1={PAD.left}
              x2={width - PAD.right}
              y1={y(tick)}
              y2={y(tick)}
              className={tick === 0 ? "stroke-zinc-400 dark:stroke-zinc-600" : "stroke-zinc-200 dark:stroke-zinc-800"}
              strokeDasharray={tick === 0 ? undefined : "4 4"}
            />
            <text
              x={PAD.left - 8}
              y={y(tick)}
              textAnchor="end"
              dominantBaseline="middle"
              className="fill-zinc-600 tabular-nums dark:fill-zinc-400"
            >
              {formatMoney(tick)}
            </text>
          </g>
        ))}
        {labelIndexes(points.length, width < 480 ? 3 : 4).map((i, n, all) => (
          <text
            key={i}
            x={x(i)}
            y={HEIGHT - 8}
            textAnchor={n === 0 ? "start" : n === all.length - 1 ? "end" : "middle"}
            className="fill-zinc-600 dark:fill-zinc-400"
          >
            {formatDay(points[i]!.day)}
          </text>
        ))}
      </g>
      <path d={area} fill="currentColor" fillOpacity={0.15} />
      <path d={line} fill="none" stroke="currentColor" strokeWidth={2} strokeLinejoin="round" strokeLinecap="round" />
      <circle cx={x(points.length - 1)} cy={y(last.balance)} r={4} fill="currentColor" />
    </svg>
  );
}
