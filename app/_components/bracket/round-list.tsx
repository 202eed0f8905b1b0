"use client";

import type { Match, MatchId } from "@/server/brackets/engine/types";
import { NowPill } from "./now-pill";
import { cardHeight, embedMetrics, standardMetrics } from "./layout";
import { MatchCard, type CardContext } from "./match-card";
import type { MatchState } from "./types";

export interface ListedRound {
  round: number;
  /** "Round 3", or "Round 3 of 5". */
  title: string;
  matches: Match[];
  /** Shown under the round: who rests, or why it has no pairings yet. */
  note?: string;
}

/**
 * Rounds of a round robin group or of Swiss as lists of match cards. Long schedules fold: rounds
 * away from the current one start closed.
 */
export function RoundList({
  rounds,
  current,
  context,
  states,
  linkForMatch,
  embed,
  label,
}: {
  rounds: ListedRound[];
  current: number | undefined;
  context: CardContext;
  states?: Partial<Record<MatchId, MatchState>>;
  linkForMatch?: (matchId: MatchId) => string | null;
  embed: boolean;
  label: string;
}) {
  const height = cardHeight(embed ? embedMetrics : standardMetrics);
  const folding = rounds.length > 6;
  const focus = current ?? rounds.findLast((round) => round.matches.length > 0)?.round ?? 1;
  return (
    <fieldset className="min-w-0 space-y-2" aria-label={label}>
      {rounds.map((round) => {
        const now = round.round === current;
        const open = !folding || Math.abs(round.round - focus) <= 1;
        return (
          <details key={round.round} open={open} className="group/round rounded-lg">
            <summary
              className={`flex cursor-pointer items-center gap-2 rounded-md px-1 py-1 text-sm font-semibold select-none ${
                now ? "text-brand-700 dark:text-brand-300" : "text-zinc-800 dark:text-zinc-200"
              }`}
            >
              <span aria-hidden className="text-xs text-zinc-600 dark:text-zinc-400 transition-transform group-open/round:rotate-90">
                ▶
              </span>
              {round.title}
              {now ? <NowPill /> : null}
              {round.matches[0] && round.matches[0].bestOf > 1 ? (
                <span className="text-xs font-normal text-zinc-500 dark:text-zinc-400">Best of {round.matches[0].bestOf}</span>
              ) : null}
            </summary>
            {round.matches.length > 0 ? (
              <div className="mt-2 grid grid-cols-1 gap-x-3 gap-y-4 pt-1 sm:grid-cols-2">
                {round.matches.map((match) => (
                  <MatchCard
                    key={match.id}
                    match={match}
                    context={context}
                    roundName={round.title}
                    state={states?.[match.id]}
                    href={linkForMatch?.(match.id) ?? null}
                    height={height}
                  />
                ))}
              </div>
            ) : null}
            {round.note ? <p className="mt-2 px-1 text-xs text-zinc-600 dark:text-zinc-400">{round.note}</p> : null}
          </details>
        );
      })}
    </fieldset>
  );
}
