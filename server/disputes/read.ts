/** The organizer's dispute queue, one dispute with everything said about it, and dispute steps for the match trail. */
import { sql, type SQL } from "drizzle-orm";
import type { Db, DbOrTx } from "@/db/client";
import type { BracketActionKind, MatchDisputeStatus } from "@/server/brackets/repository";
import type { DisputeStatementKind } from "@/db/schema/disputes";
import { hasRole, type SessionUser } from "@/server/accounts/roles";
import { assertManager, eventRef } from "@/server/brackets/access";
import type { StoredMatch } from "@/server/brackets/repository";
import { matchLabel } from "@/server/brackets/summary";
import { NotFound } from "@/server/errors";
import type { queueStatuses } from "./schemas";
import { readDispute, standing } from "./repository";

export const evidenceUrl = (evidenceId: string) => `/api/evidence/${evidenceId}`;

/**
 * Disputes of the events the actor organizes (admins: all events), optionally of one event. Open
 * ones oldest first (the longest waiting on top); resolved and all, newest first. Keyset pages.
 */
export async function disputeQueue(
  db: Db,
  actor: SessionUser,
  input: { eventId?: string; status: (typeof queueStatuses)[number]; cursor?: string; limit: number },
) {
  if (input.eventId) assertManager(actor, await eventRef(db, input.eventId));
  const oldestFirst = input.status === "open";
  const filters: SQL[] = [];
  if (!hasRole(actor, "admin")) filters.push(sql`e.organizer_id = ${actor.id}`);
  if (input.eventId) filters.push(sql`e.id = ${input.eventId}`);
  if (input.status === "open") filters.push(sql`d.status = 'open'`);
  if (input.status === "resolved") filters.push(sql`d.status in ('resolved', 'withdrawn', 'closed')`);
  if (input.cursor) {
    const [at, id] = input.cursor.split("|");
    filters.push(
      oldestFirst
        ? sql`(d.created_at, d.id) > (${at}::timestamptz, ${id}::uuid)`
        : sql`(d.created_at, d.id) < (${at}::timestamptz, ${id}::uuid)`,
    );
  }
  const where = filters.length > 0 ? sql.join(filters, sql` and `) : sql`true`;
  const rows = await db.execute<{
    id: string;
    game_number: number;
    status: MatchDisputeStatus;
    reason: string | null;
    side: number | null;
    created_at: string;
    resolved_at: string | null;
    match_uuid: string;
    stage: string;
    round: number;
    position: number;
    event_id: string;
    event_name: string;
    side0: string | null;
    side1: string | null;
    evidence_count: number;
    statement_count: number;
  }>(sql`
    select d.id, d.game_number, d.status, d.reason, d.side, to_json(d.created_at)#>>'{}' as created_at, to_json(d.resolved_at)#>>'{}' as resolved_at,
      m.id as match_uuid, m.stage, m.round, m.position, e.id as event_id, e.name as event_name,
      (select be.name from bracket_entrants be where be.bracket_id = m.bracket_id and be.entrant_id = m.sides->0->>'entrant' and be.captain) as side0,
      (select be.name from bracket_entrants be where be.bracket_id = m.bracket_id and be.entrant_id = m.sides->1->>'entrant' and be.captain) as side1,
      (select count(*)::int from dispute_evidence x where x.dispute_id = d.id) as evidence_count,
      (select count(*)::int from dispute_statements s where s.dispute_id = d.id) as statement_count
    from match_disputes d join bracket_matches m on m.id = d.match_id join brackets b on b.id = m.bracket_id join events e on e.id = b.event_id
    where ${where}
    order by ${oldestFirst ? sql`d.created_at asc, d.id asc` : sql`d.created_at desc, d.id desc`}
    limit ${input.limit + 1}`);
  const page = rows.slice(0, input.limit);
  const now = Date.now();
  const last = page[page.length - 1];
  return {
    disputes: page.map((row) => ({
      id: row.id,
      status: row.status,
      event: { id: row.event_id, name: row.event_name },
      match: {
        id: row.match_uuid,
        label: matchLabel({ stage: row.stage as StoredMatch["stage"], round: row.round, position: row.position }),
      },
      gameNumber: row.game_number,
      sides: [row.side0, row.side1] as [string | null, string | null],
      /** The side that raised it; null when the reports disagreed. */
      raisedBy: row.side,
      reason: row.reason,
      createdAt: row.created_at,
      ageSeconds: Math.max(0, Math.floor((now - new Date(row.created_at).getTime()) / 1000)),
      resolvedAt: row.resolved_at,
      evidenceCount: row.evidence_count,
      statementCount: row.statement_count,
    })),
    nextCursor: rows.length > input.limit && last ? `${last.created_at}|${last.id}` : null,
  };
}

