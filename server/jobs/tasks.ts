import type { Firestore } from "firebase-admin/firestore";
import type { TaskList } from "graphile-worker";
import type { Db } from "@/db/client";
import type { GatewayEvent, PaymentGateway } from "@/server/payments/gateway";
import { defaultMailer } from "@/server/notifications/mailer";
import {
  deliverNotification,
  SEND_NOTIFICATION_EMAIL_TASK,
  SEND_NOTIFICATION_TASK,
  sendNotificationEmail,
} from "@/server/notifications/service";
import { runReconciliation } from "@/server/payments/reconciliation";
import { DELIVER_EVENT_TASK, type SimulatedGateway } from "@/server/payments/simulated-gateway";
import { processWebhook } from "@/server/payments/webhooks";
import { refundPayment, sendRefund } from "@/server/payments/service";
import { PRUNE_LIVE_EVENTS_TASK, pruneLiveEvents } from "@/server/live/prune";
import {
  CLEAN_UNATTACHED_EVIDENCE_TASK,
  cleanUnattachedEvidence,
  DELETE_EVIDENCE_FILES_TASK,
  deleteEvidenceFiles,
} from "@/server/storage/evidence-uploads";
import { fileStore } from "@/server/storage/provider";
import { CANCEL_EVENT_TASK, EXPIRE_CHECKOUT_TASK, EXPIRE_OFFER_TASK, REFUND_CARD_TASK } from "@/server/registration/lifecycle";
import { expireCheckout, expireOffer, refundCancelledEvent } from "@/server/registration/service";
import { eq } from "drizzle-orm";
import { registrations } from "@/db/schema";
import { getLiveFirestore } from "@/server/live/firebase";
import {
  LIVE_PUBLISH_FIRESTORE_TASK,
  LIVE_RESYNC_FIRESTORE_TASK,
  publishTopicToFirestore,
  resyncTopicInFirestore,
  type PublishOptions,
} from "@/server/live/firestore-publisher";
import { isLiveTopic } from "@/server/live/topics-name";
import { roomReaders } from "@/server/chat/service";
import { BRACKET_STARTED_TASK, NOTIFY_PARTICIPANTS_TASK, PAY_PRIZES_TASK, REPORT_DEADLINE_TASK } from "@/server/brackets/jobs";
import { afterBracketStart, draftTopicReaders, notifyParticipants, payPrizes, runReportDeadline } from "@/server/brackets/service";
import { Invalid, NotFound } from "@/server/errors";

/**
 * Who may read each private Firestore document: a room's, the chat domain's own access rule as a
 * list; a draft event's (and its bracket's and matches'), the brackets domain's.
 */
const livePublishOptions: PublishOptions = { roomReaders, eventTopicReaders: draftTopicReaders };

type FirestoreTopicJob = (firestore: Firestore, topic: string) => Promise<unknown>;

