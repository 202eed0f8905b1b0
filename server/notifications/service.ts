import { and, desc, eq, inArray, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db, DbOrTx } from "@/db/client";
import { pgErrorCode } from "@/db/errors";
import { notifications } from "@/db/schema/notifications";
import { getSessionUser } from "@/server/accounts/service";
import { enqueueJob, type JobSpec } from "@/server/jobs/queue";
import { announce } from "@/server/live/announce";
import { logger } from "@/server/logger";
import type { Mailer } from "@/server/mail";

export const SEND_NOTIFICATION_TASK = "send-notification";
export const SEND_NOTIFICATION_EMAIL_TASK = "send-notification-email";

const log = logger.child({ component: "notifications" });

/** Same-site paths only: a notification never links to another host or a script. */
const sameSitePath = z
  .string()
  .max(500)
  .refine((value) => value.startsWith("/") && !value.startsWith("//") && !value.startsWith("/\\"), "must be a path on this site");

const emailInput = z.object({
  subject: z.string().trim().min(1).max(200),
  text: z.string().min(1).max(20_000),
});

export const notifyInput = z.object({
  userId: z.uuid(),
  /** The same key twice is one notification and at most one email. Name the cause, e.g. `registration:<id>:confirmed`. */
  dedupeKey: z.string().trim().min(1).max(200),
  title: z.string().trim().min(1).max(200),
  body: z.string().max(2_000),
  link: sameSitePath.optional(),
  email: emailInput.optional(),
});
export type NotifyInput = z.input<typeof notifyInput>;

/** The payload of the `send-notification-email` job, queued by deliverNotification. */
export const notificationEmailPayload = emailInput.extend({ userId: z.uuid(), dedupeKey: z.string().min(1) });

/**
 * Notifies a user in-app (and by email when `email` is given) once the caller's transaction
 * commits: only a job is added here, so a rolled-back transaction notifies nobody.
 */
export async function notify(tx: DbOrTx, input: NotifyInput): Promise<void> {
  await enqueueJob(tx, SEND_NOTIFICATION_TASK, notifyInput.parse(input));
}

/** notify() as job specs, for callers that queue them in bulk with other jobs. */
export function notificationJobs(inputs: readonly NotifyInput[]): JobSpec[] {
  return inputs.map((input) => ({ task: SEND_NOTIFICATION_TASK, payload: notifyInput.parse(input) }));
}

/**
 * The `send-notification` job. The row and the email job are written together, and only by the
 * run that created the row: a repeated job (or a second notify with the same key) finds the row and
 * sends nothing, so the row itself is the record that the email was queued.
 */
export async function deliverNotification(db: Db, payload: unknown): Promise<"created" | "duplicate" | "no_user"> {
  const input = notifyInput.parse(payload);
  try {
    return await db.transaction(async (tx) => {
      const created = await tx
        .insert(notifications)
        .values({ userId: input.userId, dedupeKey: input.dedupeKey, title: input.title, body: input.body, link: input.link ?? null })
        .onConflictDoNothing({ target: notifications.dedupeKey })
        .returning({ id: notifications.id });
      if (created.length === 0) return "duplicate";
      await announce(tx, `user:${input.userId}`, { kind: "notification" });
      if (input.email) {
        await enqueueJob(tx, SEND_NOTIFICATION_EMAIL_TASK, { userId: input.userId, dedupeKey: input.dedupeKey, ...input.email });
      }
      return "created";
    });
  } catch (error) {
    // The account was deleted after the notify: nobody is left to tell, and retrying cannot help.
    if (pgErrorCode(error) === "23503") {
      log.warn({ dedupeKey: input.dedupeKey, userId: input.userId }, "notification skipped: user no longer exists");
      return "no_user";
    }
    throw error;
  }
}

/**
 * The `send-notification-email` job. The file transport writes each key once; SMTP is at least
 * once (a crash after the server accepted the message sends it again, with the same Message-ID).
 */
export async function sendNotificationEmail(db: DbOrTx, mailer: Mailer, payload: unknown): Promise<"sent" | "already_sent" | "no_user"> {
  const input = notificationEmailPayload.parse(payload);
  const user = await getSessionUser(db, input.userId);
  if (!user) return "no_user";
  const result = await mailer.send({
    dedupeKey: input.dedupeKey,
    to: { name: user.name, address: user.email },
    subject: input.subject,
    text: input.text,
  });
  return result.status;
}

export interface NotificationItem {
  id: string;
  title: string;
  body: string;
  link: string | null;
  readAt: Date | null;
  createdAt: Date;
}

/**
 * The user's notifications, newest first. The cursor is the last id seen: the comparison uses that
 * row's own stored time, so pages neither repeat nor skip rows however close their times are.
 */
export async function listNotifications(
  db: DbOrTx,
  userId: string,
  input: { cursor?: string | null; limit: number },
): Promise<{ items: NotificationItem[]; nextCursor: string | null }> {
  const where = [eq(notifications.userId, userId)];
  if (input.cursor) {
    where.push(sql`(${notifications.createdAt}, ${notifications.id}) < (
      select n.created_at, n.id from notifications n where n.id = ${input.cursor} and n.user_id = ${userId}
    )`);
  }
  const rows = await db
    .select({
      id: notifications.id,
      title: notifications.title,
      body: notifications.body,
      link: notifications.link,
      readAt: notifications.readAt,
      createdAt: notifications.createdAt,
    })
    .from(notifications)
    .where(and(...where))
    .orderBy(desc(notifications.createdAt), desc(notifications.id))
    .limit(input.limit + 1);
  const items = rows.slice(0, input.limit);
  return { items, nextCursor: rows.length > input.limit ? items.at(-1)!.id : null };
}

export async function unreadCount(db: DbOrTx, userId: string): Promise<number> {
  const [row] = await db
    .select({ count: sql<number>`count(*)::int` })
    .from(notifications)
    .where(and(eq(notifications.userId, userId), isNull(notifications.readAt)));
  return row?.count ?? 0;
}

/** Marks the user's own notifications read; ids of other users' notifications are ignored. */
export async function markRead(db: DbOrTx, userId: string, ids: string[] | "all"): Promise<{ updated: number }> {
  if (ids !== "all" && ids.length === 0) return { updated: 0 };
  const where = [eq(notifications.userId, userId), isNull(notifications.readAt)];
  if (ids !== "all") where.push(inArray(notifications.id, ids));
  const updated = await db
    .update(notifications)
    .set({ readAt: sql`now()` })
    .where(and(...where))
    .returning({ id: notifications.id });
  return { updated: updated.length };
}
