/**
 * A player's withdrawal requests: asking (the amount and the fee held in the wallet in the same
 * transaction that records the request, every limit checked under the player's withdrawal lock),
 * cancelling before approval, and reading them back.
 */
import { and, desc, eq, gt, inArray, notInArray, or, sql } from "drizzle-orm";
import type { Db, DbOrTx } from "@/db/client";
import { payoutAccounts, withdrawals, type WithdrawalFlag, type WithdrawalStatus } from "@/db/schema/withdrawals";
import { Conflict, Forbidden, Invalid, NotFound } from "@/server/errors";
import { enqueueJob } from "@/server/jobs/queue";
import { hold, voidHold, walletBalances } from "@/server/ledger";
import { announce } from "@/server/live/announce";
import { metrics } from "@/server/metrics";
import { notify } from "@/server/notifications/service";
import { formatMoney } from "@/lib/money";
import { SECOND_FACTOR_NEEDED, type WithdrawalView } from "./display";
import { openPayoutAccount, payoutAccountById, type PayoutAccountRow } from "./payout-accounts";

export { SECOND_FACTOR_NEEDED, type WithdrawalView };
import { withdrawalRules, type WithdrawalRules } from "./rules";

type Withdrawal = typeof withdrawals.$inferSelect;

export const SEND_PAYOUT_TASK = "send-withdrawal-payout";

/** Statuses that still count against the pending limit: nothing has left yet. */
export const WAITING: readonly WithdrawalStatus[] = ["requested", "approved"];
/** Statuses that gave the money back: they do not count against the daily limit. */
export const RETURNED: readonly WithdrawalStatus[] = ["failed", "rejected", "canceled"];

export function withdrawalView(row: Withdrawal, account: Pick<PayoutAccountRow, "last4" | "bankName" | "holderName">): WithdrawalView {
  return {
    id: row.id,
    amount: row.amount,
    fee: row.fee,
    status: row.status,
    flags: row.flags,
    bank: { last4: account.last4, bankName: account.bankName, holderName: account.holderName },
    failureMessage: row.failureMessage,
    decisionReason: row.decisionReason,
    requestedAt: row.requestedAt,
    approvedAt: row.approvedAt,
    sentAt: row.sentAt,
    paidAt: row.paidAt,
    failedAt: row.failedAt,
    closedAt: row.closedAt,
  };
}