/** A job on one live topic's Firestore copy (queued only when Firestore is configured). */
const onLiveFirestore = (run: FirestoreTopicJob) => async (payload: unknown) => {
  const { topic } = (payload ?? {}) as { topic?: string };
  if (typeof topic !== "string" || !isLiveTopic(topic)) return;
  const firestore = getLiveFirestore();
  // Firestore was turned off after the job was queued: nothing to publish to.
  if (!firestore) return;
  await run(await firestore, topic);
};

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
    /** Creates the in-app notification once per dedupe key and, with it, queues its email. */
    [SEND_NOTIFICATION_TASK]: async (payload) => {
      await deliverNotification(db, payload);
    },
    [SEND_NOTIFICATION_EMAIL_TASK]: async (payload) => {
      await sendNotificationEmail(db, defaultMailer(), payload);
    },
    [EXPIRE_CHECKOUT_TASK]: async (payload) => {
      await expireCheckout(db, gateway, (payload as { registrationId: string }).registrationId);
    },
    [EXPIRE_OFFER_TASK]: async (payload) => {
      await expireOffer(db, (payload as { registrationId: string }).registrationId);
    },
    /**
     * The card part of an entry's refund, already recorded (and its money out of the escrow) by the
     * transaction that decided it: the provider is asked now. Jobs queued before refunds were
     * recorded first carry the registration and amount instead.
     */
    [REFUND_CARD_TASK]: async (payload) => {
      const { refundId, registrationId, amount, reason } = payload as {
        refundId?: string;
        registrationId?: string;
        amount?: number;
        reason?: string;
      };
      if (refundId) {
        await sendRefund(db, gateway, refundId);
        return;
      }
      if (!registrationId || !amount) return;
      const [registration] = await db.select().from(registrations).where(eq(registrations.id, registrationId));
      if (!registration?.paymentId) return;
      await refundPayment(db, gateway, {
        paymentId: registration.paymentId,
        amount,
        idempotencyKey: `registration:${registrationId}:refund-card`,
        reason: reason ?? "Refund",
      });
    },
    /** Copies a live topic's latest state to Firestore (only queued when Firestore is configured). */
    [LIVE_PUBLISH_FIRESTORE_TASK]: onLiveFirestore((firestore, topic) => publishTopicToFirestore(db, firestore, topic, livePublishOptions)),
    /** Rewrites the events already copied to Firestore from PostgreSQL, after content was taken back. */
    [LIVE_RESYNC_FIRESTORE_TASK]: onLiveFirestore((firestore, topic) => resyncTopicInFirestore(db, firestore, topic, livePublishOptions)),
    [CANCEL_EVENT_TASK]: async (payload) => {
      const { eventId, reason } = payload as { eventId: string; reason: string };
      await refundCancelledEvent(db, eventId, reason);
    },
    [PRUNE_LIVE_EVENTS_TASK]: async () => {
      await pruneLiveEvents(db);
    },
    /** Rows of uploads never attached within a day; their files go in DELETE_EVIDENCE_FILES_TASK, queued with the deletion. */
    [CLEAN_UNATTACHED_EVIDENCE_TASK]: async () => {
      await cleanUnattachedEvidence(db);
    },
    [DELETE_EVIDENCE_FILES_TASK]: async (payload) => {
      const { evidenceIds } = (payload ?? {}) as { evidenceIds?: unknown };
      if (Array.isArray(evidenceIds))
        await deleteEvidenceFiles(
          fileStore(),
          evidenceIds.filter((id): id is string => typeof id === "string"),
        );
    },
    /** A match's report deadline: single reports stand, or the match is overdue (no-op if the deadline moved). */
    [REPORT_DEADLINE_TASK]: async (payload) => {
      await runReportDeadline(db, payload as { matchId: string; deadline: string });
    },
    /** Prizes of a completed bracket. A refusal (organizer short of money) is recorded on the bracket, not retried. */
    [PAY_PRIZES_TASK]: async (payload) => {
      try {
        await payPrizes(db, (payload as { bracketId: string }).bracketId);
      } catch (error) {
        if (!(error instanceof Invalid || error instanceof NotFound)) throw error;
      }
    },
    [BRACKET_STARTED_TASK]: async (payload) => {
      await afterBracketStart(db, (payload as { bracketId: string }).bracketId);
    },
    [NOTIFY_PARTICIPANTS_TASK]: async (payload) => {
      await notifyParticipants(db, payload as Parameters<typeof notifyParticipants>[1]);
    },
  };
}

/**
 * Daily reconciliation at 04:00 UTC; a missed run (server down) is caught up within a day.
 * Hourly pruning of live announcements past their replay window, and of evidence uploads never
 * attached to a dispute (so a file goes 24 to 25 hours after its upload).
 */
export const crontab = [
  `0 4 * * * ${RECONCILE_TASK} ?fill=1d&max=3 {trigger:"schedule"}`,
  `17 * * * * ${PRUNE_LIVE_EVENTS_TASK}`,
  `47 * * * * ${CLEAN_UNATTACHED_EVIDENCE_TASK}`,
].join("\n");
