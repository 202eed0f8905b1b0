/** What a player sees of their own entry: its state, waitlist place, payment, and where refunds went. */
import { and, desc, eq, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { getPayment } from "@/server/payments/service";
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
  return { ...row, waitlistPosition, payment, ...(await moneyBack(db, row)) };
}

/**
 * Where the entry's money went back: refunds to the wallet (withdrawal, removal, cancellation) and
 * to the card (with whether the card processor has confirmed them), and whether the entry forfeited
 * its matches by withdrawing after the bracket started.
 */
async function moneyBack(db: DbOrTx, row: Registration) {
  const [facts] = await db.execute<{
    wallet: string;
    card: string;
    card_pending: boolean;
    card_last4: string | null;
    forfeited: boolean;
  }>(sql`
    select
      (select coalesce(sum(t.amount), 0) from ledger_transfers t
        where t.idempotency_key in (${`registration:${row.id}:refund-wallet`}, ${`registration:${row.id}:cancel-refund-wallet`}))::bigint as wallet,
      (select coalesce(sum(r.amount), 0) from payment_refunds r where r.payment_id = ${row.paymentId} and r.status <> 'failed')::bigint as card,
      exists (select 1 from payment_refunds r where r.payment_id = ${row.paymentId} and r.status = 'pending') as card_pending,
      (select p.card_last4 from payments p where p.id = ${row.paymentId}) as card_last4,
      exists (select 1 from brackets b where b.event_id = ${row.eventId} and b.disqualified ? ${row.id}) as forfeited`);
  return {
    refundedToWallet: Number(facts?.wallet ?? 0),
    refundedToCard: Number(facts?.card ?? 0),
    cardRefundPending: Boolean(facts?.card_pending),
    cardLast4: facts?.card_last4 ?? null,
    disqualified: Boolean(facts?.forfeited),
  };
}
