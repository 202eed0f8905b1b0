import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq, sql } from "drizzle-orm";
import { afterAll, describe, expect, it, vi } from "vitest";
import { notifications } from "@/db/schema";
import { createTestDatabase } from "@/db/testing/database";
import { createUser } from "@/server/testing/factories";
import { runDueJobs } from "@/server/worker";
import { createCaller } from "@/server/root";
import { createInnerContext } from "@/server/trpc";
import { createMailer, listStoredMail, mailDirectory, readStoredMail } from "@/server/mail";
import {
  deliverNotification,
  listNotifications,
  markRead,
  notify,
  notifyInput,
  SEND_NOTIFICATION_TASK,
  sendNotificationEmail,
  unreadCount,
} from "./service";

// server/env.ts parses the environment once, at import: choose the data directory (and the file
// transport) before any module loads, so the jobs' default mailer writes into a temp folder.
const saved = vi.hoisted(() => {
  const before = { DATA_DIR: process.env.DATA_DIR, SMTP_URL: process.env.SMTP_URL };
  const { mkdtempSync } = process.getBuiltinModule("node:fs");
  const { tmpdir } = process.getBuiltinModule("node:os");
  process.env.DATA_DIR = mkdtempSync(`${tmpdir()}/driftwood-notifications-`);
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
const key = (label: string) => `test:${label}:${crypto.randomUUID()}`;

async function queuedJobs(dedupeKey: string): Promise<number> {
  const [row] = await db.execute<{ n: number }>(
    sql`select count(*)::int as n from graphile_worker._private_jobs j join graphile_worker._private_tasks t on t.id = j.task_id
      where t.identifier = ${SEND_NOTIFICATION_TASK} and j.payload->>'dedupeKey' = ${dedupeKey}`,
  );
  return row!.n;
}

const rowsFor = (dedupeKey: string) => db.select().from(notifications).where(eq(notifications.dedupeKey, dedupeKey));
const mailFor = async (dedupeKey: string) => (await listStoredMail()).filter((mail) => mail.file.includes(dedupeKey.replace(/:/g, "_")));

describe("notify", () => {
  it("the jobs' mail directory is this test's temp folder", () => {
    expect(mailDirectory()).toBe(path.join(dataDirectory, "mail"));
  });

  it("inside a transaction that rolls back sends nothing: no job, no row, no email", async () => {
    const user = await createUser(db);
    const dedupeKey = key("rollback");
    await expect(
      db.transaction(async (tx) => {
        await notify(tx, {
          userId: user.id,
          dedupeKey,
          title: "Registered",
          body: "You are in.",
          email: { subject: "Registered", text: "You are in." },
        });
        expect(await queuedJobs(dedupeKey)).toBe(0); // not visible outside the transaction yet
        throw new Error("registration failed");
      }),
    ).rejects.toThrow("registration failed");
    expect(await queuedJobs(dedupeKey)).toBe(0);
    await runDueJobs(database);
    expect(await rowsFor(dedupeKey)).toHaveLength(0);
    expect(await mailFor(dedupeKey)).toHaveLength(0);
  });

  it("after commit, the jobs create one notification and write one .eml file", async () => {
    const user = await createUser(db, { name: "Zoë Player" });
    const dedupeKey = key("confirmed");
    await db.transaction(async (tx) => {
      await notify(tx, {
        userId: user.id,
        dedupeKey,
        title: "Registration confirmed",
        body: "See you at Spring Cup.",
        link: "/events/spring-cup",
        email: { subject: "You're in: Spring Cup — Café edition", text: "Hi Zoë,\n\nyour place is confirmed.\n\n— Driftwood" },
      });
    });
    expect(await queuedJobs(dedupeKey)).toBe(1);
    await runDueJobs(database);

    const [row, ...others] = await rowsFor(dedupeKey);
    expect(others).toHaveLength(0);
    expect(row).toMatchObject({
      userId: user.id,
      title: "Registration confirmed",
      body: "See you at Spring Cup.",
      link: "/events/spring-cup",
      readAt: null,
    });

    const mails = await mailFor(dedupeKey);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.file).toMatch(/^\d{8}T\d{6}\.\d{3}Z-test_confirmed_[0-9a-f-]{36}~[0-9a-f]{10}\.eml$/);
    const mail = (await readStoredMail(mails[0]!.file))!;
    expect(mail).toMatchObject({
      from: "Driftwood <no-reply@driftwood.local>",
      to: `Zoë Player <${user.email}>`,
      subject: "You're in: Spring Cup — Café edition",
      text: "Hi Zoë,\n\nyour place is confirmed.\n\n— Driftwood",
    });
    const raw = readFileSync(path.join(mailDirectory(), mails[0]!.file), "utf8");
    for (const header of ["From", "To", "Subject", "Date", "Message-ID"]) expect(raw).toMatch(new RegExp(`^${header}: `, "m"));
    expect(raw).toContain("\r\n");
  });

  it("without email: the notification only", async () => {
    const user = await createUser(db);
    const dedupeKey = key("in-app-only");
    await notify(db, { userId: user.id, dedupeKey, title: "Bracket published", body: "Round 1 starts at 18:00." });
    await runDueJobs(database);
    expect(await rowsFor(dedupeKey)).toHaveLength(1);
    expect(await mailFor(dedupeKey)).toHaveLength(0);
  });

  it("notify twice with one key, and a job run twice, still give one notification and one email", async () => {
    const user = await createUser(db);
    const dedupeKey = key("twice");
    const input = {
      userId: user.id,
      dedupeKey,
      title: "Check-in open",
      body: "Check in now.",
      email: { subject: "Check-in open", text: "Check in now." },
    };
    await db.transaction((tx) => notify(tx, input));
    await db.transaction((tx) => notify(tx, input));
    await runDueJobs(database);
    // The job delivered again (at-least-once), after the first run finished.
    expect(await deliverNotification(db, notifyInput.parse(input))).toBe("duplicate");
    await runDueJobs(database);
    expect(await rowsFor(dedupeKey)).toHaveLength(1);
    expect(await mailFor(dedupeKey)).toHaveLength(1);
  });

  it("the email job run twice writes one file", async () => {
    const user = await createUser(db);
    const mailDir = mkdtempSync(path.join(os.tmpdir(), "driftwood-mail-"));
    try {
      const mailer = createMailer({ mailDir });
      const payload = { userId: user.id, dedupeKey: "registration/42:confirmed", subject: "Hello", text: "Body" };
      expect(await sendNotificationEmail(db, mailer, payload)).toBe("sent");
      expect(await sendNotificationEmail(db, mailer, payload)).toBe("already_sent");
      expect(readdirSync(mailDir)).toHaveLength(1);
      // A different key that sanitises to the same text gets its own file.
      expect(await sendNotificationEmail(db, mailer, { ...payload, dedupeKey: "registration_42_confirmed" })).toBe("sent");
      expect(readdirSync(mailDir)).toHaveLength(2);
      expect(await sendNotificationEmail(db, mailer, { ...payload, userId: crypto.randomUUID() })).toBe("no_user");
    } finally {
      rmSync(mailDir, { recursive: true, force: true });
    }
  });

  it("refuses links to other sites and empty keys before anything is queued", async () => {
    const user = await createUser(db);
    for (const link of ["https://evil.example", "//evil.example", "javascript:alert(1)", "/\\evil.example"]) {
      await expect(notify(db, { userId: user.id, dedupeKey: key("bad-link"), title: "T", body: "B", link })).rejects.toThrow();
    }
    await expect(notify(db, { userId: user.id, dedupeKey: " ", title: "T", body: "B" })).rejects.toThrow();
  });
});

describe("reading and marking", () => {
  async function seedNotifications(userId: string, count: number, label: string) {
    for (let i = 0; i < count; i++) {
      await deliverNotification(db, { userId, dedupeKey: key(`${label}-${i}`), title: `${label} ${i}`, body: "" });
    }
  }

  it("list pages newest first without repeats; unreadCount and markRead touch only the caller's rows", async () => {
    const alice = await createUser(db);
    const bob = await createUser(db);
    await seedNotifications(alice.id, 12, "alice");
    await seedNotifications(bob.id, 3, "bob");

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof listNotifications>> = await listNotifications(db, alice.id, { cursor, limit: 5 });
      expect(page.items.every((item) => item.title.startsWith("alice"))).toBe(true);
      seen.push(...page.items.map((item) => item.title));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(Array.from({ length: 12 }, (_, i) => `alice ${11 - i}`));

    // Bob's cursor or ids mean nothing in Alice's list and marks.
    const bobs = await listNotifications(db, bob.id, { limit: 10 });
    expect((await listNotifications(db, alice.id, { cursor: bobs.items[0]!.id, limit: 10 })).items).toHaveLength(0);
    expect(
      await markRead(
        db,
        alice.id,
        bobs.items.map((item) => item.id),
      ),
    ).toEqual({ updated: 0 });
    expect(await unreadCount(db, bob.id)).toBe(3);

    const alices = await listNotifications(db, alice.id, { limit: 2 });
    expect(
      await markRead(
        db,
        alice.id,
        alices.items.map((item) => item.id),
      ),
    ).toEqual({ updated: 2 });
    expect(
      await markRead(
        db,
        alice.id,
        alices.items.map((item) => item.id),
      ),
    ).toEqual({ updated: 0 });
    expect(await unreadCount(db, alice.id)).toBe(10);
    expect((await listNotifications(db, alice.id, { limit: 2 })).items.every((item) => item.readAt instanceof Date)).toBe(true);

    expect(await markRead(db, alice.id, "all")).toEqual({ updated: 10 });
    expect(await unreadCount(db, alice.id)).toBe(0);
    expect(await unreadCount(db, bob.id)).toBe(3);
  });

  it("through the router, each user sees and marks only their own", async () => {
    const carol = await createUser(db);
    const dave = await createUser(db);
    await seedNotifications(carol.id, 2, "carol");
    await seedNotifications(dave.id, 1, "dave");
    const asCarol = createCaller(createInnerContext({ db, user: carol }));
    const asDave = createCaller(createInnerContext({ db, user: dave }));

    const carols = await asCarol.notifications.list({ limit: 10 });
    expect(carols.items.map((item) => item.title)).toEqual(["carol 1", "carol 0"]);
    expect(await asDave.notifications.markRead({ ids: carols.items.map((item) => item.id) })).toEqual({ updated: 0 });
    expect(await asDave.notifications.markRead({ all: true })).toEqual({ updated: 1 });
    expect(await asCarol.notifications.unreadCount()).toBe(2);
    expect(await asCarol.notifications.markRead({ ids: [carols.items[0]!.id] })).toEqual({ updated: 1 });
    expect(await asCarol.notifications.unreadCount()).toBe(1);
    await expect(asCarol.notifications.markRead({ ids: [] })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });
});
