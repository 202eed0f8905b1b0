/**
 * `npm run payout-keys:rotate`: seals every payout bank account number again under the newest
 * version of PAYOUT_ENCRYPTION_KEY. Add the new key beside the old one first; once this reports
 * nothing left under an old version, the old key may leave the list.
 */
import { connect } from "@/db/client";
import { getDatabase } from "@/server/database";
import { rotatePayoutKeys } from "@/server/withdrawals/key-rotation";

async function main() {
  const url = process.env.DATABASE_URL;
  const database = url ? connect(url, { max: 1 }) : await getDatabase();
  try {
    const outcome = await rotatePayoutKeys(database.db, {
      onBatch: (done) => console.log(`…${done} re-encrypted so far`),
    });
    console.log(
      `Payout keys: ${outcome.resealed} bank account numbers re-encrypted under version ${outcome.current}; ${outcome.alreadyCurrent} were already under it.`,
    );
  } finally {
    await database.close();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
