import { createHmac } from "node:crypto";
import type { Db } from "@/db/client";
import { authSecret } from "@/server/auth-secret";
import { env } from "@/server/env";
import { inSpan, SpanKind, tracingEnabled } from "@/server/tracing";
import type { PaymentGateway } from "./gateway";
import { createSimulatedGateway } from "./simulated-gateway";
import { createStripeGateway } from "./stripe-gateway";

/** The simulated gateway signs with a secret of its own, derived from the auth secret unless set. */
export async function simulatedWebhookSecret(): Promise<string> {
  if (env.STRIPE_WEBHOOK_SECRET) return env.STRIPE_WEBHOOK_SECRET;
  return `whsec_${createHmac("sha256", await authSecret())
    .update("driftwood-simulated-webhooks")
    .digest("base64url")}`;
}

const gateways = new WeakMap<Db, Promise<PaymentGateway>>();

/** Stripe when STRIPE_SECRET_KEY is set, otherwise the simulated gateway in this database. */
export function paymentGateway(db: Db): Promise<PaymentGateway> {
  let gateway = gateways.get(db);
  if (!gateway) {
    gateway = (async () => {
      if (env.STRIPE_SECRET_KEY) {
        const base = env.STRIPE_API_BASE ? new URL(env.STRIPE_API_BASE) : undefined;
        return createStripeGateway({
          secretKey: env.STRIPE_SECRET_KEY,
          webhookSecret: env.STRIPE_WEBHOOK_SECRET!,
          connectWebhookSecret: env.STRIPE_CONNECT_WEBHOOK_SECRET,
          ...(base
            ? {
                host: base.hostname,
                port: Number(base.port || (base.protocol === "https:" ? 443 : 80)),
                protocol: base.protocol === "https:" ? ("https" as const) : ("http" as const),
              }
            : {}),
        });
      }
      return createSimulatedGateway(db, await simulatedWebhookSecret());
    })().then(tracedGateway);
    gateways.set(db, gateway);
  }
  return gateway;
}

/**
 * Calls answered by one request to the provider (or two in turn: a bank account's connected account
 * first, a payout's transfer first); the listings page through many and are not spanned.
 */
const TRACED_CALLS = new Set<string>([
  "createPaymentIntent",
  "retrievePaymentIntent",
  "cancelPaymentIntent",
  "createRefund",
  "registerBankAccount",
  "createPayout",
  "retrievePayout",
  "payoutReadiness",
  "constructEvent",
]);

/** The gateway with a span around each call to the provider while tracing is on (see server/tracing.ts). */
export function tracedGateway<G extends PaymentGateway>(gateway: G): G {
  return new Proxy(gateway, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof property !== "string" || !TRACED_CALLS.has(property) || typeof value !== "function") return value;
      return (...args: unknown[]) =>
        !tracingEnabled()
          ? (value as (...a: unknown[]) => unknown).apply(target, args)
          : inSpan(
              `gateway ${property}`,
              { kind: SpanKind.CLIENT, attributes: { "driftwood.gateway": target.name, "driftwood.gateway.call": property } },
              () => (value as (...a: unknown[]) => unknown).apply(target, args),
            );
    },
  });
}
