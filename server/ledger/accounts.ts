/** Ledger accounts: a user's wallet pair, an event's escrow, the platform's own accounts. */
import { and, eq, isNull } from "drizzle-orm";
import { PgTransaction } from "drizzle-orm/pg-core";
import type { DbOrTx } from "@/db/client";
import { ledgerAccounts, type AccountKind } from "@/db/schema/ledger";

export interface WalletAccounts {
  available: string;
  held: string;
}

/**
 * An account's id never changes once the account exists (accounts are never deleted), so the
 * lookups on every checkout are kept per pool. Not inside a transaction: an account it opened
 * would be gone if it rolled back.
 */
const accountIds = new WeakMap<object, Map<string, unknown>>();
const ACCOUNT_IDS_KEPT = 50_000;

async function knownAccount<T>(db: DbOrTx, key: string, look: () => Promise<T>): Promise<T> {
  if (db instanceof PgTransaction) return look();
  let known = accountIds.get(db);
  if (!known) accountIds.set(db, (known = new Map()));
  const hit = known.get(key) as T | undefined;
  if (hit !== undefined) return hit;
  const value = await look();
  if (known.size >= ACCOUNT_IDS_KEPT) known.clear();
  known.set(key, value);
  return value;
}

/** The user's two wallet accounts, opened on first use. */
export function walletAccounts(db: DbOrTx, userId: string): Promise<WalletAccounts> {
  return knownAccount(db, `wallet:${userId}`, () => findWalletAccounts(db, userId));
}

async function findWalletAccounts(db: DbOrTx, userId: string): Promise<WalletAccounts> {
  const existing = await db
    .select({ id: ledgerAccounts.id, kind: ledgerAccounts.kind })
    .from(ledgerAccounts)
    .where(eq(ledgerAccounts.userId, userId));
  const available = existing.find((a) => a.kind === "wallet_available")?.id;
  const held = existing.find((a) => a.kind === "wallet_held")?.id;
  if (!available || !held) {
    await db
      .insert(ledgerAccounts)
      .values([
        { kind: "wallet_available", userId, balance: 0 },
        { kind: "wallet_held", userId, balance: 0 },
      ])
      .onConflictDoNothing();
    return findWalletAccounts(db, userId);
  }
  return { available, held };
}

type PlatformKind = Exclude<AccountKind, "wallet_available" | "wallet_held" | "event_escrow">;

export async function platformAccount(db: DbOrTx, kind: PlatformKind): Promise<string> {
  const [row] = await db
    .select({ id: ledgerAccounts.id })
    .from(ledgerAccounts)
    .where(and(eq(ledgerAccounts.kind, kind), isNull(ledgerAccounts.userId), isNull(ledgerAccounts.eventId)));
  if (row) return row.id;
  await db.insert(ledgerAccounts).values({ kind }).onConflictDoNothing();
  return platformAccount(db, kind);
}

/** The account that holds an event's entry fees until prizes and refunds are paid from it. */
export function eventEscrowAccount(db: DbOrTx, eventId: string): Promise<string> {
  return knownAccount(db, `escrow:${eventId}`, () => findEventEscrowAccount(db, eventId));
}

async function findEventEscrowAccount(db: DbOrTx, eventId: string): Promise<string> {
  const [row] = await db
    .select({ id: ledgerAccounts.id })
    .from(ledgerAccounts)
    .where(and(eq(ledgerAccounts.kind, "event_escrow"), eq(ledgerAccounts.eventId, eventId)));
  if (row) return row.id;
  await db.insert(ledgerAccounts).values({ kind: "event_escrow", eventId }).onConflictDoNothing();
  return findEventEscrowAccount(db, eventId);
}
