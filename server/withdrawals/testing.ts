/**
 * Test data for withdrawals (vitest and the e2e specs): a bank account and requests as
 * requestWithdrawal records them, written directly so a test chooses the time and the flags.
 */
import type { Db } from "@/db/client";
import { payoutAccounts, type WithdrawalFlag, withdrawals } from "@/db/schema/withdrawals";
import { creditFromCard, hold } from "@/server/ledger";
import { openPayoutAccount } from "./payout-accounts";
import { withdrawalRules } from "./rules";

/** Money in the wallet (a card top-up) and a bank account added `ageHours` ago, its sealed number a dummy. */
export async function seedPayoutAccount(
  db: Db,
  userId: string,
  options: { ageHours: number; balance?: number; holderName?: string; numberCiphertext?: string },
) {
  if (options.balance !== 0) {
    await creditFromCard(db, {
      userId,
      amount: options.balance ?? 2_000_00,
      category: "topup",
      description: "Top-up",
      idempotencyKey: crypto.randomUUID(),
    });
  }
  const [account] = await db
    .insert(payoutAccounts)
    .values({
      userId,
      holderName: options.holderName ?? "Test Holder",
      kind: "iban",
      country: "DE",
      bankName: "Rhine Bank",
      last4: "4321",
      numberCiphertext: options.numberCiphertext ?? "x",
      keyVersion: 0,
      gateway: "simulated",
      createdAt: new Date(Date.now() - options.ageHours * 3_600_000),
    })
    .returning();
  return account!;
}

/**
 * A request on the player's open bank account: the amount and the fee held in the wallet (a real
 * ledger hold) and the row, waiting for review when flagged, approved otherwise (its payout job is
 * not queued).
 */
export async function seedWithdrawal(db: Db, userId: string, amount: number, options: { now?: Date; flags?: WithdrawalFlag[] } = {}) {
  const flags = options.flags ?? [];
  const now = options.now ?? new Date();
  const fee = withdrawalRules.fee;
  return db.transaction(async (tx) => {
    const account = await openPayoutAccount(tx, userId);
    if (!account) throw new Error("seedPayoutAccount first");
    const id = crypto.randomUUID();
    const held = await hold(tx, {
      userId,
      amount: amount + fee,
      category: "withdrawal",
      description: "Withdrawal",
      idempotencyKey: `withdrawal:${id}:hold`,
      metadata: { withdrawalId: id, fee },
    });
    const status = flags.length > 0 ? "requested" : "approved";
    const [row] = await tx
      .insert(withdrawals)
      .values({
        id,
        userId,
        payoutAccountId: account.id,
        amount,
        fee,
        status,
        idempotencyKey: crypto.randomUUID(),
        holdId: held.holdId,
        requestIp: "203.0.113.9",
        flags,
        requestedAt: now,
        approvedAt: status === "approved" ? now : null,
        updatedAt: now,
      })
      .returning();
    return row!;
  });
}
