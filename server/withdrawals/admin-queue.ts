/**
 * The admins' review queue of withdrawals (`/admin/withdrawals`): requests flagged for review wait
 * in `requested`, oldest first; any other status lists newest first. A page at a time, filtered by
 * status, UTC days of the request, amount, flags and the player's name or email. A row carries what
 * a decision needs (who, how much, which bank account and how old it is, why it was flagged) and
 * never the account number, clear or sealed. The player's balance and last movements are fetched
 * when an admin opens a row (admin.wallet, admin.walletHistory), so a page costs two statements.
 */
import { and, asc, count, desc, eq, gt, gte, ilike, lt, lte, or, type SQL, sql } from "drizzle-orm";
import { QueryBuilder } from "drizzle-orm/pg-core";
import type { DbOrTx } from "@/db/client";
import { payoutAccounts, type WithdrawalFlag, type WithdrawalStatus, withdrawals } from "@/db/schema/withdrawals";
import { userDirectory } from "@/server/accounts/directory";
import type { WithdrawalQueueFilters } from "./admin-schemas";

const HOUR = 3_600_000;
const DAY = 86_400_000;

export interface WithdrawalQueueRow {
  id: string;
  amount: number;
  fee: number;
  status: WithdrawalStatus;
  flags: WithdrawalFlag[];
  /** Each flag in words, in the order of `flags`. */
  flagWords: string[];
  requestIp: string | null;
  requestedAt: Date;
  decidedBy: { id: string; name: string | null } | null;
  decisionReason: string | null;
  failureMessage: string | null;
  gatewayPayoutId: string | null;
  user: { id: string; name: string; email: string };
  /** The bank account it goes to: never its number, only the last four characters. */
  bank: { holderName: string; bankName: string | null; last4: string; addedAt: Date };
}

export interface WithdrawalQueueCounts {
  /** Requests waiting for an admin now. */
  waiting: number;
  /** Requests flagged for velocity (many in an hour) in the last 24 hours, whatever became of them. */
  velocityLastDay: number;
}

export interface WithdrawalQueuePage {
  rows: WithdrawalQueueRow[];
  total: number;
  page: number;
  pageCount: number;
  counts: WithdrawalQueueCounts;
}

function hoursInWords(hours: number): string {
  if (hours < 1) return "less than an hour";
  return hours === 1 ? "1 hour" : `${hours} hours`;
}

/**
 * new_account → "Bank account added 5 hours ago" (its age now); velocity → "6 requests in the last
 * hour" (the player's requests in the hour up to this one, this one included).
 */
export function flagInWords(flag: WithdrawalFlag, facts: { accountAddedAt: Date; requestsInHour: number; now: Date }): string {
  if (flag === "new_account") {
    const hours = Math.max(0, Math.floor((facts.now.getTime() - facts.accountAddedAt.getTime()) / HOUR));
    return `Bank account added ${hoursInWords(hours)} ago`;
  }
  return `${facts.requestsInHour} request${facts.requestsInHour === 1 ? "" : "s"} in the last hour`;
}

function startOfDay(day: string): Date {
  return new Date(`${day}T00:00:00Z`);
}

