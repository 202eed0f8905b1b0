/**
 * Test helpers for withdrawals: a bank account row without going through the bank-account form
 * (whose own tests cover it), and money in a wallet.
 */
import type { Db } from "@/db/client";
import { payoutAccounts } from "@/db/schema/withdrawals";
import { credit, platformAccount } from "@/server/ledger";

/** An open payout account for `userId`; `ageHours` old (default 48: past the review window). */
export async function givePayoutAccount(
  db: Db,
  userId: string,
  options: { ageHours?: number; gateway?: string; externalAccountId?: string; connectedAccountId?: string | null; last4?: string } = {},
) {
  const [row] = await db
    .insert(payoutAccounts)
    .values({
      userId,
      holderName: "Test Holder",
      kind: "iban",
      country: "DE",
      bankName: "Test Bank",
      last4: options.last4 ?? "3000",
      numberCiphertext: "not-a-real-ciphertext",
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
