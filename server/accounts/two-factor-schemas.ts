// Browser-safe: loaded by client components; imports nothing server-only.
import { z } from "zod";

/** Six digits from an authenticator app; spaces and a dash in the middle are forgiven. */
export const totpCodeSchema = z
  .string({ message: "Enter the 6-digit code from your authenticator app." })
  .max(20, "Enter the 6-digit code from your authenticator app.")
  .transform((code) => code.replace(/[\s-]/g, ""))
  .pipe(z.string().regex(/^\d{6}$/, "Enter the 6-digit code from your authenticator app."));

/** A recovery code as shown (xxxxx-xxxxx); case, spaces and dashes are forgiven. */
export const recoveryCodeSchema = z
  .string({ message: "Enter one of your recovery codes." })
  .max(40, "A recovery code is 10 letters and digits, like abcde-12345.")
  .transform((code) => code.replace(/[\s-]/g, "").toLowerCase())
  .pipe(z.string().regex(/^[a-z0-9]{10}$/, "A recovery code is 10 letters and digits, like abcde-12345."));

const base64url = z
  .string()
  .max(16_000)
  .regex(/^[A-Za-z0-9_-]*={0,2}$/, "Not base64url.");

/**
 * A browser's WebAuthn answer (registration or assertion) as @simplewebauthn/browser returns it,
 * each part bounded; parts the library does not read are dropped.
 */
export const webauthnResponseSchema = z.object({
  id: z.string().min(1).max(1_400),
  rawId: z.string().min(1).max(1_400),
  type: z.literal("public-key"),
  response: z.object({
    clientDataJSON: base64url,
    attestationObject: base64url.optional(),
    authenticatorData: base64url.optional(),
    signature: base64url.optional(),
    userHandle: base64url.optional(),
    publicKey: base64url.optional(),
    publicKeyAlgorithm: z.number().int().optional(),
    transports: z.array(z.string().max(40)).max(10).optional(),
  }),
  clientExtensionResults: z.object({ credProps: z.object({ rk: z.boolean().optional() }).optional() }).default({}),
  authenticatorAttachment: z.string().max(40).optional(),
});

export const passkeyNameSchema = z
  .string({ message: "Give this passkey a name." })
  .trim()
  .min(1, "Give this passkey a name.")
  .max(60, "Passkey names are at most 60 characters.");

export const confirmTotpInput = z.object({ code: totpCodeSchema });

export const passkeyAnswerInput = z.object({ challengeId: z.uuid({ message: "Start again." }), response: webauthnResponseSchema });

export const finishPasskeyRegistrationInput = passkeyAnswerInput.extend({ name: passkeyNameSchema });

export const renamePasskeyInput = z.object({ id: z.string().min(1).max(1_400), name: passkeyNameSchema });

export const removePasskeyInput = z.object({ id: z.string().min(1).max(1_400) });

/** "Confirm it is you": one proof, by the method the person chose. */
export const confirmIdentityInput = z.discriminatedUnion("method", [
  z.object({ method: z.literal("password"), password: z.string().min(1, "Enter your password.").max(128) }),
  z.object({ method: z.literal("totp"), code: totpCodeSchema }),
  z.object({ method: z.literal("recovery"), code: recoveryCodeSchema }),
  z.object({ method: z.literal("passkey"), challengeId: z.uuid({ message: "Start again." }), response: webauthnResponseSchema }),
]);
export type ConfirmIdentityInput = z.input<typeof confirmIdentityInput>;

/**
 * The second step of a password sign-in, sent with the email and password: a code, a recovery
 * code, or a passkey answer (JSON, as credentials are strings).
 */
export const signInSecondFactorInput = z.object({
  code: z.string().max(20).optional(),
  recoveryCode: z.string().max(40).optional(),
  passkey: z.string().max(40_000).optional(),
});

/** What a refused password sign-in says when a second factor is needed: `second_factor_required:<methods>`. */
export function parseSecondFactorCode(code: string | null | undefined): { methods: ("totp" | "passkey")[] } | null {
  const match = /^second_factor_required:([a-z,]*)$/.exec(code ?? "");
  if (!match) return null;
  return { methods: match[1]!.split(",").filter((m): m is "totp" | "passkey" => m === "totp" || m === "passkey") };
}
