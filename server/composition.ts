/**
 * The composition root: what each domain contributes to the shared machinery, one line per domain,
 * as server/root.ts does for routers. Domains below never import this file; entry points do (the
 * web server's start-up, the worker, the tRPC root, route handlers, scripts, the test set-up).
 */

// ---- Job handlers (graphile-worker tasks and schedules) ----
import type { TaskList } from "graphile-worker";
import type { Db } from "@/db/client";
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
  paymentsJobHandlers,
  registrationJobHandlers,
  notificationsJobHandlers,
  liveJobHandlers,
  storageJobHandlers,
  bracketsJobHandlers,
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
