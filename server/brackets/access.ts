import { sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import type { EventFormat, EventStatus } from "@/lib/event-values";
import { hasRole, type SessionUser } from "@/server/accounts/roles";
import { adminIds } from "@/server/accounts/service";
import { Forbidden, Invalid, NotFound } from "@/server/errors";
import { announce } from "@/server/live/announce";
import { BracketError } from "./engine";
import { lockHeader, lockHeaderOfMatch, type BracketHeader } from "./repository";

export const paidAlready = () => new Invalid("The prizes for this bracket have been paid: its results can no longer change.");

export const eventCancelled = () => new Invalid("This event was cancelled: its bracket is closed and its results can no longer change.");

export const matchNotFound = () => new NotFound("We could not find that match.");
export const bracketNotFound = () => new NotFound("This event's bracket has not been started.");
const eventNotFound = () => new NotFound("We could not find that event.");

export interface EventRef {
  eventId: string;
  name: string;
  organizerId: string;
  status: EventStatus;
  participantType: "solo" | "team";
}

export const canManage = (user: SessionUser | null, event: Pick<EventRef, "organizerId">) =>
  Boolean(user && (user.id === event.organizerId || hasRole(user, "admin")));

/** Drafts are private to their organizer and admins (as on the event page). */
export function assertVisible(user: SessionUser | null, event: EventRef): void {
  if (event.status === "draft" && !canManage(user, event)) throw eventNotFound();
}

export function assertManager(user: SessionUser, event: EventRef): void {
  if (!canManage(user, event)) throw new Forbidden("Only this event's organizer can run its bracket.");
}

type EventRow = {
  event_id: string;
  name: string;
  organizer_id: string;
  status: EventStatus;
  participant_type: "solo" | "team";
};

const toEventRef = (row: EventRow): EventRef => ({
  eventId: row.event_id,
  name: row.name,
  organizerId: row.organizer_id,
  status: row.status,
  participantType: row.participant_type,
});

export async function eventRef(db: DbOrTx, eventId: string): Promise<EventRef & { format: EventFormat }> {
  const rows = await db.execute<EventRow & { format: EventFormat }>(
    sql`select id as event_id, name, organizer_id, status, participant_type, format from event_directory where id = ${eventId}`,
  );
  if (!rows[0]) throw eventNotFound();
  return { ...toEventRef(rows[0]), format: rows[0].format };
}

export interface MatchRef extends EventRef {
  bracketId: string;
  /** The engine's id. */
  matchId: string;
  uuid: string;
}

/** A match by its public id, with its bracket and event (not locked). */
export async function matchRef(db: DbOrTx, uuid: string): Promise<MatchRef> {
  const rows = await db.execute<EventRow & { bracket_id: string; match_id: string }>(sql`
    select m.bracket_id, m.match_id, e.id as event_id, e.name, e.organizer_id, e.status, e.participant_type
    from bracket_matches m join brackets b on b.id = m.bracket_id join event_directory e on e.id = b.event_id
    where m.id = ${uuid}`);
  const row = rows[0];
  if (!row) throw matchNotFound();
  return { ...toEventRef(row), bracketId: row.bracket_id, matchId: row.match_id, uuid };
}

export async function bracketIdOfEvent(db: DbOrTx, eventId: string): Promise<string | null> {
  const rows = await db.execute<{ id: string }>(sql`select id from brackets where event_id = ${eventId}`);
  return rows[0]?.id ?? null;
}

/** The header, locked, for a change; refused once prizes are paid or the event is cancelled. */
export async function lockForChange(tx: DbOrTx, bracketId: string, event: Pick<EventRef, "status">): Promise<BracketHeader> {
  const header = await lockHeader(tx, bracketId);
  if (!header) throw bracketNotFound();
  if (header.payoutStatus === "paid") throw paidAlready();
  // The header's own status is the authority: cancelEvent sets it under this lock, so a change
  // waiting here while the event is cancelled sees it (the event row read with it may be older).
  if (header.payoutStatus === "cancelled" || event.status === "cancelled") throw eventCancelled();
  return header;
}

/**
 * The match's bracket header locked for a change (one round trip), with the match and its event;
 * refused once prizes are paid or the event is cancelled (its entry fees are refunded then).
 */
export async function lockMatchForChange(tx: DbOrTx, uuid: string): Promise<{ ref: MatchRef; header: BracketHeader }> {
  const locked = await lockHeaderOfMatch(tx, uuid);
  if (!locked) throw matchNotFound();
  const { header, event } = locked;
  if (header.payoutStatus === "paid") throw paidAlready();
  if (header.payoutStatus === "cancelled" || event.status === "cancelled") throw eventCancelled();
  const ref: MatchRef = {
    eventId: event.id,
    name: event.name,
    organizerId: event.organizerId,
    status: event.status,
    participantType: event.participantType,
    bracketId: header.id,
    matchId: locked.matchId,
    uuid,
  };
  return { ref, header };
}

/** Engine refusals are the user's mistake: BAD_REQUEST (NOT_FOUND for unknown ids) with the engine's message. */
export function engineError(error: unknown): never {
  if (error instanceof BracketError) {
    if (error.code === "match_not_found" || error.code === "entrant_not_found") throw new NotFound(error.message, { cause: error });
    throw new Invalid(error.message, { cause: error });
  }
  throw error;
}

export function engine<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    return engineError(error);
  }
}

