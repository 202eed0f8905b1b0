"use client";

import { useId, useMemo } from "react";
import { groupStandings } from "@/server/brackets/engine";
import type { Bracket, Match, MatchId } from "@/server/brackets/engine/types";
import type { CardContext } from "./match-card";
import { RoundList, type ListedRound } from "./round-list";
import { groupName, roundOf } from "./round-names";
import { StandingsTable } from "./standings-table";
import type { CurrentRounds, MatchState } from "./types";

/** Round robin groups: each group's table, then its matches round by round (and who rests). */
export function GroupStage({
  bracket,
  context,
  current,
  states,
  linkForMatch,
  advance = 0,
  embed,
  entrantLabel,
}: {
  bracket: Bracket;
  context: CardContext;
  current: CurrentRounds;
  states?: Partial<Record<MatchId, MatchState>>;
  linkForMatch?: (matchId: MatchId) => string | null;
  advance?: number;
  embed: boolean;
  entrantLabel?: string;
}) {
  const id = useId();
  const groups = useMemo(() => {
    const byGroup = bracket.groups.map(() => new Map<number, Match[]>());
    for (const id in bracket.matches) {
      const match = bracket.matches[id]!;
      if (!match.stage.startsWith("group:")) continue;
      const rounds = byGroup[Number(match.stage.slice(6)) - 1];
      if (!rounds) continue;
      const list = rounds.get(match.round);
      if (list) list.push(match);
      else rounds.set(match.round, [match]);
    }
    return bracket.groups.map((members, index) => {
      const rounds = [...byGroup[index]!.entries()].sort((a, b) => a[0] - b[0]);
      const listed: ListedRound[] = rounds.map(([round, matches]) => {
        const playing = new Set(matches.flatMap((match) => [match.sides[0].entrant, match.sides[1].entrant]));
        const resting = members.filter((member) => !playing.has(member)).map((member) => context.names[member]?.name ?? member);
        return {
          round,
          title: roundOf(round, rounds.length),
          matches: matches.sort((a, b) => a.position - b.position),
          note: resting.length > 0 ? `Resting this round: ${resting.join(", ")}` : undefined,
        };
      });
      return { group: index + 1, rows: groupStandings(bracket, index + 1), rounds: listed };
    });
  }, [bracket, context.names]);

  return (
    <div className={`grid gap-6 ${groups.length > 1 ? "lg:grid-cols-2" : ""}`}>
      {groups.map(({ group, rows, rounds }) => {
        const name = groupName(group);
        const now = current[`group:${group}`];
        return (
          <section
            key={group}
            aria-labelledby={`${id}-group-${group}`}
            className={`min-w-0 space-y-3 ${embed ? "rounded-lg bg-white/90 p-3 text-zinc-900 dark:bg-zinc-900/90 dark:text-zinc-100" : ""}`}
          >
            <h3 id={`${id}-group-${group}`} className={`font-bold tracking-tight ${embed ? "text-xl" : "text-lg"}`}>
              {name}
            </h3>
            <StandingsTable
              rows={rows}
              kind="group"
              context={context}
              caption={`${name} standings`}
              advance={advance}
              embed={embed}
              entrantLabel={entrantLabel}
            />
            {embed ? (
              <RoundList
                rounds={rounds.filter((round) => round.round === (now ?? rounds[rounds.length - 1]?.round))}
                current={now}
                context={context}
                states={states}
                linkForMatch={linkForMatch}
                embed
                label={`${name} matches`}
              />
            ) : (
              <RoundList
                rounds={rounds}
                current={now}
                context={context}
                states={states}
                linkForMatch={linkForMatch}
                embed={false}
                label={`${name} matches`}
              />
            )}
          </section>
        );
      })}
    </div>
  );
}
