import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { registrations } from "@/db/schema/registration";
import { defineJob, type JobHandlers } from "@/server/jobs/handlers";
import type { PaymentGateway } from "@/server/payments/gateway";
import { refundPayment, sendRefund } from "@/server/payments/service";
import { expireCheckout, expireOffer, refundCancelledEvent } from "./exits";
import { CANCEL_EVENT_TASK, EXPIRE_CHECKOUT_TASK, EXPIRE_OFFER_TASK, REFUND_CARD_TASK } from "./lifecycle";

/** The registration domain's jobs, gathered with the other domains' in server/composition.ts. */
export interface RegistrationJobDeps {
  db: Db;
  gateway: PaymentGateway;
}

const ofRegistration = z.object({ registrationId: z.string() });

/** An unpaid checkout past its time gives its seat and its wallet hold back (no-op once paid). */
const expireUnpaidCheckout = defineJob({
  task: EXPIRE_CHECKOUT_TASK,
  payload: ofRegistration,
  run: async ({ db, gateway }: RegistrationJobDeps, { registrationId }) => {
    await expireCheckout(db, gateway, registrationId);
  },
});

/** A waitlist offer not taken in time passes to the next in line. */
const expireWaitlistOffer = defineJob({
  task: EXPIRE_OFFER_TASK,
  payload: ofRegistration,
  run: async ({ db }: RegistrationJobDeps, { registrationId }) => {
    await expireOffer(db, registrationId);
  },
});

/**
 * The card part of an entry's refund, already recorded (and its money out of the escrow) by the
 * transaction that decided it: the provider is asked now. Jobs queued before refunds were recorded
 * first carry the registration and amount instead.
 */
const refundCardPart = defineJob({
  task: REFUND_CARD_TASK,
  payload: z.union([
    z.object({ refundId: z.string() }),
    z.object({ registrationId: z.string(), amount: z.number().int().nonnegative(), reason: z.string().optional() }),
  ]),
  run: async ({ db, gateway }: RegistrationJobDeps, payload) => {
    if ("refundId" in payload) {
      await sendRefund(db, gateway, payload.refundId);
      return;
    }
    const { registrationId, amount, reason } = payload;
    if (!amount) return;
    const [registration] = await db.select().from(registrations).where(eq(registrations.id, registrationId));
    if (!registration?.paymentId) return;
    await refundPayment(db, gateway, {
      paymentId: registration.paymentId,
      amount,
      idempotencyKey: `registration:${registrationId}:refund-card`,
      reason: reason ?? "Refund",
    });
  },
});

/** A cancelled event's entries are refunded (queued by the cancellation). */
const refundCancelled = defineJob({
  task: CANCEL_EVENT_TASK,
  payload: z.object({ eventId: z.string(), reason: z.string() }),
  run: async ({ db }: RegistrationJobDeps, { eventId, reason }) => {
    await refundCancelledEvent(db, eventId, reason);
  },
});

export const registrationJobHandlers: JobHandlers<RegistrationJobDeps> = {
  handlers: [expireUnpaidCheckout, expireWaitlistOffer, refundCardPart, refundCancelled],
};
