"use client";

import { useMemo } from "react";
import type { EliminationSettings, Match, MatchId, Side } from "@/server/brackets/engine/types";
import { cachedLayout, embedMetrics, standardMetrics, type EliminationLayout, type LayoutColumn } from "./layout";
import { MatchCard, type CardContext } from "./match-card";
import { NowPill } from "./now-pill";
import { grandFinalName, lowerRoundName, roundOf, thirdPlaceName, upperRoundName } from "./round-names";
import type { BracketVariant, CurrentRounds, MatchState } from "./types";
import { ZoomPanViewport, type ViewportStop } from "./viewport";

export interface EliminationBracketProps {
  /** The elimination matches (other stages are ignored). */
  matches: Record<MatchId, Match>;
  settings: EliminationSettings;
  /** Shared card data, with the bracket's match numbers and labels. */
  context: CardContext;
  current: CurrentRounds;
  states?: Partial<Record<MatchId, MatchState>>;
  linkForMatch?: (matchId: MatchId) => string | null;
  variant: BracketVariant;
  /** The drawing's accessible name, e.g. "Playoff bracket". */
  label: string;
}

function columnName(column: LayoutColumn, layout: EliminationLayout, double: boolean): string {
  const count = layout.columns.filter((other) => other.section === column.section).length;
  switch (column.stage) {
    case "upper":
      return upperRoundName(column.round, count, double);
    case "lower":
      return lowerRoundName(column.round, count);
    case "grand_final":
      return grandFinalName(column.round);
    default:
      return thirdPlaceName;
  }
}

function stopLabel(column: LayoutColumn, name: string): string {
  if (column.section === "finals") return name;
  const position = roundOf(column.index, column.count);
  return name === `Round ${column.round}` ? position : `${position} — ${name}`;
}

const sectionTitles = { upper: "Upper bracket", lower: "Lower bracket", finals: "Finals" } as const;

function resetNote(reset: Match, first: Match | undefined, nameOf: (match: Match, side: Side) => string): string {
  if (reset.status === "skipped") {
    return first?.result?.winner === 0
      ? `Not needed: ${nameOf(first, 0)} won the grand final from the upper bracket.`
      : "Not needed: the grand final decided the champion.";
  }
  if (reset.status === "pending") return "Played only if the lower-bracket finalist wins the first grand final.";
  return first ? `Bracket reset: ${nameOf(first, 1)} won the first grand final, so both finalists have one loss.` : "Bracket reset.";
}

