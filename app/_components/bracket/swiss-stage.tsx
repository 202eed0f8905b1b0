"use client";

import { useId, useMemo } from "react";
import { swissStandings } from "@/server/brackets/engine";
import type { Bracket, Match, MatchId } from "@/server/brackets/engine/types";
import type { CardContext } from "./match-card";
import { RoundList, type ListedRound } from "./round-list";
import { roundOf } from "./round-names";
import { StandingsTable } from "./standings-table";
import type { MatchState } from "./types";

const backing = "rounded-lg bg-white/90 p-3 text-zinc-900 dark:bg-zinc-900/90 dark:text-zinc-100";

/** Swiss: the table (W–L, Buchholz, game difference), then every round's pairings, BYE included. */
export function SwissStage({
  bracket,
  context,
  current,
  states,
  linkForMatch,
  embed,
  entrantLabel,
}: {
  bracket: Bracket;
  context: CardContext;
  current: number | undefined;
  states?: Partial<Record<MatchId, MatchState>>;
  linkForMatch?: (matchId: MatchId) => string | null;
  embed: boolean;
  entrantLabel?: string;
}) {
  const id = useId();
  const total = bracket.settings.format === "swiss" ? bracket.settings.rounds : 0;
  const { rows, rounds } = useMemo(() => {
    const byRound = new Map<number, Match[]>();
    for (const id in bracket.matches) {
      const match = bracket.matches[id]!;
      if (match.stage !== "swiss") continue;
      const list = byRound.get(match.round);
      if (list) list.push(match);
      else byRound.set(match.round, [match]);
    }
    const created = Math.max(0, ...byRound.keys());
    const listed: ListedRound[] = [];
    for (let round = 1; round <= Math.max(total, created); round++) {
      const matches = (byRound.get(round) ?? []).sort((a, b) => a.position - b.position);
      listed.push({
        round,
        title: roundOf(round, Math.max(total, created)),
        matches,
        note: matches.length === 0 ? `Paired from the standings when round ${round - 1} is complete.` : undefined,
      });
    }
    return { rows: swissStandings(bracket), rounds: listed };
  }, [bracket, total]);

  return (
    <div className={`grid gap-6 ${embed ? "" : "lg:grid-cols-[minmax(0,1fr)_minmax(0,1fr)]"}`}>
      <section aria-labelledby={`${id}-standings`} className={`min-w-0 space-y-3 ${embed ? backing : ""}`}>
        <h3 id={`${id}-standings`} className={`font-bold tracking-tight ${embed ? "text-xl" : "text-lg"}`}>
          Standings
        </h3>
        <StandingsTable rows={rows} kind="swiss" context={context} caption="Swiss standings" embed={embed} entrantLabel={entrantLabel} />
      </section>
      <section aria-labelledby={`${id}-rounds`} className={`min-w-0 space-y-3 ${embed ? backing : ""}`}>
        <h3 id={`${id}-rounds`} className={`font-bold tracking-tight ${embed ? "text-xl" : "text-lg"}`}>
          Rounds
        </h3>
        <RoundList
          rounds={
            embed
              ? rounds.filter((round) => round.round === (current ?? rounds.findLast((other) => other.matches.length > 0)?.round))
              : rounds
          }
          current={current}
          context={context}
          states={states}
          linkForMatch={linkForMatch}
          embed={embed}
          label="Swiss rounds"
        />
      </section>
    </div>
  );
}
