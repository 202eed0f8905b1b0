import { and, eq, inArray, sql } from "drizzle-orm";
import { type DbOrTx, reusableQuery } from "@/db/client";
import { events, type EventStatus } from "@/db/schema/events";
import { announce } from "@/server/live/announce";

/**
 * The event's lifecycle as play moves it, for the brackets domain: live when its bracket starts,
 * completed when the bracket ends, live again when a correction reopens it. Each runs in the
 * caller's transaction and announces on the event's topic. Returns false (and changes nothing)
 * when the event is not in a state the step starts from.
 */
async function move(tx: DbOrTx, eventId: string, from: EventStatus[], to: EventStatus): Promise<boolean> {
  const updated = await tx
    .update(events)
    .set({ status: to, updatedAt: new Date() })
    .where(and(eq(events.id, eventId), inArray(events.status, from)))
    .returning({ id: events.id });
  if (updated.length === 0) return false;
  await announce(tx, `event:${eventId}`, { kind: "event.updated" });
  return true;
}

/** An event's row, for the domains that build on events (registration, brackets). */
export type EventRow = typeof events.$inferSelect;

const eventById = reusableQuery<{ eventId: string }, EventRow[]>("event_row", (db) =>
  db
    .select()
    .from(events)
    .where(eq(events.id, sql.placeholder("eventId"))),
);

/** The event's row, or null when there is no such event (a prepared statement: checkouts ask it first). */
export async function getEventRow(db: DbOrTx, eventId: string): Promise<EventRow | null> {
  const [event] = await eventById(db, { eventId });
  return event ?? null;
}

/** Events' rows by id, in one query (lists that show several events: a player's match day). */
export async function getEventRows(db: DbOrTx, eventIds: readonly string[]): Promise<Map<string, EventRow>> {
  if (eventIds.length === 0) return new Map();
  const rows = await db
    .select()
    .from(events)
    .where(inArray(events.id, [...new Set(eventIds)]));
  return new Map(rows.map((row) => [row.id, row]));
}

/**
 * The event row locked for the caller's transaction (whoever asks: the caller has authorized),
 * `for no key update`: writers of the row wait for each other, but a new entry's insert (whose
 * foreign key share-locks the row) does not deadlock against it (see lockEventThenRegistration).
 */
export async function lockEvent(tx: DbOrTx, eventId: string): Promise<EventRow | null> {
  const [event] = await tx.select().from(events).where(eq(events.id, eventId)).for("no key update");
  return event ?? null;
}

/** Marks the event cancelled (registration's cancelEvent refunds its entries and announces it). */
export async function markEventCancelled(tx: DbOrTx, eventId: string): Promise<EventRow> {
  const now = new Date();
  const [cancelled] = await tx
    .update(events)
    .set({ status: "cancelled", cancelledAt: now, updatedAt: now })
    .where(eq(events.id, eventId))
    .returning();
  return cancelled!;
}

/** Records that the event's prizes were paid (the bracket's payouts), in the caller's transaction. */
export async function markEventPaidOut(tx: DbOrTx, eventId: string): Promise<void> {
  const now = new Date();
  await tx.update(events).set({ paidOutAt: now, updatedAt: now }).where(eq(events.id, eventId));
}

export const markEventLive = (tx: DbOrTx, eventId: string) => move(tx, eventId, ["published"], "live");
export const markEventCompleted = (tx: DbOrTx, eventId: string) => move(tx, eventId, ["live"], "completed");
export const reopenEvent = (tx: DbOrTx, eventId: string) => move(tx, eventId, ["completed"], "live");