/** The status and organizer of the event behind a live topic of kind event, bracket or match; null for an unknown id. */
async function eventOfTopic(db: DbOrTx, kind: "event" | "bracket" | "match", id: string) {
  type Row = { status: EventStatus; organizer_id: string };
  const rows =
    kind === "event"
      ? await db.execute<Row>(sql`select status, organizer_id from event_directory where id = ${id}`)
      : kind === "bracket"
        ? await db.execute<Row>(
            sql`select e.status, e.organizer_id from brackets b join event_directory e on e.id = b.event_id where b.id = ${id}`,
          )
        : await db.execute<Row>(sql`
            select e.status, e.organizer_id from bracket_matches m join brackets b on b.id = m.bracket_id join event_directory e on e.id = b.event_id
            where m.id = ${id}`);
  const row = rows[0];
  return row ? { status: row.status, organizerId: row.organizer_id } : null;
}

/**
 * Whether live topics `bracket:<id>` and `match:<uuid>` may be followed: by anyone, unless the
 * event is a draft (then only its organizer and admins). An id that is not (yet) a bracket or match
 * may be followed too: nothing is announced on it that anyone could not see.
 */
export async function canFollowBracketTopic(db: DbOrTx, user: SessionUser | null, kind: "bracket" | "match", id: string): Promise<boolean> {
  const event = await eventOfTopic(db, kind, id);
  return event?.status !== "draft" || canManage(user, event);
}

/**
 * The readers the Firestore copy of an event, bracket or match topic lists, as the live access
 * rules (events' and brackets' live-access.ts) decide who may follow it: undefined (public) unless
 * its event is a draft, then the organizer and admins; for an event id that is no event, nobody.
 * Read on every publish: publishing the event announces on its topic, and that rewrites the
 * document without readers.
 */
export async function draftTopicReaders(db: DbOrTx, kind: "event" | "bracket" | "match", id: string): Promise<string[] | undefined> {
  const event = await eventOfTopic(db, kind, id);
  if (!event) return kind === "event" ? [] : undefined;
  if (event.status !== "draft") return undefined;
  return [...(await adminIds(db)), event.organizerId];
}

/**
 * The first step of cancelling an event, before its row is locked: the bracket's header, locked, so
 * a result being saved at the same moment either commits first or sees the cancellation (the lock
 * order is header, then event, as when a bracket completes). A paid-out event is refused by the
 * money lifecycle once the event row is locked (the payout marks both in one transaction).
 */
export async function lockBracketForCancellation(tx: DbOrTx, eventId: string): Promise<BracketHeader | null> {
  const bracketId = await bracketIdOfEvent(tx, eventId);
  return bracketId ? lockHeader(tx, bracketId) : null;
}

/** On the organizer's user topic: their dispute queue changed (a dispute opened, moved or ended). */
export const DISPUTES_CHANGED = { kind: "disputes.changed" } as const;

/** Tells the event's organizer that disputes of theirs ended: their queue (/organizer/disputes) follows their user topic. */
export async function announceDisputesEnded(tx: DbOrTx, eventId: string): Promise<void> {
  const [event] = await tx.execute<{ organizer_id: string }>(sql`select organizer_id from event_directory where id = ${eventId}`);
  if (event) await announce(tx, `user:${event.organizer_id}`, DISPUTES_CHANGED);
}

/**
 * The event was cancelled (in the caller's transaction, after lockBracketForCancellation): the
 * bracket is closed (payout status 'cancelled' on its header, which every change checks under the
 * header lock), its open disputes are closed, as nobody will decide them now, and its viewers are
 * told.
 */
export async function closeBracketOfCancelledEvent(tx: DbOrTx, eventId: string): Promise<void> {
  const bracketId = await bracketIdOfEvent(tx, eventId);
  if (!bracketId) return;
  await tx.execute(sql`update brackets set payout_status = 'cancelled' where id = ${bracketId} and payout_status <> 'paid'`);
  await tx.execute(sql`update match_disputes d set status = 'closed', resolved_at = now()
    from bracket_matches m where m.id = d.match_id and m.bracket_id = ${bracketId} and d.status = 'open'`);
  await announce(tx, `bracket:${bracketId}`, { kind: "event.cancelled" });
  await announceDisputesEnded(tx, eventId);
}
