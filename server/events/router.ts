import { createTRPCRouter, organizerProcedure, publicProcedure } from "@/server/trpc";
import { eventIdInput, eventInput, listEventsInput } from "./schemas";
import { eventMoney } from "./money";
import { listParticipants } from "@/server/registration/participants";
import { createEvent, getEvent, listEvents, listOrganizerEvents, publishEvent, updateEvent } from "./service";

export const eventsRouter = createTRPCRouter({
  list: publicProcedure.input(listEventsInput).query(({ ctx, input }) => listEvents(ctx.db, input)),
  get: publicProcedure.input(eventIdInput).query(({ ctx, input }) => getEvent(ctx.db, ctx.user, input.eventId)),
  participants: publicProcedure.input(eventIdInput).query(async ({ ctx, input }) => {
    await getEvent(ctx.db, ctx.user, input.eventId);
    return listParticipants(ctx.db, input.eventId);
  }),
  money: organizerProcedure.input(eventIdInput).query(({ ctx, input }) => eventMoney(ctx.db, ctx.user, input.eventId)),
  mine: organizerProcedure.query(({ ctx }) => listOrganizerEvents(ctx.db, ctx.user)),
  create: organizerProcedure.input(eventInput).mutation(({ ctx, input }) => createEvent(ctx.db, ctx.user, input)),
  update: organizerProcedure.input(eventIdInput.and(eventInput)).mutation(({ ctx, input }) => {
    const { eventId, ...fields } = input;
    return updateEvent(ctx.db, ctx.user, eventId, fields);
  }),
  publish: organizerProcedure.input(eventIdInput).mutation(({ ctx, input }) => publishEvent(ctx.db, ctx.user, input.eventId)),
});
