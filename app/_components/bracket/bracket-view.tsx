"use client";

import { type ReactNode, useId, useMemo } from "react";
import { finalStandings, isComplete, type Match, type MatchId, matchNames } from "@/server/brackets/engine";
import { currentRounds } from "./current-round";
import { EliminationBracket } from "./elimination";
import { GroupStage } from "./group-stage";
import { entrantKeys, HighlightScope } from "./highlight";
import { BracketLegend } from "./legend";
import type { CardContext } from "./match-card";
import { Placements } from "./placements";
import { SwissStage } from "./swiss-stage";
import type { BracketViewProps } from "./types";

/**
 * A bracket drawn from the engine's data, any format: elimination brackets as a zoomable drawing,
 * round robin groups and Swiss as tables with their rounds, groups into playoffs as both. Purely
 * presentational: give it a new `bracket` (a live update) and it redraws only the cards that changed.
 */
export function BracketView({
  bracket,
  names,
  highlightEntrant,
  currentRound,
  linkForMatch,
  states,
  variant = "full",
  entrantLabel,
}: BracketViewProps) {
  const id = useId();
  const embed = variant === "embed";
  const keys = entrantKeys(bracket);
  const seeds = useMemo(() => new Map(bracket.entrants.map((entrant) => [entrant.id, entrant.seed])), [bracket.entrants]);
  const labels = useMemo(() => matchNames(Object.values(bracket.matches)), [bracket.matches]);
  const base = useMemo<CardContext>(
    () => ({
      names,
      keys,
      seeds,
      disqualified: bracket.disqualified,
      size: embed ? "embed" : "standard",
      numberOf: (matchId) => labels.get(matchId)?.number,
      labelOf: (matchId) => labels.get(matchId)?.label,
    }),
    [names, keys, seeds, bracket.disqualified, embed, labels],
  );
  const listContext = base;
  const current = useMemo(() => (currentRound === false ? {} : (currentRound ?? currentRounds(bracket))), [bracket, currentRound]);
  const standings = useMemo(() => (isComplete(bracket) ? finalStandings(bracket) : null), [bracket]);
  const settings = bracket.settings;
  const playoffMatches = useMemo(() => {
    if (settings.format !== "groups_playoffs") return bracket.matches;
    const playoff: Record<MatchId, Match> = {};
    for (const id in bracket.matches) if (!bracket.matches[id]!.stage.startsWith("group:")) playoff[id] = bracket.matches[id]!;
    return playoff;
  }, [bracket.matches, settings.format]);

  const shared = { states, linkForMatch };
  const tables = { ...shared, entrantLabel };
  let body: ReactNode;
  switch (settings.format) {
    case "single_elimination":
    case "double_elimination":
      body = (
        <EliminationBracket
          matches={bracket.matches}
          settings={settings}
          context={base}
          current={current}
          variant={variant}
          label="Bracket"
          {...shared}
        />
      );
      break;
    case "round_robin":
      body = <GroupStage bracket={bracket} context={listContext} current={current} embed={embed} {...tables} />;
      break;
    case "swiss":
      body = <SwissStage bracket={bracket} context={listContext} current={current.swiss} embed={embed} {...tables} />;
      break;
    case "groups_playoffs":
      body = (
        <div className="space-y-8">
          <section aria-labelledby={`${id}-groups`} className="space-y-3">
            <h2
              id={`${id}-groups`}
              className={`font-bold tracking-tight ${embed ? "w-fit rounded-md bg-white/90 px-2 text-2xl dark:bg-zinc-900/90" : "text-xl"}`}
            >
              Group stage
            </h2>
            <GroupStage bracket={bracket} context={listContext} current={current} advance={settings.advance} embed={embed} {...tables} />
          </section>
          <section aria-labelledby={`${id}-playoffs`} className="space-y-3">
            <h2
              id={`${id}-playoffs`}
              className={`font-bold tracking-tight ${embed ? "w-fit rounded-md bg-white/90 px-2 text-2xl dark:bg-zinc-900/90" : "text-xl"}`}
            >
              Playoffs
            </h2>
            {embed ? null : (
              <p className="text-sm text-zinc-600 dark:text-zinc-400">
                The top {settings.advance} of each group, seeded across groups. A group fills its places when its last match is decided.
              </p>
            )}
            <EliminationBracket
              matches={playoffMatches}
              settings={settings.playoff}
              context={base}
              current={current}
              variant={variant}
              label="Playoff bracket"
              {...shared}
            />
          </section>
        </div>
      );
      break;
  }

  const elimination = settings.format !== "round_robin" && settings.format !== "swiss";
  return (
    <HighlightScope mark={highlightEntrant ? keys.get(highlightEntrant) : null} className={`space-y-4 ${embed ? "text-lg" : ""}`}>
      {standings && !embed ? <Placements standings={standings} names={names} /> : null}
      {body}
      {embed ? null : <BracketLegend elimination={elimination} />}
    </HighlightScope>
  );
}
