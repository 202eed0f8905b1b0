import { and, asc, eq, sql } from "drizzle-orm";
import { giveSeatBack, takeSeats } from "@/server/events/seats";
import type { DbOrTx } from "@/db/client";
import { type EventRow, getEventRow } from "@/server/events/status";
import { promoCodes, registrations } from "@/db/schema/registration";
import { enqueueJob, enqueueJobs, type JobSpec } from "@/server/jobs/queue";
import { announce } from "@/server/live/announce";
import { notificationJobs, notify } from "@/server/notifications/service";
import { recordRefund } from "@/server/payments/service";
import { eventEscrowAccount, platformAccount, transfer, walletAccounts } from "@/server/ledger";
import { voidHold } from "@/server/ledger";
import { formatMoney } from "@/lib/money";

export type Registration = typeof registrations.$inferSelect;
export type { EventRow };

export const EXPIRE_CHECKOUT_TASK = "expire-checkout";
export const EXPIRE_OFFER_TASK = "expire-offer";
export const REFUND_CARD_TASK = "refund-registration-card";
export const CANCEL_EVENT_TASK = "refund-cancelled-event";

/** How long an unpaid checkout keeps its seat and its hold. */
export const CHECKOUT_TTL_MS = 15 * 60 * 1000;
/** How long the first on the waitlist has to pay for a freed seat. */
export const OFFER_TTL_MS = 24 * 60 * 60 * 1000;

export async function lockRegistration(tx: DbOrTx, registrationId: string): Promise<Registration | null> {
  const [row] = await tx.select().from(registrations).where(eq(registrations.id, registrationId)).for("update");
  return row ?? null;
}

/**
 * The entry's event row, then the entry, both locked: the order every path that ends an entry
 * takes (withdrawal, removal, no-shows, the bracket's start, expiry, a declined card, the
 * cancellation job), because ending one gives its seat back (an update of the event row). Taken
 * the other way round by two of them at once, they would deadlock.
 *
 * The event row is taken `for no key update`, the lock its seat update takes anyway: it waits for
 * other writers of the row but not for a new entry's insert, whose foreign key share-locks the
 * event row until its own seat update. `for update` would queue behind that share lock while the
 * insert's seat update queued behind it: a deadlock whenever a check-in met a new entry.
 */
export async function lockEventThenRegistration(tx: DbOrTx, registrationId: string): Promise<Registration | null> {
  await tx.execute(
    sql`select e.id from events e join registrations r on r.event_id = e.id where r.id = ${registrationId} for no key update of e`,
  );
  return lockRegistration(tx, registrationId);
}

export async function eventOf(tx: DbOrTx, eventId: string): Promise<EventRow> {
  return (await getEventRow(tx, eventId))!;
}

/**
 * Gives a seat back, then offers it to the first on the waitlist (who gets a time-limited offer to
 * pay), in the caller's transaction.
 */
export async function releaseSeat(tx: DbOrTx, eventId: string): Promise<void> {
  const event = await giveSeatBack(tx, eventId);
  if (!event) return;
  await announceRegistrations(tx, eventId);
  if (event.status !== "published" || event.registrationClosesAt <= new Date()) return;
  const [next] = await tx
    .select()
    .from(registrations)
    .where(and(eq(registrations.eventId, eventId), eq(registrations.status, "waitlisted")))
    .orderBy(asc(registrations.waitlistedAt), asc(registrations.createdAt))
    .limit(1)
    .for("update", { skipLocked: true });
  if (!next) return;
  if (!(await takeSeats(tx, eventId))) return;
  const offerExpiresAt = new Date(Math.min(Date.now() + OFFER_TTL_MS, event.registrationClosesAt.getTime()));
  await tx.update(registrations).set({ status: "offered", offerExpiresAt }).where(eq(registrations.id, next.id));
  await enqueueJob(tx, EXPIRE_OFFER_TASK, { registrationId: next.id }, { runAt: offerExpiresAt, jobKey: `expire-offer:${next.id}` });
  await notify(tx, {
    userId: next.userId,
    dedupeKey: `registration:${next.id}:offered`,
    title: `A seat opened up in ${event.name}`,
    body: `You were first on the waitlist. Pay before the offer ends to take the seat.`,
    link: `/events/${eventId}#register`,
    email: {
      subject: `A seat is yours to take: ${event.name}`,
      text: `A seat opened up in ${event.name} and you were first on the waitlist. Open the event on Driftwood to pay and confirm your entry before the offer ends.`,
    },
  });
}

/**
 * A promo code's use is held by the entry that used it: an entry that ends before the bracket
 * starts (unpaid, expired, withdrawn, removed, cancelled) gives it back, in the ending transaction.
 */
export async function releasePromoUse(tx: DbOrTx, registration: Registration) {
  if (!registration.promoCodeId) return;
  await tx
    .update(promoCodes)
    .set({ uses: sql`${promoCodes.uses} - 1` })
    .where(and(eq(promoCodes.id, registration.promoCodeId), sql`${promoCodes.uses} > 0`));
}

