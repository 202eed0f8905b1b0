import { and, desc, eq, inArray, ne, sql } from "drizzle-orm";
import type { Db, DbOrTx } from "@/db/client";
import { gatewayEvents, paymentRefunds, payments, type PaymentPurpose, type PaymentStatus } from "@/db/schema/payments";
import { Conflict, Internal, Invalid, NotFound } from "@/server/errors";
import { logger } from "@/server/logger";
import { metrics, type PaymentOutcome, recordPaymentOutcomes } from "@/server/metrics";
import { CURRENCY, formatMoney } from "@/lib/money";
import { GatewayRequestError, type GatewayEvent, type GatewayPaymentIntent, type GatewayRefund, type PaymentGateway } from "./gateway";
import { purposeHooks } from "./purposes";
import { payoutBook } from "./payout-events";
import { intentFromWire, payoutFromWire, refundFromWire } from "./stripe-shapes";

type Payment = typeof payments.$inferSelect;
type Refund = typeof paymentRefunds.$inferSelect;

const log = logger.child({ component: "payments" });
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface PaymentView {
  id: string;
  purpose: PaymentPurpose;
  amount: number;
  status: PaymentStatus;
  gateway: string;
  clientSecret: string | null;
  gatewayPaymentId: string | null;
  failureMessage: string | null;
  /** The last four digits of the card that paid, once one did. */
  cardLast4: string | null;
  createdAt: Date;
}

function view(payment: Payment): PaymentView {
  return {
    id: payment.id,
    purpose: payment.purpose,
    amount: payment.amount,
    status: payment.status,
    gateway: payment.gateway,
    clientSecret: payment.clientSecret,
    gatewayPaymentId: payment.gatewayPaymentId,
    failureMessage: payment.failureMessage,
    cardLast4: payment.cardLast4,
    createdAt: payment.createdAt,
  };
}

const providerUnavailable = () => new Internal("The card processor did not answer. Nothing was charged; please try again.");

/**
 * Starts a card payment in three steps, none holding a transaction while the provider is called:
 * record the intent (commit), create it at the provider with a key derived from our row, record
 * the provider's id (commit). A double click, a refresh or a retry with the same key returns the
 * same payment and the same provider intent.
 */
export async function startPayment(
  db: Db,
  gateway: PaymentGateway,
  input: { userId: string; purpose: PaymentPurpose; purposeRef?: string; amount: number; idempotencyKey: string; description: string },
): Promise<PaymentView> {
  const [inserted] = await db
    .insert(payments)
    .values({
      userId: input.userId,
      purpose: input.purpose,
      purposeRef: input.purposeRef,
      amount: input.amount,
      idempotencyKey: input.idempotencyKey,
      gateway: gateway.name,
    })
    .onConflictDoNothing()
    .returning();
  let payment = inserted;
  if (!payment) {
    [payment] = await db.select().from(payments).where(eq(payments.idempotencyKey, input.idempotencyKey));
    if (!payment || payment.userId !== input.userId || payment.amount !== input.amount || payment.purpose !== input.purpose) {
      throw new Conflict("This payment was already started with different details. Please start again.");
    }
    if (payment.gatewayPaymentId) return view(payment);
  }

  let intent: GatewayPaymentIntent;
  try {
    intent = await gateway.createPaymentIntent({
      amount: payment.amount,
      currency: CURRENCY.toLowerCase(),
      idempotencyKey: `payment:${payment.id}`,
      description: input.description,
      metadata: { paymentId: payment.id, userId: payment.userId, purpose: payment.purpose },
    });
  } catch (error) {
    metrics.paymentGatewayErrors.inc({ gateway: gateway.name, operation: "create_payment_intent" });
    log.error({ paymentId: payment.id, err: error instanceof Error ? error.message : String(error) }, "could not create payment intent");
    throw providerUnavailable();
  }

  const [recorded] = await db
    .update(payments)
    .set({ gatewayPaymentId: intent.id, clientSecret: intent.clientSecret, updatedAt: new Date() })
    .where(and(eq(payments.id, payment.id), sql`${payments.gatewayPaymentId} is null`))
    .returning();
  if (recorded) {
    metrics.paymentsStarted.inc({ gateway: gateway.name });
    return view(recorded);
  }
  const [current] = await db.select().from(payments).where(eq(payments.id, payment.id));
  return view(current!);
}