export function EliminationBracket({ matches, settings, context, current, states, linkForMatch, variant, label }: EliminationBracketProps) {
  const double = settings.format === "double_elimination";
  const metrics = variant === "embed" ? embedMetrics : standardMetrics;
  const list = useMemo(() => Object.values(matches), [matches]);
  const layout = cachedLayout(list, { double, metrics });

  const derived = useMemo(() => {
    const names = layout.columns.map((column) => columnName(column, layout, double));
    const boxes = new Map(
      Object.entries(layout.boxes).map(([id, box]) => [id, { x: box.x, y: box.y, width: metrics.cardWidth, height: layout.cardHeight }]),
    );
    const stops: Omit<ViewportStop, "now">[] = layout.columns.map((column, index) => {
      const firstY = Math.min(...column.matchIds.map((id) => layout.boxes[id]!.y));
      const name = names[index]!;
      if (column.headerY === null) {
        return {
          key: column.key,
          label: double ? `Finals · ${name}` : name,
          name,
          group: double ? sectionTitles.finals : null,
          x: column.x,
          y: column.top - 8,
          sticky: null,
        };
      }
      const titled = column.index === 1 && double ? metrics.sectionTitleHeight : 0;
      const section = layout.sections.find((candidate) => candidate.id === column.section)!;
      return {
        key: column.key,
        label: `${double ? `${column.section === "upper" ? "Upper" : "Lower"} · ` : ""}${stopLabel(column, name)}`,
        name,
        group: double ? sectionTitles[column.section] : null,
        x: column.x,
        y: Math.max(column.headerY - titled, firstY - metrics.headerHeight - 8),
        sticky: { from: column.headerY + metrics.headerHeight - 8, to: section.bottom - layout.cardHeight, width: metrics.cardWidth },
      };
    });
    return { names, boxes, stops };
  }, [layout, double, metrics]);

  const cardContext = context;

  const isCurrent = (column: LayoutColumn) => current[column.stage] === column.round;
  const currentColumns = layout.columns.filter(isCurrent);
  // Upper before lower: the first current round in drawing order is where the page opens.
  const initialStop = currentColumns[0]?.key ?? null;
  const stops = useMemo(
    () => derived.stops.map((stop, index) => ({ ...stop, now: current[layout.columns[index]!.stage] === layout.columns[index]!.round })),
    [derived.stops, current, layout],
  );
  const nameOf = (match: Match, side: Side) => {
    const entrant = match.sides[side].entrant;
    return entrant ? (context.names[entrant]?.name ?? "?") : "?";
  };
  const embed = variant === "embed";
  // On a stream the drawing has no background of its own: labels get one.
  const backing = embed ? "rounded-md bg-white/90 px-2 py-0.5 dark:bg-zinc-900/90" : "";

  return (
    <ZoomPanViewport width={layout.width} height={layout.height} stops={stops} initialStop={initialStop} variant={variant} label={label}>
      {currentColumns.map((column) => (
        <div
          key={`band:${column.key}`}
          aria-hidden
          className="absolute rounded-lg bg-brand-500/10 ring-1 ring-brand-500/40 dark:bg-brand-500/10"
          style={{
            left: column.x - 8,
            top: column.top - 6,
            width: metrics.cardWidth + 16,
            height: column.bottom - column.top + (column.headerY === null ? 14 : 12),
          }}
        />
      ))}
      <svg aria-hidden width={layout.width} height={layout.height} className="pointer-events-none absolute top-0 left-0" fill="none">
        {layout.connectors.map((connector) => {
          const target = matches[connector.to]!;
          const travelled =
            connector.side === null ? [target.sides[0].entrant, target.sides[1].entrant] : [target.sides[connector.side].entrant];
          const keys = travelled.flatMap((id) => (id ? [context.keys.get(id)!] : []));
          return (
            <path
              key={`${connector.from}>${connector.to}`}
              d={connector.d}
              data-eks={keys.join(" ")}
              strokeWidth={1.5}
              className={keys.length > 0 ? "stroke-zinc-500 dark:stroke-zinc-400" : "stroke-zinc-400 dark:stroke-zinc-600"}
            />
          );
        })}
      </svg>
      {layout.sections.map((section) =>
        section.titleY === null ? null : (
          <h3
            key={`title:${section.id}`}
            className={`absolute font-bold tracking-tight text-zinc-900 dark:text-zinc-100 ${embed ? "text-xl" : "text-base"}`}
            style={{ left: metrics.padding, top: section.titleY }}
          >
            <span className={backing}>{sectionTitles[section.id]}</span>
          </h3>
        ),
      )}
      {layout.columns.map((column, index) => {
        if (column.headerY === null) return null;
        const first = matches[column.matchIds[0]!];
        const now = isCurrent(column);
        return (
          <div key={`head:${column.key}`} className="absolute" style={{ left: column.x, top: column.headerY, width: metrics.cardWidth }}>
            <div
              className={`flex w-fit max-w-full items-center gap-2 font-semibold ${backing} ${embed ? "text-base" : "text-sm"} ${now ? "text-brand-700 dark:text-brand-300" : "text-zinc-800 dark:text-zinc-200"}`}
            >
              <span className="truncate">{derived.names[index]}</span>
              {now ? <NowPill /> : null}
            </div>
            {first && !embed ? <div className="text-xs text-zinc-500 dark:text-zinc-400">Best of {first.bestOf}</div> : null}
          </div>
        );
      })}
      {layout.captions.map((caption) => {
        const column = layout.columns[layout.boxes[caption.match]!.column]!;
        const now = isCurrent(column);
        const match = matches[caption.match];
        const name = derived.names[layout.boxes[caption.match]!.column];
        return (
          <div key={`caption:${caption.match}`} className="absolute" style={{ left: caption.x, top: caption.y, width: metrics.cardWidth }}>
            <div
              className={`flex w-fit max-w-full items-center gap-2 font-semibold ${backing} ${embed ? "text-base" : "text-sm"} ${now ? "text-brand-700 dark:text-brand-300" : "text-zinc-800 dark:text-zinc-200"}`}
            >
              <span className="truncate" title={name}>
                {name}
              </span>
              {now ? <NowPill /> : null}
            </div>
            {match && !embed ? <div className="text-xs text-zinc-500 dark:text-zinc-400">Best of {match.bestOf}</div> : null}
          </div>
        );
      })}
      {layout.order.map((id) => {
        const match = matches[id]!;
        return (
          <MatchCard
            key={id}
            match={match}
            context={cardContext}
            roundName={derived.names[layout.boxes[id]!.column]!}
            state={states?.[id]}
            href={linkForMatch?.(id) ?? null}
            box={derived.boxes.get(id)}
          />
        );
      })}
      {layout.notes.map((note) => {
        const reset = matches[note.match]!;
        const first = reset.playedIf ? matches[reset.playedIf.match] : undefined;
        const skipped = reset.status === "skipped";
        return (
          <p
            key={`note:${note.match}`}
            className={`absolute leading-snug ${embed ? "rounded-md bg-white/90 px-2 py-1 text-sm dark:bg-zinc-900/90" : "text-xs"} ${skipped ? "font-medium text-zinc-700 dark:text-zinc-300" : "text-zinc-600 dark:text-zinc-400"}`}
            style={{ left: note.x, top: note.y, width: metrics.cardWidth }}
          >
            {resetNote(reset, first, nameOf)}
          </p>
        );
      })}
    </ZoomPanViewport>
  );
}
