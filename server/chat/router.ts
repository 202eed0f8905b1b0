import { adminProcedure, createTRPCRouter, protectedProcedure } from "@/server/trpc";
import { deleteMessage, history, markRead, search, sendMessage, typing } from "./messages";
import { listReports, reportMessage, resolveReport } from "./moderation";
import { blockUser, findUsers, listBlocked, unblockUser } from "./people";
import { heartbeat } from "./presence";
import { listRooms, lobbyForViewer, openDirect, roomDetail, unreadTotal } from "./rooms";
import {
  eventIdInput,
  findUserInput,
  historyInput,
  markReadInput,
  messageIdInput,
  reportInput,
  reportsInput,
  resolveReportInput,
  roomIdInput,
  searchInput,
  sendInput,
  userIdInput,
  heartbeatInput,
} from "./schemas";

/** Every room-scoped procedure checks access in the service: a room the caller may not see is NOT_FOUND. */
export const chatRouter = createTRPCRouter({
  rooms: protectedProcedure.query(({ ctx }) => listRooms(ctx.db, ctx.user)),
  room: protectedProcedure.input(roomIdInput).query(({ ctx, input }) => roomDetail(ctx.db, ctx.user, input)),
  openDirect: protectedProcedure.input(userIdInput).mutation(({ ctx, input }) => openDirect(ctx.db, ctx.user, input)),
  /** Get-or-create, so the event page's chat panel can use it as a query. */
  // A mutation: joining adds the caller to the room (and makes the room on first use).
  joinEventLobby: protectedProcedure.input(eventIdInput).mutation(({ ctx, input }) => lobbyForViewer(ctx.db, ctx.user, input)),
  history: protectedProcedure.input(historyInput).query(({ ctx, input }) => history(ctx.db, ctx.user, input)),
  search: protectedProcedure.input(searchInput).query(({ ctx, input }) => search(ctx.db, ctx.user, input)),
  send: protectedProcedure.input(sendInput).mutation(({ ctx, input }) => sendMessage(ctx.db, ctx.user, input)),
  delete: protectedProcedure.input(messageIdInput).mutation(async ({ ctx, input }) => {
    const result = await deleteMessage(ctx.db, ctx.user, input);
    ctx.log.info({ messageId: input.messageId }, "chat message deleted");
    return result;
  }),
  report: protectedProcedure.input(reportInput).mutation(async ({ ctx, input }) => {
    const result = await reportMessage(ctx.db, ctx.user, input);
    ctx.log.info({ messageId: input.messageId, reportId: result.reportId }, "chat message reported");
    return result;
  }),
  typing: protectedProcedure.input(roomIdInput).mutation(({ ctx, input }) => typing(ctx.db, ctx.user, input)),
  markRead: protectedProcedure.input(markReadInput).mutation(({ ctx, input }) => markRead(ctx.db, ctx.user, input)),
  unreadTotal: protectedProcedure.query(({ ctx }) => unreadTotal(ctx.db, ctx.user)),
  heartbeat: protectedProcedure.input(heartbeatInput).mutation(({ ctx, input }) => heartbeat(ctx.db, ctx.user, input ?? {})),
  block: protectedProcedure.input(userIdInput).mutation(({ ctx, input }) => blockUser(ctx.db, ctx.user.id, input)),
  unblock: protectedProcedure.input(userIdInput).mutation(({ ctx, input }) => unblockUser(ctx.db, ctx.user.id, input)),
  blocked: protectedProcedure.query(({ ctx }) => listBlocked(ctx.db, ctx.user.id)),
  findUser: protectedProcedure.input(findUserInput).query(({ ctx, input }) => findUsers(ctx.db, ctx.user.id, input)),
  reports: adminProcedure.input(reportsInput).query(({ ctx, input }) => listReports(ctx.db, input)),
  resolveReport: adminProcedure.input(resolveReportInput).mutation(async ({ ctx, input }) => {
    const result = await resolveReport(ctx.db, ctx.user, input);
    ctx.log.info({ reportId: input.reportId, action: input.action }, "chat report resolved");
    return result;
  }),
});
