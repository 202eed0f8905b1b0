import { createHash, createHmac, randomUUID, timingSafeEqual } from "node:crypto";
import { and, eq, gt, isNull, sql, TransactionRollbackError } from "drizzle-orm";
import type { DbOrTx, Tx } from "@/db/client";
import { type AccountTokenPurpose, accountTokens } from "@/db/schema/accounts";
import { authSecret } from "@/server/auth-secret";
import { Invalid } from "@/server/errors";

/**
 * The single-use links Driftwood emails about an account (password reset, email verification,
 * email change). A link carries `<token id>.<secret>`; the secret is derived from the id with a
 * key only the server knows (HMAC-SHA256 under a key derived from the auth secret), so neither the
 * job queue (which carries only the id) nor the table (which keeps only SHA-256 of the secret)
 * holds a working link. Changing AUTH_SECRET invalidates the links already sent.
 */

export const TOKEN_LIFETIME_MINUTES: Record<AccountTokenPurpose, number> = {
  password_reset: 30,
  email_verification: 48 * 60,
  email_change: 24 * 60,
};

/** "30 minutes", "48 hours": how long a link works, as its email and the pages say it. */
export function lifetimePhrase(purpose: AccountTokenPurpose): string {
  const minutes = TOKEN_LIFETIME_MINUTES[purpose];
  return minutes < 120 ? `${minutes} minutes` : `${minutes / 60} hours`;
}

let keyPromise: Promise<Buffer> | undefined;
async function linkKey(): Promise<Buffer> {
  keyPromise ??= authSecret().then((secret) => createHash("sha256").update(`driftwood:account-link\0${secret}`).digest());
  return keyPromise;
}

/** The secret part of the link for token `id` (never stored). */
export async function linkSecret(id: string): Promise<string> {
  return createHmac("sha256", await linkKey())
    .update(id)
    .digest("base64url");
}

const hashOf = (secret: string) => createHash("sha256").update(secret).digest("hex");

/** What a link's `token` parameter carries. */
export async function linkToken(id: string): Promise<string> {
  return `${id}.${await linkSecret(id)}`;
}

/** Creates an outstanding token; the caller queues the email that carries it (by id). */
export async function issueToken(
  tx: DbOrTx,
  input: { userId: string; purpose: AccountTokenPurpose; email: string; now?: Date },
): Promise<{ id: string; expiresAt: Date }> {
  const id = randomUUID();
  const now = input.now ?? new Date();
  const expiresAt = new Date(now.getTime() + TOKEN_LIFETIME_MINUTES[input.purpose] * 60_000);
  await tx.insert(accountTokens).values({
    id,
    userId: input.userId,
    purpose: input.purpose,
    email: input.email,
    tokenHash: hashOf(await linkSecret(id)),
    expiresAt,
    createdAt: now,
  });
  return { id, expiresAt };
}

/**
 * What issuing a token and queueing its email cost, without a token (a reset asked for an unknown
 * address): the same key work and statements, the queueing done in a savepoint that is rolled
 * back, so the answer takes about as long either way and nothing is queued. `queue` is what the
 * real path calls after issuing.
 */
export async function tokenWorkWithoutToken(tx: Tx, queue: (tx: Tx, tokenId: string) => Promise<void>): Promise<void> {
  const id = randomUUID();
  hashOf(await linkSecret(id));
  await tx.select({ id: accountTokens.id }).from(accountTokens).where(eq(accountTokens.id, id)).for("update");
  await tx
    .transaction(async (savepoint) => {
      await queue(savepoint, id);
      savepoint.rollback();
    })
    .catch((error: unknown) => {
      if (!(error instanceof TransactionRollbackError)) throw error;
    });
}

