/**
 * The bracket actions of one match's audit trail. A match's trail holds exactly its own actions
 * (and the undo of one of them). An action elsewhere that changed this match (a result that moved
 * a side here, a correction or undo that reset it, a disqualification) appears only as an
 * `elsewhere` entry that names where it happened: its details (sides, games) belong to another
 * match and would read wrongly under this match's names, so they are not passed on.
 */
import { sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import type { BracketActionKind } from "@/db/schema/brackets";
import type { MatchId, MatchName } from "./engine";

export type TrailActionRow = {
  id: number;
  kind: BracketActionKind;
  match_id: string | null;
  actor_name: string | null;
  detail: Record<string, unknown>;
  created_at: string;
  undone_at: string | null;
  undid_match: string | null;
  undid_kind: BracketActionKind | null;
  entrant_name: string | null;
};

/** The actions of the match and those elsewhere that touched it, oldest first. */
export function trailActions(db: DbOrTx, bracketId: string, matchId: MatchId) {
  return db.execute<TrailActionRow>(sql`
    select a.id, a.kind, a.match_id, u.name as actor_name, a.detail, to_json(a.created_at)#>>'{}' as created_at,
      to_json(a.undone_at)#>>'{}' as undone_at, undone.match_id as undid_match, undone.kind as undid_kind,
      (select be.name from bracket_entrants be where be.bracket_id = a.bracket_id and be.captain
         and be.entrant_id = coalesce(a.detail->>'entrantId', undone.detail->>'entrantId') limit 1) as entrant_name
    from bracket_actions a left join user_directory u on u.id = a.actor_id
      left join bracket_actions undone on a.kind = 'undo' and undone.bracket_id = a.bracket_id
        and undone.id = case when a.detail->>'undid' ~ '^[0-9]+$' then (a.detail->>'undid')::bigint end
    where a.bracket_id = ${bracketId} and (a.match_id = ${matchId} or a.touched @> array[${matchId}]::text[])
    order by a.id`);
}

/** A trail entry: the match's own action as recorded, or an `elsewhere` entry with only what is true of this match. */
export function trailEntry(row: TrailActionRow, matchId: MatchId, labels: Map<MatchId, MatchName>) {
  const own = row.match_id === matchId || (row.kind === "undo" && row.undid_match === matchId);
  const base = { id: Number(row.id), actorName: row.actor_name, at: row.created_at, undoneAt: row.undone_at };
  if (own) return { ...base, kind: row.kind as BracketActionKind | "elsewhere", actedOn: true, detail: row.detail };
  const origin = row.match_id ?? row.undid_match;
  const reset = Array.isArray(row.detail.reset) && (row.detail.reset as unknown[]).includes(matchId);
  return {
    ...base,
    kind: "elsewhere" as BracketActionKind | "elsewhere",
    actedOn: false,
    detail: {
      originKind: row.kind,
      undidKind: row.undid_kind,
      originLabel: origin ? (labels.get(origin)?.label ?? null) : null,
      entrantName: row.entrant_name,
      reset,
    },
  };
}
