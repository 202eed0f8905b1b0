/**
 * A player's bank account for withdrawals: saving (registered with the payment gateway first,
 * outside any transaction, then recorded), replacing (the old row is closed, never changed, so
 * withdrawals keep the account they were sent to) and removing. The number is sealed
 * (bank-box.ts) before it is written and never returned, logged or put in a job.
 */
import { and, desc, eq, inArray, isNotNull, isNull } from "drizzle-orm";
import type { Db, DbOrTx } from "@/db/client";
import { auditLog } from "@/db/schema/platform";
import { payoutAccounts, withdrawals } from "@/db/schema/withdrawals";
import { Conflict, Internal, Invalid, NotFound } from "@/server/errors";
import { GatewayRequestError, type BankAccountDetails, type PaymentGateway } from "@/server/payments/gateway";
import { notify } from "@/server/notifications/service";
import { CURRENCY } from "@/lib/money";
import { openBankNumber, sealBankNumber } from "./bank-box";
import type { BankAccountInput, SaveBankAccountInput } from "./bank-schemas";
import { openPayoutAccount, type PayoutAccountRow, type PayoutAccountView, payoutAccountView } from "./payout-accounts";
import { lockPlayerWithdrawals, WAITING } from "./requests";
import { withdrawalRules, type WithdrawalRules } from "./rules";
import type { LimitRule } from "@/server/rate-limit";

/** The audit actions of a saved and a removed account. */
export const BANK_ACCOUNT_ADDED = "withdrawals.bank_account_added";
export const BANK_ACCOUNT_REMOVED = "withdrawals.bank_account_removed";

/** Saving and removing, per player: each save reaches the payment gateway. */
export const BANK_ACCOUNT_LIMIT: LimitRule = { name: "bank-account:user", points: 10, durationSeconds: 60 * 60 };

/** The gateway calls this file needs (a test double implements just these). */
export type BankAccountGateway = Pick<PaymentGateway, "name" | "registerBankAccount">;

export async function bankAccountOf(db: DbOrTx, userId: string): Promise<PayoutAccountView | null> {
  const row = await openPayoutAccount(db, userId);
  return row ? payoutAccountView(row) : null;
}

/** Until when withdrawals to this account wait for a person's review (requests.ts flags them "new_account"). */
export function reviewEndOf(account: Pick<PayoutAccountView, "createdAt">, rules: WithdrawalRules = withdrawalRules): Date {
  return new Date(account.createdAt.getTime() + rules.newAccountReviewHours * 3600_000);
}

/** The parts of the number that are sealed: what the gateway needs to pay, and nothing shown. */
interface SealedNumber {
  iban?: string;
  accountNumber?: string;
  routingNumber?: string;
}

function numberOf(account: BankAccountInput): SealedNumber {
  if (account.kind === "iban") return { iban: account.iban };
  return account.routingNumber
    ? { accountNumber: account.accountNumber, routingNumber: account.routingNumber }
    : { accountNumber: account.accountNumber };
}

function countryOf(account: BankAccountInput): string {
  return account.kind === "iban" ? account.iban.slice(0, 2) : account.country;
}

function lastFour(account: BankAccountInput): string {
  return (account.kind === "iban" ? account.iban : account.accountNumber).slice(-4);
}

/** The row an earlier attempt with this key saved; a key someone else used is refused. */
async function savedWithKey(db: DbOrTx, userId: string, idempotencyKey: string): Promise<PayoutAccountRow | null> {
  const [row] = await db.select().from(payoutAccounts).where(eq(payoutAccounts.idempotencyKey, idempotencyKey));
  if (row && row.userId !== userId) throw new Conflict("This bank account was already saved with different details. Please start again.");
  return row ?? null;
}

/** A replay must carry the same account: the key names one attempt, not whatever is sent with it. */
async function replayed(row: PayoutAccountRow, input: SaveBankAccountInput): Promise<PayoutAccountView> {
  const stored = await openBankNumber(row.numberCiphertext, row.keyVersion);
  if (stored !== JSON.stringify(numberOf(input.account)) || row.holderName !== input.account.holderName) {
    throw new Conflict("This bank account was already saved with different details. Please start again.");
  }
  return payoutAccountView(row);
}

function refusal(error: unknown): Error {
  if (!(error instanceof GatewayRequestError)) return error instanceof Error ? error : new Error(String(error));
  if (error.kind === "idempotency") return new Conflict("This bank account was already sent with different details. Please start again.");
  if (error.kind === "unavailable") {
    return new Internal(
      "We could not reach our payment processor to register your bank account. Nothing was saved; please try again in a few minutes.",
      {
        cause: error,
      },
    );
  }
  return new Invalid(`Your bank account was refused: ${error.message}`);
}

