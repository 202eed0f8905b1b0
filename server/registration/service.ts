import { and, eq, isNull, or, sql } from "drizzle-orm";
import { registrationIsOpen, takeSeats } from "@/server/events/seats";
import { reusableQuery, type Db, type DbOrTx, type Tx } from "@/db/client";
import { pgErrorCode } from "@/db/errors";
import { getEventRow } from "@/server/events/status";
import { promoCodes, registrations } from "@/db/schema/registration";
import { assertEmailVerified } from "@/server/accounts/email-address";
import type { SessionUser } from "@/server/accounts/roles";
import { Conflict, Invalid, NotFound } from "@/server/errors";
import { assertMoneyAction } from "@/server/events/money-lifecycle";
import { enqueueJobs } from "@/server/jobs/queue";
import { announce } from "@/server/live/announce";
import type { PaymentGateway } from "@/server/payments/gateway";
import { startPayment } from "@/server/payments/service";
import { teamRosterForRegistration } from "@/server/teams/service";
import { debit, eventEscrowAccount, walletAccounts, walletBalances, type WalletAccounts } from "@/server/ledger";
import { hold } from "@/server/ledger";
import { formatMoney } from "@/lib/money";
import {
  announceRegistrations,
  CHECKOUT_TTL_MS,
  confirmationJobs,
  EXPIRE_CHECKOUT_TASK,
  eventOf,
  REGISTRATIONS_CHANGED,
  type EventRow,
  type Registration,
} from "./lifecycle";
import { applyDiscount, MIN_CARD_CHARGE } from "./pricing";
import { confirmFromWallet, EventFull, type NewEntry, Replay, registrationClosed } from "./confirm-from-wallet";
import { discountOf, findPromo, promoUsedUp, type PromoRow } from "./promos";

export interface CheckoutResult {
  registrationId: string;
  status: Registration["status"];
  /** What the browser does next. */
  next: "confirmed" | "pay_card" | "waitlisted" | "ended";
  paymentId: string | null;
  total: number;
  walletAmount: number;
  cardAmount: number;
}

function resultOf(registration: Registration): CheckoutResult {
  const next =
    registration.status === "confirmed"
      ? "confirmed"
      : registration.status === "waitlisted"
        ? "waitlisted"
        : registration.status === "pending_payment" || registration.status === "offered"
          ? "pay_card"
          : "ended";
  return {
    registrationId: registration.id,
    status: registration.status,
    next,
    paymentId: registration.paymentId,
    total: registration.fee - registration.discount,
    walletAmount: registration.walletAmount,
    cardAmount: registration.cardAmount,
  };
}

export async function quote(db: DbOrTx, user: SessionUser, input: { eventId: string; promoCode?: string }) {
  const event = await eventOf(db, input.eventId);
  if (!event || event.status === "draft") throw new NotFound("We could not find that event.");
  const promo = await findPromo(db, event, input.promoCode);
  const price = applyDiscount(event.entryFee, promo ? discountOf(promo) : null);
  const balances = await walletBalances(db, user.id);
  return {
    fee: event.entryFee,
    discount: price.discount,
    total: price.total,
    promo: promo ? { code: promo.code, kind: promo.kind, value: promo.value } : null,
    walletAvailable: balances.available,
    minCardCharge: MIN_CARD_CHARGE,
  };
}

/**
 * Registers the player (or their team, through its captain) and takes the fee. One call per
 * checkout attempt, keyed by the browser's idempotency key: a double click or a refresh returns
 * the same registration and the same payment. The seat is taken last, atomically, so an event is
 * never oversold; a full event puts the player on the waitlist without charging anything.
 */
