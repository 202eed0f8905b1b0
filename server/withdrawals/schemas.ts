// Browser-safe: loaded by client components; imports nothing server-only.
import { z } from "zod";
import { recoveryCodeSchema, totpCodeSchema, webauthnResponseSchema } from "@/server/accounts/two-factor-schemas";

const idempotencyKey = z.uuid({ message: "Refresh the page and try again." });

/** The second factor a withdrawal over the threshold carries (the server says when it is needed). */
export const withdrawalSecondFactor = z.discriminatedUnion("method", [
  z.object({ method: z.literal("totp"), code: totpCodeSchema }),
  z.object({ method: z.literal("recovery"), code: recoveryCodeSchema }),
  z.object({ method: z.literal("passkey"), challengeId: z.uuid({ message: "Start again." }), response: webauthnResponseSchema }),
]);

export const requestWithdrawalInput = z.object({
  /** What should arrive at the bank, in cents; the fee comes on top. The limits are the server's (configurable). */
  amount: z.number({ message: "Enter an amount." }).int("Amounts are in whole cents.").positive("Enter an amount above zero."),
  idempotencyKey,
  secondFactor: withdrawalSecondFactor.optional(),
});
export type RequestWithdrawalInput = z.input<typeof requestWithdrawalInput>;

export const withdrawalIdInput = z.object({ withdrawalId: z.uuid({ message: "We could not find that withdrawal." }) });
