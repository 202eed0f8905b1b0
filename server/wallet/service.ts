import { TRPCError } from "@trpc/server";
import { and, desc, eq, gte, lt, sql, type SQL } from "drizzle-orm";
import type { Db, DbOrTx } from "@/db/client";
import { alias } from "drizzle-orm/pg-core";
import { auditLog, ledgerEntries, ledgerHolds, ledgerTransfers, users } from "@/db/schema";
import type { SessionUser } from "@/server/accounts/roles";
import type { PaymentGateway } from "@/server/payments/gateway";
import { announce } from "@/server/live/announce";
import { pendingPayments, startPayment } from "@/server/payments/service";
import { credit, debit, platformAccount, walletAccounts, walletBalances } from "./ledger";
import { formatMoney } from "./money";
import type { HistoryFilters } from "./schemas";

/** A card top-up: a payment whose success credits the wallet (see payments/purposes.ts). */
export function startTopUp(db: Db, gateway: PaymentGateway, input: { userId: string; amount: number; idempotencyKey: string }) {
  return startPayment(db, gateway, {
    ...input,
    purpose: "wallet_topup",
    description: `Driftwood wallet top-up of ${formatMoney(input.amount)}`,
  });
}

export async function walletOverview(db: DbOrTx, userId: string) {
  const [balances, pending] = await Promise.all([walletBalances(db, userId), pendingPayments(db, userId, "wallet_topup")]);
  return { balances, pendingTopUps: pending };
}

const settled = alias(ledgerTransfers, "settled");

export interface HistoryRow {
  entryId: number;
  transferId: string;
  createdAt: Date;
  category: (typeof ledgerTransfers.$inferSelect)["category"];
  operation: (typeof ledgerTransfers.$inferSelect)["operation"];
  description: string;
  amount: number;
  balanceAfter: number;
  metadata: Record<string, string | number | null>;
}

function filtersSql(accountId: string, filters: HistoryFilters): SQL[] {
  const where: SQL[] = [eq(ledgerEntries.accountId, accountId)];
  if (filters.category) where.push(eq(ledgerTransfers.category, filters.category));
  if (filters.from) where.push(gte(ledgerEntries.createdAt, new Date(`${filters.from}T00:00:00Z`)));
  if (filters.to) where.push(lt(ledgerEntries.createdAt, new Date(Date.parse(`${filters.to}T00:00:00Z`) + 86_400_000)));
  return where;
}

/**
 * Movements of the wallet's available balance, newest first, a page at a time. The cursor is the
 * last entry id seen, so pages never repeat or skip rows while new ones arrive.
 */
export async function walletHistory(
  db: DbOrTx,
  userId: string,
  input: { filters: HistoryFilters; cursor?: number | null; limit: number },
): Promise<{ rows: HistoryRow[]; nextCursor: number | null }> {
  const wallet = await walletAccounts(db, userId);
  const where = filtersSql(wallet.available, input.filters);
  if (input.cursor) where.push(lt(ledgerEntries.id, input.cursor));
  const rows = await db
    .select({
      entryId: ledgerEntries.id,
      transferId: ledgerTransfers.id,
      createdAt: ledgerEntries.createdAt,
      category: ledgerTransfers.category,
      operation: ledgerTransfers.operation,
      // A hold reads as what it became: "Entry fee: Friday Fights" once posted, not "held until…".
      description: sql<string>`coalesce(${settled.description}, ${ledgerTransfers.description})`,
      amount: ledgerEntries.amount,
      balanceAfter: ledgerEntries.balanceAfter,
      metadata: ledgerTransfers.metadata,
    })
    .from(ledgerEntries)
    .innerJoin(ledgerTransfers, eq(ledgerTransfers.id, ledgerEntries.transferId))
    .leftJoin(ledgerHolds, and(eq(ledgerHolds.holdTransferId, ledgerTransfers.id), eq(ledgerHolds.status, "posted")))
    .leftJoin(settled, eq(settled.id, ledgerHolds.settleTransferId))
    .where(and(...where))
    .orderBy(desc(ledgerEntries.id))
    .limit(input.limit + 1);
  const page = rows.slice(0, input.limit).map((row) => ({ ...row, balanceAfter: row.balanceAfter ?? 0 }));
  return { rows: page, nextCursor: rows.length > input.limit ? page.at(-1)!.entryId : null };
}

