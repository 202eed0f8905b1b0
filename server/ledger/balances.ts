/** Balances: a wallet's (stored on its accounts) and any account's. */
import { eq, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { ledgerAccounts } from "@/db/schema/ledger";
import { NotFound } from "@/server/errors";

export interface WalletBalances {
  available: number;
  held: number;
  current: number;
}

export async function walletBalances(db: DbOrTx, userId: string): Promise<WalletBalances> {
  const rows = await db
    .select({ kind: ledgerAccounts.kind, balance: ledgerAccounts.balance })
    .from(ledgerAccounts)
    .where(eq(ledgerAccounts.userId, userId));
  const available = rows.find((r) => r.kind === "wallet_available")?.balance ?? 0;
  const held = rows.find((r) => r.kind === "wallet_held")?.balance ?? 0;
  return { available, held, current: available + held };
}

/** A platform account's balance is the sum of its entries (it keeps no stored balance). */
export async function accountBalance(db: DbOrTx, accountId: string): Promise<number> {
  const [row] = await db.execute<{ balance: string }>(sql`
    select coalesce(a.balance, (select coalesce(sum(e.amount), 0) from ledger_entries e where e.account_id = a.id))::bigint as balance
    from ledger_accounts a where a.id = ${accountId}`);
  if (!row) throw new NotFound("No such account.");
  return Number(row.balance);
}