function filtersOf(input: WithdrawalQueueFilters): SQL[] {
  const filters: SQL[] = [];
  if (input.status !== "all") filters.push(eq(withdrawals.status, input.status));
  if (input.from) filters.push(gte(withdrawals.requestedAt, startOfDay(input.from)));
  if (input.to) filters.push(lt(withdrawals.requestedAt, new Date(startOfDay(input.to).getTime() + DAY)));
  if (input.minAmount !== undefined) filters.push(gte(withdrawals.amount, input.minAmount));
  if (input.maxAmount !== undefined) filters.push(lte(withdrawals.amount, input.maxAmount));
  if (input.flagged) filters.push(sql`cardinality(${withdrawals.flags}) > 0`);
  if (input.user) {
    const pattern = `%${input.user.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    filters.push(or(ilike(userDirectory.name, pattern), ilike(userDirectory.email, pattern))!);
  }
  return filters;
}

/** How many requests wait now, and how many were flagged for velocity in the last 24 hours (for the header and the nav's badge). */
export async function withdrawalQueueCounts(db: DbOrTx, now = new Date()): Promise<WithdrawalQueueCounts> {
  const [waiting, velocity] = await Promise.all([
    db.select({ value: count() }).from(withdrawals).where(eq(withdrawals.status, "requested")),
    db
      .select({ value: count() })
      .from(withdrawals)
      .where(and(gt(withdrawals.requestedAt, new Date(now.getTime() - DAY)), sql`'velocity' = any(${withdrawals.flags})`)),
  ]);
  return { waiting: waiting[0]?.value ?? 0, velocityLastDay: velocity[0]?.value ?? 0 };
}

/** One page of the queue with its total and the header's counts. */
export async function withdrawalQueue(db: DbOrTx, input: WithdrawalQueueFilters, now = new Date()): Promise<WithdrawalQueuePage> {
  const filters = filtersOf(input);
  const where = filters.length > 0 ? and(...filters) : undefined;
  const decider = new QueryBuilder().select({ id: userDirectory.id, name: userDirectory.name }).from(userDirectory).as("decider");
  // Oldest first while they wait (fairness: first asked, first decided); otherwise the latest first.
  const order = input.status === "requested" ? asc : desc;
  const [rows, [total], counts] = await Promise.all([
    db
      .select({
        id: withdrawals.id,
        amount: withdrawals.amount,
        fee: withdrawals.fee,
        status: withdrawals.status,
        flags: withdrawals.flags,
        requestIp: withdrawals.requestIp,
        requestedAt: withdrawals.requestedAt,
        decidedById: withdrawals.decidedBy,
        decidedByName: decider.name,
        decisionReason: withdrawals.decisionReason,
        failureMessage: withdrawals.failureMessage,
        gatewayPayoutId: withdrawals.gatewayPayoutId,
        userId: userDirectory.id,
        userName: userDirectory.name,
        userEmail: userDirectory.email,
        holderName: payoutAccounts.holderName,
        bankName: payoutAccounts.bankName,
        last4: payoutAccounts.last4,
        accountAddedAt: payoutAccounts.createdAt,
        requestsInHour: sql<number>`(select count(*)::int from withdrawals earlier
          where earlier.user_id = ${withdrawals.userId}
            and earlier.requested_at > ${withdrawals.requestedAt} - interval '1 hour'
            and earlier.requested_at <= ${withdrawals.requestedAt})`,
      })
      .from(withdrawals)
      .innerJoin(userDirectory, eq(userDirectory.id, withdrawals.userId))
      .innerJoin(payoutAccounts, eq(payoutAccounts.id, withdrawals.payoutAccountId))
      .leftJoin(decider, eq(decider.id, withdrawals.decidedBy))
      .where(where)
      .orderBy(order(withdrawals.requestedAt), order(withdrawals.id))
      .limit(input.pageSize)
      .offset((input.page - 1) * input.pageSize),
    db.select({ value: count() }).from(withdrawals).innerJoin(userDirectory, eq(userDirectory.id, withdrawals.userId)).where(where),
    withdrawalQueueCounts(db, now),
  ]);
  const totalCount = total?.value ?? 0;
  return {
    rows: rows.map((row) => ({
      id: row.id,
      amount: row.amount,
      fee: row.fee,
      status: row.status,
      flags: row.flags,
      flagWords: row.flags.map((flag) =>
        flagInWords(flag, { accountAddedAt: row.accountAddedAt, requestsInHour: Number(row.requestsInHour), now }),
      ),
      requestIp: row.requestIp,
      requestedAt: row.requestedAt,
      decidedBy: row.decidedById ? { id: row.decidedById, name: row.decidedByName } : null,
      decisionReason: row.decisionReason,
      failureMessage: row.failureMessage,
      gatewayPayoutId: row.gatewayPayoutId,
      user: { id: row.userId, name: row.userName, email: row.userEmail },
      bank: { holderName: row.holderName, bankName: row.bankName, last4: row.last4, addedAt: row.accountAddedAt },
    })),
    total: totalCount,
    page: input.page,
    pageCount: Math.max(1, Math.ceil(totalCount / input.pageSize)),
    counts,
  };
}
