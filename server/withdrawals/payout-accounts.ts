import { and, eq, isNull } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { payoutAccounts } from "@/db/schema/withdrawals";

export type PayoutAccountRow = typeof payoutAccounts.$inferSelect;

/** What a page may show of a bank account: never the number, only its last four digits. */
export interface PayoutAccountView {
  id: string;
  holderName: string;
  kind: PayoutAccountRow["kind"];
  country: string;
  bankName: string | null;
  last4: string;
  createdAt: Date;
}

export function payoutAccountView(row: PayoutAccountRow): PayoutAccountView {
  return {
    id: row.id,
    holderName: row.holderName,
    kind: row.kind,
    country: row.country,
    bankName: row.bankName,
    last4: row.last4,
    createdAt: row.createdAt,
  };
}

/** The player's current bank account for withdrawals, or null. */
export async function openPayoutAccount(db: DbOrTx, userId: string): Promise<PayoutAccountRow | null> {
  const [row] = await db
    .select()
    .from(payoutAccounts)
    .where(and(eq(payoutAccounts.userId, userId), isNull(payoutAccounts.removedAt)));
  return row ?? null;
}

export async function payoutAccountById(db: DbOrTx, id: string): Promise<PayoutAccountRow | null> {
  const [row] = await db.select().from(payoutAccounts).where(eq(payoutAccounts.id, id));
  return row ?? null;
}
