import { sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { type MatchId, type MatchName, matchNames } from "./engine";
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

const idList = (ids: readonly string[]) => sql`(select value::uuid from jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb))`;

/**
 * A bracket's names depend only on which matches it has (their stage, round and position never
 * change; Swiss rounds are added and an undone pairing removed), so they are kept per bracket and
 * match count: a count that moved reads the structure again. Bounded to the most recent brackets.
 */
const namesCache = new Map<string, { count: number; names: Map<MatchId, MatchName> }>();
const NAMES_CACHE_BRACKETS = 64;

/** The public names ("Match 6 · Upper semifinal") of every match of each bracket: see engine/labels.ts. */
export async function labelsOfBrackets(db: DbOrTx, bracketIds: readonly string[]): Promise<Map<string, Map<MatchId, MatchName>>> {
  const unique = [...new Set(bracketIds)];
  if (unique.length === 0) return new Map();
  const counts = await db.execute<{ bracket_id: string; n: number }>(sql`
    select bracket_id, count(*)::int as n from bracket_matches where bracket_id in ${idList(unique)} group by bracket_id`);
  const countOf = new Map(counts.map((row) => [row.bracket_id, Number(row.n)]));
  const stale = unique.filter((id) => namesCache.get(id)?.count !== (countOf.get(id) ?? 0));
  if (stale.length > 0) {
    const rows = await db.execute<{ bracket_id: string; match_id: string; stage: string; round: number; position: number }>(sql`
      select bracket_id, match_id, stage, round, position from bracket_matches where bracket_id in ${idList(stale)}`);
    for (const id of stale) {
      namesCache.delete(id);
      namesCache.set(id, { count: countOf.get(id) ?? 0, names: matchNames(rows.filter((row) => row.bracket_id === id).map(labelled)) });
    }
    for (const id of namesCache.keys()) {
      if (namesCache.size <= NAMES_CACHE_BRACKETS) break;
      namesCache.delete(id);
    }
  }
  return new Map(unique.map((id) => [id, namesCache.get(id)?.names ?? new Map()]));
}

const labelled = (row: { match_id: string; stage: string; round: number; position: number }) => ({
  id: row.match_id,
  stage: row.stage,
  round: row.round,
  position: row.position,
});

/** The public names of every match of one bracket. */
export async function labelsOfBracket(db: DbOrTx, bracketId: string): Promise<Map<MatchId, MatchName>> {
  return (await labelsOfBrackets(db, [bracketId])).get(bracketId)!;
}

/** The public name of one match, the same on the bracket card, the match page and in every message. */
export async function matchNameOf(db: DbOrTx, match: { uuid: string }): Promise<MatchName | null> {
  const [row] = await db.execute<{ bracket_id: string; match_id: string }>(sql`
    select bracket_id, match_id from bracket_matches where id = ${match.uuid}`);
  return row ? ((await labelsOfBracket(db, row.bracket_id)).get(row.match_id) ?? null) : null;
}

/** "Match 6 · Upper semifinal" */
export async function matchLabel(db: DbOrTx, match: { uuid: string }): Promise<string> {
  return (await matchNameOf(db, match))?.label ?? "A match";
}