export async function checkout(
  db: Db,
  gateway: PaymentGateway,
  user: SessionUser,
  input: { eventId: string; idempotencyKey: string; walletAmount: number; promoCode?: string; teamId?: string },
): Promise<CheckoutResult> {
  const mine = await checkoutStart(db, { eventId: input.eventId, userId: user.id, key: input.idempotencyKey });
  const found = mine.find((row) => row.idempotencyKey === input.idempotencyKey);
  const replay = found ? checkedReplay(found, user, input) : null;
  if (replay) return finishCardStep(db, gateway, replay);
  const event = await getEventRow(db, input.eventId);
  const offer = mine.find((row) => row.eventId === input.eventId && row.userId === user.id && row.status === "offered");
  if (!event || event.status === "draft") throw new NotFound("We could not find that event.");
  assertMoneyAction("checkout", event);

  let teamId: string | null = null;
  const fullAlready = !offer && event.seatsTaken >= event.capacity;
  if (event.participantType === "team") {
    if (!input.teamId) throw new Invalid("Choose the team you are registering.", { field: "teamId" });
    teamId = (await teamRosterForRegistration(db, input.teamId, user.id, event.teamSize)).teamId;
  } else if (input.teamId) {
    throw new Invalid("This is a solo event: register yourself, not a team.", { field: "teamId" });
  }

  let promo: PromoRow | null;
  try {
    promo = await findPromo(db, event, input.promoCode);
  } catch (error) {
    // The same checkout sent twice at once may have used the code's last use itself: answer as it did.
    const first = await byKey(db, user, input);
    if (first) return finishCardStep(db, gateway, first);
    throw error;
  }
  const price = applyDiscount(event.entryFee, promo ? discountOf(promo) : null);
  // Free entries are open to every account; paying (wallet or card, or queueing to pay) needs a verified email.
  if (price.total > 0) assertEmailVerified(user);
  const walletAmount = Math.min(input.walletAmount, price.total);
  const cardAmount = price.total - walletAmount;
  if (cardAmount > 0 && cardAmount < MIN_CARD_CHARGE) {
    throw new Invalid(
      `A card payment must be at least ${formatMoney(MIN_CARD_CHARGE)}: pay a little less from your wallet, or all of it.`,
      { field: "walletAmount" },
    );
  }

  // A full event (as last read) goes straight to the waitlist; the seat update below stays the
  // authority for everyone else.
  if (fullAlready) return joinWaitlist(db, gateway, user, event, teamId, input.idempotencyKey);

  // Looked up (and opened on first use) before the transaction, which then holds no lock for them.
  const [escrow, wallet] = await Promise.all([eventEscrowAccount(db, event.id), walletAmount > 0 ? walletAccounts(db, user.id) : null]);
  const values = {
    eventId: event.id,
    userId: user.id,
    teamId,
    idempotencyKey: input.idempotencyKey,
    fee: price.total + price.discount,
    discount: price.discount,
    walletAmount,
    cardAmount,
    promoCodeId: promo?.id ?? null,
  };
  let registration: Registration;
  try {
    // A new entry the wallet pays in full (or a free one) is one statement; a card payment or a
    // waitlist offer is a transaction here.
    registration =
      !offer && cardAmount === 0
        ? await confirmFromWallet(db, event, values, wallet, escrow)
        : await db.transaction((tx) => checkoutInTransaction(tx, { event, values, offer, promo, wallet, escrow }));
  } catch (error) {
    if (error instanceof Replay) {
      const first = await byKey(db, user, input);
      if (first) return finishCardStep(db, gateway, first);
      throw alreadyRegistered();
    }
    if (error instanceof EventFull) return joinWaitlist(db, gateway, user, event, teamId, input.idempotencyKey);
    if (pgErrorCode(error) === "23505") throw alreadyRegistered();
    if (pgErrorCode(error) === "23514") throw new Invalid("That split does not add up to the entry fee.", { field: "walletAmount" });
    throw error;
  }
  return finishCardStep(db, gateway, registration);
}

/**
 * A checkout with a card part (the wallet part is held, the seat kept until the card is paid or
 * the checkout expires), or one that pays for a waitlist offer (its seat is already taken).
 * Exported for checkout-paths.test.ts, which drives new wallet-paid entries through it and
 * through registration_confirm_from_wallet() and compares every row each writes.
 */
