// Webhooks run payment purposes: registered here too, not only by the start-up.
import "@/server/composition";
import { getDb } from "@/server/database";
import { paymentGateway } from "@/server/payments/provider";
import { processWebhook } from "@/server/payments/webhooks";

export const dynamic = "force-dynamic";

/** Stripe's webhook endpoint; the signature is checked over the body exactly as it arrived. */
export async function POST(request: Request) {
  const rawBody = await request.text();
  const db = await getDb();
  const result = await processWebhook(db, await paymentGateway(db), rawBody, request.headers.get("stripe-signature"));
  return Response.json(result.body, { status: result.status });
}
