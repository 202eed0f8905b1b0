import { z } from "zod";
import { createTRPCRouter, protectedProcedure } from "@/server/trpc";
import { listNotifications, markRead, unreadCount } from "./service";

export const listNotificationsInput = z.object({
  cursor: z.uuid().nullish(),
  limit: z.number().int().min(1).max(50).default(20),
});

export const markReadInput = z.union([z.object({ ids: z.array(z.uuid()).min(1).max(100) }), z.object({ all: z.literal(true) })]);

/** Every procedure is scoped to the caller: a user only ever sees and marks their own notifications. */
export const notificationsRouter = createTRPCRouter({
  list: protectedProcedure.input(listNotificationsInput).query(({ ctx, input }) => listNotifications(ctx.db, ctx.user.id, input)),
  unreadCount: protectedProcedure.query(({ ctx }) => unreadCount(ctx.db, ctx.user.id)),
  markRead: protectedProcedure
    .input(markReadInput)
    .mutation(({ ctx, input }) => markRead(ctx.db, ctx.user.id, "all" in input ? "all" : input.ids)),
});
