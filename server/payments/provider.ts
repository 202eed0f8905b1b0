import { createHmac } from "node:crypto";
import type { Db } from "@/db/client";
import { authSecret } from "@/server/auth-secret";
import { env } from "@/server/env";
import type { PaymentGateway } from "./gateway";
import { createSimulatedGateway } from "./simulated-gateway";
import { createStripeGateway } from "./stripe-gateway";

/** The simulated gateway signs with a secret of its own, derived from the auth secret unless set. */
export async function simulatedWebhookSecret(): Promise<string> {
  if (env.STRIPE_WEBHOOK_SECRET) return env.STRIPE_WEBHOOK_SECRET;
  return `whsec_${createHmac("sha256", await authSecret()).update("driftwood-simulated-webhooks").digest("base64url")}`;
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
    })();
    gateways.set(db, gateway);
  }
  return gateway;
}
