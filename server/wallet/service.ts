import { and, desc, eq, sql } from "drizzle-orm";
import type { Db, DbOrTx } from "@/db/client";
import { auditLog } from "@/db/schema/platform";
import type { TransferCategory, TransferOperation } from "@/server/ledger";
import { userDirectory, userExists } from "@/server/accounts/directory";
import type { SessionUser } from "@/server/accounts/roles";
import { NotFound } from "@/server/errors";
import type { PaymentGateway } from "@/server/payments/gateway";
import { announce } from "@/server/live/announce";
import { cancelPayment } from "@/server/payments/cancel";
import { getPayment, pendingPayments, startPayment } from "@/server/payments/service";
import { credit, debit, platformAccount, walletAccounts, walletBalances } from "@/server/ledger";
import { formatMoney } from "@/lib/money";
import type { HistoryFilters } from "./schemas";

/** A card top-up: a payment whose success credits the wallet (see topup-purpose.ts). */
export function startTopUp(db: Db, gateway: PaymentGateway, input: { userId: string; amount: number; idempotencyKey: string }) {
  return startPayment(db, gateway, {
    ...input,
    purpose: "wallet_topup",
    description: `Driftwood wallet top-up of ${formatMoney(input.amount)}`,
  });
}

/**
 * The player's "Cancel" on an unfinished top-up: the card processor cancels it (see
 * cancelPayment), and the answer says in words how it ended. A top-up the card had in fact paid
 * is credited as usual and said so; a second cancel answers like the first. Someone else's
 * payment, or one that is not a top-up, is NOT_FOUND.
 */
export async function cancelTopUp(db: Db, gateway: PaymentGateway, userId: string, paymentId: string) {
  const payment = await getPayment(db, paymentId);
  if (!payment || payment.userId !== userId || payment.purpose !== "wallet_topup") throw new NotFound("We could not find that top-up.");
  const ended = await cancelPayment(db, gateway, payment);
  const money = formatMoney(ended.amount);
  if (ended.status === "succeeded") {
    return {
      status: "succeeded" as const,
      message: `Your card was already charged for this top-up, so it could not be cancelled: ${money} is in your wallet.`,
    };
  }
  return { status: "canceled" as const, message: `The top-up of ${money} was cancelled. Nothing was charged.` };
}

export async function walletOverview(db: DbOrTx, userId: string) {
  const [balances, pending] = await Promise.all([walletBalances(db, userId), pendingPayments(db, userId, "wallet_topup")]);
  return { balances, pendingTopUps: pending };
}

export interface HistoryRow {
  /** Unique in the history: "l<entry id>" for a wallet movement, "c<refund id>" for a card refund. */
  key: string;
  /** A wallet movement: its ledger entry and transfer. */
  entryId: number | null;
  transferId: string | null;
  /** A card refund moves no wallet money: it is shown for the record, its balance unchanged. */
  kind: "wallet" | "card_refund";
  createdAt: Date;
  category: TransferCategory;
  operation: TransferOperation;
  description: string;
  amount: number;
  /** The wallet's available balance after a movement; null for a card refund. */
  balanceAfter: number | null;
  metadata: Record<string, string | number | null>;
}

interface RawHistoryRow extends Record<string, unknown> {
  kind: "l" | "c";
  num: string;
  uid: string;
  at_key: string;
  created_at: Date;
  transfer_id: string | null;
  category: HistoryRow["category"];
  operation: HistoryRow["operation"];
  description: string;
  amount: string;
  balance_after: string | null;
  metadata: HistoryRow["metadata"];
  refund_status: string | null;
  card_last4: string | null;
}

/** A page's cursor: the last row's (time to the microsecond, kind, entry id, refund id). */
const cursorOf = (row: RawHistoryRow) => [row.at_key, row.kind, row.num, row.uid].join("|");
function parseCursor(cursor: string): [string, string, string, string] | null {
  const parts = cursor.split("|");
  return parts.length === 4 && /^\d{4}-\d{2}-\d{2}T[\d:.]+Z$/.test(parts[0]!) && /^[lc]$/.test(parts[1]!) && /^\d+$/.test(parts[2]!)
    ? (parts as [string, string, string, string])
    : null;
}

function cardRefundWords(amount: number, status: string | null, last4: string | null) {
  const card = last4 ? `card •••• ${last4}` : "your card";
  return `Refunded ${formatMoney(amount)} to ${card}${status === "pending" ? " (on its way: cards take 5–10 days)" : ""}`;
}