/** Marks every outstanding token of `purposes` for the user used (a newer one, or the change itself, replaces them). */
export async function retireTokens(tx: DbOrTx, userId: string, purposes: AccountTokenPurpose[], now = new Date()): Promise<void> {
  for (const purpose of purposes) {
    await tx
      .update(accountTokens)
      .set({ usedAt: now })
      .where(and(eq(accountTokens.userId, userId), eq(accountTokens.purpose, purpose), isNull(accountTokens.usedAt)));
  }
}

export type TokenRow = typeof accountTokens.$inferSelect;

/** Why a link does not work, in words, with the way on; `field: "token"` for the page. */
export function linkRefusal(reason: "invalid" | "expired" | "used", purpose: AccountTokenPurpose | null): Invalid {
  const again = purpose === "password_reset" ? "Ask for a new one below." : "Send a new one from Sign-in and security.";
  const message =
    reason === "expired"
      ? `This link has expired: links are valid for ${lifetimePhrase(purpose ?? "password_reset")}. ${again}`
      : reason === "used"
        ? `This link was already used. ${again}`
        : `This link is not valid: check that you opened the whole link from the email. ${again}`;
  return new Invalid(message, { field: "token" });
}

function parse(token: string): { id: string; secret: string } | null {
  const match = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.([A-Za-z0-9_-]{43})$/i.exec(token.trim());
  return match ? { id: match[1]!.toLowerCase(), secret: match[2]! } : null;
}

/**
 * The outstanding token a link names, checked (secret, purpose, expiry, not used) without using
 * it; throws the refusal otherwise. `useToken` then uses it, once.
 */
export async function checkToken(db: DbOrTx, token: string, purposes: AccountTokenPurpose[], now = new Date()): Promise<TokenRow> {
  const expected = purposes.length === 1 ? purposes[0]! : null;
  const parsed = parse(token);
  if (!parsed) throw linkRefusal("invalid", expected);
  const [row] = await db.select().from(accountTokens).where(eq(accountTokens.id, parsed.id));
  const given = Buffer.from(hashOf(parsed.secret), "hex");
  // Compared in constant time, and against a stand-in when the id is unknown, so the time says nothing.
  const stored = Buffer.from(row?.tokenHash ?? hashOf(randomUUID()), "hex");
  const matches = stored.length === given.length && timingSafeEqual(stored, given);
  if (!row || !matches || !purposes.includes(row.purpose)) throw linkRefusal("invalid", expected);
  if (row.usedAt) throw linkRefusal("used", row.purpose);
  if (row.expiresAt <= now) throw linkRefusal("expired", row.purpose);
  return row;
}

/**
 * Uses a checked token inside the action's transaction: one conditional update, so of two uses at
 * the same moment exactly one wins; the other gets "already used" (or "expired").
 */
export async function useToken(tx: DbOrTx, row: TokenRow, now = new Date()): Promise<void> {
  const [used] = await tx
    .update(accountTokens)
    .set({ usedAt: now })
    .where(and(eq(accountTokens.id, row.id), isNull(accountTokens.usedAt), gt(accountTokens.expiresAt, now)))
    .returning({ id: accountTokens.id });
  if (!used) {
    const [current] = await tx.select({ usedAt: accountTokens.usedAt }).from(accountTokens).where(eq(accountTokens.id, row.id));
    throw linkRefusal(current?.usedAt ? "used" : "expired", row.purpose);
  }
}

/** The newest outstanding token of a purpose (a pending email change), or null. */
export async function outstandingToken(
  db: DbOrTx,
  userId: string,
  purpose: AccountTokenPurpose,
  now = new Date(),
): Promise<TokenRow | null> {
  const [row] = await db
    .select()
    .from(accountTokens)
    .where(
      and(
        eq(accountTokens.userId, userId),
        eq(accountTokens.purpose, purpose),
        isNull(accountTokens.usedAt),
        gt(accountTokens.expiresAt, now),
      ),
    )
    .orderBy(sql`${accountTokens.createdAt} desc`)
    .limit(1);
  return row ?? null;
}
