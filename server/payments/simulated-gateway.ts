import { createHash, randomBytes } from "node:crypto";
import { and, desc, eq, gte, sql } from "drizzle-orm";
import Stripe from "stripe";
import type { Db, DbOrTx } from "@/db/client";
import { simBankAccounts, simPaymentIntents, simPayouts, simRefunds } from "@/db/schema/payments-simulated-gateway";
import { NotFound } from "@/server/errors";
import { enqueueJob } from "@/server/jobs/queue";
import { cardOutcome } from "./cards";
import {
  GatewayRequestError,
  WEBHOOK_TOLERANCE_SECONDS,
  WebhookSignatureError,
  type GatewayEvent,
  type GatewayPaymentIntent,
  type GatewayPayout,
  type GatewayRefund,
  type PaymentGateway,
} from "./gateway";
import { intentToWire, payoutToWire, refundToWire } from "./stripe-shapes";
import { testPayoutFailure } from "./test-bank-accounts";

// Only the SDK's offline webhook helpers are used; this client never makes a request.
const offlineStripe = new Stripe("sk_test_simulated_offline");

export const DELIVER_EVENT_TASK = "deliver-gateway-event";
/** A simulated payout reaching the bank (or coming back), a short while after it was sent. */
export const SETTLE_PAYOUT_TASK = "settle-simulated-payout";

export interface SimulatedGateway extends PaymentGateway {
  readonly name: "simulated";
  /** The card step: what the bank says about this card for this intent. */
  confirmCard(input: { intentId: string; clientSecret: string; cardNumber: string; cardLast4: string }): Promise<GatewayPaymentIntent>;
  /** The extra step some cards need (3-D Secure): the cardholder approves or refuses. */
  completeAuthentication(input: { intentId: string; clientSecret: string; approve: boolean }): Promise<GatewayPaymentIntent>;
  /** Signs an event payload the way Stripe does, for delivery to the webhook handler. */
  signPayload(payload: string, timestamp?: number): string;
  /**
   * The bank's answer to a payout in transit, now: `paid`, or `failed` with the bank's words for a
   * failing test account (server/payments/test-bank-accounts.ts), with its event. The arrival job
   * calls it after the gateway's delay; a payout already settled is returned unchanged.
   */
  settlePayout(payoutId: string): Promise<GatewayPayout>;
}

export interface SimulatedGatewayOptions {
  /** How long after it is sent a payout arrives (the settle job's delay). Default 5 seconds. */
  payoutArrivalDelayMs?: number;
}

const DEFAULT_PAYOUT_ARRIVAL_DELAY_MS = 5_000;
/** What the simulated bank promises: the next day. */
const PAYOUT_ARRIVAL_DAYS = 1;

type IntentRow = typeof simPaymentIntents.$inferSelect;
type RefundRow = typeof simRefunds.$inferSelect;
type PayoutRow = typeof simPayouts.$inferSelect;

function toIntent(row: IntentRow): GatewayPaymentIntent {
  return {
    id: row.id,
    amount: row.amount,
    currency: row.currency,
    status: row.status as GatewayPaymentIntent["status"],
    clientSecret: row.clientSecret,
    metadata: row.metadata,
    lastPaymentError: row.lastPaymentError,
    cardLast4: row.status === "succeeded" ? row.cardLast4 : null,
    created: Math.floor(row.createdAt.getTime() / 1000),
  };
}

function toRefund(row: RefundRow): GatewayRefund {
  return {
    id: row.id,
    paymentIntentId: row.paymentIntentId,
    amount: row.amount,
    currency: row.currency,
    status: row.status as GatewayRefund["status"],
    metadata: row.metadata,
    created: Math.floor(row.createdAt.getTime() / 1000),
  };
}

function toPayout(row: PayoutRow): GatewayPayout {
  return {
    id: row.id,
    amount: row.amount,
    currency: row.currency,
    status: row.status as GatewayPayout["status"],
    destination: row.destination,
    connectedAccountId: null,
    metadata: row.metadata,
    failureMessage: row.failureMessage,
    arrivalDate: row.arrivalDate ? Math.floor(row.arrivalDate.getTime() / 1000) : null,
    created: Math.floor(row.createdAt.getTime() / 1000),
  };
}

