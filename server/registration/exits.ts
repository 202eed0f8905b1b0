/**
 * How entries end and what their money does then, each step asked of the event's money lifecycle
 * (server/events/money-lifecycle.ts) with the event row locked: a player's withdrawal, an
 * organizer's removal, dropping no-shows, the start of the bracket (which closes registration),
 * and the cancellation of the event with its refunds.
 *
 * Lock order: a bracket's header (cancellation only), then the event row, then registrations,
 * then the ledger's accounts. Once the bracket has started nothing here refunds: a withdrawal is a
 * forfeit and a removal a disqualification, both made by the brackets domain under its own lock
 * (through the hooks it registers, ./bracket-hooks.ts: registration sits below brackets).
 */
import { and, eq, inArray, isNull } from "drizzle-orm";
import type { Db, DbOrTx } from "@/db/client";
import { cardRefunds, getPayment } from "@/server/payments/service";
import { registrations } from "@/db/schema/registration";
import type { SessionUser } from "@/server/accounts/roles";
import { Invalid, NotFound } from "@/server/errors";
import { assertMoneyAction, moneyPhase } from "@/server/events/money-lifecycle";
import type { PaymentGateway } from "@/server/payments/gateway";
import { releaseOrganizerPrize } from "@/server/events/prize-funding";
import { lockOwnEvent } from "@/server/events/service";
import { lockEvent as lockAnyEvent, markEventCancelled } from "@/server/events/status";
import { enqueueJob } from "@/server/jobs/queue";
import { announce } from "@/server/live/announce";
import { notify } from "@/server/notifications/service";
import { balanceByMetadata, eventEscrowAccount, transfer, walletAccounts } from "@/server/ledger";
import { formatMoney } from "@/lib/money";
import {
  CANCEL_EVENT_TASK,
  endUnpaid,
  eventOf,
  lockEventThenRegistration,
  lockRegistration,
  notifyMoneyBack,
  refundCardPart,
  refundWalletPart,
  releasePromoUse,
  releaseSeat,
  type EventRow,
  type Registration,
} from "./lifecycle";
import { bracketHooks } from "./bracket-hooks";
import { withdrawalRefund } from "./pricing";

export const ACTIVE = ["pending_payment", "confirmed", "waitlisted", "offered"] as const;
const isActive = (status: Registration["status"]) => (ACTIVE as readonly string[]).includes(status);

const notFound = () => new NotFound("We could not find that registration.");
const started = (event: EventRow) => moneyPhase(event) === "bracket_started";

async function lockEvent(tx: DbOrTx, eventId: string): Promise<EventRow> {
  return (await lockAnyEvent(tx, eventId))!;
}

export interface WithdrawalResult {
  wallet: number;
  card: number;
  penalty: number;
  status: "withdrawn" | "forfeited";
}

/**
 * The player leaves. Before registration closes: refunded less the event's penalty (wallet part to
 * the wallet, card part to the card). After the bracket started: a forfeit, no refund. An unpaid
 * checkout or a waitlist place is simply released.
 */
export async function withdraw(db: Db, user: SessionUser, registrationId: string): Promise<WithdrawalResult> {
  const [found] = await db.select().from(registrations).where(eq(registrations.id, registrationId));
  if (!found || found.userId !== user.id) throw notFound();
  const forfeit = async (registration: Registration): Promise<WithdrawalResult> => {
    await bracketHooks().forfeitEntry(db, { eventId: registration.eventId, entrantId: registration.id, actorId: user.id });
    return { wallet: 0, card: 0, penalty: registration.walletAmount + registration.cardAmount, status: "forfeited" };
  };
  if (found.status === "confirmed" && started(await eventOf(db, found.eventId))) return forfeit(found);
  const outcome = await db.transaction(async (tx): Promise<WithdrawalResult | "forfeit"> => {
    const event = await lockEvent(tx, found.eventId);
    const registration = (await lockRegistration(tx, registrationId))!;
    const nothing = { wallet: 0, card: 0, penalty: 0, status: "withdrawn" as const };
    if (registration.status === "withdrawn") return nothing;
    if (registration.status === "waitlisted") {
      await tx.update(registrations).set({ status: "withdrawn", endedAt: new Date() }).where(eq(registrations.id, registration.id));
      return nothing;
    }
    if (registration.status === "pending_payment" || registration.status === "offered") {
      await endUnpaid(tx, registration, "withdrawn");
      return nothing;
    }
    if (registration.status !== "confirmed") throw new Invalid("This entry has already ended.");
    const rule = assertMoneyAction("player_withdrawal", event);
    if (rule.kind === "forfeit") return "forfeit";
    const refund = withdrawalRefund({ wallet: registration.walletAmount, card: registration.cardAmount }, event.withdrawalPenaltyPercent);
    await endPaid(tx, registration, event, refund, "withdrawn");
    await notifyMoneyBack(tx, registration, event, {
      key: "withdrawn",
      title: `You withdrew from ${event.name}`,
      reason:
        refund.penalty > 0
          ? `The event keeps a ${event.withdrawalPenaltyPercent}% withdrawal penalty (${formatMoney(refund.penalty)}).`
          : "Your entry is withdrawn.",
      ...refund,
    });
    return { ...refund, status: "withdrawn" };
  });
  return outcome === "forfeit" ? forfeit(found) : outcome;
}

