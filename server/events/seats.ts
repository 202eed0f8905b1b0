/**
 * An event's seat counter, for registration: the only code that changes `events.seats_taken`.
 * Each runs in the caller's transaction as one update of the event row, so the row's lock orders
 * concurrent checkouts, and a seat is never taken past the capacity.
 */
import { and, eq, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { events } from "@/db/schema/events";

type EventRow = typeof events.$inferSelect;

/** The event takes registrations: published, its registration not yet closed (now, as the database sees it). */
const registrationOpen = sql`${events.status} = 'published' and ${events.registrationClosesAt} > now()`;

/**
 * Takes `count` seats (default one) if they fit under the capacity, and, with
 * `whileRegistrationOpen`, only while registration is open. False when they were not taken.
 */
export async function takeSeats(
  tx: DbOrTx,
  eventId: string,
  options: { count?: number; whileRegistrationOpen?: boolean } = {},
): Promise<boolean> {
  const count = options.count ?? 1;
  const taken = await tx
    .update(events)
    .set({ seatsTaken: sql`${events.seatsTaken} + ${count}` })
    .where(
      and(
        eq(events.id, eventId),
        sql`${events.seatsTaken} + ${count} <= ${events.capacity}`,
        options.whileRegistrationOpen ? registrationOpen : undefined,
      ),
    )
    .returning({ id: events.id });
  return taken.length > 0;
}

/** Gives one seat back; the event as it now stands, or null when none was taken. */
export async function giveSeatBack(tx: DbOrTx, eventId: string): Promise<EventRow | null> {
  const [event] = await tx
    .update(events)
    .set({ seatsTaken: sql`${events.seatsTaken} - 1` })
    .where(and(eq(events.id, eventId), sql`${events.seatsTaken} > 0`))
    .returning();
  return event ?? null;
}

/** Whether the event takes registrations now (why a seat could not be taken: full, or closed). */
export async function registrationIsOpen(tx: DbOrTx, eventId: string): Promise<boolean> {
  const [open] = await tx
    .select({ id: events.id })
    .from(events)
    .where(and(eq(events.id, eventId), registrationOpen));
  return open !== undefined;
}
