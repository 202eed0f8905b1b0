import { z } from "zod";
import { discountKinds } from "@/db/schema/registration";

const promoCodeText = z
  .string()
  .trim()
  .max(40, "Codes are at most 40 characters.")
  .transform((value) => (value === "" ? undefined : value))
  .optional();

export const quoteInput = z.object({ eventId: z.uuid({ message: "That event does not exist." }), promoCode: promoCodeText });

export const checkoutInput = z.object({
  eventId: z.uuid({ message: "That event does not exist." }),
  idempotencyKey: z.uuid({ message: "Refresh the page and try again." }),
  walletAmount: z
    .number({ message: "Choose how much to pay from your wallet." })
    .int("Amounts are in whole cents.")
    .min(0, "The wallet part cannot be negative."),
  promoCode: promoCodeText,
  teamId: z.uuid({ message: "Choose one of your teams." }).optional(),
});

export const registrationIdInput = z.object({ registrationId: z.uuid({ message: "That registration does not exist." }) });

export const promoCodeInput = z
  .object({
    eventId: z.uuid().optional(),
    code: z
      .string()
      .trim()
      .max(40, "Use 3 to 40 letters, digits, - or _.")
      .toUpperCase()
      .regex(/^[A-Z0-9_-]{3,40}$/, "Use 3 to 40 letters, digits, - or _."),
    kind: z.enum(discountKinds, { message: "Choose percent or fixed amount." }),
    // Both are integer columns: a larger number would be a database error, not a message.
    value: z
      .number({ message: "Enter the discount." })
      .int()
      .positive("The discount must be more than zero.")
      .max(100_000, "A discount is at most $1,000.00."),
    maxUses: z.number().int().positive("At least one use.").max(1_000_000, "At most 1,000,000 uses.").optional(),
    expiresAt: z.coerce.date().optional(),
  })
  .refine((p) => p.kind !== "percent" || p.value <= 100, { message: "A percentage is at most 100.", path: ["value"] })
  .refine((p) => !p.expiresAt || p.expiresAt > new Date(), { message: "The expiry must be in the future.", path: ["expiresAt"] });

export const addParticipantInput = z.object({
  eventId: z.uuid({ message: "That event does not exist." }),
  email: z
    .string()
    .trim()
    .max(254, "That email address is too long.")
    .toLowerCase()
    .pipe(z.email({ message: "Enter the player's email address." })),
});

export const removeParticipantInput = registrationIdInput.extend({
  refund: z.enum(["full", "policy", "none"], { message: "Choose how much to refund." }),
});