/** Dispute steps kept in the dispute tables, as entries of the match page's audit trail. */
export type DisputeStepKind = "dispute_statement" | "dispute_evidence" | "dispute_withdrawn" | "dispute_closed";

export interface TrailEntry {
  /** A bracket action's id (a number), or `<kind>:<uuid>` for a dispute step. */
  id: number | string;
  kind: BracketActionKind | DisputeStepKind;
  actorName: string | null;
  actedOn: boolean;
  detail: Record<string, unknown>;
  at: string;
  undoneAt: string | null;
  /** Someone acted, but who is kept from this viewer (a dispute's raiser, for people outside the match). */
  actorHidden?: boolean;
}

/**
 * The steps of a match's disputes (or of one dispute) that bracket_actions does not hold:
 * statements, attached evidence, withdrawal and closing. Raising (`dispute_opened`) and the
 * decision (`dispute_resolved`) are bracket actions already.
 */
export async function disputeSteps(db: DbOrTx, matchUuid: string, disputeId?: string): Promise<TrailEntry[]> {
  const only = disputeId ? sql`and d.id = ${disputeId}` : sql``;
  const [statements, ends] = [
    await db.execute<{
      id: string;
      dispute_id: string;
      game_number: number;
      kind: DisputeStatementKind;
      side: number | null;
      author_name: string;
      at: string;
      files: { contentType: string }[];
    }>(sql`
      select s.id, s.dispute_id, d.game_number, s.kind, s.side, u.name as author_name, to_json(s.created_at)#>>'{}' as at,
        coalesce((select json_agg(json_build_object('contentType', x.content_type) order by x.created_at, x.id)
          from dispute_evidence x where x.statement_id = s.id), '[]') as files
      from dispute_statements s join match_disputes d on d.id = s.dispute_id join user_directory u on u.id = s.author_id
      where d.match_id = ${matchUuid} ${only} and s.kind <> 'organizer_note'
      order by s.created_at, s.id`),
    await db.execute<{
      id: string;
      game_number: number;
      status: MatchDisputeStatus;
      actor_name: string | null;
      at: string;
      note: string | null;
    }>(sql`
      select d.id, d.game_number, d.status, u.name as actor_name, to_json(d.resolved_at)#>>'{}' as at, d.resolution->>'note' as note
      from match_disputes d left join user_directory u on u.id = d.resolved_by
      where d.match_id = ${matchUuid} ${only} and d.status in ('withdrawn', 'closed') and d.resolved_at is not null`),
  ];
  const entries: TrailEntry[] = [];
  for (const row of statements) {
    const base = { actorName: row.author_name, actedOn: true, at: row.at, undoneAt: null };
    entries.push({
      ...base,
      id: `dispute_statement:${row.id}`,
      kind: "dispute_statement",
      detail: { disputeId: row.dispute_id, gameNumber: row.game_number, statementKind: row.kind, side: row.side },
    });
    if (row.files.length > 0) {
      // The match page is public: the trail says how many files of which type, not their names.
      const contentTypes = row.files.map((file) => file.contentType);
      entries.push({
        ...base,
        id: `dispute_evidence:${row.id}`,
        kind: "dispute_evidence",
        detail: { disputeId: row.dispute_id, gameNumber: row.game_number, side: row.side, count: row.files.length, contentTypes },
      });
    }
  }
  for (const row of ends) {
    const kind = row.status === "withdrawn" ? "dispute_withdrawn" : "dispute_closed";
    entries.push({
      id: `${kind}:${row.id}`,
      kind,
      actorName: row.actor_name,
      actedOn: true,
      at: row.at,
      undoneAt: null,
      detail: { disputeId: row.id, gameNumber: row.game_number, note: row.note },
    });
  }
  return entries;
}

