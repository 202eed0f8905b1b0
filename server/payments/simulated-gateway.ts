import { createHash, randomBytes } from "node:crypto";
import { and, desc, eq, gte, sql } from "drizzle-orm";
import Stripe from "stripe";
import type { Db, DbOrTx } from "@/db/client";
import { simPaymentIntents, simRefunds } from "@/db/schema/payments-simulated-gateway";
import { NotFound } from "@/server/errors";
import { enqueueJob } from "@/server/jobs/queue";
import { cardOutcome } from "./cards";
import {
  GatewayRequestError,
  WEBHOOK_TOLERANCE_SECONDS,
  WebhookSignatureError,
  type GatewayEvent,
  type GatewayPaymentIntent,
  type GatewayRefund,
  type PaymentGateway,
} from "./gateway";
import { intentToWire, refundToWire } from "./stripe-shapes";

// Only the SDK's offline webhook helpers are used; this client never makes a request.
const offlineStripe = new Stripe("sk_test_simulated_offline");

export const DELIVER_EVENT_TASK = "deliver-gateway-event";

export interface SimulatedGateway extends PaymentGateway {
  readonly name: "simulated";
  /** The card step: what the bank says about this card for this intent. */
  confirmCard(input: { intentId: string; clientSecret: string; cardNumber: string; cardLast4: string }): Promise<GatewayPaymentIntent>;
  /** The extra step some cards need (3-D Secure): the cardholder approves or refuses. */
  completeAuthentication(input: { intentId: string; clientSecret: string; approve: boolean }): Promise<GatewayPaymentIntent>;
  /** Signs an event payload the way Stripe does, for delivery to the webhook handler. */
  signPayload(payload: string, timestamp?: number): string;
}

type IntentRow = typeof simPaymentIntents.$inferSelect;
type RefundRow = typeof simRefunds.$inferSelect;

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

const hashOf = (value: unknown) => createHash("sha256").update(JSON.stringify(value)).digest("hex");
const randomId = (prefix: string) => `${prefix}_sim_${randomBytes(12).toString("hex")}`;

/** How the simulated provider sends an event: by default a delivery job queued in the same transaction. */
export type EventSink = (tx: DbOrTx, event: GatewayEvent) => Promise<void>;

const queueDelivery: EventSink = (tx, event) => enqueueJob(tx, DELIVER_EVENT_TASK, { event }, { maxAttempts: 10 });

/**
 * A payment provider that lives in Driftwood's database: intents, refunds and Stripe-signed
 * webhook events, delivered through the job queue to the same webhook code Stripe's would reach.
 */
export function createSimulatedGateway(db: Db, webhookSecret: string, sink: EventSink = queueDelivery): SimulatedGateway {
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

    // Payouts: built in the withdrawals work (issue 17); until then they refuse.
    async registerBankAccount() {
      throw new GatewayRequestError("Payouts are not available yet.", "unavailable");
    },
    async createPayout() {
      throw new GatewayRequestError("Payouts are not available yet.", "unavailable");
    },
    async retrievePayout() {
      return null;
    },
    async *listPayouts() {},

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