/** A paid entry ends before the bracket starts: its refund, the promo code's use, the seat. */
async function endPaid(
  tx: DbOrTx,
  registration: Registration,
  event: EventRow,
  back: { wallet: number; card: number },
  status: "withdrawn" | "removed",
) {
  await refundWalletPart(tx, registration, back.wallet, event);
  await refundCardPart(tx, registration, back.card, status === "withdrawn" ? "Player withdrew" : "Removed by the organizer");
  await tx.update(registrations).set({ status, endedAt: new Date() }).where(eq(registrations.id, registration.id));
  await releasePromoUse(tx, registration);
  await releaseSeat(tx, registration.eventId);
}

export type RemovalRefund = "full" | "policy" | "none";

async function removeLocked(tx: DbOrTx, registration: Registration, event: EventRow, refund: RemovalRefund, why: string) {
  if (registration.status === "confirmed") {
    const paid = { wallet: registration.walletAmount, card: registration.cardAmount };
    const back =
      refund === "full" ? paid : refund === "none" ? { wallet: 0, card: 0 } : withdrawalRefund(paid, event.withdrawalPenaltyPercent);
    await endPaid(tx, registration, event, back, "removed");
    await notifyMoneyBack(tx, registration, event, { key: "removed", title: `You were removed from ${event.name}`, reason: why, ...back });
  } else if (registration.status === "pending_payment" || registration.status === "offered") {
    await endUnpaid(tx, registration, "removed");
  } else if (registration.status === "waitlisted") {
    await tx.update(registrations).set({ status: "removed", endedAt: new Date() }).where(eq(registrations.id, registration.id));
  }
}

/**
 * The organizer removes an entry: before the bracket starts, refunding in full, by the event's
 * policy or not at all; after it started, by disqualifying it (no refund).
 */
export async function removeParticipant(db: Db, actor: SessionUser, input: { registrationId: string; refund: RemovalRefund }) {
  const [found] = await db.select().from(registrations).where(eq(registrations.id, input.registrationId));
  if (!found) throw notFound();
  const disqualify = async () => {
    await bracketHooks().disqualifyEntry(db, actor, { eventId: found.eventId, entrantId: found.id });
    return { removed: true, disqualified: true };
  };
  const outcome = await db.transaction(async (tx) => {
    const event = await lockOwnEvent(tx, actor, found.eventId);
    const registration = (await lockRegistration(tx, input.registrationId))!;
    if (!isActive(registration.status)) throw new Invalid("This entry has already ended.");
    const rule = assertMoneyAction("organizer_removal", event);
    if (rule.kind === "disqualify") return "disqualify" as const;
    await removeLocked(tx, registration, event, input.refund, "The organizer removed your entry.");
    return { removed: true, disqualified: false };
  });
  return outcome === "disqualify" ? disqualify() : outcome;
}

/** After check-in closes: confirmed entries that did not check in are dropped, refunded by policy. */
export async function dropNoShows(db: Db, actor: SessionUser, eventId: string) {
  return db.transaction(async (tx) => {
    const event = await lockOwnEvent(tx, actor, eventId);
    assertMoneyAction("drop_no_shows", event);
    const dropped = await dropUncheckedEntries(tx, event);
    return { dropped };
  });
}

