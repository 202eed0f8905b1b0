import { rmSync } from "node:fs";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { accountTokens, users } from "@/db/schema";
import { createTestDatabase } from "@/db/testing/database";
import { listStoredMail, readStoredMail } from "@/server/mail";
import { createCaller } from "@/server/root";
import { createGame, createOpenEvent, createUser, TEST_PASSWORD } from "@/server/testing/factories";
import { codeOf } from "@/server/testing/trpc";
import { createInnerContext } from "@/server/trpc";
import { runDueJobs } from "@/server/worker";
import type { SessionUser } from "./roles";
import { linkToken } from "./account-tokens";
import { verifyPassword } from "./password";
import { verifyRenewal } from "./session-renewal";
import { userOfSession } from "./sessions";

// The jobs' mailer writes into a folder of this file's own (server/env.ts reads DATA_DIR at import).
const saved = vi.hoisted(() => {
  const before = { DATA_DIR: process.env.DATA_DIR, SMTP_URL: process.env.SMTP_URL, AUTH_URL: process.env.AUTH_URL };
  const { mkdtempSync } = process.getBuiltinModule("node:fs");
  const { tmpdir } = process.getBuiltinModule("node:os");
  process.env.DATA_DIR = mkdtempSync(`${tmpdir()}/driftwood-recovery-`);
  process.env.AUTH_URL = "https://driftwood.example.com";
  delete process.env.SMTP_URL;
  return before;
});
const dataDirectory = process.env.DATA_DIR!;
afterAll(() => {
  rmSync(dataDirectory, { recursive: true, force: true });
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

const database = await createTestDatabase();
const { db } = database;

let ipCounter = 0;
/** A fresh client address per call site, so per-address limits do not spill between tests. */
const freshIp = () => `198.51.100.${++ipCounter}`;

function callerFor(user: SessionUser | null, options: { ip?: string; sessionId?: string } = {}) {
  const withSession = user ? { ...user, sessionId: options.sessionId ?? crypto.randomUUID(), authenticatedAt: new Date() } : null;
  return createCaller(createInnerContext({ db, user: withSession, ip: options.ip ?? freshIp() }));
}

/** Every email sent to `address` so far, oldest first, with its text. */
async function mailTo(address: string) {
  const summaries = (await listStoredMail()).filter((mail) => mail.to.includes(`<${address}>`)).reverse();
  return Promise.all(summaries.map(async (summary) => (await readStoredMail(summary.file))!));
}

/** The `token` parameter of the last link emailed to `address` for `page`. */
async function tokenFromMail(address: string, page: "reset-password" | "verify-email"): Promise<string> {
  const mails = await mailTo(address);
  for (const mail of mails.reverse()) {
    const match = new RegExp(`https://driftwood\\.example\\.com/${page}\\?token=([^\\s]+)`).exec(mail.text);
    if (match) return match[1]!;
  }
  throw new Error(`no ${page} link mailed to ${address}`);
}

async function sessionVersion(userId: string) {
  const [row] = await db.select({ v: users.sessionVersion }).from(users).where(eq(users.id, userId));
  return row!.v;
}

async function passwordHashOf(userId: string) {
  const [row] = await db.select({ hash: users.passwordHash }).from(users).where(eq(users.id, userId));
  return row!.hash!;
}

const claimsFor = (userId: string, version: number) => ({
  userId,
  sessionId: crypto.randomUUID(),
  sessionVersion: version,
  authenticatedAt: null,
});

describe("password reset", () => {
  it("mails a link that sets the password once, ends every session and tells the account", async () => {
    const user = await createUser(db);
    const before = await sessionVersion(user.id);
    const answer = await callerFor(null).account.requestPasswordReset({ email: user.email.toUpperCase() });
    expect(answer.message).toContain(user.email);
    await runDueJobs(database);
    const token = await tokenFromMail(user.email, "reset-password");

    const result = await callerFor(null).account.resetPassword({ token, password: "a brand new password" });
    expect(result.email).toBe(user.email);
    expect(await verifyPassword(await passwordHashOf(user.id), "a brand new password")).toBe(true);
    expect(await verifyPassword(await passwordHashOf(user.id), TEST_PASSWORD)).toBe(false);
    // Every session minted before is over.
    expect(await userOfSession(db, claimsFor(user.id, before))).toBeNull();
    expect(await sessionVersion(user.id)).toBe(before + 1);

    const again = callerFor(null).account.resetPassword({ token, password: "yet another password" });
    await expect(again).rejects.toThrow(/already used/);
    expect(await codeOf(callerFor(null).account.resetPassword({ token, password: "yet another password" }))).toBe("BAD_REQUEST");

    await runDueJobs(database);
    const notice = (await mailTo(user.email)).find((mail) => mail.subject === "Your Driftwood password was reset");
    expect(notice?.text).toContain("Every device signed in to your account was signed out");
  });

  it("of two uses of one link at the same moment, exactly one wins", async () => {
    const user = await createUser(db);
    await callerFor(null).account.requestPasswordReset({ email: user.email });
    const [row] = await db.select().from(accountTokens).where(eq(accountTokens.userId, user.id));
    const token = await linkToken(row!.id);
    const results = await Promise.allSettled([
      callerFor(null).account.resetPassword({ token, password: "first password here" }),
      callerFor(null).account.resetPassword({ token, password: "second password here" }),
    ]);
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(1);
    const failed = results.find((result) => result.status === "rejected") as PromiseRejectedResult;
    expect(String(failed.reason.message)).toMatch(/already used/);
    const hash = await passwordHashOf(user.id);
    expect((await verifyPassword(hash, "first password here")) !== (await verifyPassword(hash, "second password here"))).toBe(true);
  });

  it("refuses an expired link, a wrong secret and a mangled link, each in words", async () => {
    const user = await createUser(db);
    await callerFor(null).account.requestPasswordReset({ email: user.email });
    const [row] = await db.select().from(accountTokens).where(eq(accountTokens.userId, user.id));
    const token = await linkToken(row!.id);
    const wrong = `${row!.id}.${"A".repeat(43)}`;
    await expect(callerFor(null).account.resetPassword({ token: wrong, password: "a brand new password" })).rejects.toThrow(/not valid/);
    await expect(callerFor(null).account.resetPassword({ token: "garbage", password: "a brand new password" })).rejects.toThrow(
      /not valid/,
    );
    await db
      .update(accountTokens)
      .set({ expiresAt: new Date(Date.now() - 1_000) })
      .where(eq(accountTokens.id, row!.id));
    await expect(callerFor(null).account.resetPassword({ token, password: "a brand new password" })).rejects.toThrow(
      /expired: links are valid for 30 minutes/,
    );
    expect(await verifyPassword(await passwordHashOf(user.id), TEST_PASSWORD)).toBe(true);
  });

  it("a link from another purpose does not reset, and using one link retires the account's other reset links", async () => {
    const user = await createUser(db);
    await callerFor(null).account.requestPasswordReset({ email: user.email });
    await callerFor(null).account.requestPasswordReset({ email: user.email });
    const rows = await db.select().from(accountTokens).where(eq(accountTokens.userId, user.id)).orderBy(accountTokens.createdAt);
    expect(rows).toHaveLength(2);
    await callerFor(null).account.resetPassword({ token: await linkToken(rows[1]!.id), password: "a brand new password" });
    await expect(callerFor(null).account.resetPassword({ token: await linkToken(rows[0]!.id), password: "x".repeat(10) })).rejects.toThrow(
      /already used/,
    );
    await expect(callerFor(null).account.verifyEmail({ token: await linkToken(rows[0]!.id) })).rejects.toThrow(/not valid/);
  });

  it("only a hash of the secret is stored, and the queued job carries only the token id", async () => {
    const user = await createUser(db);
    await callerFor(null).account.requestPasswordReset({ email: user.email });
    const [row] = await db.select().from(accountTokens).where(eq(accountTokens.userId, user.id));
    const secret = (await linkToken(row!.id)).split(".")[1]!;
    expect(row!.tokenHash).not.toContain(secret);
    expect(row!.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    const jobs = await db.execute<{ payload: unknown }>(
      sql`select j.payload from graphile_worker._private_jobs j join graphile_worker._private_tasks t on t.id = j.task_id
        where t.identifier = 'send-account-email' and j.payload->>'tokenId' = ${row!.id}`,
    );
    expect(jobs.map((job) => job.payload)).toEqual([{ kind: "link", tokenId: row!.id }]);
    await runDueJobs(database);
  });

  it("answers an unknown address exactly as a known one, in about the same time, and mails nobody", async () => {
    const user = await createUser(db);
    const unknown = `nobody-${crypto.randomUUID().slice(0, 8)}@example.test`;
    const known = await callerFor(null).account.requestPasswordReset({ email: user.email });
    const missing = await callerFor(null).account.requestPasswordReset({ email: unknown });
    expect(missing).toEqual({ message: known.message.replace(user.email, unknown) });
    await runDueJobs(database);
    expect(await mailTo(unknown)).toHaveLength(0);

    // Timing: medians of alternating runs (each from its own address and email, past the limits).
    const time = async (email: string) => {
      const started = performance.now();
      await callerFor(null).account.requestPasswordReset({ email });
      return performance.now() - started;
    };
    const knownTimes: number[] = [];
    const unknownTimes: number[] = [];
    const accounts = await Promise.all(Array.from({ length: 15 }, () => createUser(db)));
    for (const account of accounts) {
      knownTimes.push(await time(account.email));
      unknownTimes.push(await time(`nobody-${crypto.randomUUID().slice(0, 8)}@example.test`));
    }
    const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    const [a, b] = [median(knownTimes), median(unknownTimes)];
    expect(Math.abs(a - b)).toBeLessThan(Math.max(5, 0.5 * Math.max(a, b)));
  });

  it("is limited per address and per email, with the wait in words", async () => {
    const user = await createUser(db);
    const ip = freshIp();
    for (let i = 0; i < 3; i++) await callerFor(null, { ip }).account.requestPasswordReset({ email: user.email });
    const refused = callerFor(null, { ip }).account.requestPasswordReset({ email: user.email });
    await expect(refused).rejects.toThrow(/Too many attempts. Please try again in \d+ minutes/);
    expect(await codeOf(callerFor(null).account.requestPasswordReset({ email: user.email }))).toBe("TOO_MANY_REQUESTS");
  });
});

describe("email verification", () => {
  let gameId: string;
  beforeAll(async () => {
    gameId = (await createGame(db)).id;
  });

  it("sign-up mails a link; the link marks the address verified, signed in or out, once", async () => {
    const email = `new-${crypto.randomUUID().slice(0, 8)}@example.test`;
    const created = await callerFor(null).account.signUp({ name: `New ${email.slice(4, 10)}`, email, password: TEST_PASSWORD });
    const [before] = await db.select({ verified: users.emailVerified }).from(users).where(eq(users.id, created.id));
    expect(before!.verified).toBeNull();
    await runDueJobs(database);
    const token = await tokenFromMail(email, "verify-email");
    expect(await callerFor(null).account.verifyEmail({ token })).toEqual({ purpose: "email_verification", email });
    const [after] = await db.select({ verified: users.emailVerified }).from(users).where(eq(users.id, created.id));
    expect(after!.verified).toBeInstanceOf(Date);
    await expect(callerFor(null).account.verifyEmail({ token })).rejects.toThrow(/already used/);
  });

  it("an unverified account registers for free events but may not pay an entry fee or top up", async () => {
    const organizer = await createUser(db, { role: "organizer" });
    const player = await createUser(db, { emailVerified: false });
    const free = await createOpenEvent(db, { organizerId: organizer.id, gameId }, { entryFee: 0 });
    const paid = await createOpenEvent(db, { organizerId: organizer.id, gameId }, { entryFee: 1_000 });
    const caller = callerFor(player);
    const freeEntry = await caller.registration.checkout({ eventId: free.id, idempotencyKey: crypto.randomUUID(), walletAmount: 0 });
    expect(freeEntry.next).toBe("confirmed");
    const paying = caller.registration.checkout({ eventId: paid.id, idempotencyKey: crypto.randomUUID(), walletAmount: 0 });
    expect(await codeOf(paying)).toBe("FORBIDDEN");
    await expect(caller.registration.checkout({ eventId: paid.id, idempotencyKey: crypto.randomUUID(), walletAmount: 0 })).rejects.toThrow(
      `Verify your email address first: we sent a link to ${player.email}. You can send a new one from Sign-in and security.`,
    );
    expect(await codeOf(caller.wallet.startTopUp({ amount: 1_000, idempotencyKey: crypto.randomUUID() }))).toBe("FORBIDDEN");

    // Verified, the same player may pay.
    await caller.account.resendVerification();
    const [row] = await db
      .select()
      .from(accountTokens)
      .where(and(eq(accountTokens.userId, player.id), eq(accountTokens.purpose, "email_verification")));
    await callerFor(null).account.verifyEmail({ token: await linkToken(row!.id) });
    const verified = callerFor({ ...player, emailVerified: true });
    expect(await codeOf(verified.wallet.startTopUp({ amount: 1_000, idempotencyKey: crypto.randomUUID() }))).toBe("OK");
  });

  it("resending retires the older link; a verified account is told it has nothing to verify", async () => {
    const player = await createUser(db, { emailVerified: false });
    await callerFor(player).account.resendVerification();
    await callerFor(player).account.resendVerification();
    const rows = await db.select().from(accountTokens).where(eq(accountTokens.userId, player.id)).orderBy(accountTokens.createdAt);
    await expect(callerFor(null).account.verifyEmail({ token: await linkToken(rows[0]!.id) })).rejects.toThrow(/already used/);
    await callerFor(null).account.verifyEmail({ token: await linkToken(rows[1]!.id) });
    await expect(callerFor({ ...player, emailVerified: true }).account.resendVerification()).rejects.toThrow(/already verified/);
  });
});

describe("changing the sign-in email", () => {
  it("needs the password, refuses a taken address, tells the old address and changes only on the link", async () => {
    const user = await createUser(db);
    const other = await createUser(db);
    const newEmail = `moved-${crypto.randomUUID().slice(0, 8)}@example.test`;
    const caller = callerFor(user);
    const wrong = await caller.account.requestEmailChange({ newEmail, password: "not my password" }).catch((error: unknown) => error);
    expect(Object.keys((wrong as { cause?: { fieldErrors?: object } }).cause?.fieldErrors ?? {})).toEqual(["password"]);
    await expect(caller.account.requestEmailChange({ newEmail: other.email, password: TEST_PASSWORD })).rejects.toThrow(
      /Another account already uses this email address/,
    );

    const pending = await caller.account.requestEmailChange({ newEmail, password: TEST_PASSWORD });
    expect(pending.pendingEmail).toBe(newEmail);
    expect(await caller.account.emailStatus()).toMatchObject({ email: user.email, verified: true, pendingEmail: newEmail });
    await runDueJobs(database);
    const told = (await mailTo(user.email)).find((mail) => mail.subject === "Your Driftwood sign-in email is being changed");
    expect(told?.text).toContain(newEmail);
    const [unchanged] = await db.select({ email: users.email }).from(users).where(eq(users.id, user.id));
    expect(unchanged!.email).toBe(user.email);

    const token = await tokenFromMail(newEmail, "verify-email");
    expect(await callerFor(null).account.verifyEmail({ token })).toEqual({ purpose: "email_change", email: newEmail });
    const [changed] = await db.select({ email: users.email, verified: users.emailVerified }).from(users).where(eq(users.id, user.id));
    expect(changed).toMatchObject({ email: newEmail, verified: expect.any(Date) });
    await runDueJobs(database);
    const done = (await mailTo(user.email)).find((mail) => mail.subject === "Your Driftwood sign-in email was changed");
    expect(done?.text).toContain(newEmail);
  });

  it("checks the address again when the link is used, and a cancelled change's link no longer works", async () => {
    const user = await createUser(db);
    const newEmail = `race-${crypto.randomUUID().slice(0, 8)}@example.test`;
    await callerFor(user).account.requestEmailChange({ newEmail, password: TEST_PASSWORD });
    const [row] = await db
      .select()
      .from(accountTokens)
      .where(and(eq(accountTokens.userId, user.id), eq(accountTokens.purpose, "email_change")));
    await createUser(db, { email: newEmail });
    await expect(callerFor(null).account.verifyEmail({ token: await linkToken(row!.id) })).rejects.toThrow(/Another account already uses/);

    const second = `cancel-${crypto.randomUUID().slice(0, 8)}@example.test`;
    await callerFor(user).account.requestEmailChange({ newEmail: second, password: TEST_PASSWORD });
    await callerFor(user).account.cancelEmailChange();
    expect((await callerFor(user).account.emailStatus()).pendingEmail).toBeNull();
    const [cancelled] = await db
      .select()
      .from(accountTokens)
      .where(and(eq(accountTokens.userId, user.id), eq(accountTokens.email, second)));
    await expect(callerFor(null).account.verifyEmail({ token: await linkToken(cancelled!.id) })).rejects.toThrow(/already used/);
  });
});

describe("changing the password", () => {
  it("checks the current one, ends every other session and renews this one", async () => {
    const user = await createUser(db);
    const before = await sessionVersion(user.id);
    const sessionId = crypto.randomUUID();
    const caller = callerFor(user, { sessionId });
    const wrong = await caller.account
      .changePassword({ currentPassword: "not my password", newPassword: "a brand new password" })
      .catch((error: unknown) => error);
    expect(Object.keys((wrong as { cause?: { fieldErrors?: object } }).cause?.fieldErrors ?? {})).toEqual(["currentPassword"]);

    const { renew } = await caller.account.changePassword({ currentPassword: TEST_PASSWORD, newPassword: "a brand new password" });
    expect(await userOfSession(db, claimsFor(user.id, before))).toBeNull();
    const renewal = await verifyRenewal(renew, { userId: user.id, sessionId });
    expect(renewal?.sessionVersion).toBe(before + 1);
    expect(await userOfSession(db, { ...claimsFor(user.id, renewal!.sessionVersion), sessionId })).not.toBeNull();
    expect(await verifyPassword(await passwordHashOf(user.id), "a brand new password")).toBe(true);

    await runDueJobs(database);
    const notice = (await mailTo(user.email)).find((mail) => mail.subject === "Your Driftwood password was changed");
    expect(notice?.text).toContain("Every other device signed in to your account was signed out");
  });
});
