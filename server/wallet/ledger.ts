import { createHash } from "node:crypto";
import { TRPCError } from "@trpc/server";
import { and, eq, isNull, sql } from "drizzle-orm";
import type postgres from "postgres";
import type { DbOrTx } from "@/db/client";
import { pgErrorCode } from "@/db/errors";
import {
  ledgerAccounts,
  ledgerHolds,
  ledgerTransfers,
  type AccountKind,
  type TransferCategory,
  type TransferOperation,
} from "@/db/schema";

export interface Leg {
  accountId: string;
  /** Signed cents: positive adds to the account. */
  amount: number;
}

export interface TransferRequest {
  idempotencyKey: string;
  category: TransferCategory;
  operation: TransferOperation;
  description: string;
  metadata?: Record<string, string | number | null>;
  refundOf?: string;
  legs: Leg[];
}

export interface PostedTransfer {
  transferId: string;
  /** True when the key had been used before and this is the first result again. */
  replayed: boolean;
}

export const insufficientFunds = () =>
  new TRPCError({ code: "BAD_REQUEST", message: "There is not enough money in the wallet for this." });

function assertCents(amount: number, field = "amount") {
  if (!Number.isSafeInteger(amount) || amount <= 0) {
    throw new TRPCError({ code: "BAD_REQUEST", message: `The ${field} must be a positive whole number of cents.` });
  }
}

/** What makes two requests "the same": the money moved and why, not the wording. */
function paramsHash(request: TransferRequest): string {
  const legs = [...request.legs].sort((a, b) => a.accountId.localeCompare(b.accountId) || a.amount - b.amount);
  const canonical = JSON.stringify([request.category, request.operation, request.refundOf ?? null, legs.map((l) => [l.accountId, l.amount])]);
  return createHash("sha256").update(canonical).digest("hex");
}

// One constant text with array parameters, sent as a named prepared statement: the server parses
// and plans it once per connection instead of on every money movement (see bench:ledger).
const POST_TRANSFER_SQL = `select transfer_id, replayed from ledger_post_transfer(
  $1, $2, $3::ledger_transfer_category, $4::ledger_transfer_operation, $5, $6::jsonb, $7::uuid, $8::uuid[], $9::bigint[])`;

/**
 * The postgres.js client under a Drizzle database or transaction. Inside a transaction it is the
 * transaction's own connection, so the call joins the caller's transaction.
 */
function rawClient(db: DbOrTx): postgres.Sql {
  const client = (db as unknown as { session?: { client?: postgres.Sql } }).session?.client;
  if (!client) throw new Error("ledger: expected a postgres.js-backed Drizzle database");
  return client;
}

/**
 * Posts one balanced transfer, or returns the one already posted under its key. Works alone (one
 * statement, its own transaction) or inside the caller's transaction.
 */
export async function postTransfer(db: DbOrTx, request: TransferRequest): Promise<PostedTransfer> {
  if (!request.idempotencyKey || request.idempotencyKey.length > 200) {
    throw new TRPCError({ code: "BAD_REQUEST", message: "Every money movement needs an idempotency key (at most 200 characters)." });
  }
  try {
    const rows = await rawClient(db).unsafe<{ transfer_id: string; replayed: boolean }[]>(
      POST_TRANSFER_SQL,
      [
        request.idempotencyKey,
        paramsHash(request),
        request.category,
        request.operation,
        request.description,
        JSON.stringify(request.metadata ?? {}),
        request.refundOf ?? null,
        request.legs.map((leg) => leg.accountId),
        request.legs.map((leg) => leg.amount),
      ],
      { prepare: true },
    );
    const row = rows[0]!;
    return { transferId: row.transfer_id, replayed: row.replayed };
  } catch (error) {
    switch (pgErrorCode(error)) {
      case "DW001":
        throw insufficientFunds();
      case "DW002":
        throw new TRPCError({
          code: "CONFLICT",
          message: "This request was already made with different details. Start again to make a new one.",
        });
      case "DW003":
      case "DW004":
        throw new TRPCError({ code: "BAD_REQUEST", message: "That transfer is not valid.", cause: error });
      default:
        throw error;
    }
  }
}

export interface WalletAccounts {
  available: string;
  held: string;
}

