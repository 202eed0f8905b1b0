import type { JobSpec } from "@/server/jobs/queue";

/** The brackets domain's task names and the job specs its code queues; their handlers are in ./jobs.ts. */
export const REPORT_DEADLINE_TASK = "bracket-report-deadline";
export const PAY_PRIZES_TASK = "bracket-pay-prizes";
export const BRACKET_STARTED_TASK = "bracket-started";
export const NOTIFY_PARTICIPANTS_TASK = "bracket-notify-participants";

/**
 * The report deadline job of a match. Keyed by match and deadline: queuing the same deadline twice
 * is one job, and a job for a deadline that moved since (a call, a reset) finds the match's
 * deadline changed and does nothing.
 */
export function deadlineJob(matchUuid: string, deadline: string): JobSpec {
  const at = new Date(deadline);
  return {
    task: REPORT_DEADLINE_TASK,
    payload: { matchId: matchUuid, deadline },
    runAt: at,
    jobKey: `${REPORT_DEADLINE_TASK}:${matchUuid}:${at.getTime()}`,
  };
}