export async function checkoutInTransaction(
  tx: Tx,
  {
    event,
    values,
    offer,
    promo,
    wallet,
    escrow,
  }: {
    event: EventRow;
    values: NewEntry;
    offer: Registration | undefined;
    promo: PromoRow | null;
    wallet: WalletAccounts | null;
    escrow: string;
  },
): Promise<Registration> {
  const { userId, walletAmount, cardAmount } = values;
  let row: Registration;
  if (offer) {
    [row] = (await tx
      .update(registrations)
      .set({ ...values, status: "pending_payment", offerExpiresAt: null })
      .where(and(eq(registrations.id, offer.id), eq(registrations.status, "offered")))
      .returning()) as [Registration];
    if (!row) {
      // The same checkout sent twice at once: the first paid the offer with this key; answer as it did.
      const [mine] = await tx
        .select({ id: registrations.id })
        .from(registrations)
        .where(and(eq(registrations.id, offer.id), eq(registrations.idempotencyKey, values.idempotencyKey)));
      if (mine) throw new Replay();
      throw new Conflict("Your offer for this seat has ended.");
    }
  } else {
    // The key claims the checkout. Every unique index is an arbiter here (no conflict target):
    // a resend of the key, even one sent at the same moment, waits for the first and finds its
    // row; with only the key as arbiter, two such inserts could deadlock on the
    // one-entry-per-player index. No row: a replay, or the player is already registered.
    const [inserted] = await tx
      .insert(registrations)
      .values({ ...values, status: "pending_payment" })
      .onConflictDoNothing()
      .returning();
    if (!inserted) throw new Replay();
    row = inserted;
  }
  if (promo) {
    const [used] = await tx
      .update(promoCodes)
      .set({ uses: sql`${promoCodes.uses} + 1` })
      .where(and(eq(promoCodes.id, promo.id), or(isNull(promoCodes.maxUses), sql`${promoCodes.uses} < ${promoCodes.maxUses}`)))
      .returning({ id: promoCodes.id });
    if (!used) throw promoUsedUp();
  }
  const patch: Partial<Registration> = {};
  if (cardAmount === 0) {
    if (walletAmount > 0) {
      patch.walletTransferId = (
        await debit(tx, {
          userId,
          wallet: wallet!,
          amount: walletAmount,
          toAccountId: escrow,
          category: "entry_fee",
          description: `Entry fee: ${event.name}`,
          idempotencyKey: `registration:${row.id}:wallet`,
          metadata: { eventId: event.id, registrationId: row.id },
        })
      ).transferId;
    }
    Object.assign(patch, { status: "confirmed", confirmedAt: new Date() });
  } else {
    if (walletAmount > 0) {
      patch.holdId = (
        await hold(tx, {
          userId,
          wallet: wallet!,
          amount: walletAmount,
          category: "entry_fee",
          description: `Entry fee (held until your card payment): ${event.name}`,
          idempotencyKey: `registration:${row.id}:hold`,
          metadata: { eventId: event.id, registrationId: row.id },
        })
      ).holdId;
    }
    patch.expiresAt = new Date(Date.now() + CHECKOUT_TTL_MS);
  }
  // The rest goes out together, in one round trip on the transaction's connection: the entry, its
  // jobs, and either the seat (a new card checkout keeps one until it is paid or expires; a full
  // event rolls all of it back) or, when a paid offer confirms the seat it already had, the
  // announcement.
  const confirmed = patch.status === "confirmed";
  const [[updated], , seated] = await Promise.all([
    tx.update(registrations).set(patch).where(eq(registrations.id, row.id)).returning(),
    enqueueJobs(
      tx,
      confirmed
        ? confirmationJobs({ ...row, ...patch } as Registration, event)
        : [
            {
              task: EXPIRE_CHECKOUT_TASK,
              payload: { registrationId: row.id },
              runAt: patch.expiresAt ?? undefined,
              jobKey: `expire-checkout:${row.id}`,
            },
          ],
    ),
    offer
      ? confirmed
        ? announce(tx, `event:${event.id}`, REGISTRATIONS_CHANGED).then(() => true)
        : true
      : takeSeats(tx, event.id, { whileRegistrationOpen: true }),
  ]);
  if (!seated) throw (await registrationIsOpen(tx, event.id)) ? new EventFull() : registrationClosed();
  // A new entry is announced once it has its seat, as registration_confirm_from_wallet() announces
  // it: confirmed (paid without a card) or paying by card, which the organizer's seat counter shows
  // too; so is an offer now being paid by card. A paid offer was announced above.
  if (!(confirmed && offer)) await announce(tx, `event:${event.id}`, REGISTRATIONS_CHANGED);
  return updated!;
}

const registrationByKey = reusableQuery<{ key: string }, Registration[]>("registration_by_key", (db) =>
  db
    .select()
    .from(registrations)
    .where(eq(registrations.idempotencyKey, sql.placeholder("key"))),
);

/**
 * What a checkout starts from, in one statement: the registration already made with this
 * checkout's key (a replay; found whatever its event or player, see checkedReplay) and a seat
 * offered to the player from the event's waitlist, which this checkout then pays for. The event
 * itself is the events domain's to read (getEventRow), asked only when this is not a replay.
 */
