/**
 * Posting money: balanced transfers through ledger_post_transfers() (sql/ledger_post_transfers.sql),
 * each under an idempotency key, group-committed with whatever else is posted at the same moment
 * (GroupCommit), or posted inside the caller's transaction.
 */
import { createHash } from "node:crypto";
import { performance } from "node:perf_hooks";
import { PgTransaction } from "drizzle-orm/pg-core";
import type postgres from "postgres";
import { postgresClient, type DbOrTx } from "@/db/client";
import { pgErrorCode } from "@/db/errors";
import { Conflict, type DomainError, Internal, Invalid } from "@/server/errors";
import { activeContext, inSpan, linkTo, type OtelContext } from "@/server/tracing";
import type { TransferCategory, TransferOperation } from "@/db/schema/ledger";

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

export const insufficientFunds = () => new Invalid("There is not enough money in the wallet for this.");

/**
 * Refused because it would take a platform account that may not go below zero (see mayGoNegative)
 * there. Only an escrow is ever paid out on a user's or organizer's request, so the message says so.
 */
export const overdrawn = () => new Invalid("The event's escrow does not hold enough money for this.");

export function assertCents(amount: number, field = "amount") {
  if (!Number.isSafeInteger(amount) || amount <= 0) {
    throw new Invalid(`The ${field} must be a positive whole number of cents.`);
  }
}

/** What makes two requests "the same": the money moved and why, not the wording. */
export function paramsHash(request: TransferRequest): string {
  const legs = [...request.legs].sort((a, b) => a.accountId.localeCompare(b.accountId) || a.amount - b.amount);
  const canonical = JSON.stringify([
    request.category,
    request.operation,
    request.refundOf ?? null,
    legs.map((l) => [l.accountId, l.amount]),
  ]);
  return createHash("sha256").update(canonical).digest("hex");
}

// One constant text with array parameters, sent as a named prepared statement: the server parses
// and plans it once per connection instead of on every money movement (see bench:ledger).
const POST_TRANSFERS_SQL = `select ord, transfer_id, outcome from ledger_post_transfers(
  $1::text[], $2::text[], $3::text[]::ledger_transfer_category[], $4::text[]::ledger_transfer_operation[], $5::text[],
  $6::jsonb, $7::uuid[], $8::int[], $9::uuid[], $10::bigint[])`;

/**
 * What ledger_post_transfers() says about each transfer of a batch: short of money is
 * "insufficient" for a wallet and "overdrawn" for a platform account that may not go below zero.
 */
type Outcome = "posted" | "replayed" | "conflict" | "insufficient" | "overdrawn";

interface Prepared {
  request: TransferRequest;
  hash: string;
}

/** ledger_post_transfers()'s arguments for a batch, in order (see POST_TRANSFERS_SQL). */
function batchArguments(batch: Prepared[]) {
  const legs = batch.flatMap((p) => p.request.legs);
  return [
    batch.map((p) => p.request.idempotencyKey),
    batch.map((p) => p.hash),
    batch.map((p) => p.request.category),
    batch.map((p) => p.request.operation),
    batch.map((p) => p.request.description),
    JSON.stringify(batch.map((p) => p.request.metadata ?? {})),
    batch.map((p) => p.request.refundOf ?? null),
    batch.flatMap((p, k) => p.request.legs.map(() => k + 1)),
    legs.map((leg) => leg.accountId),
    legs.map((leg) => leg.amount),
  ];
}

/** Posts transfers in order in one statement (its own transaction, or the caller's). */
async function postBatch(client: postgres.Sql, batch: Prepared[]): Promise<{ transferId: string | null; outcome: Outcome }[]> {
  const rows = await client.unsafe<{ ord: number; transfer_id: string | null; outcome: Outcome }[]>(
    POST_TRANSFERS_SQL,
    batchArguments(batch) as postgres.ParameterOrJSON<never>[],
    { prepare: true },
  );
  const results = new Array<{ transferId: string | null; outcome: Outcome }>(batch.length);
  for (const row of rows) results[row.ord - 1] = { transferId: row.transfer_id, outcome: row.outcome };
  return results;
}

function settle(outcome: { transferId: string | null; outcome: Outcome }): PostedTransfer {
  if (outcome.outcome === "posted" || outcome.outcome === "replayed") {
    return { transferId: outcome.transferId!, replayed: outcome.outcome === "replayed" };
  }
  throw refusal(outcome.outcome);
}

/** The error a caller sees for a transfer the ledger refused (its outcome). */
export function refusal(outcome: string): DomainError {
  if (outcome === "insufficient") return insufficientFunds();
  if (outcome === "overdrawn") return overdrawn();
  if (outcome === "conflict") {
    return new Conflict("This request was already made with different details. Start again to make a new one.");
  }
  return new Internal(`The ledger answered ${outcome}.`);
}

const invalidTransfer = (cause?: unknown) => new Invalid("That transfer is not valid.", { cause });

/** Two or more legs of whole, non-zero cents that sum to zero (the database checks it again). */
function assertBalanced(legs: Leg[]) {
  let sum = 0;
  for (const leg of legs) {
    if (!Number.isSafeInteger(leg.amount) || leg.amount === 0 || !leg.accountId) throw invalidTransfer();
    sum += leg.amount;
  }
  if (legs.length < 2 || sum !== 0) throw invalidTransfer();
}

/** The errors of a batch refused whole, as a caller of one transfer sees them. */
function batchError(error: unknown): unknown {
  const code = pgErrorCode(error);
  return code === "DW003" || code === "DW004" ? invalidTransfer(error) : error;
}

