import type { TaskList } from "graphile-worker";
import type { Db } from "@/db/client";
import type { GatewayEvent, PaymentGateway } from "@/server/payments/gateway";
import { runReconciliation } from "@/server/payments/reconciliation";
import { DELIVER_EVENT_TASK, type SimulatedGateway } from "@/server/payments/simulated-gateway";
import { processWebhook } from "@/server/payments/webhooks";

export const RECONCILE_TASK = "reconcile-payments";

/** Every job Driftwood runs; each is idempotent because delivery is at least once. */
export function createTaskList(db: Db, gateway: PaymentGateway): TaskList {
  return {
    /** The simulated provider's webhook, signed now and handled by the same code as Stripe's. */
    [DELIVER_EVENT_TASK]: async (payload) => {
      if (gateway.name !== "simulated") return;
      const { event } = payload as { event: GatewayEvent };
      const rawBody = JSON.stringify(event);
      const result = await processWebhook(db, gateway, rawBody, (gateway as SimulatedGateway).signPayload(rawBody));
      if (result.status !== 200) throw new Error(`webhook refused: ${result.body.error}`);
    },
    [RECONCILE_TASK]: async (payload) => {
      const { trigger = "schedule", actorId } = (payload ?? {}) as { trigger?: "schedule" | "manual"; actorId?: string };
      await runReconciliation(db, gateway, { trigger, actorId });
    },
  };
}

/** Daily reconciliation at 04:00 UTC; a missed run (server down) is caught up within a day. */
export const crontab = `0 4 * * * ${RECONCILE_TASK} ?fill=1d&max=3 {trigger:"schedule"}`;
