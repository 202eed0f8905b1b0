/**
 * Test data for withdrawals (vitest and the e2e specs): a bank account without going through the
 * bank-account form (whose own tests cover it), money in a wallet, and requests as
 * requestWithdrawal records them, written directly so a test chooses the time and the flags.
 */
import type { Db } from "@/db/client";
import { payoutAccounts, type WithdrawalFlag, withdrawals } from "@/db/schema/withdrawals";
import { credit, creditFromCard, hold, platformAccount } from "@/server/ledger";
import { openPayoutAccount } from "./payout-accounts";
import { withdrawalRules } from "./rules";

/** An open payout account for `userId`, `ageHours` old (default 48: past the review window); its sealed number a dummy. */
export async function givePayoutAccount(
  db: Db,
  userId: string,
  options: {
    ageHours?: number;
    gateway?: string;
    externalAccountId?: string;
    connectedAccountId?: string | null;
    last4?: string;
    bankName?: string;
    holderName?: string;
    numberCiphertext?: string;
  } = {},
) {
  const [row] = await db
    .insert(payoutAccounts)
    .values({
      userId,
      holderName: options.holderName ?? "Test Holder",
      kind: "iban",
      country: "DE",
      bankName: options.bankName ?? "Test Bank",
      last4: options.last4 ?? "3000",
      numberCiphertext: options.numberCiphertext ?? "not-a-real-ciphertext",
      keyVersion: 0,
      gateway: options.gateway ?? "simulated",
      gatewayExternalAccountId: options.externalAccountId ?? "ba_test",
      gatewayConnectedAccountId: options.connectedAccountId ?? null,
      createdAt: new Date(Date.now() - (options.ageHours ?? 48) * 3600_000),
    })
    .returning();
  return row!;
}

/** Puts `amount` cents in the player's available balance (from the adjustments account). */
export async function fundWallet(db: Db, userId: string, amount: number) {
  await credit(db, {
    userId,
    fromAccountId: await platformAccount(db, "adjustments"),
    amount,
    category: "adjustment",
    description: "Test funds",
    idempotencyKey: `test-funds:${crypto.randomUUID()}`,
  });
}

/** Money in the wallet (a card top-up, default 2,000.00) and a bank account added `ageHours` ago. */
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
  return givePayoutAccount(db, userId, {
    ageHours: options.ageHours,
    holderName: options.holderName,
    numberCiphertext: options.numberCiphertext ?? "x",
    bankName: "Rhine Bank",
    last4: "4321",
  });
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