/** The user's two wallet accounts, opened on first use. */
export async function walletAccounts(db: DbOrTx, userId: string): Promise<WalletAccounts> {
  const existing = await db
    .select({ id: ledgerAccounts.id, kind: ledgerAccounts.kind })
    .from(ledgerAccounts)
    .where(eq(ledgerAccounts.userId, userId));
  let available = existing.find((a) => a.kind === "wallet_available")?.id;
  let held = existing.find((a) => a.kind === "wallet_held")?.id;
  if (!available || !held) {
    await db
      .insert(ledgerAccounts)
      .values([
        { kind: "wallet_available", userId, balance: 0 },
        { kind: "wallet_held", userId, balance: 0 },
      ])
      .onConflictDoNothing();
    return walletAccounts(db, userId);
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
export async function eventEscrowAccount(db: DbOrTx, eventId: string): Promise<string> {
  const [row] = await db
    .select({ id: ledgerAccounts.id })
    .from(ledgerAccounts)
    .where(and(eq(ledgerAccounts.kind, "event_escrow"), eq(ledgerAccounts.eventId, eventId)));
  if (row) return row.id;
  await db.insert(ledgerAccounts).values({ kind: "event_escrow", eventId }).onConflictDoNothing();
  return eventEscrowAccount(db, eventId);
}

interface Movement {
  idempotencyKey: string;
  amount: number;
  category: TransferCategory;
  description: string;
  metadata?: Record<string, string | number | null>;
}

/** Money into a user's available balance from another account (a card clearing, an escrow…). */
export async function credit(db: DbOrTx, input: Movement & { userId: string; fromAccountId: string }) {
  assertCents(input.amount);
  const wallet = await walletAccounts(db, input.userId);
  return postTransfer(db, {
    ...input,
    operation: "credit",
    legs: [
      { accountId: input.fromAccountId, amount: -input.amount },
      { accountId: wallet.available, amount: input.amount },
    ],
  });
}

/** Money that came in by card (card clearing) into a user's available balance. */
export async function creditFromCard(db: DbOrTx, input: Movement & { userId: string }) {
  return credit(db, { ...input, fromAccountId: await platformAccount(db, "card_clearing") });
}

/** Money out of a user's available balance; refused when it is not there. */
export async function debit(db: DbOrTx, input: Movement & { userId: string; toAccountId: string }) {
  assertCents(input.amount);
  const wallet = await walletAccounts(db, input.userId);
  return postTransfer(db, {
    ...input,
    operation: "debit",
    legs: [
      { accountId: wallet.available, amount: -input.amount },
      { accountId: input.toAccountId, amount: input.amount },
    ],
  });
}

export async function transfer(db: DbOrTx, input: Movement & { fromAccountId: string; toAccountId: string }) {
  assertCents(input.amount);
  return postTransfer(db, {
    ...input,
    operation: "transfer",
    legs: [
      { accountId: input.fromAccountId, amount: -input.amount },
      { accountId: input.toAccountId, amount: input.amount },
    ],
  });
}

/** Runs `fn` in the caller's transaction (as a savepoint) or in a new one. */
function atomically<T>(db: DbOrTx, fn: (tx: DbOrTx) => Promise<T>): Promise<T> {
  return db.transaction(fn);
}

export interface HoldResult {
  holdId: string;
  transferId: string;
}

/** Sets wallet money aside (available → held) until it is posted or voided. */
export async function hold(db: DbOrTx, input: Movement & { userId: string }): Promise<HoldResult> {
  assertCents(input.amount);
  return atomically(db, async (tx) => {
    const wallet = await walletAccounts(tx, input.userId);
    const posted = await postTransfer(tx, {
      ...input,
      operation: "hold",
      legs: [
        { accountId: wallet.available, amount: -input.amount },
        { accountId: wallet.held, amount: input.amount },
      ],
    });
    if (posted.replayed) {
      const [existing] = await tx.select({ id: ledgerHolds.id }).from(ledgerHolds).where(eq(ledgerHolds.holdTransferId, posted.transferId));
      return { holdId: existing!.id, transferId: posted.transferId };
    }
    const [created] = await tx
      .insert(ledgerHolds)
      .values({
        userId: input.userId,
        amount: input.amount,
        category: input.category,
        description: input.description,
        holdTransferId: posted.transferId,
      })
      .returning({ id: ledgerHolds.id });
    return { holdId: created!.id, transferId: posted.transferId };
  });
}

async function lockHold(tx: DbOrTx, holdId: string) {
  const [found] = await tx.select().from(ledgerHolds).where(eq(ledgerHolds.id, holdId)).for("update");
  if (!found) throw new TRPCError({ code: "NOT_FOUND", message: "That hold does not exist." });
  return found;
}

/** A settled hold answers a replay of its own settlement: same key, same money movement. */
async function settledEarlier(tx: DbOrTx, settleTransferId: string | null, request: TransferRequest) {
  if (!settleTransferId) return false;
  const [settle] = await tx
    .select({ key: ledgerTransfers.idempotencyKey, hash: ledgerTransfers.paramsHash })
    .from(ledgerTransfers)
    .where(eq(ledgerTransfers.id, settleTransferId));
  return settle?.key === request.idempotencyKey && settle.hash === paramsHash(request);
}

/**
 * Pays `amount` (default: all) of a hold to `toAccountId` and releases the rest to the wallet.
 * A hold settles once; the same key again returns that settlement.
 */
export async function postHold(
  db: DbOrTx,
  input: { holdId: string; toAccountId: string; amount?: number; idempotencyKey: string; description?: string; metadata?: Movement["metadata"] },
): Promise<PostedTransfer> {
  return atomically(db, async (tx) => {
    const held = await lockHold(tx, input.holdId);
    const amount = input.amount ?? held.amount;
    assertCents(amount);
    if (amount > held.amount) {
      throw new TRPCError({ code: "BAD_REQUEST", message: "You cannot post more than the hold." });
    }
    const wallet = await walletAccounts(tx, held.userId);
    const remainder = held.amount - amount;
    const request: TransferRequest = {
      idempotencyKey: input.idempotencyKey,
      category: held.category,
      operation: "post",
      description: input.description ?? held.description,
      metadata: { ...input.metadata, holdId: held.id },
      legs: [
        { accountId: wallet.held, amount: -held.amount },
        { accountId: input.toAccountId, amount },
        ...(remainder > 0 ? [{ accountId: wallet.available, amount: remainder }] : []),
      ],
    };
    if (held.status !== "pending") {
      if (await settledEarlier(tx, held.settleTransferId, request)) return { transferId: held.settleTransferId!, replayed: true };
      throw new TRPCError({ code: "CONFLICT", message: `This hold was already ${held.status}.` });
    }
    const posted = await postTransfer(tx, request);
    await tx
      .update(ledgerHolds)
      .set({ status: "posted", postedAmount: amount, settleTransferId: posted.transferId, settledAt: new Date() })
      .where(eq(ledgerHolds.id, held.id));
    return posted;
  });
}

/** Releases a hold in full back to the wallet's available balance. */
export async function voidHold(
  db: DbOrTx,
  input: { holdId: string; idempotencyKey: string; description?: string },
): Promise<PostedTransfer> {
  return atomically(db, async (tx) => {
    const held = await lockHold(tx, input.holdId);
    const wallet = await walletAccounts(tx, held.userId);
    const request: TransferRequest = {
      idempotencyKey: input.idempotencyKey,
      category: held.category,
      operation: "void",
      description: input.description ?? `Released: ${held.description}`,
      metadata: { holdId: held.id },
      legs: [
        { accountId: wallet.held, amount: -held.amount },
        { accountId: wallet.available, amount: held.amount },
      ],
    };
    if (held.status !== "pending") {
      if (await settledEarlier(tx, held.settleTransferId, request)) return { transferId: held.settleTransferId!, replayed: true };
      throw new TRPCError({ code: "CONFLICT", message: `This hold was already ${held.status}.` });
    }
    const posted = await postTransfer(tx, request);
    await tx
      .update(ledgerHolds)
      .set({ status: "voided", settleTransferId: posted.transferId, settledAt: new Date() })
      .where(eq(ledgerHolds.id, held.id));
    return posted;
  });
}

/**
 * Gives back `amount` of an earlier two-sided transfer: from where the money went to where it came
 * from. All refunds of one transfer together never exceed it.
 */
export async function refund(
  db: DbOrTx,
  input: { transferId: string; amount: number; idempotencyKey: string; description: string; metadata?: Movement["metadata"] },
): Promise<PostedTransfer> {
  assertCents(input.amount);
  return atomically(db, async (tx) => {
    // Locking the original serializes refunds of it, so two at once cannot both fit under the cap.
    const [original] = await tx.select().from(ledgerTransfers).where(eq(ledgerTransfers.id, input.transferId)).for("update");
    if (!original) throw new TRPCError({ code: "NOT_FOUND", message: "That payment does not exist." });
    const legs = await tx.execute<{ account_id: string; amount: string }>(
      sql`select account_id, sum(amount)::bigint as amount from ledger_entries where transfer_id = ${original.id} group by account_id having sum(amount) <> 0`,
    );
    const from = legs.filter((l) => Number(l.amount) < 0);
    const to = legs.filter((l) => Number(l.amount) > 0);
    // Holds and their settlements move money inside one wallet; undoing them is voidHold's job.
    const refundable = original.operation === "debit" || original.operation === "credit" || original.operation === "transfer";
    if (from.length !== 1 || to.length !== 1 || !refundable) {
      throw new TRPCError({ code: "BAD_REQUEST", message: "Only a simple payment between two accounts can be refunded." });
    }
    const request: TransferRequest = {
      idempotencyKey: input.idempotencyKey,
      category: "refund",
      operation: "refund",
      description: input.description,
      metadata: { ...input.metadata, refundOf: original.id },
      refundOf: original.id,
      legs: [
        { accountId: to[0]!.account_id, amount: -input.amount },
        { accountId: from[0]!.account_id, amount: input.amount },
      ],
    };
    const [earlier] = await tx
      .select({ id: ledgerTransfers.id })
      .from(ledgerTransfers)
      .where(eq(ledgerTransfers.idempotencyKey, input.idempotencyKey));
    if (!earlier) {
      const [refunded] = await tx.execute<{ total: string }>(
        sql`select coalesce(sum(amount), 0)::bigint as total from ledger_transfers where refund_of = ${original.id}`,
      );
      const remaining = original.amount - Number(refunded!.total);
      if (input.amount > remaining) {
        throw new TRPCError({
          code: "BAD_REQUEST",
          message: remaining === 0 ? "This payment has already been refunded in full." : `At most ${remaining} cents can still be refunded.`,
        });
      }
    }
    return postTransfer(tx, request);
  });
}

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
  if (!row) throw new TRPCError({ code: "NOT_FOUND", message: "No such account." });
  return Number(row.balance);
}
