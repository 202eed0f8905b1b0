/**
 * An event's money as its organizer sees it: what the escrow holds now, the phase of its money
 * lifecycle, the prize they put up and where it is, and after the payout what they received and
 * the platform's fee. Read-only, from the event row and the ledger.
 */
import { eq } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { events } from "@/db/schema/events";
import { hasRole, type SessionUser } from "@/server/accounts/roles";
import { Forbidden, NotFound } from "@/server/errors";
import { accountBalance, eventEscrowAccount, holdState, transfersNaming } from "@/server/ledger";
import { moneyPhase } from "./money-lifecycle";

/** The total of the payout transfers whose key ends in `suffix` (the organizer's share, the platform's fee). */
const sumOf = (transfers: { key: string; amount: number }[], suffix: string) =>
  transfers.filter((t) => t.key.endsWith(suffix)).reduce((sum, t) => sum + t.amount, 0);

export async function eventMoney(db: DbOrTx, actor: SessionUser, eventId: string) {
  const [event] = await db.select().from(events).where(eq(events.id, eventId));
  if (!event) throw new NotFound("We could not find that event.");
  if (event.organizerId !== actor.id && !hasRole(actor, "admin")) {
    throw new Forbidden("Only this event's organizer can see its money.");
  }
  const [escrow, hold, paid] = await Promise.all([
    accountBalance(db, await eventEscrowAccount(db, eventId)),
    event.prizeHoldId ? holdState(db, event.prizeHoldId) : Promise.resolve(null),
    transfersNaming(db, "eventId", eventId, "payout:%"),
  ]);
  const holdStatus = hold?.status ?? null;
  const organizerPrize =
    event.organizerPrize === 0
      ? "none"
      : holdStatus === "pending"
        ? "held"
        : holdStatus === "voided"
          ? "released"
          : event.status === "live" || event.status === "completed"
            ? "in_escrow"
            : "not_held";
  return {
    phase: moneyPhase(event),
    escrow,
    organizerPrize: { amount: event.organizerPrize, state: organizerPrize },
    platformFeePercent: event.platformFeePercent,
    paidOutAt: event.paidOutAt,
    organizerShare: sumOf(paid, ":organizer"),
    platformFee: sumOf(paid, ":platform-fee"),
  };
}