async function dropUncheckedEntries(tx: DbOrTx, event: EventRow): Promise<number> {
  const noShows = await tx
    .select()
    .from(registrations)
    .where(and(eq(registrations.eventId, event.id), eq(registrations.status, "confirmed"), isNull(registrations.checkedInAt)))
    .for("update");
  for (const registration of noShows) await removeLocked(tx, registration, event, "policy", "You did not check in before check-in closed.");
  return noShows.length;
}

/**
 * The bracket starts (in its transaction, the event row locked and marked live): registration and
 * check-in close. Unpaid checkouts and waitlist places end, and confirmed entries that did not
 * check in are dropped with the refund the event's policy gives. From here no refund leaves the
 * escrow until the payout empties it.
 */
export async function closeRegistrationForStart(tx: DbOrTx, event: EventRow): Promise<void> {
  const open = await tx
    .select()
    .from(registrations)
    .where(and(eq(registrations.eventId, event.id), inArray(registrations.status, ["pending_payment", "offered", "waitlisted"])))
    .for("update");
  for (const registration of open) {
    if (registration.status === "waitlisted") {
      await tx.update(registrations).set({ status: "cancelled", endedAt: new Date() }).where(eq(registrations.id, registration.id));
      await notify(tx, {
        userId: registration.userId,
        dedupeKey: `registration:${registration.id}:closed`,
        title: `${event.name} has started`,
        body: "The bracket started before a seat opened up for you: your waitlist place has ended. Nothing was charged.",
        link: `/events/${event.id}`,
      });
    } else await endUnpaid(tx, registration, "cancelled");
  }
  await dropUncheckedEntries(tx, event);
}

/**
 * The organizer cancels: the event is marked at once (its bracket closed under the header's lock,
 * so a result saved at the same moment either lands first or is refused), a prize still held is
 * released, and a job refunds every entry in full. Refused once the prizes have been paid.
 */
export async function cancelEvent(db: Db, actor: SessionUser, eventId: string, reason: string) {
  return db.transaction(async (tx) => {
    const bracket = bracketHooks();
    const bracketLocked = await bracket.lockForCancellation(tx, eventId);
    const event = await lockOwnEvent(tx, actor, eventId);
    if (event.status === "cancelled") return event;
    assertMoneyAction("cancel", event);
    // The bracket started between the two locks: lock it now (nothing else can start it twice).
    if (!bracketLocked && (event.status === "live" || event.status === "completed")) await bracket.lockForCancellation(tx, eventId);
    const cancelled = await markEventCancelled(tx, eventId);
    await releaseOrganizerPrize(tx, event);
    await enqueueJob(tx, CANCEL_EVENT_TASK, { eventId, reason }, { jobKey: `cancel-event:${eventId}` });
    await bracket.closeForCancelledEvent(tx, eventId);
    await announce(tx, `event:${eventId}`, { kind: "event.cancelled" });
    return cancelled;
  });
}

/**
 * What the escrow still holds for each entry of the event (fees in, less refunds out), from the
 * ledger itself: every escrow transfer names its registration. The organizer's prize, posted at
 * the start, names none (key null).
 */
async function retainedByEntry(db: DbOrTx, eventId: string): Promise<Map<string | null, number>> {
  return balanceByMetadata(db, await eventEscrowAccount(db, eventId), "registrationId");
}

/** Card money already sent back for an entry (every refund asked for took its money out of the escrow). */
async function cardRefunded(tx: DbOrTx, paymentId: string | null): Promise<number> {
  return paymentId ? (await cardRefunds(tx, paymentId)).asked : 0;
}

/**
 * The cancellation job: every entry gets back everything the escrow still holds for it (a
 * withdrawal's penalty included), each part to where it came from; unpaid checkouts release their
 * holds; the organizer's prize, if it was already in the escrow, goes back to them. The escrow
 * ends at zero. Each entry is its own transaction with keys of its own, so a job run twice refunds
 * once.
 */
