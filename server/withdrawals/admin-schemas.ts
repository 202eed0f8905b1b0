// Browser-safe: loaded by client components; imports nothing server-only.
import { z } from "zod";
import type { WithdrawalStatus } from "@/db/schema/withdrawals";

/**
 * The statuses of a withdrawal, in their order (the table's enum, `withdrawalStatuses` in
 * db/schema/withdrawals.ts, which the browser cannot load; admin-queue.test.ts keeps them equal).
 */
export const WITHDRAWAL_STATUS_LIST = [
  "requested",
  "approved",
  "sent",
  "paid",
  "failed",
  "rejected",
  "canceled",
] as const satisfies readonly WithdrawalStatus[];

/** The status filter's choices: one status, or every one ("all"). */
export const WITHDRAWAL_STATUS_FILTERS = ["all", ...WITHDRAWAL_STATUS_LIST] as const;
export type WithdrawalStatusFilter = (typeof WITHDRAWAL_STATUS_FILTERS)[number];

export const WITHDRAWAL_STATUS_LABELS: Record<WithdrawalStatusFilter, string> = {
  all: "Any status",
  requested: "Waiting for review",
  approved: "Approved",
  sent: "Sent",
  paid: "Paid",
  failed: "Failed",
  rejected: "Rejected",
  canceled: "Canceled",
};

export const WITHDRAWAL_QUEUE_PAGE_SIZE = 50;
export const DECISION_REASON_MIN = 3;
export const DECISION_REASON_MAX = 500;
/** The most requests one decision takes. */
export const DECISION_MAX_IDS = 100;

const day = z
  .string()
  .max(10, "Use a date like 2026-11-21.")
  .regex(/^\d{4}-\d{2}-\d{2}$/, "Use a date like 2026-11-21.")
  .refine((value) => !Number.isNaN(Date.parse(`${value}T00:00:00Z`)), "That date does not exist.");

const cents = z
  .number()
  .int("Amounts are in whole cents.")
  .min(0, "Amounts start at zero.")
  .max(1_000_000_000_00, "That amount is too large.");

/** The review queue's filters. Days are UTC and both ends are included; amounts are what arrives at the bank, in cents. */
export const withdrawalQueueInput = z
  .object({
    status: z.enum(WITHDRAWAL_STATUS_FILTERS, { message: "Choose a status from the list." }).default("requested"),
    from: day.optional(),
    to: day.optional(),
    minAmount: cents.optional(),
    maxAmount: cents.optional(),
    /** Only requests flagged for review (a new bank account, many requests in an hour). */
    flagged: z.boolean().default(false),
    /** Part of the player's name or email, any case. */
    user: z.string().trim().max(100, "Keep the search under 100 characters.").optional(),
    page: z.number().int().min(1).max(10_000).default(1),
    pageSize: z.number().int().min(1).max(100).default(WITHDRAWAL_QUEUE_PAGE_SIZE),
  })
  .refine((f) => !f.from || !f.to || f.from <= f.to, { message: "The start date must be on or before the end date.", path: ["to"] })
  .refine((f) => f.minAmount === undefined || f.maxAmount === undefined || f.minAmount <= f.maxAmount, {
    message: "The smallest amount must not be above the largest.",
    path: ["maxAmount"],
  });
export type WithdrawalQueueInput = z.input<typeof withdrawalQueueInput>;
export type WithdrawalQueueFilters = z.output<typeof withdrawalQueueInput>;

/** Approve or reject up to 100 requests at once; a rejection says why (the player is told), an approval may. */
export const decideWithdrawalsInput = z
  .object({
    ids: z
      .array(z.uuid({ message: "We could not find that withdrawal." }))
      .min(1, "Choose at least one withdrawal.")
      .max(DECISION_MAX_IDS, `Decide at most ${DECISION_MAX_IDS} withdrawals at once.`),
    decision: z.enum(["approve", "reject"], { message: "Approve or reject." }),
    reason: z
      .string()
      .trim()
      .max(DECISION_REASON_MAX, `Keep the reason under ${DECISION_REASON_MAX} characters.`)
      .optional()
      .transform((value) => (value ? value : undefined)),
  })
  .superRefine((input, context) => {
    if (input.reason === undefined) {
      if (input.decision === "reject") {
        context.addIssue({ code: "custom", path: ["reason"], message: "Say why it is rejected; the player is told." });
      }
    } else if (input.reason.length < DECISION_REASON_MIN) {
      context.addIssue({ code: "custom", path: ["reason"], message: `Write at least ${DECISION_REASON_MIN} characters.` });
    }
  });
export type DecideWithdrawalsInput = z.input<typeof decideWithdrawalsInput>;
