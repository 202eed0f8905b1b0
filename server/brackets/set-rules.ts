// Browser-safe: loaded by client components; imports nothing server-only.
// The set-report form checks the same rule the service does.
import { gamesToWin } from "./engine/best-of";

type Side = 0 | 1;

/** Why `winners` is not a finished best-of-`bestOf` set, or null when it is. */
export function setProblem(bestOf: number, winners: readonly Side[]): string | null {
  if (winners.length === 0) return "Choose the winner of each game.";
  if (winners.some((winner) => winner !== 0 && winner !== 1)) return "Each game's winner is one of the two sides.";
  if (winners.length > bestOf) return `This match is a best of ${bestOf}: at most ${bestOf} games.`;
  const needed = gamesToWin(bestOf);
  const wins = [0, 0];
  for (let i = 0; i < winners.length; i++) {
    if (++wins[winners[i]!]! < needed) continue;
    return i === winners.length - 1 ? null : `The set was over after game ${i + 1}: remove the games after it.`;
  }
  return `Nobody has won ${needed} game${needed === 1 ? "" : "s"} yet: report the set once it is over, or report game by game.`;
}

/** Games each side won in `winners`. */
export function seriesScore(winners: readonly Side[]): [number, number] {
  return [winners.filter((winner) => winner === 0).length, winners.filter((winner) => winner === 1).length];
}