/** What an outsider may know of each dispute step: which game, which dispute and, once decided, for whom. */
const OUTSIDER_DETAIL: Partial<Record<TrailEntry["kind"], readonly string[]>> = {
  dispute_opened: ["gameNumber", "disputeId"],
  dispute_resolved: ["gameNumber", "disputeId", "winnerSide", "authority", "outcome"],
  dispute_withdrawn: ["gameNumber", "disputeId"],
  dispute_closed: ["gameNumber", "disputeId"],
};

/** The contents of a dispute (what was said, with which files) are for the match's players and its organizer. */
const CONTENT_STEPS = new Set<TrailEntry["kind"]>(["dispute_statement", "dispute_evidence"]);

const pick = (detail: Record<string, unknown>, keys: readonly string[]) =>
  Object.fromEntries(keys.filter((key) => key in detail).map((key) => [key, detail[key]]));

/**
 * The trail as people outside the match see it (signed out, spectators, players of other matches):
 * that a dispute was raised, withdrawn, closed or decided and for whom, never its contents: no
 * reason, no raiser, no statements or evidence, no decision note. The players' own steps on a
 * dispute (raising, withdrawing) keep their time but lose their author; the organizer who decided
 * stays named, as on every other decision.
 */
export function outsiderTrail(entries: readonly TrailEntry[]): TrailEntry[] {
  const shown: TrailEntry[] = [];
  for (const entry of entries) {
    if (CONTENT_STEPS.has(entry.kind)) continue;
    const keys =
      OUTSIDER_DETAIL[entry.kind] ?? (typeof entry.detail.disputeId === "string" ? ["gameNumber", "disputeId", "withdrawn"] : null);
    if (!keys) {
      shown.push(entry);
      continue;
    }
    const hideActor = entry.kind !== "dispute_resolved" && entry.actorName !== null;
    shown.push({ ...entry, detail: pick(entry.detail, keys), ...(hideActor ? { actorName: null, actorHidden: true } : {}) });
  }
  return shown;
}

/** A dispute of the match page's list as an outsider sees it: its game, status and outcome. */
export function outsiderDispute<T extends { side: number | null; reason: string | null; resolution: unknown }>(dispute: T): T {
  const resolution =
    dispute.resolution && typeof dispute.resolution === "object"
      ? pick(dispute.resolution as Record<string, unknown>, ["winnerSide", "authority"])
      : dispute.resolution;
  return { ...dispute, side: null, reason: null, resolution };
}

/** Bracket actions and dispute steps in one trail, oldest first. */
export function mergeTrail<T extends TrailEntry>(actions: readonly T[], steps: readonly TrailEntry[]): TrailEntry[] {
  return [...actions, ...steps].sort(
    (a, b) =>
      new Date(a.at).getTime() - new Date(b.at).getTime() || (typeof a.id === "number" ? 0 : 1) - (typeof b.id === "number" ? 0 : 1),
  );
}

/**
 * One dispute for its page: what was claimed, every statement with its files (URLs and content
 * types, so the page picks <img> or <video>), both sides' reports of the game, and its trail.
 * Visible to the players of both sides, the event's organizer and admins; NOT_FOUND for anyone else.
 */
