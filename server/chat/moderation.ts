import { and, desc, eq, sql } from "drizzle-orm";
import type { Db, DbOrTx } from "@/db/client";
import { chatMessages, chatReports, chatRooms, type ChatReportReason } from "@/db/schema/chat";
import { eventDirectory } from "@/server/events/directory";
import { userDirectoryAs } from "@/server/accounts/directory";
import type { SessionUser } from "@/server/accounts/roles";
import { Conflict, Invalid, NotFound } from "@/server/errors";
import { notify } from "@/server/notifications/service";
import { roomAccess } from "./access";
import { messageNotFound, removeMessage } from "./messages";
import type { ReportInput, ReportsInput, ResolveReportInput } from "./schemas";

const reasonLabels: Record<ChatReportReason, string> = {
  spam: "spam",
  harassment: "harassment",
  cheating: "cheating",
  other: "another reason",
};

/**
 * Anyone who can read a message may report it, once. The organizer of the room's event hears of it
 * (a notification after commit); admins see every open report.
 */
export async function reportMessage(db: Db, user: SessionUser, input: ReportInput): Promise<{ reportId: string }> {
  const [message] = await db
    .select({
      roomId: chatMessages.roomId,
      senderId: chatMessages.senderId,
      deletedAt: chatMessages.deletedAt,
    })
    .from(chatMessages)
    .where(eq(chatMessages.id, input.messageId));
  const access = message ? await roomAccess(db, user, message.roomId) : null;
  if (!message || !access) throw messageNotFound();
  if (message.senderId === user.id) throw new Invalid("You can't report your own message.");
  if (message.deletedAt) throw new Invalid("This message was already removed.");
  const { room } = access;

  return db.transaction(async (tx) => {
    const [created] = await tx
      .insert(chatReports)
      .values({ messageId: input.messageId, reporterId: user.id, reason: input.reason, details: input.details ?? null })
      .onConflictDoNothing({ target: [chatReports.messageId, chatReports.reporterId] })
      .returning({ id: chatReports.id });
    if (!created) throw new Conflict("You already reported this message.");
    if (room.organizerId && room.organizerId !== user.id) {
      const where = room.kind === "match" ? `a match room of ${room.eventName}` : `the lobby of ${room.eventName}`;
      await notify(tx, {
        userId: room.organizerId,
        dedupeKey: `chat-report:${created.id}`,
        title: "A chat message was reported",
        body: `${user.name} reported a message in ${where} for ${reasonLabels[input.reason]}.`,
        link: `/chat?room=${room.id}`,
      });
    }
    return { reportId: created.id };
  });
}

const reporter = userDirectoryAs("reporter");
const sender = userDirectoryAs("sender");

/** Reports for the admin queue, newest first; the cursor is the last report id seen. */
export async function listReports(db: DbOrTx, input: ReportsInput) {
  const where = [eq(chatReports.status, input.status)];
  if (input.cursor) {
    where.push(
      sql`(${chatReports.createdAt}, ${chatReports.id}) < (select c.created_at, c.id from chat_reports c where c.id = ${input.cursor})`,
    );
  }
  const rows = await db
    .select({
      id: chatReports.id,
      reason: chatReports.reason,
      details: chatReports.details,
      status: chatReports.status,
      createdAt: chatReports.createdAt,
      resolvedAt: chatReports.resolvedAt,
      reporter: { id: reporter.id, name: reporter.name },
      message: {
        id: chatMessages.id,
        // Admins judge the text, so they see it even after it was deleted.
        body: chatMessages.body,
        deletedAt: chatMessages.deletedAt,
        createdAt: chatMessages.createdAt,
      },
      sender: { id: sender.id, name: sender.name, image: sender.image },
      room: { id: chatRooms.id, kind: chatRooms.kind, eventId: chatRooms.eventId, matchId: chatRooms.matchId },
      eventName: eventDirectory.name,
      reportsOnMessage: sql<number>`(select count(*)::int from chat_reports o where o.message_id = ${chatMessages.id})`,
    })
    .from(chatReports)
    .innerJoin(reporter, eq(reporter.id, chatReports.reporterId))
    .innerJoin(chatMessages, eq(chatMessages.id, chatReports.messageId))
    .innerJoin(sender, eq(sender.id, chatMessages.senderId))
    .innerJoin(chatRooms, eq(chatRooms.id, chatMessages.roomId))
    .leftJoin(eventDirectory, eq(eventDirectory.id, chatRooms.eventId))
    .where(and(...where))
    .orderBy(desc(chatReports.createdAt), desc(chatReports.id))
    .limit(input.limit + 1);
  const items = rows.slice(0, input.limit);
  return { items, nextCursor: rows.length > input.limit ? items.at(-1)!.id : null };
}

/**
 * Dismisses the report, or deletes the message (in any room, direct ones included). Either way
 * every open report on that message is closed with it. A report already closed is returned as is.
 */
export async function resolveReport(db: Db, admin: SessionUser, input: ResolveReportInput) {
  return db.transaction(async (tx) => {
    const [report] = await tx
      .select({ id: chatReports.id, messageId: chatReports.messageId, status: chatReports.status })
      .from(chatReports)
      .where(eq(chatReports.id, input.reportId))
      .for("update");
    if (!report) throw new NotFound("That report does not exist.");
    if (report.status !== "open") return { reportId: report.id, status: report.status, closedReports: 0 };
    const status = input.action === "delete_message" ? "actioned" : "dismissed";
    if (input.action === "delete_message") await removeMessage(tx, report.messageId, admin.id);
    const closed = await tx
      .update(chatReports)
      .set({ status, resolvedAt: sql`now()`, resolvedBy: admin.id })
      .where(and(eq(chatReports.messageId, report.messageId), eq(chatReports.status, "open")))
      .returning({ id: chatReports.id });
    return { reportId: report.id, status, closedReports: closed.length };
  });
}
