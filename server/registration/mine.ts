/** What a player sees of their own entry: its state, waitlist place, payment, and where refunds went. */
import { and, asc, count, desc, eq, inArray, lt, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { transferAmounts } from "@/server/ledger";
import { cardRefunds, getPayment, paymentStatuses } from "@/server/payments/service";
import { eventDirectory } from "@/server/events/directory";
import { getEventRows } from "@/server/events/status";
import { bracketHooks } from "./bracket-hooks";
import { registrations } from "@/db/schema/registration";
import type { SessionUser } from "@/server/accounts/roles";
import type { Registration } from "./lifecycle";

/** The player's current registration for an event, if any, with their waitlist position. */
export async function myRegistration(db: DbOrTx, user: SessionUser, eventId: string) {
  const [row] = await db
    .select()
    .from(registrations)
    .where(and(eq(registrations.eventId, eventId), eq(registrations.userId, user.id)))
    .orderBy(desc(registrations.createdAt))
    .limit(1);
  if (!row) return null;
  let waitlistPosition: number | null = null;
  if (row.status === "waitlisted") {
    // Through the query builder: a Date bound in raw SQL reached the driver as a Date and failed.
    const [ahead] = await db
      .select({ n: count() })
      .from(registrations)
      .where(
        and(
          eq(registrations.eventId, eventId),
          eq(registrations.status, "waitlisted"),
          row.waitlistedAt ? lt(registrations.waitlistedAt, row.waitlistedAt) : sql`false`,
        ),
      );
    waitlistPosition = (ahead?.n ?? 0) + 1;
  }
  const found = row.paymentId ? await getPayment(db, row.paymentId) : null;
  const payment = found ? { id: found.id, status: found.status, failureMessage: found.failureMessage } : null;
  return { ...row, waitlistPosition, payment, ...(await moneyBack(db, row, found?.cardLast4 ?? null)) };
}

/**
 * Where the entry's money went back: refunds to the wallet (withdrawal, removal, cancellation) and
 * to the card (with whether the card processor has confirmed them), and whether the entry forfeited
 * its matches by withdrawing after the bracket started.
 */
async function moneyBack(db: DbOrTx, row: Registration, cardLast4: string | null) {
  const [toWallet, card, disqualified] = await Promise.all([
    transferAmounts(db, [`registration:${row.id}:refund-wallet`, `registration:${row.id}:cancel-refund-wallet`]),
    row.paymentId ? cardRefunds(db, row.paymentId) : null,
    bracketHooks().isDisqualified(db, row.eventId, row.id),
  ]);
  return {
    refundedToWallet: [...toWallet.values()].reduce((sum, amount) => sum + amount, 0),
    refundedToCard: card?.sent ?? 0,
    cardRefundPending: card?.pending ?? false,
    cardLast4,
    disqualified,
  };
}

/** How many upcoming entries the match-day page lists (a bound, far above what anyone plays at once). */
export const UPCOMING_LIMIT = 50;

export type CheckInState = "not_open" | "open" | "done" | "closed" | "not_needed";

/**
 * The player's entries in events still to come or under way (registered, paying, waitlisted or
 * offered a seat), soonest first: the payment still to finish and where check-in stands. Three
 * bounded queries whatever the number of entries.
 */
export async function myUpcomingRegistrations(db: DbOrTx, user: SessionUser, now = new Date()) {
  const rows = await db
    .select({ registration: registrations, eventName: eventDirectory.name, eventStatus: eventDirectory.status })
    .from(registrations)
    .innerJoin(eventDirectory, eq(eventDirectory.id, registrations.eventId))
    .where(
      and(
        eq(registrations.userId, user.id),
        inArray(registrations.status, ["pending_payment", "confirmed", "waitlisted", "offered"]),
        inArray(eventDirectory.status, ["published", "live"]),
      ),
    )
    .orderBy(asc(eventDirectory.startsAt))
    .limit(UPCOMING_LIMIT);
  const [events, payments] = await Promise.all([
    getEventRows(
      db,
      rows.map((row) => row.registration.eventId),
    ),
    paymentStatuses(
      db,
      rows.flatMap((row) => (row.registration.paymentId ? [row.registration.paymentId] : [])),
    ),
  ]);
  return rows.map(({ registration: row, eventName, eventStatus }) => {
    const event = events.get(row.eventId)!;
    const checkIn: CheckInState =
      row.status !== "confirmed"
        ? "not_needed"
        : row.checkedInAt
          ? "done"
          : eventStatus !== "published" || now >= event.checkInClosesAt
            ? "closed"
            : now < event.checkInOpensAt
              ? "not_open"
              : "open";
    return {
      id: row.id,
      eventId: row.eventId,
      eventName,
      startsAt: event.startsAt,
      status: row.status,
      teamId: row.teamId,
      cardAmount: row.cardAmount,
      paymentId: row.paymentId,
      paymentStatus: row.paymentId ? (payments.get(row.paymentId) ?? null) : null,
      expiresAt: row.expiresAt,
      offerExpiresAt: row.offerExpiresAt,
      checkIn,
      checkInOpensAt: event.checkInOpensAt,
      checkInClosesAt: event.checkInClosesAt,
    };
  });
}
