import { and, asc, eq, gt, ne, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { payoutAccounts } from "@/db/schema/withdrawals";
import { openBankNumber, type PayoutKeyring, PayoutKeyError, payoutKeyring, sealBankNumber } from "./bank-box";

export interface RotationOutcome {
  /** Rows sealed again under the current version. */
  resealed: number;
  /** Rows that were already under it. */
  alreadyCurrent: number;
  current: number;
}

/**
 * Seals every payout account number that is not under the keyring's current version again under
 * it (closed accounts too: withdrawals keep pointing at them), in batches of `batchSize`, each row
 * by a conditional update on its old version, so a row changed meanwhile is left to the next pass.
 * Refuses before touching anything when a row's version is not in the keyring.
 */
export async function rotatePayoutKeys(
  db: DbOrTx,
  options: { keyring?: PayoutKeyring; batchSize?: number; onBatch?: (done: number) => void } = {},
): Promise<RotationOutcome> {
  const keyring = options.keyring ?? (await payoutKeyring());
  const batchSize = options.batchSize ?? 500;
  const versions = await db
    .select({ version: payoutAccounts.keyVersion, count: sql<number>`count(*)::int` })
    .from(payoutAccounts)
    .groupBy(payoutAccounts.keyVersion);
  const missing = versions.filter((row) => !keyring.keys.has(row.version));
  if (missing.length > 0) {
    throw new PayoutKeyError(
      `Payout accounts are sealed under key version ${missing.map((row) => `${row.version} (${row.count} rows)`).join(", ")}, ` +
        "which PAYOUT_ENCRYPTION_KEY does not list: add the old key back beside the new one, then run this again.",
    );
  }
  const alreadyCurrent = versions.find((row) => row.version === keyring.current)?.count ?? 0;

  let resealed = 0;
  let after = "00000000-0000-0000-0000-000000000000";
  for (;;) {
    const batch = await db
      .select({ id: payoutAccounts.id, ciphertext: payoutAccounts.numberCiphertext, version: payoutAccounts.keyVersion })
      .from(payoutAccounts)
      .where(and(ne(payoutAccounts.keyVersion, keyring.current), gt(payoutAccounts.id, after)))
      .orderBy(asc(payoutAccounts.id))
      .limit(batchSize);
    if (batch.length === 0) break;
    for (const row of batch) {
      const sealed = await sealBankNumber(await openBankNumber(row.ciphertext, row.version, keyring), keyring);
      const updated = await db
        .update(payoutAccounts)
        .set({ numberCiphertext: sealed.ciphertext, keyVersion: sealed.keyVersion })
        .where(and(eq(payoutAccounts.id, row.id), eq(payoutAccounts.keyVersion, row.version)))
        .returning({ id: payoutAccounts.id });
      resealed += updated.length;
    }
    after = batch.at(-1)!.id;
    options.onBatch?.(resealed);
  }
  return { resealed, alreadyCurrent, current: keyring.current };
}
