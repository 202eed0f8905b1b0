"use client";

import Link from "next/link";
import { memo, type CSSProperties } from "react";
import type { EntrantId, Match, MatchId, Side } from "@/server/brackets/engine/types";
import { dotsText, sideDots, sideOutcome, sideScore, type Dot } from "./games";
import { sourceLabel } from "./round-names";
import type { BracketNames, MatchState } from "./types";

/** What every card of one bracket shares; one object per bracket, so memoized cards stay put. */
export interface CardContext {
  names: BracketNames;
  keys: Map<EntrantId, string>;
  seeds: Map<EntrantId, number>;
  disqualified: readonly EntrantId[];
  /** Match numbers shown on the cards and used in "Winner of 5" (engine/labels.ts: the same as everywhere). */
  numberOf: (id: MatchId) => number | undefined;
  /** The match's one public name, "Match 6 · Upper semifinal". */
  labelOf: (id: MatchId) => string | undefined;
  size: "standard" | "embed";
}

export interface MatchCardProps {
  match: Match;
  context: CardContext;
  /** "Quarterfinals", "Round 3": read out before the match. */
  roundName: string;
  state?: MatchState;
  href?: string | null;
  /** Absolute position in a drawing; without it the card flows in its container at full width. */
  box?: { x: number; y: number; width: number; height: number };
  /** Height in flow (two rows and borders). */
  height?: number;
}

const badges: Record<MatchState | "live", { label: string; className: string }> = {
  live: { label: "Live", className: "bg-emerald-700 text-white dark:bg-emerald-500 dark:text-emerald-950" },
  called: { label: "Called", className: "bg-sky-700 text-white dark:bg-sky-400 dark:text-sky-950" },
  overdue: { label: "Overdue", className: "bg-amber-400 text-amber-950 dark:bg-amber-400" },
  disputed: { label: "Disputed", className: "bg-red-600 text-white dark:bg-red-600" },
};

function statusText(match: Match, name: (side: Side) => string, state: MatchState | undefined): string {
  const extra = state ? `, ${badges[state].label.toLowerCase()}` : "";
  switch (match.status) {
    case "pending":
      return `waiting for players${extra}`;
    case "ready":
      return `ready to play${extra}`;
    case "in_progress":
      return `in progress${extra}`;
    case "bye":
      return match.result?.winner != null ? `${name(match.result.winner)} advances on a BYE` : "BYE";
    case "skipped":
      return "not played";
    case "completed":
      if (match.result?.winner == null) return `no winner${extra}`;
      return `won by ${name(match.result.winner)}${extra}`;
  }
}

function Dots({ dots, embed }: { dots: Dot[]; embed: boolean }) {
  const size = embed ? "size-2.5" : "size-2";
  return (
    <span aria-hidden className="flex shrink-0 items-center gap-[3px]">
      {dots.map((dot, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: one dot per game in game order: the position is the game's number
        <GameDot key={index} dot={dot} size={size} />
      ))}
    </span>
  );
}

function GameDot({ dot, size }: { dot: Dot; size: string }) {
  if (dot === "won") return <span className={`${size} rounded-full bg-emerald-600 dark:bg-emerald-400`} />;
  if (dot === "lost") return <span className={`${size} rounded-full border-[1.5px] border-zinc-500 dark:border-zinc-400`} />;
  return (
    <span className={`${size} flex items-center justify-center`}>
      <span className="size-1 rounded-full bg-zinc-400 dark:bg-zinc-500" />
    </span>
  );
}

function SideRow({ match, side, context }: { match: Match; side: Side; context: CardContext }) {
  const occupant = match.sides[side];
  const entrant = occupant.entrant;
  const embed = context.size === "embed";
  const outcome = sideOutcome(match, side);
  const score = sideScore(match, side, context.disqualified);
  const dots = entrant && match.bestOf > 1 ? sideDots(match, side) : [];
  const divider = side === 1 ? "border-t border-zinc-200 dark:border-zinc-700/80" : "";
  const textSize = embed ? "text-base" : "text-sm";

  if (!entrant) {
    // A match nobody plays (the reset when it is not needed) names no future occupants.
    const label = occupant.bye ? "BYE" : match.status === "skipped" ? "Not played" : sourceLabel(occupant.source, context.numberOf);
    return (
      <span className={`flex min-h-0 flex-1 items-center gap-1.5 pl-1.5 ${divider}`}>
        <span className="w-5 shrink-0" />
        {occupant.bye ? (
          <span className={`text-xs font-semibold tracking-wider text-zinc-500 dark:text-zinc-400`}>BYE</span>
        ) : (
          <span
            className={`min-w-0 flex-1 truncate italic text-zinc-500 dark:text-zinc-400 ${embed ? "text-sm" : "text-xs"}`}
            title={label}
          >
            {label}
          </span>
        )}
      </span>
    );
  }

  const name = context.names[entrant]?.name ?? `Seed ${context.seeds.get(entrant) ?? "?"}`;
  const disqualified = context.disqualified.includes(entrant);
  const tone =
    outcome === "won"
      ? "font-semibold text-zinc-950 dark:text-white"
      : outcome === "lost"
        ? "text-zinc-600 dark:text-zinc-400"
        : "text-zinc-900 dark:text-zinc-100";
  // A BYE or a walkover has no score: its winner is emphasised by the name alone.
  const scoreTone =
    outcome === "won" && score.text !== ""
      ? "bg-brand-500 font-bold text-zinc-950"
      : match.status === "bye" || match.status === "skipped"
        ? ""
        : "bg-zinc-100 font-semibold text-zinc-700 dark:bg-zinc-800 dark:text-zinc-200";
  const seed = context.seeds.get(entrant);
  const spoken = dotsText(dots);
  return (
    <span data-ek={context.keys.get(entrant)} className={`flex min-h-0 flex-1 items-center gap-1.5 pl-1.5 ${divider} ${tone}`}>
      <span className="w-5 shrink-0 text-right text-[11px] font-normal tabular-nums text-zinc-500 dark:text-zinc-400">
        <span className="sr-only">seed </span>
        {seed}
        <span className="sr-only">, </span>
      </span>
      <span className={`min-w-0 flex-1 truncate ${textSize} ${disqualified ? "line-through decoration-1" : ""}`} title={name}>
        {name}
      </span>
      {disqualified ? (
        <span className="shrink-0 rounded bg-red-100 px-1 text-[10px] font-bold text-red-800 dark:bg-red-950 dark:text-red-200">DQ</span>
      ) : null}
      <Dots dots={dots} embed={embed} />
      {spoken ? <span className="sr-only">{`, ${spoken}`}</span> : null}
      <span className={`flex w-8 shrink-0 items-center justify-center self-stretch tabular-nums ${textSize} ${scoreTone}`}>
        <span aria-hidden>{score.text}</span>
        {score.label ? <span className="sr-only">{`, ${score.label}`}</span> : null}
      </span>
    </span>
  );
}

