/** The organizer's dispute queue, one dispute with everything said about it, and dispute steps for the match trail. */
import { sql } from "drizzle-orm";
import type { Db, DbOrTx } from "@/db/client";
import type { DisputeStatementKind } from "@/db/schema/disputes";
import { hasRole, type SessionUser } from "@/server/accounts/roles";
import { assertManager, eventRef } from "@/server/brackets/access";
import { actionsOfContest, type ContestOfMatch, contestPage, contestsOfMatch, shownReports } from "@/server/brackets/published";
import type { BracketActionKind } from "@/server/brackets/repository";
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
  const [at, id] = input.cursor ? input.cursor.split("|") : [];
  const rows = await contestPage(db, {
    organizerId: hasRole(actor, "admin") ? undefined : actor.id,
    eventId: input.eventId,
    status: input.status,
    oldestFirst: input.status === "open",
    after: at !== undefined && id !== undefined ? { createdAt: at, id } : undefined,
    limit: input.limit + 1,
  });
  const page = rows.slice(0, input.limit);
  const counts = await statementCounts(
    db,
    page.map((row) => row.id),
  );
  const now = Date.now();
  const last = page[page.length - 1];
  return {
    disputes: page.map((row) => ({
      id: row.id,
      status: row.status,
      event: { id: row.eventId, name: row.eventName },
      match: { id: row.matchUuid, label: row.matchLabel },
      gameNumber: row.gameNumber,
      sides: row.sides,
      /** The side that raised it; null when the reports disagreed. */
      raisedBy: row.side,
      reason: row.reason,
      createdAt: row.createdAt,
      ageSeconds: Math.max(0, Math.floor((now - new Date(row.createdAt).getTime()) / 1000)),
      resolvedAt: row.resolvedAt,
      evidenceCount: counts.get(row.id)?.evidence ?? 0,
      statementCount: counts.get(row.id)?.statements ?? 0,
    })),
    nextCursor: rows.length > input.limit && last ? `${last.createdAt}|${last.id}` : null,
  };
}

const idList = (ids: readonly string[]) => sql`(select value::uuid from jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb))`;

/** How many files and statements each dispute holds: one statement for a page of disputes. */
async function statementCounts(db: DbOrTx, disputeIds: readonly string[]): Promise<Map<string, { evidence: number; statements: number }>> {
  if (disputeIds.length === 0) return new Map();
  const rows = await db.execute<{ id: string; evidence_count: number; statement_count: number }>(sql`
    select d.id,
      (select count(*)::int from dispute_evidence x where x.dispute_id = d.id) as evidence_count,
      (select count(*)::int from dispute_statements s where s.dispute_id = d.id) as statement_count
    from ${idList(disputeIds)} as d(id)`);
  return new Map(rows.map((row) => [row.id, { evidence: row.evidence_count, statements: row.statement_count }]));
}

/** Dispute steps kept in the dispute tables, as entries of the match page's audit trail. */
export type DisputeStepKind = "dispute_statement" | "dispute_evidence" | "dispute_withdrawn" | "dispute_closed";

export interface TrailEntry {
  /** A bracket action's id (a number), or `<kind>:<uuid>` for a dispute step. */
  id: number | string;
  kind: BracketActionKind | DisputeStepKind | "elsewhere";
  actorName: string | null;
  actedOn: boolean;
  detail: Record<string, unknown>;
  at: string;
  undoneAt: string | null;
  /** Someone acted, but who is kept from this viewer (a dispute's raiser, for people outside the match). */
  actorHidden?: boolean;
}

/**
 * The steps of a match's disputes (`contests`: the bracket's contested games of the match, or one
 * of them) that bracket_actions does not hold: statements, attached evidence, withdrawal and
 * closing. Raising (`dispute_opened`) and the decision (`dispute_resolved`) are bracket actions already.
 */
export async function disputeSteps(db: DbOrTx, contests: readonly ContestOfMatch[]): Promise<TrailEntry[]> {
  if (contests.length === 0) return [];
  const gameOf = new Map(contests.map((contest) => [contest.id, contest.gameNumber]));
  const statements = await db.execute<{
    id: string;
    dispute_id: string;
    kind: DisputeStatementKind;
    side: number | null;
    author_name: string;
    at: string;
    files: { contentType: string }[];
  }>(sql`
    select s.id, s.dispute_id, s.kind, s.side, u.name as author_name, to_json(s.created_at)#>>'{}' as at,
      coalesce((select json_agg(json_build_object('contentType', x.content_type) order by x.created_at, x.id)
        from dispute_evidence x where x.statement_id = s.id), '[]') as files
    from dispute_statements s join user_directory u on u.id = s.author_id
    where s.dispute_id in ${idList([...gameOf.keys()])} and s.kind <> 'organizer_note'
    order by s.created_at, s.id`);
  const entries: TrailEntry[] = [];
  for (const row of statements) {
    const base = { actorName: row.author_name, actedOn: true, at: row.at, undoneAt: null };
    const gameNumber = gameOf.get(row.dispute_id);
    entries.push({
      ...base,
      id: `dispute_statement:${row.id}`,
      kind: "dispute_statement",
      detail: { disputeId: row.dispute_id, gameNumber, statementKind: row.kind, side: row.side },
    });
    if (row.files.length > 0) {
      // The match page is public: the trail says how many files of which type, not their names.
      const contentTypes = row.files.map((file) => file.contentType);
      entries.push({
        ...base,
        id: `dispute_evidence:${row.id}`,
        kind: "dispute_evidence",
        detail: { disputeId: row.dispute_id, gameNumber, side: row.side, count: row.files.length, contentTypes },
      });
    }
  }
  for (const contest of contests) {
    if ((contest.status !== "withdrawn" && contest.status !== "closed") || contest.resolvedAt === null) continue;
    const kind = contest.status === "withdrawn" ? "dispute_withdrawn" : "dispute_closed";
    entries.push({
      id: `${kind}:${contest.id}`,
      kind,
      actorName: contest.resolvedByName,
      actedOn: true,
      at: contest.resolvedAt,
      undoneAt: null,
      detail: { disputeId: contest.id, gameNumber: contest.gameNumber, note: contest.resolution?.note ?? null },
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
    (await shownReports(db, dispute.matchUuid, dispute.resets, dispute.gameNumber)).map(({ gameNumber: _, ...report }) => report),
    await actionsOfContest(db, dispute),
    await disputeSteps(db, await contestsOfMatch(db, dispute.matchUuid, disputeId)),
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
      winnerSide: row.winnerSide,
      score: row.score,
      reporterName: row.reporterName,
      at: row.updatedAt,
    })),
    trail: mergeTrail(
      actions.map((row) => ({
        id: row.id,
        kind: row.kind,
        actorName: row.actorName,
        actedOn: true,
        detail: row.detail,
        at: row.createdAt,
        undoneAt: row.undoneAt,
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