export async function getPayment(db: DbOrTx, paymentId: string): Promise<Payment | null> {
  if (!UUID.test(paymentId)) return null;
  const [payment] = await db.select().from(payments).where(eq(payments.id, paymentId));
  return payment ?? null;
}

/**
 * The card refunds of a payment: everything asked for (`asked`, whatever became of it), what is
 * not failed (`sent`: confirmed or on its way) and whether one still waits for the processor.
 */
export async function cardRefunds(db: DbOrTx, paymentId: string): Promise<{ asked: number; sent: number; pending: boolean }> {
  const [row] = await db
    .select({
      asked: sql<string>`coalesce(sum(${paymentRefunds.amount}), 0)::bigint`,
      sent: sql<string>`coalesce(sum(${paymentRefunds.amount}) filter (where ${paymentRefunds.status} <> 'failed'), 0)::bigint`,
      pending: sql<boolean>`coalesce(bool_or(${paymentRefunds.status} = 'pending'), false)`,
    })
    .from(paymentRefunds)
    .where(eq(paymentRefunds.paymentId, paymentId));
  return { asked: Number(row?.asked ?? 0), sent: Number(row?.sent ?? 0), pending: Boolean(row?.pending) };
}

/** The status of each of these payments, by id (an organizer's list of entries shows them). */
export async function paymentStatuses(db: DbOrTx, paymentIds: readonly string[]): Promise<Map<string, Payment["status"]>> {
  if (paymentIds.length === 0) return new Map();
  const rows = await db
    .select({ id: payments.id, status: payments.status })
    .from(payments)
    .where(inArray(payments.id, [...paymentIds]));
  return new Map(rows.map((row) => [row.id, row.status]));
}

/** The user's own payment; someone else's is NOT_FOUND, as if it did not exist. */
export async function getOwnPayment(db: DbOrTx, userId: string, paymentId: string): Promise<PaymentView> {
  const payment = await getPayment(db, paymentId);
  if (!payment || payment.userId !== userId) throw new NotFound("We could not find that payment.");
  return view(payment);
}

export async function pendingPayments(db: DbOrTx, userId: string, purpose: PaymentPurpose): Promise<PaymentView[]> {
  const rows = await db
    .select()
    .from(payments)
    .where(
      and(eq(payments.userId, userId), eq(payments.purpose, purpose), ne(payments.status, "succeeded"), ne(payments.status, "canceled")),
    )
    .orderBy(desc(payments.createdAt))
    .limit(10);
  return rows.map(view);
}

async function lockPaymentFor(tx: DbOrTx, intent: GatewayPaymentIntent): Promise<Payment | null> {
  const byMetadata = intent.metadata.paymentId;
  const where = byMetadata && UUID.test(byMetadata) ? eq(payments.id, byMetadata) : eq(payments.gatewayPaymentId, intent.id);
  const [payment] = await tx.select().from(payments).where(where).for("update");
  return payment ?? null;
}

/** Outcomes recorded by a transaction, counted in the metrics once it has committed. */
export type PaymentOutcomes = { gateway: string; outcome: PaymentOutcome }[];

/**
 * Brings our payment in line with the provider's intent. Statuses only move forward
 * (pending → failed → canceled, anything but canceled → succeeded), so events that arrive twice
 * or out of order end in the same place. A success or failure it records is added to `outcomes`,
 * for the caller to count after commit (recordPaymentOutcomes).
 */