/** A made-up bank for the account's country: the IBAN's first two letters, or the country given. */
function bankNameOf(details: { country: string; iban?: string }): string {
  const country = (details.iban ? details.iban.slice(0, 2) : details.country).toUpperCase();
  return `Test Bank (${country})`;
}

const hashOf = (value: unknown) => createHash("sha256").update(JSON.stringify(value)).digest("hex");
const randomId = (prefix: string) => `${prefix}_sim_${randomBytes(12).toString("hex")}`;

/** How the simulated provider sends an event: by default a delivery job queued in the same transaction. */
export type EventSink = (tx: DbOrTx, event: GatewayEvent) => Promise<void>;

const queueDelivery: EventSink = (tx, event) => enqueueJob(tx, DELIVER_EVENT_TASK, { event }, { maxAttempts: 10 });

/**
 * A payment provider that lives in Driftwood's database: intents, refunds and Stripe-signed
 * webhook events, delivered through the job queue to the same webhook code Stripe's would reach.
 */
export function createSimulatedGateway(
  db: Db,
  webhookSecret: string,
  sink: EventSink = queueDelivery,
  options: SimulatedGatewayOptions = {},
): SimulatedGateway {
  const arrivalDelayMs = options.payoutArrivalDelayMs ?? DEFAULT_PAYOUT_ARRIVAL_DELAY_MS;

  /** One event per change, as Stripe sends them. */
  async function emit(tx: DbOrTx, type: string, object: Record<string, unknown>) {
    const event = { id: randomId("evt"), object: "event", type, created: Math.floor(Date.now() / 1000), livemode: false, data: { object } };
    await sink(tx, event);
  }

  async function lockIntent(tx: DbOrTx, intentId: string, clientSecret?: string) {
    const [row] = await tx.select().from(simPaymentIntents).where(eq(simPaymentIntents.id, intentId)).for("update");
    if (!row || (clientSecret !== undefined && row.clientSecret !== clientSecret)) {
      throw new NotFound("This payment link is not valid.");
    }
    return row;
  }

  return {
    name: "simulated",

    async createPaymentIntent(input) {
      const paramsHash = hashOf([input.amount, input.currency, input.metadata]);
      const id = randomId("pi");
      const [created] = await db
        .insert(simPaymentIntents)
        .values({
          id,
          idempotencyKey: input.idempotencyKey,
          paramsHash,
          amount: input.amount,
          currency: input.currency,
          description: input.description,
          status: "requires_payment_method",
          clientSecret: `${id}_secret_${randomBytes(12).toString("hex")}`,
          metadata: input.metadata,
        })
        .onConflictDoNothing()
        .returning();
      if (created) return toIntent(created);
      const [existing] = await db.select().from(simPaymentIntents).where(eq(simPaymentIntents.idempotencyKey, input.idempotencyKey));
      if (!existing || existing.paramsHash !== paramsHash) {
        throw new GatewayRequestError("Keys for idempotent requests can only be used with the same parameters.", "idempotency");
      }
      return toIntent(existing);
    },

    async retrievePaymentIntent(id) {
      const [row] = await db.select().from(simPaymentIntents).where(eq(simPaymentIntents.id, id));
      return row ? toIntent(row) : null;
    },

    async cancelPaymentIntent(id) {
      return db.transaction(async (tx) => {
        const row = await lockIntent(tx, id);
        if (row.status === "succeeded") throw new GatewayRequestError("A succeeded payment cannot be canceled.", "invalid_request");
        if (row.status === "canceled") return toIntent(row);
        const [updated] = await tx.update(simPaymentIntents).set({ status: "canceled" }).where(eq(simPaymentIntents.id, id)).returning();
        await emit(tx, "payment_intent.canceled", intentToWire(toIntent(updated!)));
        return toIntent(updated!);
      });
    },

    async confirmCard({ intentId, clientSecret, cardNumber, cardLast4 }) {
      return db.transaction(async (tx) => {
        const row = await lockIntent(tx, intentId, clientSecret);
        // A second submit of the same card page (double click, refresh) changes nothing.
        if (row.status === "succeeded" || row.status === "canceled" || row.status === "requires_action") return toIntent(row);
        const outcome = cardOutcome(cardNumber);
        const status = outcome.kind === "declined" ? "requires_payment_method" : outcome.kind;
        const [updated] = await tx
          .update(simPaymentIntents)
          .set({ status, cardLast4, lastPaymentError: outcome.kind === "declined" ? outcome.message : null })
          .where(eq(simPaymentIntents.id, intentId))
          .returning();
        const intent = toIntent(updated!);
        if (outcome.kind === "succeeded") await emit(tx, "payment_intent.succeeded", intentToWire(intent));
        if (outcome.kind === "declined") await emit(tx, "payment_intent.payment_failed", intentToWire(intent));
        return intent;
      });
    },

    async completeAuthentication({ intentId, clientSecret, approve }) {
      return db.transaction(async (tx) => {
        const row = await lockIntent(tx, intentId, clientSecret);
        if (row.status !== "requires_action") return toIntent(row);
        const [updated] = await tx
          .update(simPaymentIntents)
          .set(
            approve
              ? { status: "succeeded", lastPaymentError: null }
              : { status: "requires_payment_method", lastPaymentError: "We could not confirm this payment with your bank." },
          )
          .where(eq(simPaymentIntents.id, intentId))
          .returning();
        const intent = toIntent(updated!);
        await emit(tx, approve ? "payment_intent.succeeded" : "payment_intent.payment_failed", intentToWire(intent));
        return intent;
      });
    },

    async createRefund(input) {
      return db.transaction(async (tx) => {
        const paramsHash = hashOf([input.paymentIntentId, input.amount, input.metadata]);
        const [existing] = await tx.select().from(simRefunds).where(eq(simRefunds.idempotencyKey, input.idempotencyKey));
        if (existing) {
          if (existing.paramsHash !== paramsHash) {
            throw new GatewayRequestError("Keys for idempotent requests can only be used with the same parameters.", "idempotency");
          }
          return toRefund(existing);
        }
        const intent = await lockIntent(tx, input.paymentIntentId).catch(() => {
          throw new GatewayRequestError(`No such payment_intent: '${input.paymentIntentId}'`, "invalid_request");
        });
        if (intent.status !== "succeeded") throw new GatewayRequestError("Only a succeeded payment can be refunded.", "invalid_request");
        const [refunded] = await tx.execute<{ total: string }>(
          sql`select coalesce(sum(amount), 0)::bigint as total from sim_refunds where payment_intent_id = ${intent.id} and status <> 'failed'`,
        );
        if (Number(refunded!.total) + input.amount > intent.amount) {
          throw new GatewayRequestError("Refund amount is greater than the unrefunded amount of the charge.", "invalid_request");
        }
        const [created] = await tx
          .insert(simRefunds)
          .values({
            id: randomId("re"),
            idempotencyKey: input.idempotencyKey,
            paramsHash,
            paymentIntentId: intent.id,
            amount: input.amount,
            currency: intent.currency,
            status: "succeeded",
            metadata: input.metadata,
          })
          .returning();
        const refund = toRefund(created!);
        await emit(tx, "refund.created", refundToWire(refund));
        return refund;
      });
    },

    async *listPaymentIntents({ createdAfter }) {
      const rows = await db
        .select()
        .from(simPaymentIntents)
        .where(gte(simPaymentIntents.createdAt, createdAfter))
        .orderBy(desc(simPaymentIntents.createdAt));
      for (const row of rows) yield toIntent(row);
    },

    async *listRefunds({ createdAfter }) {
      const rows = await db
        .select()
        .from(simRefunds)
        .where(and(gte(simRefunds.createdAt, createdAfter)))
        .orderBy(desc(simRefunds.createdAt));
      for (const row of rows) yield toRefund(row);
    },

    signPayload(payload, timestamp) {
      return offlineStripe.webhooks.generateTestHeaderString({ payload, secret: webhookSecret, timestamp });
    },

    async registerBankAccount({ details, idempotencyKey }) {
      // Only the last four characters are kept: the simulated bank needs no more, and nor does anyone reading this table.
      const number = (details.iban ?? details.accountNumber ?? "").replace(/\s+/g, "").toUpperCase();
      await db
        .insert(simBankAccounts)
        .values({
          id: randomId("ba"),
          idempotencyKey,
          last4: number.slice(-4),
          bankName: bankNameOf(details),
          failsAtPayout: testPayoutFailure(details),
        })
        .onConflictDoNothing({ target: simBankAccounts.idempotencyKey });
      const [row] = await db.select().from(simBankAccounts).where(eq(simBankAccounts.idempotencyKey, idempotencyKey));
      return { connectedAccountId: null, externalAccountId: row!.id, bankName: row!.bankName, last4: row!.last4 };
    },

    async createPayout(input) {
      return db.transaction(async (tx) => {
        const [destination] = await tx.select().from(simBankAccounts).where(eq(simBankAccounts.id, input.externalAccountId));
        if (!destination) throw new GatewayRequestError(`No such external account: '${input.externalAccountId}'`, "invalid_request");
        const paramsHash = hashOf([input.amount, input.currency, input.externalAccountId, input.metadata]);
        const now = Date.now();
        // A concurrent request with the same key waits here for the first to commit, then inserts nothing.
        const [created] = await tx
          .insert(simPayouts)
          .values({
            id: randomId("po"),
            idempotencyKey: input.idempotencyKey,
            paramsHash,
            destination: destination.id,
            amount: input.amount,
            currency: input.currency,
            status: "in_transit",
            metadata: input.metadata,
            arrivalDate: new Date(now + PAYOUT_ARRIVAL_DAYS * 86_400_000),
          })
          .onConflictDoNothing({ target: simPayouts.idempotencyKey })
          .returning();
        if (!created) {
          const [existing] = await tx.select().from(simPayouts).where(eq(simPayouts.idempotencyKey, input.idempotencyKey));
          if (!existing || existing.paramsHash !== paramsHash) {
            throw new GatewayRequestError("Keys for idempotent requests can only be used with the same parameters.", "idempotency");
          }
          return toPayout(existing);
        }
        const payout = toPayout(created);
        await emit(tx, "payout.created", payoutToWire(payout));
        await enqueueJob(
          tx,
          SETTLE_PAYOUT_TASK,
          { payoutId: payout.id },
          { runAt: new Date(now + arrivalDelayMs), jobKey: `${SETTLE_PAYOUT_TASK}:${payout.id}`, maxAttempts: 10 },
        );
        return payout;
      });
    },

    async settlePayout(payoutId) {
      return db.transaction(async (tx) => {
        const [row] = await tx.select().from(simPayouts).where(eq(simPayouts.id, payoutId)).for("update");
        if (!row) throw new NotFound(`No such payout: '${payoutId}'`);
        if (row.status !== "in_transit" && row.status !== "pending") return toPayout(row);
        const [account] = await tx.select().from(simBankAccounts).where(eq(simBankAccounts.id, row.destination));
        const failure = account?.failsAtPayout ?? null;
        const [updated] = await tx
          .update(simPayouts)
          .set(failure ? { status: "failed", failureMessage: failure } : { status: "paid", arrivalDate: new Date() })
          .where(eq(simPayouts.id, payoutId))
          .returning();
        const payout = toPayout(updated!);
        await emit(tx, failure ? "payout.failed" : "payout.paid", payoutToWire(payout));
        return payout;
      });
    },

    async retrievePayout(id) {
      const [row] = await db.select().from(simPayouts).where(eq(simPayouts.id, id));
      return row ? toPayout(row) : null;
    },

    async *listPayouts({ createdAfter }) {
      const rows = await db.select().from(simPayouts).where(gte(simPayouts.createdAt, createdAfter)).orderBy(desc(simPayouts.createdAt));
      for (const row of rows) yield toPayout(row);
    },

    // The simulated provider checks nobody's identity.
    async payoutReadiness() {
      return { payoutsEnabled: true, due: [], verificationUrl: null };
    },

    constructEvent(rawBody, signatureHeader) {
      try {
        return offlineStripe.webhooks.constructEvent(
          rawBody,
          signatureHeader ?? "",
          webhookSecret,
          WEBHOOK_TOLERANCE_SECONDS,
        ) as unknown as GatewayEvent;
      } catch (error) {
        throw new WebhookSignatureError(error instanceof Error ? error.message : "The webhook signature did not verify.");
      }
    },
  };
}
