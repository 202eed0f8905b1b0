import { getMatch } from "@/server/disputes/match-page";
import { createTRPCRouter, organizerProcedure, protectedProcedure, publicProcedure } from "@/server/trpc";
import { matchChatRoom } from "./chat";
import {
  announceInput,
  consoleMatchesInput,
  entrantInput,
  eventIdInput,
  forfeitInput,
  historyInput,
  matchIdInput,
  previewSeedingInput,
  recordGameInput,
  reportGameInput,
  reportSetInput,
  setResultInput,
  startBracketInput,
} from "./schemas";
import {
  announceToParticipants,
  applyCorrection,
  bracketHistory,
  callMatch,
  clearMatchResult,
  consoleMatches,
  currentMatches,
  disqualifyEntrant,
  getBracket,
  myMatches,
  previewCorrection,
  previewSeeding,
  recordGameByOrganizer,
  reinstateEntrant,
  confirmSet,
  reportGame,
  reportSet,
  retryPayout,
  setMatchResult,
  startBracket,
  undoLastAction,
} from "./service";

/** The bracket page (public) and the organizer's console. Organizer procedures check ownership inside. */
export const bracketsRouter = createTRPCRouter({
  get: publicProcedure.input(eventIdInput).query(({ ctx, input }) => getBracket(ctx.db, ctx.user, input.eventId)),

  previewSeeding: organizerProcedure.input(previewSeedingInput).query(({ ctx, input }) => {
    const { eventId, ...seeding } = input;
    return previewSeeding(ctx.db, ctx.user, eventId, seeding);
  }),
  start: organizerProcedure.input(startBracketInput).mutation(({ ctx, input }) => {
    const { eventId, ...rest } = input;
    return startBracket(ctx.db, ctx.user, eventId, rest);
  }),
  consoleMatches: organizerProcedure.input(consoleMatchesInput).query(({ ctx, input }) => consoleMatches(ctx.db, ctx.user, input)),
  history: organizerProcedure.input(historyInput).query(({ ctx, input }) => bracketHistory(ctx.db, ctx.user, input)),

  setResult: organizerProcedure.input(setResultInput).mutation(({ ctx, input }) => setMatchResult(ctx.db, ctx.user, input)),
  recordGame: organizerProcedure.input(recordGameInput).mutation(({ ctx, input }) => recordGameByOrganizer(ctx.db, ctx.user, input)),
  forfeit: organizerProcedure
    .input(forfeitInput)
    .mutation(({ ctx, input }) =>
      setMatchResult(ctx.db, ctx.user, { matchId: input.matchId, outcome: { type: "forfeit", winner: input.winnerSide } }),
    ),
  doubleForfeit: organizerProcedure
    .input(matchIdInput)
    .mutation(({ ctx, input }) => setMatchResult(ctx.db, ctx.user, { matchId: input.matchId, outcome: { type: "double_forfeit" } })),
  clearResult: organizerProcedure.input(matchIdInput).mutation(({ ctx, input }) => clearMatchResult(ctx.db, ctx.user, input)),
  previewCorrection: organizerProcedure.input(setResultInput).query(({ ctx, input }) => previewCorrection(ctx.db, ctx.user, input)),
  applyCorrection: organizerProcedure.input(setResultInput).mutation(({ ctx, input }) => applyCorrection(ctx.db, ctx.user, input)),
  disqualify: organizerProcedure.input(entrantInput).mutation(({ ctx, input }) => disqualifyEntrant(ctx.db, ctx.user, input)),
  reinstate: organizerProcedure.input(entrantInput).mutation(({ ctx, input }) => reinstateEntrant(ctx.db, ctx.user, input)),
  undo: organizerProcedure.input(eventIdInput).mutation(({ ctx, input }) => undoLastAction(ctx.db, ctx.user, input)),
  callMatch: organizerProcedure.input(matchIdInput).mutation(({ ctx, input }) => callMatch(ctx.db, ctx.user, input)),
  announce: organizerProcedure.input(announceInput).mutation(({ ctx, input }) => announceToParticipants(ctx.db, ctx.user, input)),
  retryPayout: organizerProcedure.input(eventIdInput).mutation(({ ctx, input }) => retryPayout(ctx.db, ctx.user, input.eventId)),
});

/** The match page: public to read (with its disputes, put together by the disputes domain); the two sides report. */
export const matchesRouter = createTRPCRouter({
  get: publicProcedure.input(matchIdInput).query(({ ctx, input }) => getMatch(ctx.db, ctx.user, input.matchId)),
  mine: protectedProcedure.input(eventIdInput).query(({ ctx, input }) => myMatches(ctx.db, ctx.user, input)),
  /** My current and next matches across all events (the match-day page). */
  current: protectedProcedure.query(({ ctx }) => currentMatches(ctx.db, ctx.user)),
  reportGame: protectedProcedure.input(reportGameInput).mutation(({ ctx, input }) => reportGame(ctx.db, ctx.user, input)),
  /** A whole set at once (the winner of each game), and the other side confirming it as reported. */
  reportSet: protectedProcedure.input(reportSetInput).mutation(({ ctx, input }) => reportSet(ctx.db, ctx.user, input)),
  confirmSet: protectedProcedure.input(reportSetInput).mutation(({ ctx, input }) => confirmSet(ctx.db, ctx.user, input)),
  /** The match's chat room (created on first use) for its players and the organizer. */
  chatRoom: protectedProcedure.input(matchIdInput).mutation(({ ctx, input }) => matchChatRoom(ctx.db, ctx.user, input)),
});
