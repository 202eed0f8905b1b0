/**
 * The composition root: what each domain contributes to the shared machinery, one line per domain,
 * as server/root.ts does for routers. Domains below never import this file; entry points do (the
 * web server's start-up, the worker, the tRPC root, route handlers, scripts, the test set-up).
 */

// ---- Job handlers (graphile-worker tasks and schedules) ----
import type { TaskList } from "graphile-worker";
import type { Db } from "@/db/client";
import { accountsJobHandlers } from "@/server/accounts/jobs";
import { bracketsJobHandlers } from "@/server/brackets/jobs";
import { draftTopicReaders } from "@/server/brackets/service";
import { roomReaders } from "@/server/chat/service";
import { crontabLine, type JobHandlers, taskListOf } from "@/server/jobs/handlers";
import type { PublishOptions } from "@/server/live/firestore-publisher";
import { liveJobHandlers } from "@/server/live/jobs";
import { notificationsJobHandlers } from "@/server/notifications/jobs";
import type { PaymentGateway } from "@/server/payments/gateway";
import { paymentsJobHandlers } from "@/server/payments/jobs";
import { registrationJobHandlers } from "@/server/registration/jobs";
import { storageJobHandlers } from "@/server/storage/jobs";
import { withdrawalsJobHandlers } from "@/server/withdrawals/jobs";

/** What the process that runs the worker (server/worker.ts) gives the jobs. */
export interface WorkerDeps {
  db: Db;
  gateway: PaymentGateway;
}

/** What a job handler may ask for: the worker's deps and what the domains contribute here. */
interface JobDeps extends WorkerDeps {
  topicReaders: PublishOptions;
}

/** Every domain's jobs and schedules, one line per domain; each domain's handlers ask only for what they use. */
export const jobHandlers: readonly JobHandlers<JobDeps>[] = [
  accountsJobHandlers,
  paymentsJobHandlers,
  registrationJobHandlers,
  notificationsJobHandlers,
  liveJobHandlers,
  storageJobHandlers,
  bracketsJobHandlers,
  withdrawalsJobHandlers,
];

/** Who may read the private topics' Firestore copies: a room's members (chat), a draft event's organizer and admins (brackets). */
const firestoreTopicReaders: PublishOptions = { roomReaders, eventTopicReaders: draftTopicReaders };

/** graphile-worker's task list: every job Driftwood runs, each idempotent because delivery is at least once. */
export function jobTaskList(deps: WorkerDeps): TaskList {
  return taskListOf(
    jobHandlers.flatMap((domain) => domain.handlers),
    { ...deps, topicReaders: firestoreTopicReaders },
  );
}

/** graphile-worker's crontab: the domains' schedules. */
export const crontab = jobHandlers
  .flatMap((domain) => domain.schedules ?? [])
  .map(crontabLine)
  .join("\n");

// ---- Payment purposes and live-topic access rules ----
// Payments and live own the registries (server/registry.ts); each domain that sells something or
// shows a topic says here what its payments do and who may follow its topics. The registries live
// on globalThis, so what the start-up registers is seen by every Next.js chunk; each entry point
// imports this file too, so none depends on another having run first.

import { mayFollowUserTopic } from "@/server/accounts/live-access";
import { mayFollowBracketTopic, mayFollowMatchTopic } from "@/server/brackets/live-access";
import { mayFollowRoomTopic } from "@/server/chat/live-access";
import { mayFollowEventTopic } from "@/server/events/live-access";
import { registerTopicAccess } from "@/server/live/topics";
import { registerPayoutBook } from "@/server/payments/payout-events";
import { registerPaymentPurposes } from "@/server/payments/purposes";
import { registrationPaymentHooks } from "@/server/registration/payment-hooks";
import { walletTopupPurpose } from "@/server/wallet/topup-purpose";
import { withdrawalsPayoutBook } from "@/server/withdrawals/payout-book";

registerPaymentPurposes({ wallet_topup: walletTopupPurpose });
registerPayoutBook(withdrawalsPayoutBook);
registerPaymentPurposes({ registration: registrationPaymentHooks });

registerTopicAccess({ user: mayFollowUserTopic });
registerTopicAccess({ event: mayFollowEventTopic });
registerTopicAccess({ bracket: mayFollowBracketTopic, match: mayFollowMatchTopic });
registerTopicAccess({ room: mayFollowRoomTopic });

// ---- What a domain below asks of a domain above ----
// A domain that needs an answer or a reaction from a domain above it (teams asks who holds a
// team's entries; registration asks what the bracket does when an entry leaves a started event or
// the event is cancelled; storage asks who may see an evidence file attached to a dispute; accounts
// tells live when a user's sessions end, so their open streams close) owns the shape and a registry; the domain above provides it, registered
// here, so the lower domain never imports the higher one.

import { bracketRegistrationHooks } from "@/server/brackets/registration-hooks";
import { registerBracketHooks } from "@/server/registration/bracket-hooks";
import { registrationTeamEntries } from "@/server/registration/team-entries";
import { registrationEventEntries } from "@/server/registration/event-entries";
import { registerEventEntries } from "@/server/events/entries";
import { registerTeamEntries } from "@/server/teams/entries";
import { disputeEvidenceAttachments } from "@/server/disputes/evidence-access";
import { registerEvidenceAttachments } from "@/server/storage/evidence-access";

import { registerSessionsEndedHook } from "@/server/accounts/sessions";
import { announceSessionsEnded } from "@/server/live/session-ended";

registerSessionsEndedHook("live", announceSessionsEnded);
registerTeamEntries(registrationTeamEntries);
registerEventEntries(registrationEventEntries);
registerBracketHooks(bracketRegistrationHooks);
registerEvidenceAttachments(disputeEvidenceAttachments);
