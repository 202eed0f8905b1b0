// Browser-safe: loaded by client components; imports nothing server-only.
import { z } from "zod";
import { emailSchema, passwordSchema } from "./schemas";

/** A link's `token` parameter: `<id>.<secret>`; its form is checked by the service, which words the refusal. */
export const linkTokenSchema = z
  .string({ message: "This link is not valid: check that you opened the whole link from the email." })
  .trim()
  .min(1, "This link is not valid: check that you opened the whole link from the email.")
  .max(200, "This link is not valid: check that you opened the whole link from the email.");

export const requestPasswordResetInput = z.object({ email: emailSchema });

export const resetPasswordInput = z.object({ token: linkTokenSchema, password: passwordSchema });

export const verifyEmailInput = z.object({ token: linkTokenSchema });

const currentPasswordSchema = z.string({ message: "Enter your current password." }).min(1, "Enter your current password.").max(128);

export const requestEmailChangeInput = z.object({ newEmail: emailSchema, password: currentPasswordSchema });

export const changePasswordInput = z.object({ currentPassword: currentPasswordSchema, newPassword: passwordSchema });