export async function applyIntent(
  tx: DbOrTx,
  intent: GatewayPaymentIntent,
  outcomes?: PaymentOutcomes,
): Promise<"changed" | "unchanged" | "unknown"> {
  const payment = await lockPaymentFor(tx, intent);
  if (!payment) {
    log.warn({ gatewayPaymentId: intent.id }, "provider intent does not match any payment");
    return "unknown";
  }
  if (payment.gatewayPaymentId && payment.gatewayPaymentId !== intent.id) {
    log.error({ paymentId: payment.id, gatewayPaymentId: intent.id }, "intent does not belong to this payment");
    return "unknown";
  }
  const now = new Date();
  const base = { gatewayPaymentId: intent.id, updatedAt: now };
  if (intent.status === "succeeded") {
    if (payment.status === "succeeded") return "unchanged";
    if (intent.amount !== payment.amount) {
      log.error({ paymentId: payment.id, expected: payment.amount, got: intent.amount }, "provider charged a different amount");
    }
    const transferId = await purposeHooks(payment.purpose).onSucceeded(tx, payment);
    await tx
      .update(payments)
      .set({
        ...base,
        status: "succeeded",
        succeededAt: now,
        ledgerTransferId: transferId,
        failureMessage: null,
        cardLast4: intent.cardLast4 ?? null,
      })
      .where(eq(payments.id, payment.id));
    outcomes?.push({ gateway: payment.gateway, outcome: "succeeded" });
    return "changed";
  }
  if (intent.status === "canceled") {
    if (payment.status === "succeeded" || payment.status === "canceled") return "unchanged";
    await tx
      .update(payments)
      .set({ ...base, status: "canceled" })
      .where(eq(payments.id, payment.id));
    await purposeHooks(payment.purpose).onFailed?.(tx, payment);
    return "changed";
  }
  if (intent.status === "requires_payment_method" && intent.lastPaymentError) {
    if (payment.status !== "pending" && payment.status !== "failed") return "unchanged";
    await tx
      .update(payments)
      .set({ ...base, status: "failed", failureMessage: intent.lastPaymentError })
      .where(eq(payments.id, payment.id));
    await purposeHooks(payment.purpose).onFailed?.(tx, payment);
    outcomes?.push({ gateway: payment.gateway, outcome: "failed" });
    return "changed";
  }
  return "unchanged";
}

const refundRank: Record<Refund["status"], number> = { pending: 0, succeeded: 1, failed: 2 };

/** Brings our refund in line with the provider's; a failed refund gives the money back once. */
export async function applyRefund(tx: DbOrTx, gatewayRefund: GatewayRefund): Promise<"changed" | "unchanged" | "unknown"> {
  const byMetadata = gatewayRefund.metadata.refundId;
  const where =
    byMetadata && UUID.test(byMetadata) ? eq(paymentRefunds.id, byMetadata) : eq(paymentRefunds.gatewayRefundId, gatewayRefund.id);
  const [refund] = await tx.select().from(paymentRefunds).where(where).for("update");
  if (!refund) {
    log.warn({ gatewayRefundId: gatewayRefund.id }, "provider refund does not match any refund we asked for");
    return "unknown";
  }
  const next: Refund["status"] | null =
    gatewayRefund.status === "succeeded"
      ? "succeeded"
      : gatewayRefund.status === "failed" || gatewayRefund.status === "canceled"
        ? "failed"
        : null;
  if (!next || refundRank[next] <= refundRank[refund.status]) {
    if (!refund.gatewayRefundId) {
      await tx
        .update(paymentRefunds)
        .set({ gatewayRefundId: gatewayRefund.id, updatedAt: new Date() })
        .where(eq(paymentRefunds.id, refund.id));
    }
    return "unchanged";
  }
  let reversalTransferId = refund.reversalTransferId;
  if (next === "failed" && !reversalTransferId) {
    const [payment] = await tx.select().from(payments).where(eq(payments.id, refund.paymentId));
    reversalTransferId = await purposeHooks(payment!.purpose).onRefundFailed(tx, payment!, refund);
  }
  await tx
    .update(paymentRefunds)
    .set({ status: next, gatewayRefundId: gatewayRefund.id, reversalTransferId, updatedAt: new Date() })
    .where(eq(paymentRefunds.id, refund.id));
  return "changed";
}

export type EventOutcome = "processed" | "duplicate" | "ignored";

/**
 * Acts on a verified provider event exactly once: the event id is recorded in the same transaction.
 * Payment outcomes are counted in the metrics after it commits.
 */
export async function handleGatewayEvent(db: Db, event: GatewayEvent): Promise<EventOutcome> {
  const outcomes: PaymentOutcomes = [];
  const result = await db.transaction(async (tx): Promise<EventOutcome> => {
    const object = event.data.object;
    const [fresh] = await tx
      .insert(gatewayEvents)
      .values({ id: event.id, type: event.type, objectId: typeof object.id === "string" ? object.id : null })
      .onConflictDoNothing()
      .returning({ id: gatewayEvents.id });
    if (!fresh) return "duplicate";
    if (event.type.startsWith("payment_intent.")) {
      await applyIntent(tx, intentFromWire(object), outcomes);
      return "processed";
    }
    if (event.type.startsWith("refund.") || event.type === "charge.refund.updated") {
      await applyRefund(tx, refundFromWire(object));
      return "processed";
    }
    if (event.type.startsWith("payout.")) {
      await payoutBook().apply(tx, payoutFromWire(object, event.account));
      return "processed";
    }
    return "ignored";
  });
  recordPaymentOutcomes(outcomes);
  return result;
}

