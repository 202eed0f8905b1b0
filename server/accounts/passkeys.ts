import {
  type AuthenticationResponseJSON,
  type AuthenticatorTransport,
  generateAuthenticationOptions,
  generateRegistrationOptions,
  type RegistrationResponseJSON,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from "@simplewebauthn/server";
import { and, asc, eq, isNull, lt, or, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { passkeys, webauthnChallenges } from "@/db/schema/accounts";
import { Conflict, Invalid, NotFound } from "@/server/errors";
import type { RelyingParty } from "./relying-party";

/**
 * Passkeys (WebAuthn) with @simplewebauthn/server: made from the security page, then used as a
 * second factor after a password, as a sign-in on their own, or to confirm it is you. Every
 * ceremony starts with a challenge stored here (five minutes, one use: taken by a DELETE that
 * returns it, so two answers to one challenge cannot both pass).
 */
export const CHALLENGE_TTL_MS = 5 * 60 * 1000;
export const MAX_PASSKEYS = 20;

export type ChallengePurpose = "register" | "sign_in" | "confirm";

async function storeChallenge(db: DbOrTx, input: { userId: string | null; purpose: ChallengePurpose; challenge: string; now: Date }) {
  // Old challenges go as new ones come: nothing else needs to sweep the table.
  await db.delete(webauthnChallenges).where(lt(webauthnChallenges.expiresAt, input.now));
  const [row] = await db
    .insert(webauthnChallenges)
    .values({
      id: crypto.randomUUID(),
      userId: input.userId,
      purpose: input.purpose,
      challenge: input.challenge,
      expiresAt: new Date(input.now.getTime() + CHALLENGE_TTL_MS),
      createdAt: input.now,
    })
    .returning({ id: webauthnChallenges.id });
  return row!.id;
}

/** The challenge, taken once: null when unknown, already used, expired, or issued for another purpose or user. */
export async function consumeChallenge(
  db: DbOrTx,
  input: { id: string; purpose: ChallengePurpose; userId: string | null; now?: Date },
): Promise<string | null> {
  const now = input.now ?? new Date();
  const [row] = await db
    .delete(webauthnChallenges)
    .where(
      and(
        eq(webauthnChallenges.id, input.id),
        eq(webauthnChallenges.purpose, input.purpose),
        input.userId === null ? isNull(webauthnChallenges.userId) : eq(webauthnChallenges.userId, input.userId),
      ),
    )
    .returning({ challenge: webauthnChallenges.challenge, expiresAt: webauthnChallenges.expiresAt });
  if (!row || row.expiresAt <= now) return null;
  return row.challenge;
}

export async function listPasskeys(db: DbOrTx, userId: string) {
  return db
    .select({
      id: passkeys.id,
      name: passkeys.name,
      createdAt: passkeys.createdAt,
      lastUsedAt: passkeys.lastUsedAt,
      backedUp: passkeys.backedUp,
    })
    .from(passkeys)
    .where(eq(passkeys.userId, userId))
    .orderBy(asc(passkeys.createdAt));
}

export async function beginPasskeyRegistration(
  db: DbOrTx,
  user: { id: string; email: string; name: string },
  rp: RelyingParty,
  now = new Date(),
) {
  const existing = await db.select({ id: passkeys.id, transports: passkeys.transports }).from(passkeys).where(eq(passkeys.userId, user.id));
  if (existing.length >= MAX_PASSKEYS) throw new Conflict(`You can keep at most ${MAX_PASSKEYS} passkeys. Remove one first.`);
  const options = await generateRegistrationOptions({
    rpName: rp.name,
    rpID: rp.id,
    userName: user.email,
    userDisplayName: user.name,
    userID: new TextEncoder().encode(user.id),
    attestationType: "none",
    excludeCredentials: existing.map((key) => ({ id: key.id, transports: key.transports as AuthenticatorTransport[] })),
    authenticatorSelection: { residentKey: "preferred", userVerification: "preferred" },
  });
  const challengeId = await storeChallenge(db, { userId: user.id, purpose: "register", challenge: options.challenge, now });
  return { challengeId, options };
}

const TRY_AGAIN = "Your passkey could not be checked. Please try again.";

export async function finishPasskeyRegistration(
  db: DbOrTx,
  userId: string,
  rp: RelyingParty,
  input: { challengeId: string; response: RegistrationResponseJSON; name: string },
  now = new Date(),
) {
  const challenge = await consumeChallenge(db, { id: input.challengeId, purpose: "register", userId, now });
  if (!challenge) throw new Invalid("That passkey request has expired. Please start again.");
  let verification: Awaited<ReturnType<typeof verifyRegistrationResponse>>;
  try {
    verification = await verifyRegistrationResponse({
      response: input.response,
      expectedChallenge: challenge,
      expectedOrigin: rp.origins,
      expectedRPID: rp.id,
      requireUserVerification: false,
    });
  } catch {
    throw new Invalid(TRY_AGAIN);
  }
  if (!verification.verified) throw new Invalid(TRY_AGAIN);
  const { credential, credentialDeviceType, credentialBackedUp } = verification.registrationInfo;
  const [row] = await db
    .insert(passkeys)
    .values({
      id: credential.id,
      userId,
      publicKey: Buffer.from(credential.publicKey),
      counter: credential.counter,
      transports: credential.transports ?? [],
      deviceType: credentialDeviceType,
      backedUp: credentialBackedUp,
      name: input.name,
      createdAt: now,
    })
    .onConflictDoNothing()
    .returning({ id: passkeys.id, name: passkeys.name, createdAt: passkeys.createdAt });
  if (!row) throw new Conflict("This passkey is already registered.");
  return row;
}

export async function renamePasskey(db: DbOrTx, userId: string, input: { id: string; name: string }) {
  const [row] = await db
    .update(passkeys)
    .set({ name: input.name })
    .where(and(eq(passkeys.id, input.id), eq(passkeys.userId, userId)))
    .returning({ id: passkeys.id, name: passkeys.name });
  if (!row) throw new NotFound("That passkey is not on your account.");
  return row;
}

/** Removes one of the user's passkeys inside the caller's transaction. */
export async function removePasskey(tx: DbOrTx, userId: string, id: string): Promise<void> {
  const removed = await tx
    .delete(passkeys)
    .where(and(eq(passkeys.id, id), eq(passkeys.userId, userId)))
    .returning({ id: passkeys.id });
  if (removed.length === 0) throw new NotFound("That passkey is not on your account.");
}

/**
 * Options for an assertion. Without a user (passwordless sign-in, or the second step of a password
 * sign-in, where naming the account's credentials would tell anyone which exist) the browser offers
 * the passkeys it holds for the site; with one (confirming it is you), only theirs.
 */
export async function beginPasskeyAssertion(
  db: DbOrTx,
  input: { userId: string | null; purpose: "sign_in" | "confirm"; rp: RelyingParty; now?: Date },
) {
  const now = input.now ?? new Date();
  const allowCredentials = input.userId
    ? (await db.select({ id: passkeys.id, transports: passkeys.transports }).from(passkeys).where(eq(passkeys.userId, input.userId))).map(
        (key) => ({ id: key.id, transports: key.transports as AuthenticatorTransport[] }),
      )
    : undefined;
  if (allowCredentials?.length === 0) throw new NotFound("You have no passkeys yet.");
  const options = await generateAuthenticationOptions({ rpID: input.rp.id, allowCredentials, userVerification: "preferred" });
  const challengeId = await storeChallenge(db, { userId: input.userId, purpose: input.purpose, challenge: options.challenge, now });
  return { challengeId, options };
}

/**
 * Checks an assertion against its stored challenge (taken once) and the credential it names; on
 * success moves the credential's counter on and returns whose it is. `userId`: the account the
 * answer must belong to (a second factor, confirming it is you); null for a passwordless sign-in,
 * which also requires user verification (the passkey then stands for both factors).
 */
export async function verifyPasskeyAssertion(
  db: DbOrTx,
  rp: RelyingParty,
  input: {
    challengeId: string;
    response: AuthenticationResponseJSON;
    purpose: "sign_in" | "confirm";
    challengeUserId: string | null;
    userId: string | null;
    now?: Date;
  },
): Promise<{ userId: string; passkeyId: string } | null> {
  const now = input.now ?? new Date();
  const challenge = await consumeChallenge(db, { id: input.challengeId, purpose: input.purpose, userId: input.challengeUserId, now });
  if (!challenge) return null;
  const [key] = await db.select().from(passkeys).where(eq(passkeys.id, input.response.id));
  if (!key || (input.userId !== null && key.userId !== input.userId)) return null;
  try {
    const { verified, authenticationInfo } = await verifyAuthenticationResponse({
      response: input.response,
      expectedChallenge: challenge,
      expectedOrigin: rp.origins,
      expectedRPID: rp.id,
      credential: {
        id: key.id,
        publicKey: new Uint8Array(key.publicKey),
        counter: key.counter,
        transports: key.transports as AuthenticatorTransport[],
      },
      requireUserVerification: input.userId === null,
    });
    if (!verified) return null;
    // A counter that went backwards was refused above; the update is conditional on what was read.
    const [updated] = await db
      .update(passkeys)
      .set({ counter: authenticationInfo.newCounter, lastUsedAt: now, backedUp: authenticationInfo.credentialBackedUp })
      .where(and(eq(passkeys.id, key.id), or(eq(passkeys.counter, key.counter), sql`${authenticationInfo.newCounter} = 0`)))
      .returning({ id: passkeys.id });
    if (!updated) return null;
  } catch {
    return null;
  }
  return { userId: key.userId, passkeyId: key.id };
}
