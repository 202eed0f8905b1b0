import { and, eq, inArray } from "drizzle-orm";
import type { Db } from "@/db/client";
import { payments } from "@/db/schema/payments";
import { Internal } from "@/server/errors";
import { logger } from "@/server/logger";
import { metrics, recordPaymentOutcomes } from "@/server/metrics";
import { GatewayRequestError, type GatewayPaymentIntent, type PaymentGateway } from "./gateway";
import { applyIntent, getPayment, type PaymentOutcomes } from "./service";

type Payment = typeof payments.$inferSelect;

const log = logger.child({ component: "payments" });

/**
 * Cancels an unfinished card payment, in the three committed phases every provider call takes:
 * nothing is held while the provider is asked (under `cancel:<payment id>`, so a second cancel is
 * the same request), and its answer is recorded in one transaction by applyIntent, the webhook's
 * own path. The provider decides a race with a late charge: a payment it has already taken cannot
 * be cancelled there, so the charge is recorded instead and its purpose delivers as usual (a top-up
 * credits the wallet). Returns the payment as it ends: `canceled`, or `succeeded` when the card was
 * charged after all. Whose payment it is, is the caller's to check.
 */
export async function cancelPayment(db: Db, gateway: PaymentGateway, payment: Payment): Promise<Payment> {
  if (payment.status === "succeeded" || payment.status === "canceled") return payment;
  if (!payment.gatewayPaymentId) {
    // The provider never heard of it (its intent was not created): nothing there to cancel. A
    // start still under way would find the row no longer pending and record nothing over it.
    await db
      .update(payments)
      .set({ status: "canceled", updatedAt: new Date() })
      .where(and(eq(payments.id, payment.id), inArray(payments.status, ["pending", "failed"])));
    return (await getPayment(db, payment.id))!;
  }
  let intent: GatewayPaymentIntent | null;
  try {
    intent = await gateway.cancelPaymentIntent(payment.gatewayPaymentId, `cancel:${payment.id}`);
  } catch (error) {
    metrics.paymentGatewayErrors.inc({ gateway: gateway.name, operation: "cancel_payment_intent" });
    if (!(error instanceof GatewayRequestError) || error.kind === "unavailable") {
      log.error({ paymentId: payment.id, err: error instanceof Error ? error.message : String(error) }, "could not cancel payment intent");
      throw new Internal("The card processor did not answer. Nothing changed; please try again.");
    }
    // Refused: the intent can no longer be cancelled (most often, it was charged meanwhile). What
    // it is now is what we record.
    intent = await gateway.retrievePaymentIntent(payment.gatewayPaymentId).catch(() => null);
    if (!intent) throw new Internal("The card processor did not answer. Nothing changed; please try again.");
  }
  const outcomes: PaymentOutcomes = [];
  await db.transaction((tx) => applyIntent(tx, intent, outcomes));
  recordPaymentOutcomes(outcomes);
  return (await getPayment(db, payment.id))!;
}
