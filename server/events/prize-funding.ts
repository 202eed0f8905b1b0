/**
 * The prize an organizer puts up for an event: held from their wallet when the event is published
 * (players see a guaranteed pool), posted into the event's escrow when the bracket starts, and
 * released back to them when the event is cancelled before that. Each step runs in the caller's
 * transaction with the event row locked.
 */
import { eq } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { events } from "@/db/schema/events";
import { Invalid } from "@/server/errors";
import { debit, eventEscrowAccount, walletBalances } from "@/server/ledger";
import { hold, holdState, postHold, voidHold } from "@/server/ledger";
import { formatMoney } from "@/lib/money";

type EventRow = typeof events.$inferSelect;

async function pendingHold(tx: DbOrTx, holdId: string | null) {
  if (!holdId) return null;
  const row = await holdState(tx, holdId);
  return row?.status === "pending" ? row : null;
}

const isShortOfMoney = (error: unknown) => error instanceof Invalid;

/**
 * Holds the event's organizer-funded prize (replacing an earlier hold of another amount). Refused
 * with a field error saying how much to add when the organizer's wallet cannot cover it.
 */
export async function holdOrganizerPrize(tx: DbOrTx, event: EventRow): Promise<EventRow> {
  const current = await pendingHold(tx, event.prizeHoldId);
  if (current && current.amount === event.organizerPrize) return event;
  if (current)
    await voidHold(tx, {
      holdId: event.prizeHoldId!,
      idempotencyKey: `event:${event.id}:prize-hold:${event.prizeHoldId}:void`,
      description: `Prize money for ${event.name} changed: released`,
    });
  let prizeHoldId: string | null = null;
  if (event.organizerPrize > 0) {
    try {
      prizeHoldId = (
        await hold(tx, {
          userId: event.organizerId,
          amount: event.organizerPrize,
          category: "prize",
          description: `Prize money you put up for ${event.name} (held until the bracket starts)`,
          idempotencyKey: `event:${event.id}:prize-hold:${crypto.randomUUID()}`,
          metadata: { eventId: event.id },
        })
      ).holdId;
    } catch (error) {
      if (!isShortOfMoney(error)) throw error;
      const { available } = await walletBalances(tx, event.organizerId);
      throw new Invalid(
        `The prize you put up is held from your wallet when the event is published. Your wallet has ${formatMoney(available)} available: add ${formatMoney(event.organizerPrize - available)} or lower the prize.`,
        { field: "organizerPrize" },
      );
    }
  }
  const [updated] = await tx.update(events).set({ prizeHoldId }).where(eq(events.id, event.id)).returning();
  return updated!;
}

/**
 * The bracket starts: the organizer's prize goes into the escrow. An event published before prizes
 * were held (or made without publishing) is funded from the organizer's wallet now; refused, with
 * the amount, when the wallet cannot cover it.
 */
export async function fundOrganizerPrize(tx: DbOrTx, event: EventRow): Promise<void> {
  if (event.organizerPrize <= 0) return;
  const escrow = await eventEscrowAccount(tx, event.id);
  const metadata = { eventId: event.id };
  if (await pendingHold(tx, event.prizeHoldId)) {
    await postHold(tx, {
      holdId: event.prizeHoldId!,
      toAccountId: escrow,
      idempotencyKey: `event:${event.id}:prize-post`,
      description: `Prize money you put up for ${event.name}`,
      metadata,
    });
    return;
  }
  try {
    await debit(tx, {
      userId: event.organizerId,
      amount: event.organizerPrize,
      toAccountId: escrow,
      category: "prize",
      description: `Prize money you put up for ${event.name}`,
      idempotencyKey: `event:${event.id}:prize-funding`,
      metadata,
    });
  } catch (error) {
    if (!isShortOfMoney(error)) throw error;
    throw new Invalid(
      `The organizer's wallet does not hold the ${formatMoney(event.organizerPrize)} put up as prize money: add it to the wallet, then start the bracket.`,
    );
  }
}

/** The event is cancelled before its bracket started: the held prize goes back to the organizer. */
export async function releaseOrganizerPrize(tx: DbOrTx, event: EventRow): Promise<void> {
  if (!(await pendingHold(tx, event.prizeHoldId))) return;
  await voidHold(tx, {
    holdId: event.prizeHoldId!,
    idempotencyKey: `event:${event.id}:prize-release`,
    description: `${event.name} was cancelled: your prize money is released`,
  });
}