/** Deadlocks with a caller's transaction and serialization failures: the batch is simply sent again. */
const RETRYABLE = new Set(["40P01", "40001"]);

/**
 * Group commit for stand-alone transfers. A transfer arriving while `MAX_IN_FLIGHT` batches are
 * out waits for the next batch instead of taking a connection and a commit of its own: under load
 * a hot wallet row is locked once per batch rather than once per transfer, and a commit carries
 * many transfers. When the ledger is idle a transfer goes out at once, alone, with no added wait.
 * Each transfer keeps its own outcome; a batch that fails as a whole for another reason than a
 * deadlock is retried one transfer at a time, so one bad transfer cannot fail its neighbours.
 */
class GroupCommit {
  private queue: { prepared: Prepared; resolve: (r: PostedTransfer) => void; reject: (e: unknown) => void; caller?: OtelContext }[] = [];
  private inFlight = 0;
  private lastSentAt = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly client: postgres.Sql) {}

  submit(prepared: Prepared): Promise<PostedTransfer> {
    return new Promise((resolve, reject) => {
      this.queue.push({ prepared, resolve, reject, caller: activeContext() });
      this.pump();
    });
  }

  /**
   * One batch at a time, which makes the biggest batches; another goes out only when the last one
   * has been out for STALL_MS (waiting on a wallet a caller's transaction holds, say).
   */
  private pump() {
    while (
      this.queue.length > 0 &&
      (this.inFlight === 0 || (this.inFlight < MAX_IN_FLIGHT && performance.now() - this.lastSentAt >= STALL_MS))
    ) {
      const batch = this.queue.splice(0, MAX_BATCH);
      this.inFlight++;
      this.lastSentAt = performance.now();
      void this.send(batch).finally(() => {
        this.inFlight--;
        // After the callers just answered have sent their next transfers, so those join the batch.
        setImmediate(() => this.pump());
      });
    }
    if (this.queue.length > 0 && this.inFlight < MAX_IN_FLIGHT && !this.timer) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.pump();
      }, STALL_MS);
      this.timer.unref();
    }
  }

  private async send(batch: GroupCommit["queue"], attempt = 1): Promise<void> {
    let results: Awaited<ReturnType<typeof postBatch>>;
    try {
      // Traced as a child of the first caller's span, linked to the others' (one statement for all).
      results = await inSpan(
        "ledger post_transfers",
        {
          parent: batch[0]!.caller,
          links: batch.slice(1).flatMap((b) => linkTo(b.caller)),
          attributes: { "ledger.batch_size": batch.length, "ledger.attempt": attempt },
        },
        () =>
          postBatch(
            this.client,
            batch.map((b) => b.prepared),
          ),
      );
    } catch (error) {
      if (RETRYABLE.has(pgErrorCode(error) ?? "") && attempt < 5) return this.send(batch, attempt + 1);
      if (batch.length > 1) {
        await Promise.all(batch.map((b) => this.send([b], attempt)));
        return;
      }
      batch[0]!.reject(batchError(error));
      return;
    }
    batch.forEach((b, k) => {
      try {
        b.resolve(settle(results[k]!));
      } catch (error) {
        b.reject(error);
      }
    });
  }
}

/** Batches out at once at most (see pump), how long one may hold the line, transfers per batch. */
const MAX_IN_FLIGHT = 4;
const STALL_MS = 20;
const MAX_BATCH = 128;
const groupCommits = new WeakMap<postgres.Sql, GroupCommit>();

/** A transfer checked (a key, balanced legs of whole cents) and given its parameters' hash. */
function prepareTransfer(request: TransferRequest): Prepared {
  if (!request.idempotencyKey || request.idempotencyKey.length > 200) {
    throw new Invalid("Every money movement needs an idempotency key (at most 200 characters).");
  }
  assertBalanced(request.legs);
  return { request, hash: paramsHash(request) };
}

/**
 * One transfer as ledger_post_transfers()'s arguments, checked as postTransfer checks it, for a
 * statement that posts it together with other changes (the checkout paid from the wallet); NULL
 * for each when there is nothing to post. That statement must refuse everything when the outcome
 * is neither posted nor replayed: see refusal().
 */
export function transferArguments(request: TransferRequest | null): unknown[] {
  const args = batchArguments(request ? [prepareTransfer(request)] : []);
  return request ? args : args.map(() => null);
}

/**
 * Posts one balanced transfer, or returns the one already posted under its key. Alone, it is
 * group-committed with whatever other transfers are posted at the same moment (see GroupCommit);
 * inside the caller's transaction it is posted there, in one statement.
 */
export async function postTransfer(db: DbOrTx, request: TransferRequest): Promise<PostedTransfer> {
  const prepared = prepareTransfer(request);
  const client = postgresClient(db);
  if (db instanceof PgTransaction) {
    let results: Awaited<ReturnType<typeof postBatch>>;
    try {
      results = await postBatch(client, [prepared]);
    } catch (error) {
      throw batchError(error);
    }
    return settle(results[0]!);
  }
  let group = groupCommits.get(client);
  if (!group) groupCommits.set(client, (group = new GroupCommit(client)));
  return inSpan("ledger post_transfer", { attributes: { "ledger.category": request.category } }, () => group.submit(prepared));
}

/** Runs `fn` in the caller's transaction (as a savepoint) or in a new one. */
export function atomically<T>(db: DbOrTx, fn: (tx: DbOrTx) => Promise<T>): Promise<T> {
  return db.transaction(fn);
}
