/** The organizer's hand on entries: the list with payment state, and adding a player for free. */
import { takeSeats } from "@/server/events/seats";
import { asc, eq } from "drizzle-orm";
import type { Db, DbOrTx } from "@/db/client";
import { pgErrorCode } from "@/db/errors";
import { getEventRow } from "@/server/events/status";
import { paymentStatuses } from "@/server/payments/service";
import { registrations } from "@/db/schema/registration";
import { userDirectory, usersByEmails } from "@/server/accounts/directory";
import { hasRole, type SessionUser } from "@/server/accounts/roles";
import { Forbidden, Invalid, NotFound } from "@/server/errors";
import { lockOwnEvent } from "@/server/events/service";
import { notifyConfirmed } from "./lifecycle";

/** Organizer view of an event's entries with their payment state. */
export async function registrationsForEvent(db: DbOrTx, actor: SessionUser, eventId: string) {
  const event = await getEventRow(db, eventId);
  if (!event) throw new NotFound("We could not find that event.");
  if (event.organizerId !== actor.id && !hasRole(actor, "admin"))
    throw new Forbidden("Only this event's organizer can see its registrations.");
  const rows = await db
    .select({
      id: registrations.id,
      status: registrations.status,
      userId: userDirectory.id,
      name: userDirectory.name,
      email: userDirectory.email,
      teamId: registrations.teamId,
      fee: registrations.fee,
      discount: registrations.discount,
      walletAmount: registrations.walletAmount,
      cardAmount: registrations.cardAmount,
      paymentId: registrations.paymentId,
      checkedInAt: registrations.checkedInAt,
      waitlistedAt: registrations.waitlistedAt,
      createdAt: registrations.createdAt,
      confirmedAt: registrations.confirmedAt,
    })
    .from(registrations)
    .innerJoin(userDirectory, eq(userDirectory.id, registrations.userId))
    .where(eq(registrations.eventId, eventId))
    .orderBy(asc(registrations.createdAt));
  const statuses = await paymentStatuses(
    db,
    rows.flatMap((row) => (row.paymentId ? [row.paymentId] : [])),
  );
  return rows.map(({ paymentId, ...row }) => ({ ...row, paymentStatus: (paymentId && statuses.get(paymentId)) || null }));
}

/** The organizer adds a player by email: a free, confirmed entry (the organizer settles money elsewhere). */
export async function addParticipant(db: Db, actor: SessionUser, input: { eventId: string; email: string }) {
  return db.transaction(async (tx) => {
    const event = await lockOwnEvent(tx, actor, input.eventId);
    if (event.status === "cancelled" || event.status === "completed") {
      throw new Invalid(`This event is ${event.status}.`);
    }
    if (event.status === "live") throw new Invalid("The bracket has started: nobody can be added any more.");
    const [player] = await usersByEmails(tx, [input.email]);
    if (!player) throw new Invalid("No Driftwood account uses that email.", { field: "email" });
    if (event.seatsTaken >= event.capacity) {
      throw new Invalid("The event is full: raise the capacity or remove someone first.", { field: "email" });
    }
    try {
      const [row] = await tx
        .insert(registrations)
        .values({
          eventId: event.id,
          userId: player.id,
          idempotencyKey: `organizer-add:${event.id}:${player.id}:${crypto.randomUUID()}`,
          fee: 0,
          status: "confirmed",
          confirmedAt: new Date(),
        })
        .returning();
      if (!(await takeSeats(tx, event.id))) {
        throw new Invalid("The event is full: raise the capacity or remove someone first.", { field: "email" });
      }
      await notifyConfirmed(tx, row!, event);
      return row!;
    } catch (error) {
      if (pgErrorCode(error) === "23505") {
        throw new Invalid(`${player.name} is already registered (or on the waitlist).`, { field: "email" });
      }
      throw error;
    }
  });
}