export async function getDispute(db: Db, viewer: SessionUser, disputeId: string) {
  const dispute = await readDispute(db, disputeId);
  if (!dispute) throw new NotFound("We could not find that dispute.");
  const { side, manager, players } = await standing(db, viewer, dispute);
  if (side === null && !manager) throw new NotFound("We could not find that dispute.");

  const [statements, files, reports, actions, steps] = [
    await db.execute<{
      id: string;
      kind: DisputeStatementKind;
      side: number | null;
      author_id: string;
      author_name: string;
      body: string;
      created_at: string;
    }>(sql`
      select s.id, s.kind, s.side, s.author_id, u.name as author_name, s.body, to_json(s.created_at)#>>'{}' as created_at
      from dispute_statements s join user_directory u on u.id = s.author_id where s.dispute_id = ${disputeId} order by s.created_at, s.id`),
    await db.execute<{
      statement_id: string;
      evidence_id: string;
      uploader_id: string;
      content_type: string;
      size: number;
      sha256: string;
      name: string;
      created_at: string;
    }>(sql`
      select statement_id, evidence_id, uploader_id, content_type, size, sha256, name, to_json(created_at)#>>'{}' as created_at
      from dispute_evidence where dispute_id = ${disputeId} order by created_at, id`),
    await db.execute<{ side: number; winner_side: number; score: number[] | null; reporter_name: string; updated_at: string }>(sql`
      select r.side, r.winner_side, r.score, u.name as reporter_name, to_json(r.updated_at)#>>'{}' as updated_at
      from match_reports r join user_directory u on u.id = r.reporter_id
      where r.match_id = ${dispute.matchUuid} and r.resets = ${dispute.resets} and r.game_number = ${dispute.gameNumber} order by r.side`),
    await db.execute<{
      id: number;
      kind: BracketActionKind;
      actor_name: string | null;
      detail: Record<string, unknown>;
      created_at: string;
      undone_at: string | null;
    }>(sql`
      select a.id, a.kind, u.name as actor_name, a.detail, to_json(a.created_at)#>>'{}' as created_at, to_json(a.undone_at)#>>'{}' as undone_at
      from bracket_actions a left join user_directory u on u.id = a.actor_id
      where a.bracket_id = ${dispute.bracketId} and a.match_id = ${dispute.matchEngineId}
        and (a.detail->>'disputeId' = ${disputeId}
          or (a.kind = 'dispute_resolved' and (a.detail->>'gameNumber')::int = ${dispute.gameNumber} and a.created_at >= ${dispute.createdAt}::timestamptz))
      order by a.id`),
    await disputeSteps(db, dispute.matchUuid, disputeId),
  ];
  const evidence = files.map((file) => ({
    evidenceId: file.evidence_id,
    statementId: file.statement_id,
    url: evidenceUrl(file.evidence_id),
    contentType: file.content_type,
    kind: file.content_type.startsWith("video/") ? ("video" as const) : ("image" as const),
    size: Number(file.size),
    sha256: file.sha256,
    name: file.name,
    uploaderId: file.uploader_id,
    at: file.created_at,
  }));
  const sideNames = [0, 1].map((i) => players.find((player) => player.side === i)?.entrantName ?? null) as [string | null, string | null];
  return {
    id: dispute.id,
    status: dispute.status,
    gameNumber: dispute.gameNumber,
    reason: dispute.reason,
    description: dispute.description,
    raisedBy: dispute.side,
    createdAt: dispute.createdAt,
    resolvedAt: dispute.resolvedAt,
    resolution: dispute.resolution,
    event: { id: dispute.eventId, name: dispute.eventName },
    match: { id: dispute.matchUuid, label: dispute.label },
    sides: sideNames.map((name, i) => ({
      name,
      players: players
        .filter((player) => player.side === i)
        .map((player) => ({ userId: player.userId, name: player.name, captain: player.captain })),
    })),
    statements: statements.map((row) => ({
      id: row.id,
      kind: row.kind,
      side: row.side,
      authorId: row.author_id,
      authorName: row.author_name,
      body: row.body,
      at: row.created_at,
      evidence: evidence.filter((file) => file.statementId === row.id),
    })),
    evidence,
    reports: reports.map((row) => ({
      side: row.side,
      winnerSide: row.winner_side,
      score: row.score,
      reporterName: row.reporter_name,
      at: row.updated_at,
    })),
    trail: mergeTrail(
      actions.map((row) => ({
        id: row.id,
        kind: row.kind,
        actorName: row.actor_name,
        actedOn: true,
        detail: row.detail,
        at: row.created_at,
        undoneAt: row.undone_at,
      })),
      steps,
    ),
    viewer: {
      side,
      canRespond: side !== null && dispute.status === "open",
      canWithdraw: side !== null && dispute.status === "open" && dispute.side === side,
      canResolve: manager && dispute.status === "open",
    },
  };
}