/** Every matching row, newest first as on the page, a batch at a time, for the CSV export. */
export async function* walletHistoryBatches(db: DbOrTx, userId: string, filters: HistoryFilters): AsyncGenerator<HistoryRow[]> {
  let cursor: number | null = null;
  do {
    const page: { rows: HistoryRow[]; nextCursor: number | null } = await walletHistory(db, userId, { filters, cursor, limit: 500 });
    yield page.rows;
    cursor = page.nextCursor;
  } while (cursor);
}

/** The available balance at the end of each of the last `days` days (UTC), for the chart. */
export async function balanceSeries(db: DbOrTx, userId: string, days = 90): Promise<{ day: string; balance: number }[]> {
  const wallet = await walletAccounts(db, userId);
  const rows = await db.execute<{ day: string; balance: string }>(sql`
    with days as (
      select generate_series((now() at time zone 'utc')::date - ${days - 1}::int, (now() at time zone 'utc')::date, interval '1 day')::date as day
    )
    select to_char(d.day, 'YYYY-MM-DD') as day,
      coalesce((select e.balance_after from ledger_entries e
                where e.account_id = ${wallet.available} and e.created_at < (d.day + 1)::timestamp at time zone 'utc'
                order by e.id desc limit 1), 0)::bigint as balance
    from days d order by d.day`);
  return rows.map((row) => ({ day: row.day, balance: Number(row.balance) }));
}

/**
 * An administrator's correction to a wallet, with a mandatory reason, recorded in the audit log in
 * the same transaction. A negative adjustment cannot take the wallet below zero.
 */
export async function adjustWallet(
  db: Db,
  actor: SessionUser,
  input: { userId: string; amount: number; reason: string; idempotencyKey: string },
) {
  const [target] = await db.select({ id: users.id }).from(users).where(eq(users.id, input.userId));
  if (!target) throw new TRPCError({ code: "NOT_FOUND", message: "That user does not exist." });
  return db.transaction(async (tx) => {
    const adjustments = await platformAccount(tx, "adjustments");
    const movement = {
      userId: input.userId,
      amount: Math.abs(input.amount),
      category: "adjustment" as const,
      description: `Adjustment by Driftwood staff: ${input.reason}`,
      idempotencyKey: `adjust:${input.idempotencyKey}`,
      metadata: { actorId: actor.id, reason: input.reason },
    };
    const posted =
      input.amount > 0
        ? await credit(tx, { ...movement, fromAccountId: adjustments })
        : await debit(tx, { ...movement, toAccountId: adjustments });
    if (!posted.replayed) {
      await announce(tx, `user:${input.userId}`, { kind: "wallet.changed" });
      await tx.insert(auditLog).values({
        actorId: actor.id,
        action: "wallet.adjusted",
        targetUserId: input.userId,
        details: { amount: input.amount, reason: input.reason, transferId: posted.transferId },
      });
    }
    return { transferId: posted.transferId, balances: await walletBalances(tx, input.userId) };
  });
}

export async function walletAuditTrail(db: DbOrTx, userId: string) {
  return db
    .select({ id: auditLog.id, action: auditLog.action, details: auditLog.details, createdAt: auditLog.createdAt, actorName: users.name })
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.actorId))
    .where(and(eq(auditLog.targetUserId, userId), eq(auditLog.action, "wallet.adjusted")))
    .orderBy(desc(auditLog.createdAt))
    .limit(50);
}
