import { z } from "zod";
import { disputeReasons } from "@/db/schema/disputes";

const text = (min: number, max: number, what: string) =>
  z
    .string()
    .trim()
    .min(min, min === 1 ? `Write ${what}.` : `Write at least ${min} characters.`)
    .max(max, `Keep ${what} under ${max} characters.`);

/** Evidence ids from POST /api/evidence; the service checks each belongs to the actor and exists. */
export const evidenceIds = z.array(z.string().max(100)).max(10, "Attach at most 10 files at a time.").default([]);

export const raiseDisputeInput = z.object({
  matchId: z.uuid(),
  gameNumber: z.number().int().min(1).max(99),
  reason: z.enum(disputeReasons),
  description: text(10, 2000, "the description"),
  evidenceIds,
});

export const respondInput = z.object({
  disputeId: z.uuid(),
  body: text(1, 2000, "your statement"),
  evidenceIds,
});

export const disputeIdInput = z.object({ disputeId: z.uuid() });

export const resolveDisputeInput = z.object({
  disputeId: z.uuid(),
  winnerSide: z.union([z.literal(0), z.literal(1)]),
  explanation: text(10, 2000, "the explanation"),
});

export const queueStatuses = ["open", "resolved", "all"] as const;

export const queueInput = z.object({
  eventId: z.uuid().optional(),
  status: z.enum(queueStatuses).default("open"),
  /** `nextCursor` of the previous page. */
  cursor: z
    .string()
    .max(80)
    .regex(/^[0-9T:.+\-Z ]{10,40}\|[0-9a-f-]{36}$/)
    .optional(),
  limit: z.number().int().min(1).max(100).default(50),
});
