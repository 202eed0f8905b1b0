// Browser-safe: loaded by client components; imports nothing server-only.
import { z } from "zod";

const userId = z.uuid({ message: "Unknown user." });

export const SUSPENSION_REASON_MAX = 500;

/** Suspend a player or organizer: why (the player is told), and until when (null: no end date). */
export const suspendUserInput = z.object({
  userId,
  reason: z
    .string({ message: "Say why the account is suspended." })
    .trim()
    .min(1, "Say why the account is suspended; the player is told.")
    .max(SUSPENSION_REASON_MAX, `Keep the reason under ${SUSPENSION_REASON_MAX} characters.`),
  until: z.date({ message: "Pick when the suspension ends, or choose no end date." }).nullable(),
});
export type SuspendUserInput = z.infer<typeof suspendUserInput>;

export const liftSuspensionInput = z.object({
  userId,
  note: z.string().trim().max(SUSPENSION_REASON_MAX, `Keep the note under ${SUSPENSION_REASON_MAX} characters.`).optional(),
});

export const AUDIT_PAGE_SIZE = 25;

/** The audit log's filters, as the page's URL carries them. */
export const auditLogInput = z.object({
  /** Who acted: a name, an email or a user id. */
  actor: z.string().trim().max(100).optional(),
  /** Whom it was done to: a name, an email or a user id. */
  target: z.string().trim().max(100).optional(),
  action: z
    .string()
    .trim()
    .max(100)
    .regex(/^[a-z0-9_.]*$/, "Unknown action.")
    .optional(),
  from: z.date().optional(),
  to: z.date().optional(),
  page: z.number().int().min(1).max(10_000).default(1),
});
export type AuditLogInput = z.input<typeof auditLogInput>;