function notice(added: PayoutAccountRow, replaced: PayoutAccountRow | null) {
  const bank = added.bankName ? ` (${added.bankName})` : "";
  const instead = replaced ? `, replacing the one ending ${replaced.last4}` : "";
  const what = `A bank account ending ${added.last4}${bank} was added to your Driftwood account for withdrawals${instead}.`;
  const ifNotYou =
    "If this was not you, change your password at once and contact us: withdrawals to a new account wait for a review first.";
  return {
    userId: added.userId,
    dedupeKey: `payout-account:${added.id}:added`,
    title: replaced ? "Your bank account for withdrawals was changed" : "A bank account was added for withdrawals",
    body: `${what} ${ifNotYou}`,
    link: "/wallet/bank",
    email: {
      subject: replaced ? "Your bank account for withdrawals was changed" : "A bank account was added to your Driftwood account",
      text: `${what}\n\n${ifNotYou}`,
    },
  };
}

/**
 * Saves the player's bank account, replacing the current one. Three phases: nothing to record
 * first (a replay is found through the key), the gateway registers the account under
 * `payout-account:<key>` (no transaction open), then one transaction closes the old row, inserts
 * the new one with the sealed number, writes the audit entry and queues the notice (email and
 * in-app). The same key again returns the same row without asking the gateway again.
 */
export async function saveBankAccount(
  db: Db,
  gateway: BankAccountGateway,
  user: { id: string; email: string },
  input: SaveBankAccountInput,
): Promise<PayoutAccountView> {
  const earlier = await savedWithKey(db, user.id, input.idempotencyKey);
  if (earlier) return replayed(earlier, input);

  // The player's connected account (Stripe Connect) is made once and kept for every later account.
  const [latest] = await db
    .select({ connectedAccountId: payoutAccounts.gatewayConnectedAccountId })
    .from(payoutAccounts)
    .where(
      and(
        eq(payoutAccounts.userId, user.id),
        eq(payoutAccounts.gateway, gateway.name),
        isNotNull(payoutAccounts.gatewayConnectedAccountId),
      ),
    )
    .orderBy(desc(payoutAccounts.createdAt))
    .limit(1);

  const { account } = input;
  const number = numberOf(account);
  const details: BankAccountDetails = {
    holderName: account.holderName,
    country: countryOf(account),
    currency: CURRENCY.toLowerCase(),
    ...number,
  };
  let registered: Awaited<ReturnType<BankAccountGateway["registerBankAccount"]>>;
  try {
    registered = await gateway.registerBankAccount({
      userId: user.id,
      email: user.email,
      connectedAccountId: latest?.connectedAccountId ?? null,
      details,
      idempotencyKey: `payout-account:${input.idempotencyKey}`,
    });
  } catch (error) {
    throw refusal(error);
  }

  const sealed = await sealBankNumber(JSON.stringify(number));
  return db.transaction(async (tx) => {
    // The lock withdrawal requests take: a request reads the open account under it.
    await lockPlayerWithdrawals(tx, user.id);
    const concurrent = await savedWithKey(tx, user.id, input.idempotencyKey);
    if (concurrent) return replayed(concurrent, input);

    const previous = await openPayoutAccount(tx, user.id);
    if (previous) await tx.update(payoutAccounts).set({ removedAt: new Date() }).where(eq(payoutAccounts.id, previous.id));
    const [row] = await tx
      .insert(payoutAccounts)
      .values({
        userId: user.id,
        holderName: account.holderName,
        kind: account.kind,
        country: details.country,
        bankName: registered.bankName,
        last4: lastFour(account),
        numberCiphertext: sealed.ciphertext,
        keyVersion: sealed.keyVersion,
        gatewayConnectedAccountId: registered.connectedAccountId,
        gatewayExternalAccountId: registered.externalAccountId,
        gateway: gateway.name,
        idempotencyKey: input.idempotencyKey,
      })
      .returning();
    await tx.insert(auditLog).values({
      actorId: user.id,
      action: BANK_ACCOUNT_ADDED,
      targetUserId: user.id,
      details: {
        payoutAccountId: row!.id,
        last4: row!.last4,
        ...(previous ? { replacedLast4: previous.last4 } : {}),
      },
    });
    await notify(tx, notice(row!, previous));
    return payoutAccountView(row!);
  });
}

/** Closes the player's bank account; refused while a withdrawal still waits to be sent. */
export async function removeBankAccount(db: Db, userId: string): Promise<{ removed: true }> {
  return db.transaction(async (tx) => {
    await lockPlayerWithdrawals(tx, userId);
    const account = await openPayoutAccount(tx, userId);
    if (!account) throw new NotFound("You have no bank account to remove.");
    const [waiting] = await tx
      .select({ id: withdrawals.id })
      .from(withdrawals)
      .where(and(eq(withdrawals.userId, userId), inArray(withdrawals.status, [...WAITING])))
      .limit(1);
    if (waiting) {
      throw new Conflict(
        "A withdrawal is still waiting to be sent. Cancel it, or wait until it has been sent, before you remove your bank account.",
      );
    }
    await tx
      .update(payoutAccounts)
      .set({ removedAt: new Date() })
      .where(and(eq(payoutAccounts.id, account.id), isNull(payoutAccounts.removedAt)));
    await tx
      .insert(auditLog)
      .values({ actorId: userId, action: BANK_ACCOUNT_REMOVED, targetUserId: userId, details: { last4: account.last4 } });
    return { removed: true as const };
  });
}