/** Ends an unpaid checkout: releases the held wallet money, the promo code's use and the seat. */
export async function endUnpaid(
  tx: DbOrTx,
  registration: Registration,
  status: "expired" | "payment_failed" | "cancelled" | "withdrawn" | "removed",
) {
  // One update of the entry, with its final status: a second update of a row this transaction
  // already wrote re-checks its foreign keys (a key-share lock on the payment row), which a card
  // webhook holding that payment row while it waits for the event would deadlock with.
  if (registration.holdId) {
    await voidHold(tx, {
      holdId: registration.holdId,
      idempotencyKey: `registration:${registration.id}:void`,
      description: "Entry not paid: money released",
    });
  }
  await tx.update(registrations).set({ status, endedAt: new Date(), expiresAt: null }).where(eq(registrations.id, registration.id));
  await releasePromoUse(tx, registration);
  await releaseSeat(tx, registration.eventId);
}

/** Money back to the wallet from the event's escrow (the wallet part of a refund). */
export async function refundWalletPart(
  tx: DbOrTx,
  registration: Registration,
  amount: number,
  event: EventRow,
  key = `registration:${registration.id}:refund-wallet`,
) {
  if (amount <= 0) return null;
  const wallet = await walletAccounts(tx, registration.userId);
  const posted = await transfer(tx, {
    fromAccountId: await eventEscrowAccount(tx, registration.eventId),
    toAccountId: wallet.available,
    amount,
    category: "refund",
    description: `Refund: ${event.name}`,
    idempotencyKey: key,
    metadata: { eventId: registration.eventId, registrationId: registration.id },
  });
  return posted.transferId;
}

/**
 * The card part of a refund: recorded now, in the caller's transaction, so its money leaves the
 * escrow with the decision (a payout can never spend it); a job then asks the provider, outside any
 * transaction.
 */
export async function refundCardPart(
  tx: DbOrTx,
  registration: Registration,
  amount: number,
  reason: string,
  key = `registration:${registration.id}:refund-card`,
) {
  if (amount <= 0 || !registration.paymentId) return;
  const refund = await recordRefund(tx, { paymentId: registration.paymentId, amount, idempotencyKey: key, reason });
  await enqueueJob(tx, REFUND_CARD_TASK, { refundId: refund.id }, { jobKey: `refund-card:${refund.id}` });
}

/** The player hears where their money went (in-app and email), once per dedupe key. */
export async function notifyMoneyBack(
  tx: DbOrTx,
  registration: Registration,
  event: EventRow,
  notice: { key: string; title: string; reason: string; wallet: number; card: number },
) {
  const parts = [
    notice.wallet > 0 ? `${formatMoney(notice.wallet)} to your wallet` : null,
    notice.card > 0 ? `${formatMoney(notice.card)} to your card (it can take 5–10 days to appear)` : null,
  ].filter(Boolean);
  const money = parts.length > 0 ? `Refunded: ${parts.join(" and ")}.` : "Nothing was refunded.";
  await notify(tx, {
    userId: registration.userId,
    dedupeKey: `registration:${registration.id}:${notice.key}`,
    title: notice.title,
    body: `${notice.reason} ${money}`,
    link: `/events/${event.id}`,
    email: { subject: `${notice.title}`, text: `${notice.reason} ${money}` },
  });
}

export const REGISTRATIONS_CHANGED = { kind: "registrations.changed" } as const;

/**
 * Seat counts, the participant list and the organizer's dashboard change with this transaction
 * (an entry added, paid, checked in, waitlisted or ended). The payload names nobody: the event's
 * topic is public, and each view refetches what it may see through its authorized query.
 */
export async function announceRegistrations(tx: DbOrTx, eventId: string) {
  await announce(tx, `event:${eventId}`, REGISTRATIONS_CHANGED);
}

/** The confirmation for the player (in-app and email) and the note to the organizer, as jobs. */
export function confirmationJobs(registration: Registration, event: EventRow): JobSpec[] {
  const paid = registration.fee - registration.discount;
  return notificationJobs([
    {
      userId: registration.userId,
      dedupeKey: `registration:${registration.id}:confirmed`,
      title: `You're in: ${event.name}`,
      body: paid > 0 ? `Your entry is confirmed. You paid ${formatMoney(paid)}.` : "Your entry is confirmed.",
      link: `/events/${event.id}`,
      email: {
        subject: `Registration confirmed: ${event.name}`,
        text: `Your entry to ${event.name} is confirmed.${paid > 0 ? ` You paid ${formatMoney(paid)}.` : ""} Check-in opens ${event.checkInOpensAt.toUTCString()}.`,
      },
    },
    {
      userId: event.organizerId,
      dedupeKey: `registration:${registration.id}:organizer`,
      title: `New entry in ${event.name}`,
      body: "A player's registration was confirmed.",
      link: `/organizer/events/${event.id}`,
    },
  ]);
}

export async function notifyConfirmed(tx: DbOrTx, registration: Registration, event: EventRow) {
  await enqueueJobs(tx, confirmationJobs(registration, event));
  await announceRegistrations(tx, event.id);
}

/** The card part of a paid entry arrives: card clearing → the event's escrow. */
export async function cardPartToEscrow(tx: DbOrTx, registration: Registration, paymentId: string, amount: number) {
  const posted = await transfer(tx, {
    fromAccountId: await platformAccount(tx, "card_clearing"),
    toAccountId: await eventEscrowAccount(tx, registration.eventId),
    amount,
    category: "entry_fee",
    description: "Entry fee paid by card",
    idempotencyKey: `payment:${paymentId}:escrow`,
    metadata: { eventId: registration.eventId, registrationId: registration.id, paymentId },
  });
  return posted.transferId;
}