function MatchCardView({ match, context, roundName, state, href, box, height }: MatchCardProps) {
  const number = context.numberOf(match.id);
  const name = (side: Side) => {
    const entrant = match.sides[side].entrant;
    return entrant ? (context.names[entrant]?.name ?? "?") : "nobody";
  };
  const faded = match.status === "bye" || match.status === "skipped";
  const badge = state ? badges[state] : match.status === "in_progress" ? badges.live : null;
  const entrants = [match.sides[0].entrant, match.sides[1].entrant]
    .filter((id): id is EntrantId => id !== null)
    .map((id) => context.keys.get(id))
    .join(" ");
  const title = `${context.labelOf(match.id) ?? roundName}: ${statusText(match, name, state)}`;
  const style: CSSProperties = box ? { left: box.x, top: box.y, width: box.width, height: box.height } : { height };
  const className = [
    box ? "absolute" : "relative w-full",
    "flex rounded-md border text-left shadow-sm outline-offset-2",
    faded
      ? "border-dashed border-zinc-300 bg-zinc-50/80 opacity-60 shadow-none dark:border-zinc-700 dark:bg-zinc-900/60"
      : "border-zinc-300 bg-white dark:border-zinc-700 dark:bg-zinc-900",
    state === "disputed" ? "border-red-500 dark:border-red-500" : state === "overdue" ? "border-amber-500 dark:border-amber-400" : "",
    href ? "hover:border-brand-500 dark:hover:border-brand-400" : "",
  ].join(" ");
  const content = (
    <>
      {number !== undefined ? (
        <span
          aria-hidden
          className="flex w-6 shrink-0 items-center justify-center rounded-l-md border-r border-zinc-200 bg-zinc-50 text-[10px] font-medium tabular-nums text-zinc-500 dark:border-zinc-700/80 dark:bg-zinc-800/60 dark:text-zinc-400"
        >
          {number}
        </span>
      ) : null}
      <span className={`flex min-w-0 flex-1 flex-col overflow-hidden ${number !== undefined ? "rounded-r-md" : "rounded-md"}`}>
        <SideRow match={match} side={0} context={context} />
        <SideRow match={match} side={1} context={context} />
      </span>
      {badge ? (
        <span
          className={`absolute -top-2 right-9 rounded-full px-1.5 py-px text-[10px] leading-tight font-bold ${badge.className}`}
          aria-hidden
        >
          {badge.label}
        </span>
      ) : null}
    </>
  );
  if (href) {
    return (
      // A link is named by its content, so the rows' spoken dots and scores are read too.
      <Link href={href} prefetch={false} className={className} style={style} data-eks={entrants} draggable={false}>
        <span className="sr-only">{`${title}. `}</span>
        {content}
      </Link>
    );
  }
  return (
    // A match without a page of its own is still a keyboard stop, like the linked cards: focusing it
    // lights up its players' paths (HighlightScope) and reads its status.
    // biome-ignore lint/a11y/noNoninteractiveTabindex: focus drives the path highlight and reads the match for keyboard users
    // biome-ignore lint/a11y/useSemanticElements: a card of match content, not a set of form controls, so a focusable fieldset would misstate it; the group role names it
    <div tabIndex={0} role="group" className={className} style={style} data-eks={entrants} aria-label={title}>
      {content}
    </div>
  );
}

/** A fingerprint of what a card shows, so a refetch that changed nothing re-renders nothing. */
export function cardSignature(match: Match): string {
  let text = `${match.status}|${match.result?.kind}:${match.result?.winner}|${match.sides[0].entrant}:${match.sides[0].bye}|${match.sides[1].entrant}:${match.sides[1].bye}|`;
  for (const game of match.games) text += game.winner;
  return text;
}

export const MatchCard = memo(MatchCardView, (a, b) => {
  for (const key of Object.keys(b) as (keyof MatchCardProps)[]) {
    if (key === "match" || key === "box") continue;
    if (a[key] !== b[key]) return false;
  }
  const sameBox = a.box === b.box || (!!a.box && !!b.box && a.box.x === b.box.x && a.box.y === b.box.y && a.box.width === b.box.width);
  return sameBox && (a.match === b.match || cardSignature(a.match) === cardSignature(b.match));
});