/**
 * The first phase of a card refund, in the caller's transaction: the refund is recorded and its
 * money leaves the wallet (or escrow) at once, so it cannot be spent or paid out meanwhile. The
 * provider is asked after commit (sendRefund, by a job or by refundPayment); if it refuses, the
 * money comes back. The same key again returns the first refund.
 */
export async function recordRefund(
  tx: DbOrTx,
  input: { paymentId: string; amount: number; idempotencyKey: string; reason: string },
): Promise<Refund> {
  const [payment] = await tx.select().from(payments).where(eq(payments.id, input.paymentId)).for("update");
  if (!payment) throw new NotFound("That payment does not exist.");
  const [existing] = await tx.select().from(paymentRefunds).where(eq(paymentRefunds.idempotencyKey, input.idempotencyKey));
  if (existing) {
    if (existing.paymentId !== payment.id || existing.amount !== input.amount) {
      throw new Conflict("This refund was already asked for with different details.");
    }
    return existing;
  }
  if (payment.status !== "succeeded") throw new Invalid("Only a completed payment can be refunded.");
  const [refunded] = await tx.execute<{ total: string }>(
    sql`select coalesce(sum(amount), 0)::bigint as total from payment_refunds where payment_id = ${payment.id} and status <> 'failed'`,
  );
  const left = payment.amount - Number(refunded!.total);
  if (input.amount > left) {
    throw new Invalid(
      left === 0
        ? "This payment has already been refunded in full."
        : `At most ${formatMoney(left)} of this payment can still be refunded.`,
    );
  }
  const [created] = await tx
    .insert(paymentRefunds)
    .values({ paymentId: payment.id, amount: input.amount, idempotencyKey: input.idempotencyKey, reason: input.reason })
    .returning();
  const ledgerTransferId = await purposeHooks(payment.purpose).onRefundRequested(tx, payment, created!);
  const [withLedger] = await tx.update(paymentRefunds).set({ ledgerTransferId }).where(eq(paymentRefunds.id, created!.id)).returning();
  return withLedger!;
}

/**
 * Refunds part or all of a succeeded payment to the card: recorded (recordRefund), then sent to
 * the provider (sendRefund).
 */
export async function refundPayment(
  db: Db,
  gateway: PaymentGateway,
  input: { paymentId: string; amount: number; idempotencyKey: string; reason: string },
): Promise<Refund> {
  const refund = await db.transaction((tx) => recordRefund(tx, input));
  return sendRefund(db, gateway, refund.id);
}

/**
 * The second phase: asks the provider for a recorded refund (outside any transaction) and records
 * its answer. A refund already answered is returned as it is.
 */
export async function sendRefund(db: Db, gateway: PaymentGateway, refundId: string): Promise<Refund> {
  const [refund] = await db.select().from(paymentRefunds).where(eq(paymentRefunds.id, refundId));
  if (!refund) throw new NotFound("That refund does not exist.");
  if (refund.status !== "pending" || refund.gatewayRefundId) return refund;

  const [payment] = await db.select().from(payments).where(eq(payments.id, refund.paymentId));
  let gatewayRefund: GatewayRefund;
  try {
    gatewayRefund = await gateway.createRefund({
      paymentIntentId: payment!.gatewayPaymentId!,
      amount: refund.amount,
      idempotencyKey: `refund:${refund.id}`,
      metadata: { refundId: refund.id, paymentId: refund.paymentId },
    });
  } catch (error) {
    metrics.paymentGatewayErrors.inc({ gateway: gateway.name, operation: "create_refund" });
    if (error instanceof GatewayRequestError && error.kind !== "unavailable") {
      await db.transaction((tx) =>
        applyRefund(tx, {
          id: `refused:${refund.id}`,
          paymentIntentId: payment!.gatewayPaymentId!,
          amount: refund.amount,
          currency: "usd",
          status: "failed",
          metadata: { refundId: refund.id },
          created: 0,
        }),
      );
      throw new Invalid(`The card processor refused the refund: ${error.message}`);
    }
    // Still pending: the next attempt with the same key, or reconciliation, finishes it.
    throw providerUnavailable();
  }
  await db.transaction((tx) => applyRefund(tx, gatewayRefund));
  const [final] = await db.select().from(paymentRefunds).where(eq(paymentRefunds.id, refund.id));
  return final!;
}
