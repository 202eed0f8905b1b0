import type { Db } from "@/db/client";
import { defineJob, type JobHandlers } from "@/server/jobs/handlers";
import { defaultMailer } from "@/server/mail";
import {
  deliverNotification,
  notificationEmailPayload,
  notifyInput,
  SEND_NOTIFICATION_EMAIL_TASK,
  SEND_NOTIFICATION_TASK,
  sendNotificationEmail,
} from "./service";

/** The notifications domain's jobs, gathered with the other domains' in server/composition.ts. */
export interface NotificationsJobDeps {
  db: Db;
}

/** Creates the in-app notification once per dedupe key and, with it, queues its email. */
const sendNotification = defineJob({
  task: SEND_NOTIFICATION_TASK,
  payload: notifyInput,
  run: async ({ db }: NotificationsJobDeps, payload) => {
    await deliverNotification(db, payload);
  },
});

const sendNotificationEmailJob = defineJob({
  task: SEND_NOTIFICATION_EMAIL_TASK,
  payload: notificationEmailPayload,
  run: async ({ db }: NotificationsJobDeps, payload) => {
    await sendNotificationEmail(db, defaultMailer(), payload);
  },
});

export const notificationsJobHandlers: JobHandlers<NotificationsJobDeps> = {
  handlers: [sendNotification, sendNotificationEmailJob],
};
