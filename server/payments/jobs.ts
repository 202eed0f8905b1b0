import { z } from "zod";
import type { Db } from "@/db/client";
import { defineJob, type JobHandlers } from "@/server/jobs/handlers";
import type { PaymentGateway } from "./gateway";
import { runReconciliation } from "./reconciliation";
import { DELIVER_EVENT_TASK, SETTLE_PAYOUT_TASK, type SimulatedGateway } from "./simulated-gateway";
import { processWebhook } from "./webhooks";

/** The payments domain's jobs, gathered with the other domains' in server/composition.ts. */
export interface PaymentsJobDeps {
  db: Db;
  gateway: PaymentGateway;
}

export const RECONCILE_TASK = "reconcile-payments";

/** The simulated provider's webhook, signed now and handled by the same code as Stripe's. */
const deliverGatewayEvent = defineJob({
  task: DELIVER_EVENT_TASK,
  payload: z.object({
    // Kept whole (loose): it is the webhook's body.
    event: z.looseObject({
      id: z.string(),
      type: z.string(),
      created: z.number(),
      data: z.looseObject({ object: z.record(z.string(), z.unknown()) }),
    }),
  }),
  run: async ({ db, gateway }: PaymentsJobDeps, { event }) => {
    if (gateway.name !== "simulated") return;
    const rawBody = JSON.stringify(event);
    const result = await processWebhook(db, gateway, rawBody, (gateway as SimulatedGateway).signPayload(rawBody));
    if (result.status !== 200) throw new Error(`webhook refused: ${result.body.error}`);
  },
});

/** A simulated payout reaching the bank, queued with the payout; Stripe's payouts settle at Stripe. */
const settleSimulatedPayout = defineJob({
  task: SETTLE_PAYOUT_TASK,
  payload: z.object({ payoutId: z.string().min(1) }),
  run: async ({ gateway }: PaymentsJobDeps, { payoutId }) => {
    if (gateway.name !== "simulated") return;
    await (gateway as SimulatedGateway).settlePayout(payoutId);
  },
});

const reconcilePayments = defineJob({
  task: RECONCILE_TASK,
  payload: z.object({ trigger: z.enum(["schedule", "manual"]).default("schedule"), actorId: z.string().optional() }),
  run: async ({ db, gateway }: PaymentsJobDeps, { trigger, actorId }) => {
    await runReconciliation(db, gateway, { trigger, actorId });
  },
});

export const paymentsJobHandlers: JobHandlers<PaymentsJobDeps> = {
  handlers: [deliverGatewayEvent, settleSimulatedPayout, reconcilePayments],
  // Daily at 04:00 UTC; a missed run (server down) is caught up within a day.
  schedules: [{ task: RECONCILE_TASK, pattern: "0 4 * * *", options: "fill=1d&max=3", payload: { trigger: "schedule" } }],
};