/**
 * The wallet's history, newest first, a page at a time: movements of its available balance (a hold
 * read as what it became: "Entry fee: Friday Fights" once posted) and, for the record, refunds
 * sent to the player's card, which move no wallet money. The cursor is the last row's position,
 * so pages never repeat or skip rows while new ones arrive.
 */
export async function walletHistory(
  db: DbOrTx,
  userId: string,
  input: { filters: HistoryFilters; cursor?: string | null; limit: number },
): Promise<{ rows: HistoryRow[]; nextCursor: string | null }> {
  const wallet = await walletAccounts(db, userId);
  const { category, from, to } = input.filters;
  const fromAt = from ? `${from}T00:00:00Z` : null;
  const toAt = to ? new Date(Date.parse(`${to}T00:00:00Z`) + 86_400_000).toISOString() : null;
  const position = input.cursor ? parseCursor(input.cursor) : null;
  const rows = await db.execute<RawHistoryRow>(sql`
    select h.*, to_char(h.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as at_key from (
      select 'l'::text as kind, e.id::text as num, ''::text as uid, e.created_at, t.id as transfer_id, t.category, t.operation,
        coalesce(s.description, t.description) as description, e.amount, e.balance_after, t.metadata,
        null::text as refund_status, null::text as card_last4
      from ledger_entries e
      join ledger_transfers t on t.id = e.transfer_id
      left join ledger_holds lh on lh.hold_transfer_id = t.id and lh.status = 'posted'
      left join ledger_transfers s on s.id = lh.settle_transfer_id
      where e.account_id = ${wallet.available}
        and (${category ?? null}::ledger_transfer_category is null or t.category = ${category ?? null}::ledger_transfer_category)
      union all
      select 'c', '0', r.id::text, r.created_at, null, 'refund'::ledger_transfer_category, 'refund'::ledger_transfer_operation,
        '', r.amount, null, jsonb_build_object('paymentId', p.id), r.status::text, p.card_last4
      from payment_refunds r join payments p on p.id = r.payment_id
      where p.user_id = ${userId} and p.purpose <> 'wallet_topup' and r.status <> 'failed'
        and (${category ?? null}::ledger_transfer_category is null or ${category ?? null}::ledger_transfer_category = 'refund')
    ) h
    where (${fromAt}::timestamptz is null or h.created_at >= ${fromAt}::timestamptz)
      and (${toAt}::timestamptz is null or h.created_at < ${toAt}::timestamptz)
      and (${position === null} or (h.created_at, h.kind, h.num::bigint, h.uid) < (${position?.[0] ?? null}::timestamptz, ${position?.[1] ?? null}::text, ${position?.[2] ?? null}::bigint, ${position?.[3] ?? null}::text))
    order by h.created_at desc, h.kind desc, h.num::bigint desc, h.uid desc
    limit ${input.limit + 1}`);
  const page = rows.slice(0, input.limit).map((row): HistoryRow => {
    const card = row.kind === "c";
    const amount = Number(row.amount);
    return {
      key: `${row.kind}${card ? row.uid : row.num}`,
      entryId: card ? null : Number(row.num),
      transferId: row.transfer_id,
      kind: card ? "card_refund" : "wallet",
      createdAt: new Date(row.created_at),
      category: row.category,
      operation: row.operation,
      description: card ? cardRefundWords(amount, row.refund_status, row.card_last4) : row.description,
      amount,
      balanceAfter: card ? null : Number(row.balance_after ?? 0),
      metadata: row.metadata,
    };
  });
  return { rows: page, nextCursor: rows.length > input.limit ? cursorOf(rows[input.limit - 1]!) : null };
}

/** Every matching row, newest first as on the page, a batch at a time, for the CSV export. */
export async function* walletHistoryBatches(db: DbOrTx, userId: string, filters: HistoryFilters): AsyncGenerator<HistoryRow[]> {
  let cursor: string | null = null;
  do {
    const page: { rows: HistoryRow[]; nextCursor: string | null } = await walletHistory(db, userId, { filters, cursor, limit: 500 });
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
  if (!(await userExists(db, input.userId))) throw new NotFound("That user does not exist.");
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
    .select({
      id: auditLog.id,
      action: auditLog.action,
      details: auditLog.details,
      createdAt: auditLog.createdAt,
      actorName: userDirectory.name,
    })
    .from(auditLog)
    .leftJoin(userDirectory, eq(userDirectory.id, auditLog.actorId))
    .where(and(eq(auditLog.targetUserId, userId), eq(auditLog.action, "wallet.adjusted")))
    .orderBy(desc(auditLog.createdAt))
    .limit(50);
}
