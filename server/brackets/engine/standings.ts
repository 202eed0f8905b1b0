// Browser-safe: loaded by client components; imports nothing server-only.
/**
 * Tables for round robin groups and Swiss. Counting rules:
 * - a win by forfeit, disqualification or BYE counts as a match win by a majority of games to nil
 *   (2-0 in a best-of-3), so a forfeit neither helps nor hurts game difference more than a clean win;
 * - a double forfeit (or both sides disqualified) is a loss for both, with no games;
 * - disqualified entrants rank below everyone else.
 * Round robin order: match wins, then head-to-head wins among the entrants level on wins, then game
 * difference, then games won, then seed.
 * Swiss order: match wins, then Buchholz (sum of the wins of every opponent played; a BYE adds
 * nothing), then game difference, then games won, then seed.
 */
import { gamesToWin } from "./best-of";
import type { Bracket, Entrant, EntrantId, Match, StandingRow } from "./types";

const seedMaps = new WeakMap<readonly Entrant[], Map<EntrantId, number>>();

export function seedLookup(bracket: Bracket): (id: EntrantId) => number {
  let map = seedMaps.get(bracket.entrants);
  if (!map) {
    map = new Map(bracket.entrants.map((entrant) => [entrant.id, entrant.seed]));
    seedMaps.set(bracket.entrants, map);
  }
  const seeds = map;
  return (id) => seeds.get(id) ?? Number.MAX_SAFE_INTEGER;
}

interface Tally {
  rows: Map<EntrantId, StandingRow>;
  opponents: Map<EntrantId, EntrantId[]>;
}

export function tally(
  members: readonly EntrantId[],
  matches: readonly Match[],
  seedOf: (id: EntrantId) => number,
  isDisqualified: (id: EntrantId) => boolean,
): Tally {
  const rows = new Map<EntrantId, StandingRow>();
  const opponents = new Map<EntrantId, EntrantId[]>();
  for (const entrant of members) {
    rows.set(entrant, {
      entrant,
      seed: seedOf(entrant),
      rank: 0,
      played: 0,
      wins: 0,
      losses: 0,
      gamesWon: 0,
      gamesLost: 0,
      headToHead: 0,
      buchholz: 0,
      byes: 0,
      disqualified: isDisqualified(entrant),
    });
    opponents.set(entrant, []);
  }
  for (const match of matches) {
    const result = match.result;
    if (!result || result.kind === "not_played") continue;
    const majority = gamesToWin(match.bestOf);
    if (result.kind === "walkover") {
      const row = rows.get(match.sides[result.winner!].entrant!);
      if (row) {
        row.wins++;
        row.byes++;
        row.gamesWon += majority;
      }
      continue;
    }
    const a = match.sides[0].entrant!;
    const b = match.sides[1].entrant!;
    const rowA = rows.get(a);
    const rowB = rows.get(b);
    if (!rowA || !rowB) continue;
    opponents.get(a)!.push(b);
    opponents.get(b)!.push(a);
    rowA.played++;
    rowB.played++;
    if (result.winner === null) {
      rowA.losses++;
      rowB.losses++;
      continue;
    }
    const [winner, loser] = result.winner === 0 ? [rowA, rowB] : [rowB, rowA];
    winner.wins++;
    loser.losses++;
    if (result.kind === "played" && match.games.length > 0) {
      for (const game of match.games) {
        (game.winner === 0 ? rowA : rowB).gamesWon++;
        (game.winner === 0 ? rowB : rowA).gamesLost++;
      }
    } else {
      winner.gamesWon += majority;
      loser.gamesLost += majority;
    }
  }
  return { rows, opponents };
}

const gameDifference = (row: StandingRow) => row.gamesWon - row.gamesLost;

function finish(rows: StandingRow[]): StandingRow[] {
  for (const [index, row] of rows.entries()) row.rank = index + 1;
  return rows;
}

export function rankRoundRobin(table: Tally, matches: readonly Match[]): StandingRow[] {
  const rows = [...table.rows.values()];
  const level = new Map<string, StandingRow[]>();
  for (const row of rows) {
    const key = `${row.disqualified}:${row.wins}`;
    const bucket = level.get(key);
    if (bucket) bucket.push(row);
    else level.set(key, [row]);
  }
  const bucketOf = new Map<EntrantId, string>();
  for (const [key, bucket] of level) if (bucket.length > 1) for (const row of bucket) bucketOf.set(row.entrant, key);
  for (const match of matches) {
    const result = match.result;
    if (!result || result.winner === null || result.kind === "walkover" || result.kind === "not_played") continue;
    const winner = match.sides[result.winner].entrant!;
    const loser = match.sides[1 - result.winner]!.entrant!;
    const key = bucketOf.get(winner);
    if (key !== undefined && key === bucketOf.get(loser)) table.rows.get(winner)!.headToHead++;
  }
  rows.sort(
    (a, b) =>
      Number(a.disqualified) - Number(b.disqualified) ||
      b.wins - a.wins ||
      b.headToHead - a.headToHead ||
      gameDifference(b) - gameDifference(a) ||
      b.gamesWon - a.gamesWon ||
      a.seed - b.seed,
  );
  return finish(rows);
}

export function rankSwiss(table: Tally): StandingRow[] {
  const rows = [...table.rows.values()];
  for (const row of rows) {
    row.buchholz = table.opponents.get(row.entrant)!.reduce((sum, opponent) => sum + table.rows.get(opponent)!.wins, 0);
  }
  rows.sort(
    (a, b) =>
      Number(a.disqualified) - Number(b.disqualified) ||
      b.wins - a.wins ||
      b.buchholz - a.buchholz ||
      gameDifference(b) - gameDifference(a) ||
      b.gamesWon - a.gamesWon ||
      a.seed - b.seed,
  );
  return finish(rows);
}
