/**
 * What other domains ask the ledger about transfers already posted: by their idempotency keys, by
 * what they name in their metadata, and an account's balance split by the entry each transfer
 * names. Reads only; every movement goes through posting.
 */
import { and, eq, inArray, like, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { ledgerEntries, ledgerTransfers } from "@/db/schema/ledger";

/** The amount of each transfer posted under one of `keys`, by key (keys never posted are absent). */
export async function transferAmounts(db: DbOrTx, keys: readonly string[]): Promise<Map<string, number>> {
  if (keys.length === 0) return new Map();
  const rows = await db
    .select({ key: ledgerTransfers.idempotencyKey, amount: ledgerTransfers.amount })
    .from(ledgerTransfers)
    .where(inArray(ledgerTransfers.idempotencyKey, [...keys]));
  return new Map(rows.map((row) => [row.key, Number(row.amount)]));
}

/** Transfers whose metadata names `value` under `field` and whose key matches the LIKE `keyLike`: key and amount. */
export async function transfersNaming(
  db: DbOrTx,
  field: string,
  value: string,
  keyLike: string,
): Promise<{ key: string; amount: number }[]> {
  const rows = await db
    .select({ key: ledgerTransfers.idempotencyKey, amount: ledgerTransfers.amount })
    .from(ledgerTransfers)
    .where(and(sql`${ledgerTransfers.metadata} ->> ${field} = ${value}`, like(ledgerTransfers.idempotencyKey, keyLike)));
  return rows.map((row) => ({ key: row.key, amount: Number(row.amount) }));
}

/**
 * The account's balance split by what each transfer's metadata names under `field` (an escrow by
 * the registration each fee and refund names); transfers that name none are under null.
 */
export async function balanceByMetadata(db: DbOrTx, accountId: string, field: string): Promise<Map<string | null, number>> {
  const named = sql<string | null>`${ledgerTransfers.metadata} ->> ${field}`;
  const rows = await db
    .select({ name: named, amount: sql<string>`sum(${ledgerEntries.amount})::bigint` })
    .from(ledgerEntries)
    .innerJoin(ledgerTransfers, eq(ledgerTransfers.id, ledgerEntries.transferId))
    .where(eq(ledgerEntries.accountId, accountId))
    .groupBy(sql`1`);
  return new Map(rows.map((row) => [row.name, Number(row.amount)]));
}
