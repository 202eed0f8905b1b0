import { z } from "zod";
import type { Db } from "@/db/client";
import { Invalid, NotFound } from "@/server/errors";
import { defineJob, type JobHandlers } from "@/server/jobs/handlers";
import { BRACKET_STARTED_TASK, NOTIFY_PARTICIPANTS_TASK, PAY_PRIZES_TASK, REPORT_DEADLINE_TASK } from "./job-specs";
import { payPrizes } from "./payouts";
import { runReportDeadline } from "./reports";
import { afterBracketStart, notifyParticipants } from "./start";

/** The brackets domain's jobs, gathered with the other domains' in server/composition.ts. */
export interface BracketsJobDeps {
  db: Db;
}

const ofBracket = z.object({ bracketId: z.string() });

/** A match's report deadline: single reports stand, or the match is overdue (no-op if the deadline moved). */
const reportDeadline = defineJob({
  task: REPORT_DEADLINE_TASK,
  payload: z.object({ matchId: z.string(), deadline: z.string() }),
  run: async ({ db }: BracketsJobDeps, payload) => {
    await runReportDeadline(db, payload);
  },
});

/** Prizes of a completed bracket. A refusal (organizer short of money) is recorded on the bracket, not retried. */
const payBracketPrizes = defineJob({
  task: PAY_PRIZES_TASK,
  payload: ofBracket,
  run: async ({ db }: BracketsJobDeps, { bracketId }) => {
    try {
      await payPrizes(db, bracketId);
    } catch (error) {
      if (!(error instanceof Invalid || error instanceof NotFound)) throw error;
    }
  },
});

/** After a start commits: the first report deadlines and the players' notifications. */
const bracketStarted = defineJob({
  task: BRACKET_STARTED_TASK,
  payload: ofBracket,
  run: async ({ db }: BracketsJobDeps, { bracketId }) => {
    await afterBracketStart(db, bracketId);
  },
});

/** The organizer's announcement, to every participant of the event. */
const announceToParticipants = defineJob({
  task: NOTIFY_PARTICIPANTS_TASK,
  payload: z.object({ eventId: z.string(), key: z.string(), title: z.string(), body: z.string(), link: z.string() }),
  run: async ({ db }: BracketsJobDeps, payload) => {
    await notifyParticipants(db, payload);
  },
});

export const bracketsJobHandlers: JobHandlers<BracketsJobDeps> = {
  handlers: [reportDeadline, payBracketPrizes, bracketStarted, announceToParticipants],
};
