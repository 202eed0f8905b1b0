import type { StoredMatch } from "./repository";

/** A match as live messages and lists carry it: no wiring (sources, next matches), only state. */
export function matchSummary(match: StoredMatch) {
  return {
    id: match.uuid,
    matchId: match.id,
    stage: match.stage,
    round: match.round,
    position: match.position,
    status: match.status,
    bestOf: match.bestOf,
    sides: match.sides.map((side) => ({ entrant: side.entrant, bye: side.bye })) as [
      { entrant: string | null; bye: boolean },
      { entrant: string | null; bye: boolean },
    ],
    games: match.games.map((game) => ({ winner: game.winner, score: game.score ?? null })),
    result: match.result,
    decidedBy: match.decidedBy,
    reportState: match.reportState,
    calledAt: match.calledAt,
    reportDeadline: match.reportDeadline,
  };
}
export type MatchSummary = ReturnType<typeof matchSummary>;

/** A name people read for a match: "Upper round 2, match 3", "Grand final", "Group 1, round 2, match 1". */
export function matchLabel(match: Pick<StoredMatch, "stage" | "round" | "position">): string {
  switch (match.stage) {
    case "upper":
      return `Round ${match.round}, match ${match.position}`;
    case "lower":
      return `Lower round ${match.round}, match ${match.position}`;
    case "grand_final":
      return match.round === 1 ? "Grand final" : "Grand final reset";
    case "third_place":
      return "Third-place match";
    case "swiss":
      return `Swiss round ${match.round}, match ${match.position}`;
    default: {
      const group = match.stage.startsWith("group:") ? match.stage.slice("group:".length) : "?";
      return `Group ${group}, round ${match.round}, match ${match.position}`;
    }
  }
}
