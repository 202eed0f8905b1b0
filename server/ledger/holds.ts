/**
 * Holds: wallet money set aside (available → held) until it is posted somewhere, in full or in
 * part, or voided back. Each step is one ledger transfer with its own key; a hold settles once, and
 * the same settlement asked again answers as the first time.
 */
import { eq } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { ledgerHolds, ledgerTransfers } from "@/db/schema/ledger";
import { Conflict, Invalid, NotFound } from "@/server/errors";
import { walletAccounts, type WalletAccounts } from "./accounts";
import type { Movement } from "./movements";
import { assertCents, atomically, paramsHash, postTransfer, type PostedTransfer, type TransferRequest } from "./posting";

/** A hold's amount and state (pending until posted or voided), or null when there is no such hold. */
export async function holdState(
  db: DbOrTx,
  holdId: string,
): Promise<{ amount: number; status: (typeof ledgerHolds.$inferSelect)["status"] } | null> {
  const [row] = await db
    .select({ amount: ledgerHolds.amount, status: ledgerHolds.status })
    .from(ledgerHolds)
    .where(eq(ledgerHolds.id, holdId));
  return row ?? null;
}

export interface HoldResult {
  holdId: string;
  transferId: string;
}

/** Sets wallet money aside (available → held) until it is posted or voided. */
export async function hold(db: DbOrTx, input: Movement & { userId: string; wallet?: WalletAccounts }): Promise<HoldResult> {
  assertCents(input.amount);
  return atomically(db, async (tx) => {
    const wallet = input.wallet ?? (await walletAccounts(tx, input.userId));
    const posted = await postTransfer(tx, {
      ...input,
      operation: "hold",
      legs: [
        { accountId: wallet.available, amount: -input.amount },
        { accountId: wallet.held, amount: input.amount },
      ],
    });
    if (posted.replayed) {
      const [existing] = await tx.select({ id: ledgerHolds.id }).from(ledgerHolds).where(eq(ledgerHolds.holdTransferId, posted.transferId));
      return { holdId: existing!.id, transferId: posted.transferId };
    }
    const [created] = await tx
      .insert(ledgerHolds)
      .values({
        userId: input.userId,
        amount: input.amount,
        category: input.category,
        description: input.description,
        holdTransferId: posted.transferId,
      })
      .returning({ id: ledgerHolds.id });
    return { holdId: created!.id, transferId: posted.transferId };
  });
}

async function lockHold(tx: DbOrTx, holdId: string) {
  const [found] = await tx.select().from(ledgerHolds).where(eq(ledgerHolds.id, holdId)).for("update");
  if (!found) throw new NotFound("That hold does not exist.");
  return found;
}

/** A settled hold answers a replay of its own settlement: same key, same money movement. */
async function settledEarlier(tx: DbOrTx, settleTransferId: string | null, request: TransferRequest) {
  if (!settleTransferId) return false;
  const [settle] = await tx
    .select({ key: ledgerTransfers.idempotencyKey, hash: ledgerTransfers.paramsHash })
    .from(ledgerTransfers)
    .where(eq(ledgerTransfers.id, settleTransferId));
  return settle?.key === request.idempotencyKey && settle.hash === paramsHash(request);
}

/**
 * Pays `amount` (default: all) of a hold to `toAccountId` and releases the rest to the wallet.
 * A hold settles once; the same key again returns that settlement.
 */
export async function postHold(
  db: DbOrTx,
  input: {
    holdId: string;
    toAccountId: string;
    amount?: number;
    idempotencyKey: string;
    description?: string;
    metadata?: Movement["metadata"];
  },
): Promise<PostedTransfer> {
  return atomically(db, async (tx) => {
    const held = await lockHold(tx, input.holdId);
    const amount = input.amount ?? held.amount;
    assertCents(amount);
    if (amount > held.amount) {
      throw new Invalid("You cannot post more than the hold.");
    }
    const wallet = await walletAccounts(tx, held.userId);
    const remainder = held.amount - amount;
    const request: TransferRequest = {
      idempotencyKey: input.idempotencyKey,
      category: held.category,
      operation: "post",
      description: input.description ?? held.description,
      metadata: { ...input.metadata, holdId: held.id },
      legs: [
        { accountId: wallet.held, amount: -held.amount },
        { accountId: input.toAccountId, amount },
        ...(remainder > 0 ? [{ accountId: wallet.available, amount: remainder }] : []),
      ],
    };
    if (held.status !== "pending") {
      if (await settledEarlier(tx, held.settleTransferId, request)) return { transferId: held.settleTransferId!, replayed: true };
      throw new Conflict(`This hold was already ${held.status}.`);
    }
    const posted = await postTransfer(tx, request);
    await tx
      .update(ledgerHolds)
      .set({ status: "posted", postedAmount: amount, settleTransferId: posted.transferId, settledAt: new Date() })
      .where(eq(ledgerHolds.id, held.id));
    return posted;
  });
}

/** Releases a hold in full back to the wallet's available balance. */
export async function voidHold(
  db: DbOrTx,
  input: { holdId: string; idempotencyKey: string; description?: string },
): Promise<PostedTransfer> {
  return atomically(db, async (tx) => {
    const held = await lockHold(tx, input.holdId);
    const wallet = await walletAccounts(tx, held.userId);
    const request: TransferRequest = {
      idempotencyKey: input.idempotencyKey,
      category: held.category,
      operation: "void",
      description: input.description ?? `Released: ${held.description}`,
      metadata: { holdId: held.id },
      legs: [
        { accountId: wallet.held, amount: -held.amount },
        { accountId: wallet.available, amount: held.amount },
      ],
    };
    if (held.status !== "pending") {
      if (await settledEarlier(tx, held.settleTransferId, request)) return { transferId: held.settleTransferId!, replayed: true };
      throw new Conflict(`This hold was already ${held.status}.`);
    }
    const posted = await postTransfer(tx, request);
    await tx
      .update(ledgerHolds)
      .set({ status: "voided", settleTransferId: posted.transferId, settledAt: new Date() })
      .where(eq(ledgerHolds.id, held.id));
    return posted;
  });
}