/** Serialises one player's requests (and cancellations), so limits are checked against settled numbers. */
export async function lockPlayerWithdrawals(tx: DbOrTx, userId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`withdrawals:${userId}`}, 0))`);
}

async function byKey(db: DbOrTx, idempotencyKey: string): Promise<Withdrawal | null> {
  const [row] = await db.select().from(withdrawals).where(eq(withdrawals.idempotencyKey, idempotencyKey));
  return row ?? null;
}

async function replayed(db: DbOrTx, row: Withdrawal, input: { userId: string; amount: number }): Promise<WithdrawalView> {
  if (row.userId !== input.userId || row.amount !== input.amount) {
    throw new Conflict("This withdrawal was already asked for with different details. Please start again.");
  }
  return withdrawalView(row, (await payoutAccountById(db, row.payoutAccountId))!);
}

/** What the wallet gives for a withdrawal of `amount`, and the limits it must fit; throws the first rule it breaks. */
export function checkAmount(amount: number, rules: WithdrawalRules = withdrawalRules): void {
  if (!Number.isSafeInteger(amount) || amount < rules.min) {
    throw new Invalid(`The smallest withdrawal is ${formatMoney(rules.min)}.`, { field: "amount" });
  }
  if (amount > rules.max) throw new Invalid(`The largest withdrawal is ${formatMoney(rules.max)}.`, { field: "amount" });
}

export interface RequestInput {
  userId: string;
  amount: number;
  idempotencyKey: string;
  requestIp: string | null;
}

export interface RequestOptions {
  rules?: WithdrawalRules;
  now?: Date;
  /**
   * Asked only for a new request over the threshold, before anything is written: whether the
   * caller proved their second factor (and spent it). Never asked for a replay.
   */
  proveSecondFactor?: () => Promise<boolean>;
}

/**
 * Asks for a withdrawal. In one transaction, under the player's withdrawal lock: the limits
 * (pending count, the 24-hour sum), the hold of amount + fee (the ledger refuses more than the
 * available balance), the request row, and the flags that send it to review (a bank account added
 * within the review window, many requests in an hour). An unflagged request is approved at once and
 * its payout queued; a flagged one waits for an admin. The same key again returns the first request.
 */
export async function requestWithdrawal(db: Db, input: RequestInput, options: RequestOptions = {}): Promise<WithdrawalView> {
  const rules = options.rules ?? withdrawalRules;
  const existing = await byKey(db, input.idempotencyKey);
  if (existing) return replayed(db, existing, input);
  checkAmount(input.amount, rules);
  let secondFactor = false;
  if (input.amount > rules.secondFactorOver) {
    // A code is single use: refuse what the rules would refuse anyway before spending it (checked again under the lock).
    await checkRoom(db, input, rules, options.now ?? new Date());
    const balances = await walletBalances(db, input.userId);
    if (balances.available < input.amount + rules.fee)
      throw new Invalid("There is not enough money in the wallet for this.", { field: "amount" });
    if (!options.proveSecondFactor || !(await options.proveSecondFactor())) throw new Forbidden(SECOND_FACTOR_NEEDED);
    secondFactor = true;
  }

  let velocityFlagged = false;
  let fresh = false;
  const view = await db.transaction(async (tx) => {
    await lockPlayerWithdrawals(tx, input.userId);
    const again = await byKey(tx, input.idempotencyKey);
    if (again) return replayed(tx, again, input);

    const now = options.now ?? new Date();
    const { account, counts } = await checkRoom(tx, input, rules, now);

    const flags: WithdrawalFlag[] = [];
    if (now.getTime() - account.createdAt.getTime() < rules.newAccountReviewHours * 3600_000) flags.push("new_account");
    if (counts.lastHour + 1 >= rules.velocityAlert) {
      flags.push("velocity");
      velocityFlagged = true;
    }

    const id = crypto.randomUUID();
    const total = input.amount + rules.fee;
    const held = await hold(tx, {
      userId: input.userId,
      amount: total,
      category: "withdrawal",
      description: `Withdrawal to ${bankWords(account)}`,
      idempotencyKey: `withdrawal:${id}:hold`,
      metadata: { withdrawalId: id, fee: rules.fee },
    });
    const approved = flags.length === 0;
    fresh = true;
    const [row] = await tx
      .insert(withdrawals)
      .values({
        id,
        userId: input.userId,
        payoutAccountId: account.id,
        amount: input.amount,
        fee: rules.fee,
        status: approved ? "approved" : "requested",
        idempotencyKey: input.idempotencyKey,
        holdId: held.holdId,
        requestIp: input.requestIp,
        flags,
        secondFactor,
        requestedAt: now,
        approvedAt: approved ? now : null,
        updatedAt: now,
      })
      .returning();
    if (approved) await enqueueJob(tx, SEND_PAYOUT_TASK, { withdrawalId: id }, { jobKey: `payout:${id}`, maxAttempts: 25 });
    await announce(tx, `user:${input.userId}`, { kind: "wallet.changed" });
    await notify(tx, {
      userId: input.userId,
      dedupeKey: `withdrawal:${id}:requested`,
      title: `Withdrawal of ${formatMoney(input.amount)} requested`,
      body: approved
        ? `It is on its way to ${bankWords(account)}. We will tell you when it is sent.`
        : `It waits for a quick review by Driftwood staff before it is sent to ${bankWords(account)}.`,
      link: "/wallet/withdraw",
      email: {
        subject: `Your withdrawal of ${formatMoney(input.amount)}`,
        text: `You asked to withdraw ${formatMoney(input.amount)} (fee ${formatMoney(rules.fee)}) to ${bankWords(account)}.\n\nIf this was not you, change your password and contact support at once.`,
      },
    });
    return withdrawalView(row!, account);
  });
  if (fresh) metrics.withdrawalsRequested.inc({ review: view.status === "requested" ? "yes" : "no" });
  if (velocityFlagged) metrics.withdrawalVelocityAlerts.inc();
  return view;
}

/** The bank account and the room the rules leave (waiting slots, the 24-hour sum); throws the first rule broken. */
async function checkRoom(db: DbOrTx, input: RequestInput, rules: WithdrawalRules, now: Date) {
  const account = await openPayoutAccount(db, input.userId);
  if (!account) throw new Invalid("Add a bank account before you withdraw.", { field: "amount" });
  const counts = await usage(db, input.userId, now);
  if (counts.waiting >= rules.maxPending) {
    throw new Invalid(
      `You already have ${counts.waiting} withdrawals waiting; at most ${rules.maxPending} may wait at once. Wait for one to be sent, or cancel one.`,
      { field: "amount" },
    );
  }
  if (counts.lastDay + input.amount > rules.dailyLimit) {
    const left = Math.max(0, rules.dailyLimit - counts.lastDay);
    throw new Invalid(
      left < rules.min
        ? `You have reached the limit of ${formatMoney(rules.dailyLimit)} in 24 hours. Please try again later.`
        : `At most ${formatMoney(left)} more can be withdrawn in the next 24 hours (the limit is ${formatMoney(rules.dailyLimit)}).`,
      { field: "amount" },
    );
  }
  return { account, counts };
}

export function bankWords(account: Pick<PayoutAccountRow, "bankName" | "last4">): string {
  return `${account.bankName ?? "your bank account"} •••• ${account.last4}`;
}

/** The player takes back a request nobody has approved yet: the amount and the fee return to the wallet. */
export async function cancelWithdrawal(db: Db, userId: string, withdrawalId: string): Promise<WithdrawalView> {
  return db.transaction(async (tx) => {
    await lockPlayerWithdrawals(tx, userId);
    const [row] = await tx.select().from(withdrawals).where(eq(withdrawals.id, withdrawalId)).for("update");
    if (!row || row.userId !== userId) throw new NotFound("We could not find that withdrawal.");
    const account = (await payoutAccountById(tx, row.payoutAccountId))!;
    if (row.status === "canceled") return withdrawalView(row, account);
    if (row.status !== "requested") {
      throw new Conflict("This withdrawal was already approved and can no longer be cancelled.");
    }
    await voidHold(tx, { holdId: row.holdId, idempotencyKey: `withdrawal:${row.id}:release`, description: "Withdrawal cancelled" });
    const now = new Date();
    const [updated] = await tx
      .update(withdrawals)
      .set({ status: "canceled", closedAt: now, updatedAt: now })
      .where(eq(withdrawals.id, row.id))
      .returning();
    await announce(tx, `user:${userId}`, { kind: "wallet.changed" });
    return withdrawalView(updated!, account);
  });
}

/** The player's withdrawals, newest first. */
export async function ownWithdrawals(db: DbOrTx, userId: string, limit = 50): Promise<WithdrawalView[]> {
  const rows = await db
    .select({
      withdrawal: withdrawals,
      account: { last4: payoutAccounts.last4, bankName: payoutAccounts.bankName, holderName: payoutAccounts.holderName },
    })
    .from(withdrawals)
    .innerJoin(payoutAccounts, eq(payoutAccounts.id, withdrawals.payoutAccountId))
    .where(eq(withdrawals.userId, userId))
    .orderBy(desc(withdrawals.requestedAt))
    .limit(limit);
  return rows.map((row) => withdrawalView(row.withdrawal, row.account));
}

/** The player's requests waiting, asked for in the last 24 hours (not returned), and asked for in the last hour. */
async function usage(db: DbOrTx, userId: string, now: Date): Promise<{ waiting: number; lastDay: number; lastHour: number }> {
  const dayAgo = new Date(now.getTime() - 24 * 3600_000);
  const hourAgo = new Date(now.getTime() - 3600_000);
  const [row] = await db
    .select({
      waiting: sql<number>`count(*) filter (where ${inArray(withdrawals.status, [...WAITING])})::int`,
      lastDay: sql<string>`coalesce(sum(${withdrawals.amount}) filter (where ${withdrawals.requestedAt} > ${dayAgo.toISOString()}::timestamptz and ${notInArray(withdrawals.status, [...RETURNED])}), 0)::bigint`,
      lastHour: sql<number>`count(*) filter (where ${withdrawals.requestedAt} > ${hourAgo.toISOString()}::timestamptz)::int`,
    })
    .from(withdrawals)
    .where(and(eq(withdrawals.userId, userId), or(gt(withdrawals.requestedAt, dayAgo), inArray(withdrawals.status, [...WAITING]))));
  return { waiting: row?.waiting ?? 0, lastDay: Number(row?.lastDay ?? 0), lastHour: row?.lastHour ?? 0 };
}

/** How much more the player may withdraw now: the 24-hour room and the waiting slots (for the page). */
export async function withdrawalRoom(db: DbOrTx, userId: string, rules: WithdrawalRules = withdrawalRules, now = new Date()) {
  const used = await usage(db, userId, now);
  return { dailyLeft: Math.max(0, rules.dailyLimit - used.lastDay), slotsLeft: Math.max(0, rules.maxPending - used.waiting) };
}
