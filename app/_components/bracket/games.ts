/**
 * What a side of a match shows: its game dots (won, lost, not played yet), the text a screen reader
 * reads for them, and its score (games won, or W / FF / DQ when the match was not decided by games).
 */
import type { EntrantId, Match, Side } from "@/server/brackets/engine/types";

export type Dot = "won" | "lost" | "pending";

const unfinished = new Set(["ready", "in_progress"]);

/**
 * One dot per game played; while the match can still be played, faint dots for the games that may
 * still come (up to best-of), so a best-of-5 at 1–1 shows two played and three open games.
 */
export function sideDots(match: Match, side: Side): Dot[] {
  const dots: Dot[] = match.games.map((game) => (game.winner === side ? "won" : "lost"));
  if (match.result === null && unfinished.has(match.status)) {
    for (let i = match.games.length; i < match.bestOf; i++) dots.push("pending");
  }
  return dots;
}

/** "won game 1, lost game 2, game 3 not played yet" */
export function dotsText(dots: readonly Dot[]): string {
  return dots
    .map((dot, index) => {
      const game = `game ${index + 1}`;
      return dot === "won" ? `won ${game}` : dot === "lost" ? `lost ${game}` : `${game} not played yet`;
    })
    .join(", ");
}

export function gamesWon(match: Match, side: Side): number {
  let count = 0;
  for (const game of match.games) if (game.winner === side) count++;
  return count;
}

export interface SideScore {
  /** Short text for the score box: "2", "W", "FF", "DQ" or "" (nothing to show yet). */
  text: string;
  /** The same for a screen reader. */
  label: string;
}

/** The score box of one side. */
export function sideScore(match: Match, side: Side, disqualified: readonly EntrantId[] = []): SideScore {
  const result = match.result;
  const won = result?.winner === side;
  const entrant = match.sides[side].entrant;
  if (!result) {
    if (match.status !== "in_progress" && match.games.length === 0) return { text: "", label: "" };
    const count = gamesWon(match, side);
    return { text: String(count), label: `${count} ${count === 1 ? "game" : "games"}` };
  }
  switch (result.kind) {
    case "played":
      if (match.games.length === 0) return won ? { text: "W", label: "winner" } : { text: "L", label: "lost" };
      return { text: String(gamesWon(match, side)), label: `${gamesWon(match, side)} ${gamesWon(match, side) === 1 ? "game" : "games"}` };
    case "forfeit":
      return won ? { text: "W", label: "winner by forfeit" } : { text: "FF", label: "forfeited" };
    case "double_forfeit":
      return { text: "FF", label: "forfeited" };
    case "disqualification":
      if (won) return { text: "W", label: "winner, opponent disqualified" };
      return entrant !== null && disqualified.includes(entrant) ? { text: "DQ", label: "disqualified" } : { text: "", label: "" };
    case "walkover":
    case "not_played":
      return { text: "", label: "" };
  }
}

/** Whether a side won, lost, or neither yet (also for BYEs and matches nobody played). */
export function sideOutcome(match: Match, side: Side): "won" | "lost" | null {
  const result = match.result;
  if (!result || result.kind === "not_played") return null;
  if (result.winner === side) return "won";
  if (match.sides[side].entrant === null) return null;
  return "lost";
}
