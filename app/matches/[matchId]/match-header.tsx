"use client";

import { useSyncExternalStore } from "react";
import { useCountdown } from "@/app/_components/use-countdown";
import { authorityLabels, isPlayable, sideName, statusLabels, type MatchData } from "./types";

const never = () => () => {};

const dotGlyph = { won: "●", lost: "○", pending: "◌" } as const;
const dotWords = { won: "won", lost: "lost", pending: "not played yet" } as const;
const dotColor = {
  won: "text-brand-600 dark:text-brand-400",
  lost: "text-zinc-500 dark:text-zinc-400",
  pending: "text-zinc-400 dark:text-zinc-500",
} as const;

function clock(total: number) {
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const pad = (n: number) => String(n).padStart(2, "0");
  return h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${m}:${pad(s)}`;
}

/** "Report by 21:40 — 12:31 left", ticking; overdue in words once it passes. */
export function ReportDeadline({ at, reportState }: { at: string; reportState: string }) {
  const inBrowser = useSyncExternalStore(
    never,
    () => true,
    () => false,
  );
  const date = new Date(at);
  const seconds = useCountdown(date.getTime());
  const time = inBrowser
    ? date.toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" })
    : `${date.toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit", timeZone: "UTC" })} UTC`;
  if (reportState === "overdue" || (inBrowser && seconds === 0)) {
    return (
      <p role="timer" aria-live="off" className="text-sm font-medium text-red-700 dark:text-red-400">
        Overdue: the reports were due by <time dateTime={date.toISOString()}>{time}</time>. The organizer decides this match.
      </p>
    );
  }
  return (
    <p role="timer" aria-live="off" className="text-sm text-zinc-700 dark:text-zinc-300">
      Report by <time dateTime={date.toISOString()}>{time}</time>
      {inBrowser ? (
        <>
          {" — "}
          <span className="font-mono tabular-nums font-semibold">{clock(seconds)}</span> left
        </>
      ) : null}
    </p>
  );
}

function wins(match: MatchData, side: 0 | 1) {
  return match.games.filter((game) => game.winner === side).length;
}

export function MatchHeader({ match }: { match: MatchData }) {
  const winner = match.result?.winner ?? null;
  const open = isPlayable(match.status);
  const stateNote =
    match.reportState === "disputed"
      ? "Disputed"
      : match.reportState === "awaiting"
        ? "Waiting for a report"
        : match.reportState === "overdue"
          ? "Overdue"
          : null;
  return (
    <header className="rounded-lg border border-zinc-200 bg-white p-5 shadow-sm sm:p-6 dark:border-zinc-800 dark:bg-zinc-900">
      <div className="flex flex-wrap items-center gap-2 text-sm">
        <span className="rounded-full bg-zinc-100 px-2.5 py-0.5 font-medium text-zinc-800 dark:bg-zinc-800 dark:text-zinc-200">
          {statusLabels[match.status] ?? match.status}
        </span>
        {stateNote && open ? (
          <span
            className={`rounded-full px-2.5 py-0.5 font-medium ${match.reportState === "awaiting" ? "bg-sky-100 text-sky-900 dark:bg-sky-950 dark:text-sky-200" : "bg-amber-100 text-amber-900 dark:bg-amber-950 dark:text-amber-200"}`}
          >
            {stateNote}
          </span>
        ) : null}
        <span className="text-zinc-600 dark:text-zinc-400">Best of {match.bestOf}</span>
      </div>
      <h1 className="mt-2 text-2xl font-bold tracking-tight sm:text-3xl">{match.label}</h1>
      <p className="mt-1 text-zinc-600 dark:text-zinc-400">{match.event.name}</p>

      <ol className="mt-5 grid gap-3 sm:grid-cols-[1fr_auto_1fr]" aria-label="Sides">
        {([0, 1] as const).map((index) => {
          const side = match.sides[index]!;
          const isWinner = winner === index;
          return (
            <li
              key={index}
              className={`min-w-0 rounded-md border p-4 ${index === 1 ? "sm:order-3 sm:text-right" : ""} ${isWinner ? "border-brand-500 bg-brand-50 dark:border-brand-500 dark:bg-brand-800/25" : "border-zinc-200 dark:border-zinc-800"}`}
            >
              <div className={`flex items-center gap-3 ${index === 1 ? "sm:flex-row-reverse" : ""}`}>
                <span className="text-3xl font-bold tabular-nums">
                  <span aria-hidden>{wins(match, index)}</span>
                  <span className="sr-only">{`${wins(match, index)} games won`}</span>
                </span>
                <div className="min-w-0">
                  <p className="truncate text-lg font-semibold">
                    {side.entrant?.name ?? (side.bye ? "BYE" : "To be decided")}
                    {side.entrant?.seed ? (
                      <span className="ml-2 text-sm font-normal text-zinc-500 dark:text-zinc-400">seed {side.entrant.seed}</span>
                    ) : null}
                  </p>
                  {isWinner ? <p className="text-sm font-semibold text-brand-700 dark:text-brand-300">Winner</p> : null}
                </div>
              </div>
              {side.players.length > 1 || (side.entrant && side.players.length === 1 && side.players[0]!.name !== side.entrant.name) ? (
                <ul
                  className="mt-2 text-sm text-zinc-600 dark:text-zinc-400"
                  aria-label={`Players of ${side.entrant?.name ?? "this side"}`}
                >
                  {side.players.map((player) => (
                    <li key={player.userId}>
                      {player.name}
                      {player.captain ? " (captain)" : ""}
                    </li>
                  ))}
                </ul>
              ) : null}
              <ul
                className={`mt-3 flex flex-wrap gap-1.5 text-lg leading-none ${index === 1 ? "sm:justify-end" : ""}`}
                aria-label={`Games of ${side.entrant?.name ?? "this side"}`}
              >
                {match.games.map((game) => {
                  const dot = game.dots[index];
                  return (
                    <li key={game.number} className={dotColor[dot]} title={`Game ${game.number}: ${dotWords[dot]}`}>
                      <span aria-hidden>{dotGlyph[dot]}</span>
                      <span className="sr-only">
                        Game {game.number}: {dotWords[dot]}
                      </span>
                    </li>
                  );
                })}
              </ul>
            </li>
          );
        })}
        <li
          aria-hidden
          className="hidden self-center text-center text-sm font-semibold text-zinc-600 sm:order-2 sm:block dark:text-zinc-400"
        >
          vs
        </li>
      </ol>

      <div className="mt-4 space-y-1">
        {match.result ? (
          <p role="status" className="font-semibold">
            {match.result.winner === null
              ? "Nobody advances (double forfeit)."
              : `${sideName(match, match.result.winner)} won the match${match.result.kind === "forfeit" ? " by forfeit" : ""}`}
            {match.result.winner !== null ? ` ${wins(match, match.result.winner)}–${wins(match, match.result.winner === 0 ? 1 : 0)}` : ""}
            {match.decidedBy ? (
              <span className="font-normal text-zinc-600 dark:text-zinc-400"> · {authorityLabels[match.decidedBy] ?? match.decidedBy}</span>
            ) : null}
          </p>
        ) : null}
        {open && match.reportDeadline ? <ReportDeadline at={match.reportDeadline} reportState={match.reportState} /> : null}
      </div>
    </header>
  );
}