const checkoutStart = reusableQuery<{ eventId: string; userId: string; key: string }, Registration[]>("registration_checkout_start", (db) =>
  db
    .select()
    .from(registrations)
    .where(
      or(
        eq(registrations.idempotencyKey, sql.placeholder("key")),
        and(
          eq(registrations.eventId, sql.placeholder("eventId")),
          eq(registrations.userId, sql.placeholder("userId")),
          eq(registrations.status, "offered"),
        ),
      ),
    ),
);

/** The registration a key already made, if it is this player's for this event; a key reused for anything else is refused. */
function checkedReplay(existing: Registration, user: SessionUser, input: { eventId: string }): Registration {
  if (existing.userId !== user.id || existing.eventId !== input.eventId) {
    throw new Conflict("This checkout was already used for something else. Please start again.");
  }
  return existing;
}

async function byKey(db: DbOrTx, user: SessionUser, input: { eventId: string; idempotencyKey: string }) {
  const [existing] = await registrationByKey(db, { key: input.idempotencyKey });
  return existing ? checkedReplay(existing, user, input) : null;
}

const waitlistEntry = reusableQuery<
  { eventId: string; userId: string; teamId: string | null; idempotencyKey: string; at: Date },
  Registration[]
>("registration_waitlist", (db) =>
  db
    .insert(registrations)
    .values({
      eventId: sql.placeholder("eventId"),
      userId: sql.placeholder("userId"),
      teamId: sql.placeholder("teamId"),
      idempotencyKey: sql.placeholder("idempotencyKey"),
      fee: 0,
      status: "waitlisted",
      waitlistedAt: sql.placeholder("at"),
    })
    .onConflictDoNothing()
    .returning(),
);

const alreadyRegistered = () => new Invalid("You are already registered for this event (or on its waitlist).");

/**
 * One statement: the waitlist entry, or (for a key already used) the entry that key made. Every
 * unique index is an arbiter, as in checkout, so a resend sent at the same moment waits and replays.
 */
/**
 * Joins the waitlist, or answers as the same checkout did: sent twice at once, the other may have
 * taken the last seat with this key (and be starting its card payment: the answer names it too).
 */
async function joinWaitlist(
  db: Db,
  gateway: PaymentGateway,
  user: SessionUser,
  event: EventRow,
  teamId: string | null,
  idempotencyKey: string,
) {
  // The entry and its announcement (the organizer's waitlist and seat counter) commit together.
  const inserted = await db.transaction(async (tx) => {
    const [row] = await waitlistEntry(tx, { eventId: event.id, userId: user.id, teamId, idempotencyKey, at: new Date() });
    if (row) await announceRegistrations(tx, event.id);
    return row;
  });
  if (inserted) return resultOf(inserted);
  const first = await byKey(db, user, { eventId: event.id, idempotencyKey });
  if (first) return finishCardStep(db, gateway, first);
  throw alreadyRegistered();
}

/** Creates (or finds again) the card payment of a pending checkout: outside any transaction. */
async function finishCardStep(db: Db, gateway: PaymentGateway, registration: Registration): Promise<CheckoutResult> {
  if (registration.status !== "pending_payment" || registration.cardAmount === 0 || registration.paymentId) return resultOf(registration);
  const event = await eventOf(db, registration.eventId);
  const payment = await startPayment(db, gateway, {
    userId: registration.userId,
    purpose: "registration",
    purposeRef: registration.id,
    amount: registration.cardAmount,
    idempotencyKey: `registration:${registration.id}`,
    description: `Entry fee: ${event.name}`,
  });
  const [updated] = await db
    .update(registrations)
    .set({ paymentId: payment.id })
    .where(and(eq(registrations.id, registration.id), isNull(registrations.paymentId)))
    .returning();
  return resultOf(updated ?? { ...registration, paymentId: payment.id });
}

export { checkIn } from "./check-in";
export { createPromoCode, listPromoCodes, NO_SUCH_CODE } from "./promos";
export { myRegistration, myUpcomingRegistrations } from "./mine";
export { addParticipant, registrationsForEvent } from "./organizer";
export {
  cancelEvent,
  dropNoShows,
  expireCheckout,
  expireOffer,
  refundCancelledEvent,
  removeParticipant,
  withdraw,
  type RemovalRefund,
} from "./exits";
