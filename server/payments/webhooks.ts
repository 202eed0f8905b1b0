import type { Db } from "@/db/client";
import { logger } from "@/server/logger";
import { metrics } from "@/server/metrics";
import { type GatewayEvent, WebhookSignatureError, type PaymentGateway } from "./gateway";
import { type EventOutcome, handleGatewayEvent } from "./service";

export interface WebhookResponse {
  status: 200 | 400;
  body: { received: boolean; outcome?: string; error?: string };
}

/**
 * One entry point for provider webhooks, from Stripe over HTTP or from the simulated gateway's
 * delivery job: verify the signature over the raw body, then act on the event once.
 */
export async function processWebhook(db: Db, gateway: PaymentGateway, rawBody: string, signature: string | null): Promise<WebhookResponse> {
  const labels = { gateway: gateway.name };
  metrics.webhooksReceived.inc(labels);
  let event: GatewayEvent;
  try {
    event = gateway.constructEvent(rawBody, signature);
  } catch (error) {
    if (error instanceof WebhookSignatureError) {
      metrics.webhooksInvalidSignature.inc(labels);
      logger.warn({ component: "webhooks", err: error.message }, "webhook refused: signature did not verify");
      return { status: 400, body: { received: false, error: "Invalid signature" } };
    }
    throw error;
  }
  let outcome: EventOutcome;
  try {
    outcome = await handleGatewayEvent(db, event);
  } catch (error) {
    metrics.webhooksFailed.inc(labels);
    throw error;
  }
  if (outcome === "duplicate") metrics.webhooksDuplicate.inc(labels);
  // Lag from the provider creating the event to its first handling here (clock skew included).
  else metrics.webhookLag.observe(labels, Math.max(0, Date.now() / 1000 - event.created));
  logger.info({ component: "webhooks", eventId: event.id, type: event.type, outcome }, "webhook handled");
  return { status: 200, body: { received: true, outcome } };
}
