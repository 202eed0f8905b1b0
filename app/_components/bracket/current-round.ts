import type { Bracket, Match, StageId } from "@/server/brackets/engine/types";
import type { CurrentRounds } from "./types";

const open = new Set(["pending", "ready", "in_progress"]);
const playable = new Set(["ready", "in_progress"]);

/**
 * The round being played in each stage: the earliest round that still has an undecided match, for
 * stages where something can be played right now (a lower bracket waiting for upper losers, or a
 * grand final waiting for its finalists, has no current round).
 */
export function currentRounds(bracket: Pick<Bracket, "matches">): CurrentRounds {
  const earliest = new Map<StageId, number>();
  const active = new Set<StageId>();
  for (const id in bracket.matches) {
    const match: Match = bracket.matches[id]!;
    if (!open.has(match.status)) continue;
    if (playable.has(match.status)) active.add(match.stage);
    const known = earliest.get(match.stage);
    if (known === undefined || match.round < known) earliest.set(match.stage, match.round);
  }
  const rounds: CurrentRounds = {};
  for (const [stage, round] of earliest) if (active.has(stage)) rounds[stage] = round;
  return rounds;
}
