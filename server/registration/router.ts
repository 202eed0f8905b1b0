import { cancelEventInput, eventIdInput } from "@/server/events/schemas";
import { RateLimited } from "@/server/errors";
import { paymentGateway } from "@/server/payments/provider";
import { consumeLimit, retryMessage, type LimitRule } from "@/server/rate-limit";
import { createTRPCRouter, organizerProcedure, protectedProcedure } from "@/server/trpc";
import { addParticipantInput, checkoutInput, promoCodeInput, quoteInput, registrationIdInput, removeParticipantInput } from "./schemas";
import {
  addParticipant,
  cancelEvent,
  dropNoShows,
  removeParticipant,
  checkIn,
  checkout,
  createPromoCode,
  listPromoCodes,
  myRegistration,
  myUpcomingRegistrations,
  quote,
  registrationsForEvent,
  withdraw,
} from "./service";

const checkoutLimit: LimitRule = { name: "checkout:user", points: 30, durationSeconds: 60 };
/** Price quotes (the checkout form asks for one as the player types). */
const quoteLimit: LimitRule = { name: "quote:user", points: 60, durationSeconds: 60 };
/** Codes tried, in quotes and checkouts: enough for typos, too few to guess codes. */
export const promoLimit: LimitRule = { name: "promo:user", points: 10, durationSeconds: 600 };

async function limit(ctx: { db: Parameters<typeof consumeLimit>[0] }, rule: LimitRule, key: string) {
  const outcome = await consumeLimit(ctx.db, rule, key);
  if (!outcome.allowed) throw new RateLimited(retryMessage(outcome.retryAfterSeconds), outcome.retryAfterSeconds);
}

export const registrationRouter = createTRPCRouter({
  mine: protectedProcedure.input(eventIdInput).query(({ ctx, input }) => myRegistration(ctx.db, ctx.user, input.eventId)),
  /** My entries in events to come or under way, with payment and check-in (the match-day page). */
  upcoming: protectedProcedure.query(({ ctx }) => myUpcomingRegistrations(ctx.db, ctx.user)),
  quote: protectedProcedure.input(quoteInput).query(async ({ ctx, input }) => {
    await limit(ctx, quoteLimit, ctx.user.id);
    if (input.promoCode) await limit(ctx, promoLimit, ctx.user.id);
    return quote(ctx.db, ctx.user, input);
  }),
  checkout: protectedProcedure.input(checkoutInput).mutation(async ({ ctx, input }) => {
    await limit(ctx, checkoutLimit, ctx.user.id);
    if (input.promoCode) await limit(ctx, promoLimit, ctx.user.id);
    return checkout(ctx.db, await paymentGateway(ctx.db), ctx.user, input);
  }),
  withdraw: protectedProcedure.input(registrationIdInput).mutation(({ ctx, input }) => withdraw(ctx.db, ctx.user, input.registrationId)),
  checkIn: protectedProcedure.input(registrationIdInput).mutation(({ ctx, input }) => checkIn(ctx.db, ctx.user, input.registrationId)),

  forEvent: organizerProcedure.input(eventIdInput).query(({ ctx, input }) => registrationsForEvent(ctx.db, ctx.user, input.eventId)),
  cancelEvent: organizerProcedure
    .input(cancelEventInput)
    .mutation(({ ctx, input }) => cancelEvent(ctx.db, ctx.user, input.eventId, input.reason)),
  createPromoCode: organizerProcedure.input(promoCodeInput).mutation(({ ctx, input }) => createPromoCode(ctx.db, ctx.user, input)),
  promoCodes: organizerProcedure.input(eventIdInput).query(({ ctx, input }) => listPromoCodes(ctx.db, ctx.user, input.eventId)),
  addParticipant: organizerProcedure.input(addParticipantInput).mutation(({ ctx, input }) => addParticipant(ctx.db, ctx.user, input)),
  removeParticipant: organizerProcedure
    .input(removeParticipantInput)
    .mutation(({ ctx, input }) => removeParticipant(ctx.db, ctx.user, input)),
  dropNoShows: organizerProcedure.input(eventIdInput).mutation(({ ctx, input }) => dropNoShows(ctx.db, ctx.user, input.eventId)),
});