export async function refundCancelledEvent(db: Db, eventId: string, reason: string) {
  // Only a cancelled event refunds (the job is queued by the cancellation; anything else calling it
  // must not pay an event's money out a second time).
  if ((await eventOf(db, eventId))?.status !== "cancelled") return 0;
  const retained = await retainedByEntry(db, eventId);
  const active = await db
    .select({ id: registrations.id })
    .from(registrations)
    .where(and(eq(registrations.eventId, eventId), inArray(registrations.status, [...ACTIVE])));
  const ids = new Set([
    ...active.map((row) => row.id),
    ...[...retained.entries()].filter(([id, amount]) => id && amount > 0).map(([id]) => id!),
  ]);
  for (const id of ids) {
    await db.transaction(async (tx) => {
      const registration = await lockEventThenRegistration(tx, id);
      if (!registration || registration.eventId !== eventId) return;
      const event = await eventOf(tx, eventId);
      const held = (await retainedByEntry(tx, eventId)).get(id) ?? 0;
      if (held > 0) {
        const card = Math.max(0, Math.min(held, registration.cardAmount - (await cardRefunded(tx, registration.paymentId))));
        const wallet = held - card;
        await refundWalletPart(tx, registration, wallet, event, `registration:${id}:cancel-refund-wallet`);
        await refundCardPart(tx, registration, card, `Event cancelled: ${reason}`, `registration:${id}:cancel-refund-card`);
        await notifyMoneyBack(tx, registration, event, {
          key: "event-cancelled",
          title: `${event.name} was cancelled`,
          reason: `The organizer cancelled the event: ${reason}`,
          wallet,
          card,
        });
      }
      if (registration.status === "pending_payment" || registration.status === "offered") {
        await endUnpaid(tx, registration, "cancelled");
      } else if (isActive(registration.status)) {
        await tx.update(registrations).set({ status: "cancelled", endedAt: new Date() }).where(eq(registrations.id, registration.id));
        await releasePromoUse(tx, registration);
      }
    });
  }
  await returnPrizeOfCancelledEvent(db, eventId);
  return ids.size;
}

/** The organizer's prize that was already posted into the escrow goes back to their wallet. */
async function returnPrizeOfCancelledEvent(db: Db, eventId: string) {
  await db.transaction(async (tx) => {
    const event = await eventOf(tx, eventId);
    const prize = (await retainedByEntry(tx, eventId)).get(null) ?? 0;
    if (prize <= 0) return;
    const wallet = await walletAccounts(tx, event.organizerId);
    await transfer(tx, {
      fromAccountId: await eventEscrowAccount(tx, eventId),
      toAccountId: wallet.available,
      amount: prize,
      category: "prize",
      description: `${event.name} was cancelled: your prize money is returned`,
      idempotencyKey: `event:${eventId}:cancel-prize-return`,
      metadata: { eventId },
    });
  });
}

/** Expiry job: an unpaid checkout past its 15 minutes gives back its hold and its seat. */
export async function expireCheckout(db: Db, gateway: PaymentGateway, registrationId: string) {
  const expired = await db.transaction(async (tx) => {
    const registration = await lockEventThenRegistration(tx, registrationId);
    if (registration?.status !== "pending_payment" || !registration.expiresAt || registration.expiresAt > new Date()) return null;
    await endUnpaid(tx, registration, "expired");
    return registration;
  });
  if (expired?.paymentId) {
    const payment = await getPayment(db, expired.paymentId);
    // If the card went through meanwhile, the webhook puts the money in the wallet instead.
    if (payment?.gatewayPaymentId && payment.status !== "succeeded") {
      await gateway.cancelPaymentIntent(payment.gatewayPaymentId, `cancel:${payment.id}`).catch(() => undefined);
    }
  }
  return expired ? "expired" : "unchanged";
}

export async function expireOffer(db: Db, registrationId: string) {
  return db.transaction(async (tx) => {
    const registration = await lockEventThenRegistration(tx, registrationId);
    if (registration?.status !== "offered" || !registration.offerExpiresAt || registration.offerExpiresAt > new Date()) return "unchanged";
    await tx.update(registrations).set({ status: "expired", endedAt: new Date() }).where(eq(registrations.id, registration.id));
    await releaseSeat(tx, registration.eventId);
    return "expired";
  });
}
