import { eq } from "drizzle-orm";
import type { AuthenticationResponseJSON } from "@simplewebauthn/server";
import type { Db } from "@/db/client";
import { users } from "@/db/schema/accounts";
import { Invalid, RateLimited } from "@/server/errors";
import { consumeLimit, refundLimit, retryMessage, type LimitRule } from "@/server/rate-limit";
import { verifyPassword } from "./password";
import type { RelyingParty } from "./relying-party";
import { sessionVersionOf } from "./sessions";
import type { ConfirmIdentityInput } from "./two-factor-schemas";
import { verifySecondFactor } from "./two-factor";

/** Wrong answers to "confirm it is you" for one account: a stolen session cannot guess its way through. */
export const confirmIdentityLimit = { name: "confirm-identity:user", points: 10, durationSeconds: 15 * 60 } satisfies LimitRule;

const WRONG: Record<ConfirmIdentityInput["method"], { message: string; field: string }> = {
  password: { message: "That password is not right.", field: "password" },
  totp: { message: "That code is not right, or it was already used. Wait for the next one.", field: "code" },
  recovery: { message: "That recovery code is not right, or it was already used.", field: "code" },
  passkey: { message: "That passkey could not be checked. Please try again.", field: "passkey" },
};

/**
 * Recent authentication: the signed-in user proves who they are again (password, authenticator
 * code, recovery code or passkey). Returns the session version to renew the caller's session at
 * (unchanged: nothing else ends), so its token's authAt becomes now.
 */
export async function confirmIdentity(
  db: Db,
  userId: string,
  input: ConfirmIdentityInput,
  options: { rp: RelyingParty; now?: Date },
): Promise<{ sessionVersion: number }> {
  const limit = await consumeLimit(db, confirmIdentityLimit, userId);
  if (!limit.allowed) throw new RateLimited(retryMessage(limit.retryAfterSeconds), limit.retryAfterSeconds);
  let ok: boolean;
  if (input.method === "password") {
    const [row] = await db.select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, userId));
    if (!row?.passwordHash) throw new Invalid("Your account has no password. Use a second factor instead.", { field: "password" });
    ok = await verifyPassword(row.passwordHash, input.password);
  } else if (input.method === "passkey") {
    ok = await verifySecondFactor(
      db,
      userId,
      { kind: "passkey", challengeId: input.challengeId, response: input.response as unknown as AuthenticationResponseJSON },
      { rp: options.rp, purpose: "confirm", now: options.now },
    );
  } else {
    ok = await verifySecondFactor(
      db,
      userId,
      { kind: input.method, code: input.code },
      { rp: options.rp, purpose: "confirm", now: options.now },
    );
  }
  if (!ok) {
    const wrong = WRONG[input.method];
    throw new Invalid(wrong.message, { field: wrong.field });
  }
  await refundLimit(db, confirmIdentityLimit, userId);
  return { sessionVersion: await sessionVersionOf(db, userId) };
}
