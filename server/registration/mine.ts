/** What a player sees of their own entry: its state, waitlist place, payment, and where refunds went. */
import { and, desc, eq, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { transferAmounts } from "@/server/ledger";
import { cardRefunds, getPayment } from "@/server/payments/service";
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
    const [ahead] = await db.execute<{ n: number }>(sql`
      select count(*)::int as n from registrations
      where event_id = ${eventId} and status = 'waitlisted' and waitlisted_at < ${row.waitlistedAt}`);
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
