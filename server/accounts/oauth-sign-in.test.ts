import { rmSync } from "node:fs";
import { DrizzleAdapter } from "@auth/drizzle-adapter";
import { and, eq, isNull } from "drizzle-orm";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import type { Db } from "@/db/client";
import { accountTokens, accounts, users } from "@/db/schema/accounts";
import { createTestDatabase } from "@/db/testing/database";
import { logger } from "@/server/logger";
import { listStoredMail, readStoredMail } from "@/server/mail";
import { createUser } from "@/server/testing/factories";
import { runDueJobs } from "@/server/worker";
import { displayNameKey } from "./display-names";
import { NAME_TAKEN_MESSAGE } from "./name-keys";
import { verifyEmail } from "./email-address";
import { onOAuthUserCreated, oauthSignInDecision } from "./oauth-sign-in";
import { parseSuspendedCode, suspendedCode } from "./suspension-code";
import { liftSuspension, suspendUser } from "./suspensions";

// The jobs' mailer writes into a folder of this file's own (server/env.ts reads DATA_DIR at import).
const saved = vi.hoisted(() => {
  const before = { DATA_DIR: process.env.DATA_DIR, SMTP_URL: process.env.SMTP_URL, AUTH_URL: process.env.AUTH_URL };
  const { mkdtempSync } = process.getBuiltinModule("node:fs");
  const { tmpdir } = process.getBuiltinModule("node:os");
  process.env.DATA_DIR = mkdtempSync(`${tmpdir()}/driftwood-oauth-`);
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
afterEach(() => {
  vi.restoreAllMocks();
});

const database = await createTestDatabase();
const { db } = database;

/** A database that must not be asked anything: the decision needs no look-up. */
const noDatabase = new Proxy(
  {},
  {
    get() {
      throw new Error("no query expected");
    },
  },
) as Db;

/** The accounts as Auth.js's adapter writes them for a provider's sign-up (what events.createUser receives). */
const adapter = DrizzleAdapter(db, { usersTable: users, accountsTable: accounts });

async function providerSignUp(profile: { name: string; email: string }, provider = "discord") {
  const user = await adapter.createUser!({ id: crypto.randomUUID(), ...profile, image: null, emailVerified: null });
  await adapter.linkAccount!({ userId: user.id, type: "oauth", provider, providerAccountId: crypto.randomUUID() });
  return user;
}

const discord = { type: "oauth" } as const;
const google = { type: "oidc" } as const;
const unique = () => crypto.randomUUID().slice(0, 6).replace(/[01]/g, "x");

async function admin() {
  return createUser(db, { role: "admin" });
}

/** Every email sent to `address` so far, oldest first, with its text. */
async function mailTo(address: string) {
  const summaries = (await listStoredMail()).filter((mail) => mail.to.includes(`<${address}>`)).reverse();
  return Promise.all(summaries.map(async (summary) => (await readStoredMail(summary.file))!));
}

const accountRow = async (id: string) =>
  (
    await db.select({ name: users.name, nameKey: users.nameKey, emailVerified: users.emailVerified }).from(users).where(eq(users.id, id))
  )[0];

const outstandingVerificationLinks = async (userId: string) =>
  db
    .select({ id: accountTokens.id })
    .from(accountTokens)
    .where(and(eq(accountTokens.userId, userId), eq(accountTokens.purpose, "email_verification"), isNull(accountTokens.usedAt)));

describe("an OAuth sign-in (Auth.js's signIn callback)", () => {
  it("lets an account that is not suspended in", async () => {
    const user = await providerSignUp({ name: `Open ${unique()}`, email: `open-${unique()}@example.test` });
    expect(await oauthSignInDecision(db, { user, account: discord })).toBe(true);
    expect(await oauthSignInDecision(db, { user, account: google })).toBe(true);
  });

  it("sends a banned account back to the sign-in page with the suspension's code, reason and all", async () => {
    const user = await providerSignUp({ name: `Banned ${unique()}`, email: `banned-${unique()}@example.test` });
    const reason = "Match fixing: 3 reports & a confession?";
    const moderator = await admin();
    await db.transaction((tx) => suspendUser(tx, moderator, { userId: user.id, reason, until: null }));

    const decision = await oauthSignInDecision(db, { user, account: discord });
    expect(decision).toBe(`/sign-in?error=${encodeURIComponent(suspendedCode(null, reason))}`);
    // The sign-in page reads its `error` parameter back into the suspension it shows.
    const error = new URL(String(decision), "https://driftwood.example.com").searchParams.get("error");
    expect(parseSuspendedCode(error)).toEqual({ until: null, reason });
  });

  it("names the end of a suspension that has one", async () => {
    const user = await providerSignUp({ name: `Paused ${unique()}`, email: `paused-${unique()}@example.test` });
    const until = new Date(Date.now() + 3 * 24 * 60 * 60 * 1000);
    const moderator = await admin();
    await db.transaction((tx) => suspendUser(tx, moderator, { userId: user.id, reason: "Toxic chat", until }));

    const decision = await oauthSignInDecision(db, { user, account: google });
    const error = new URL(String(decision), "https://driftwood.example.com").searchParams.get("error");
    expect(parseSuspendedCode(error)).toEqual({ until, reason: "Toxic chat" });
  });

  it("lets the account in once its suspension has ended, or was lifted", async () => {
    const ended = await providerSignUp({ name: `Served ${unique()}`, email: `served-${unique()}@example.test` });
    const moderator = await admin();
    const hourAgo = new Date(Date.now() - 60 * 60 * 1000);
    await db.transaction((tx) =>
      suspendUser(tx, moderator, { userId: ended.id, reason: "Cooling off", until: new Date(Date.now() - 60 * 1000) }, hourAgo),
    );
    expect((await db.select({ at: users.suspendedAt }).from(users).where(eq(users.id, ended.id)))[0]?.at).toEqual(hourAgo);
    expect(await oauthSignInDecision(db, { user: ended, account: discord })).toBe(true);

    const lifted = await providerSignUp({ name: `Pardoned ${unique()}`, email: `pardoned-${unique()}@example.test` });
    await db.transaction((tx) => suspendUser(tx, moderator, { userId: lifted.id, reason: "Mistake", until: null }));
    expect(await oauthSignInDecision(db, { user: lifted, account: discord })).not.toBe(true);
    await db.transaction((tx) => liftSuspension(tx, moderator, { userId: lifted.id }));
    expect(await oauthSignInDecision(db, { user: lifted, account: discord })).toBe(true);
  });

  it("leaves password and passkey sign-ins (credentials) to verifySignIn, even for a suspended account", async () => {
    const user = await createUser(db);
    const moderator = await admin();
    await db.transaction((tx) => suspendUser(tx, moderator, { userId: user.id, reason: "Spam", until: null }));
    expect(await oauthSignInDecision(db, { user, account: { type: "credentials" } })).toBe(true);
    // The same account through a provider is refused: it is the kind of sign-in that decides.
    expect(await oauthSignInDecision(db, { user, account: discord })).toMatch(/^\/sign-in\?error=suspended/);
    expect(await oauthSignInDecision(noDatabase, { user, account: { type: "credentials" } })).toBe(true);
  });

  it("lets a provider's first sign-in through: its user is not an account yet", async () => {
    expect(await oauthSignInDecision(db, { user: { id: crypto.randomUUID() }, account: discord })).toBe(true);
    expect(await oauthSignInDecision(noDatabase, { user: {}, account: discord })).toBe(true);
    expect(await oauthSignInDecision(noDatabase, { user: { id: null }, account: null })).toBe(true);
  });
});

describe("an account a provider created (Auth.js's createUser event)", () => {
  it("claims the name's key, so a later account cannot take a look-alike, and mails one verification link", async () => {
    const tag = unique();
    const email = `fresh-${tag}@example.test`;
    const user = await providerSignUp({ name: `Kestrel ${tag}`, email });
    expect((await accountRow(user.id))?.nameKey).toBeNull(); // the adapter writes no key

    await onOAuthUserCreated(db, user);
    expect(await accountRow(user.id)).toMatchObject({ name: `Kestrel ${tag}`, nameKey: displayNameKey(`Kestrel ${tag}`) });
    // "K\u0435strel": a Cyrillic е.
    await expect(createUser(db, { name: `K\u0435strel ${tag}` })).rejects.toThrow(NAME_TAKEN_MESSAGE);
    await expect(createUser(db, { name: `KESTREL ${tag}` })).rejects.toThrow(NAME_TAKEN_MESSAGE);

    await runDueJobs(database);
    const mails = await mailTo(email);
    expect(mails.map((mail) => mail.subject)).toEqual(["Confirm your email address for Driftwood"]);
    const token = /https:\/\/driftwood\.example\.com\/verify-email\?token=(\S+)/.exec(mails[0]!.text)?.[1];
    expect(token).toBeDefined();
    expect(await outstandingVerificationLinks(user.id)).toHaveLength(1);
    // The link verifies this account's address.
    await verifyEmail(db, { token: token!, ip: "198.51.100.7" });
    expect((await accountRow(user.id))?.emailVerified).toBeInstanceOf(Date);
  });

  it("renames an account whose provider name is a look-alike of a taken one", async () => {
    const tag = unique();
    await createUser(db, { name: `Zephyr ${tag}` });
    const user = await providerSignUp({ name: `ZEPHYR ${tag}`, email: `zephyr-${tag}@example.test` }, "google");
    await onOAuthUserCreated(db, user);
    expect(await accountRow(user.id)).toMatchObject({ name: `ZEPHYR ${tag} 2`, nameKey: displayNameKey(`Zephyr ${tag} 2`) });
    expect(await outstandingVerificationLinks(user.id)).toHaveLength(1);
  });

  it("without an email address (a provider that gave none), claims the key and queues no link", async () => {
    const tag = unique();
    const user = await providerSignUp({ name: `Quiet ${tag}`, email: `quiet-${tag}@example.test` });
    const errors = vi.spyOn(logger, "error").mockImplementation(() => undefined);
    await onOAuthUserCreated(db, { id: user.id, email: null });
    expect(errors).not.toHaveBeenCalled();
    expect((await accountRow(user.id))?.nameKey).toBe(displayNameKey(`Quiet ${tag}`));
    expect(await outstandingVerificationLinks(user.id)).toHaveLength(0);
    await runDueJobs(database);
    expect(await mailTo(user.email)).toHaveLength(0);
  });

  it("does nothing for a user without an id", async () => {
    await expect(onOAuthUserCreated(noDatabase, { email: "nobody@example.test" })).resolves.toBeUndefined();
  });

  it("logs a link it could not queue instead of failing the sign-in", async () => {
    const errors = vi.spyOn(logger, "error").mockImplementation(() => undefined);
    const gone = crypto.randomUUID(); // no such account: the link's token cannot be stored
    await expect(onOAuthUserCreated(db, { id: gone, email: `gone-${unique()}@example.test` })).resolves.toBeUndefined();
    expect(errors).toHaveBeenCalledWith(expect.objectContaining({ component: "auth", userId: gone }), "verification link not queued");
  });

  it("still queues the link when the name's key could not be claimed, and logs that", async () => {
    const errors = vi.spyOn(logger, "error").mockImplementation(() => undefined);
    const tag = unique();
    const user = await providerSignUp({ name: `Broken ${tag}`, email: `broken-${tag}@example.test` });
    // A database whose reads fail (claimNameKey reads first; the link is written in a transaction).
    const failingReads = new Proxy(db, {
      get(target, property, receiver) {
        if (property === "select")
          return () => {
            throw new Error("connection lost");
          };
        return Reflect.get(target, property, receiver);
      },
    });
    await expect(onOAuthUserCreated(failingReads, user)).resolves.toBeUndefined();
    expect(errors).toHaveBeenCalledWith(expect.objectContaining({ component: "auth", userId: user.id }), "display name key not claimed");
    expect((await accountRow(user.id))?.nameKey).toBeNull();
    expect(await outstandingVerificationLinks(user.id)).toHaveLength(1);
  });
});
