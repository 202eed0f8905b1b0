// Browser-safe: loaded by client components; imports nothing server-only.
import { z } from "zod";
import { transferCategories } from "@/lib/transfer-categories";
import { luhnValid } from "@/server/payments/cards";

export const TOPUP_MIN = 500;
export const TOPUP_MAX = 100_000;
export const TOPUP_PRESETS = [1_000, 2_000, 5_000, 10_000] as const;

const idempotencyKey = z.uuid({ message: "Refresh the page and try again." });

export const topUpInput = z.object({
  amount: z
    .number({ message: "Enter an amount." })
    .int("Amounts are in whole cents.")
    .min(TOPUP_MIN, "The smallest top-up is $5.00.")
    .max(TOPUP_MAX, "The largest top-up is $1,000.00."),
  idempotencyKey,
});

const day = z
  .string()
  .max(10, "Use a date like 2026-11-21.")
  .regex(/^\d{4}-\d{2}-\d{2}$/, "Use a date like 2026-11-21.")
  .refine((value) => !Number.isNaN(Date.parse(`${value}T00:00:00Z`)), "That date does not exist.");

export const historyFilters = z
  .object({
    category: z.enum(transferCategories, { message: "Choose a type from the list." }).optional(),
    from: day.optional(),
    to: day.optional(),
  })
  .refine((f) => !f.from || !f.to || f.from <= f.to, { message: "The start date must be on or before the end date.", path: ["to"] });
export type HistoryFilters = z.infer<typeof historyFilters>;

export const historyInput = z.object({
  filters: historyFilters.default({}),
  /** The nextCursor of the previous page (opaque). */
  cursor: z.string().max(120).nullish(),
  limit: z.number().int().min(1).max(100).default(25),
});

export const paymentIdInput = z.object({ paymentId: z.uuid({ message: "That payment does not exist." }) });

export const adjustWalletInput = z.object({
  userId: z.uuid({ message: "Unknown user." }),
  amount: z
    .number({ message: "Enter an amount." })
    .int("Amounts are in whole cents.")
    .refine((value) => value !== 0, "An adjustment cannot be zero.")
    .refine((value) => Math.abs(value) <= 100_000_000, "Adjustments are limited to $1,000,000.00."),
  reason: z.string().trim().min(5, "Give a reason of at least 5 characters.").max(500, "Keep the reason under 500 characters."),
  idempotencyKey,
});

function expiryInFuture(value: string) {
  const match = /^(\d{2})\s*\/\s*(\d{2})$/.exec(value);
  if (!match) return false;
  const month = Number(match[1]);
  const year = 2000 + Number(match[2]);
  if (month < 1 || month > 12) return false;
  const now = new Date();
  return year > now.getUTCFullYear() || (year === now.getUTCFullYear() && month >= now.getUTCMonth() + 1);
}

export const simulatedCardInput = z.object({
  paymentId: z.uuid({ message: "That payment does not exist." }),
  cardNumber: z
    .string()
    .max(40, "Enter the card number: 12 to 19 digits.")
    .transform((value) => value.replace(/[\s-]/g, ""))
    .pipe(z.string().regex(/^\d{12,19}$/, "Enter the card number: 12 to 19 digits."))
    .refine(luhnValid, "That card number is not valid. Check it and try again."),
  expiry: z.string().trim().max(10, "Enter a future expiry date as MM/YY.").refine(expiryInFuture, "Enter a future expiry date as MM/YY."),
  cvc: z
    .string()
    .trim()
    .max(4, "Enter the 3 or 4 digits on the back of the card.")
    .regex(/^\d{3,4}$/, "Enter the 3 or 4 digits on the back of the card."),
  name: z.string().trim().min(2, "Enter the name on the card.").max(100, "That name is too long."),
});

export const authenticationInput = z.object({
  paymentId: z.uuid({ message: "That payment does not exist." }),
  approve: z.boolean(),
});
