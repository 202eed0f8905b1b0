/** Refunds: an earlier transfer given back, in full or in parts that never exceed it. */
import { eq, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { ledgerTransfers } from "@/db/schema/ledger";
import { Invalid, NotFound } from "@/server/errors";
import type { Movement } from "./movements";
import { assertCents, atomically, postTransfer, type PostedTransfer, type TransferRequest } from "./posting";

/**
 * Gives back `amount` of an earlier two-sided transfer: from where the money went to where it came
 * from. All refunds of one transfer together never exceed it.
 */
export async function refund(
  db: DbOrTx,
  input: { transferId: string; amount: number; idempotencyKey: string; description: string; metadata?: Movement["metadata"] },
): Promise<PostedTransfer> {
  assertCents(input.amount);
  return atomically(db, async (tx) => {
    // Locking the original serializes refunds of it, so two at once cannot both fit under the cap.
    const [original] = await tx.select().from(ledgerTransfers).where(eq(ledgerTransfers.id, input.transferId)).for("update");
    if (!original) throw new NotFound("That payment does not exist.");
    const legs = await tx.execute<{ account_id: string; amount: string }>(
      sql`select account_id, sum(amount)::bigint as amount from ledger_entries where transfer_id = ${original.id} group by account_id having sum(amount) <> 0`,
    );
    const from = legs.filter((l) => Number(l.amount) < 0);
    const to = legs.filter((l) => Number(l.amount) > 0);
    // Holds and their settlements move money inside one wallet; undoing them is voidHold's job.
    const refundable = original.operation === "debit" || original.operation === "credit" || original.operation === "transfer";
    if (from.length !== 1 || to.length !== 1 || !refundable) {
      throw new Invalid("Only a simple payment between two accounts can be refunded.");
    }
    const request: TransferRequest = {
      idempotencyKey: input.idempotencyKey,
      category: "refund",
      operation: "refund",
      description: input.description,
      metadata: { ...input.metadata, refundOf: original.id },
      refundOf: original.id,
      legs: [
        { accountId: to[0]!.account_id, amount: -input.amount },
        { accountId: from[0]!.account_id, amount: input.amount },
      ],
    };
    const [earlier] = await tx
      .select({ id: ledgerTransfers.id })
      .from(ledgerTransfers)
      .where(eq(ledgerTransfers.idempotencyKey, input.idempotencyKey));
    if (!earlier) {
      const [refunded] = await tx.execute<{ total: string }>(
        sql`select coalesce(sum(amount), 0)::bigint as total from ledger_transfers where refund_of = ${original.id}`,
      );
      const remaining = original.amount - Number(refunded!.total);
      if (input.amount > remaining) {
        throw new Invalid(
          remaining === 0 ? "This payment has already been refunded in full." : `At most ${remaining} cents can still be refunded.`,
        );
      }
    }
    return postTransfer(tx, request);
  });
}
