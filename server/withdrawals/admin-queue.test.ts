import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditLog } from "@/db/schema/platform";
import { type WithdrawalFlag, withdrawalStatuses, withdrawals } from "@/db/schema/withdrawals";
import { createTestDatabase } from "@/db/testing/database";
import type { SessionUser } from "@/server/accounts/roles";
import { walletBalances } from "@/server/ledger";
import { createCaller } from "@/server/root";
import { createUser } from "@/server/testing/factories";
import { codeOf } from "@/server/testing/trpc";
import { createInnerContext } from "@/server/trpc";
import { withdrawalQueue, withdrawalQueueCounts } from "./admin-queue";
import { WITHDRAWAL_STATUS_LIST, withdrawalQueueInput, type WithdrawalQueueInput } from "./admin-schemas";
import { withdrawalRules } from "./rules";
import { seedPayoutAccount, seedWithdrawal } from "./testing";

const { db } = await createTestDatabase();

const HOUR = 3_600_000;
const CIPHERTEXT = "SEALED-NUMBER-must-never-show";

const queue = (input: WithdrawalQueueInput) => withdrawalQueue(db, withdrawalQueueInput.parse(input));
const callerOf = (user: SessionUser) => createCaller(createInnerContext({ db, user: { ...user, authenticatedAt: new Date() } }));

/** A player with money in the wallet and a bank account added `accountAgeHours` ago (under 24: their requests wait for review). */
async function player(options: { name?: string; email?: string; role?: "player" | "admin"; accountAgeHours: number }) {
  const user = await createUser(db, { name: options.name, email: options.email, role: options.role });
  await seedPayoutAccount(db, user.id, {
    ageHours: options.accountAgeHours,
    holderName: `Holder of ${user.name}`,
    numberCiphertext: CIPHERTEXT,
  });
  return user;
}

/**
 * A request as requestWithdrawal records it (a real hold of amount + fee). Written directly so the
 * test picks the time and the flags, and because requestWithdrawal cannot bind a Date in its usage
 * query today (see the commit).
 */
const ask = (userId: string, amount: number, options: { now?: Date; flags?: WithdrawalFlag[] } = {}) =>
  seedWithdrawal(db, userId, amount, options);

describe("the withdrawal review queue", () => {
  it("knows every status of the table", () => {
    expect([...WITHDRAWAL_STATUS_LIST]).toEqual([...withdrawalStatuses]);
  });

  it("each filter narrows; waiting requests come oldest first, other statuses newest first; no account number anywhere", async () => {
    const tag = crypto.randomUUID().slice(0, 6);
    const flagged = await player({ name: `Marlowe Quinn ${tag}`, email: `mq-${tag}@example.test`, accountAgeHours: 2 });
    const trusted = await player({ name: `Odile Brandt ${tag}`, email: `ob-${tag}@example.test`, accountAgeHours: 48 });
    const threeDaysAgo = new Date(Date.now() - 72 * HOUR);
    const old = await ask(flagged.id, 20_00, { now: threeDaysAgo, flags: ["new_account"] });
    const recent = await ask(flagged.id, 50_00, { flags: ["new_account"] });
    const approved = await ask(trusted.id, 30_00);
    expect([old.status, recent.status, approved.status]).toEqual(["requested", "requested", "approved"]);

    const waiting = await queue({ user: tag });
    expect(waiting.rows.map((row) => row.id)).toEqual([old.id, recent.id]);
    expect(waiting.total).toBe(2);
    const first = waiting.rows[0]!;
    expect(first).toMatchObject({
      amount: 20_00,
      fee: withdrawalRules.fee,
      status: "requested",
      flags: ["new_account"],
      flagWords: ["Bank account added 2 hours ago"],
      requestIp: "203.0.113.9",
      decidedBy: null,
      user: { id: flagged.id, name: flagged.name, email: flagged.email },
      bank: { holderName: `Holder of ${flagged.name}`, bankName: "Rhine Bank", last4: "4321" },
    });
    expect(first.bank.addedAt).toBeInstanceOf(Date);

    const approvedPage = await queue({ user: tag, status: "approved" });
    expect(approvedPage.rows.map((row) => row.id)).toEqual([approved.id]);
    const everything = await queue({ user: tag, status: "all" });
    expect(everything.rows.map((row) => row.id)).toEqual([approved.id, recent.id, old.id]);
    expect((await queue({ user: tag, status: "all", flagged: true })).rows.map((row) => row.id)).toEqual([recent.id, old.id]);
    expect((await queue({ user: tag, status: "all", minAmount: 25_00 })).rows.map((row) => row.id)).toEqual([approved.id, recent.id]);
    expect((await queue({ user: tag, status: "all", maxAmount: 30_00 })).rows.map((row) => row.id)).toEqual([approved.id, old.id]);
    expect((await queue({ user: tag, status: "all", minAmount: 30_00, maxAmount: 30_00 })).rows.map((row) => row.id)).toEqual([
      approved.id,
    ]);
    const day = threeDaysAgo.toISOString().slice(0, 10);
    expect((await queue({ user: tag, status: "all", from: day, to: day })).rows.map((row) => row.id)).toEqual([old.id]);
    const today = new Date().toISOString().slice(0, 10);
    expect((await queue({ user: tag, status: "all", from: today })).rows.map((row) => row.id)).toEqual([approved.id, recent.id]);

    // Search: part of the name or the email, any case; nobody else's rows.
    expect((await queue({ status: "all", user: `MARLOWE QUINN ${tag.toUpperCase()}` })).rows.map((row) => row.id)).toEqual([
      recent.id,
      old.id,
    ]);
    expect((await queue({ status: "all", user: `OB-${tag.toUpperCase()}@example` })).rows.map((row) => row.id)).toEqual([approved.id]);
    expect((await queue({ status: "all", user: `nobody-${tag}` })).rows).toEqual([]);
    expect((await queue({ status: "all", user: "%" })).rows).toEqual([]);

    const text = JSON.stringify([waiting, everything]);
    for (const secret of [CIPHERTEXT, "numberCiphertext", "number_ciphertext", "keyVersion"]) expect(text).not.toContain(secret);
  });

  it("says why a request was flagged for velocity and counts the alerts of the day", async () => {
    const tag = crypto.randomUUID().slice(0, 6);
    const before = await withdrawalQueueCounts(db);
    const user = await player({ name: `Velo ${tag}`, accountAgeHours: 100 });
    const a = await ask(user.id, 10_00, { now: new Date(Date.now() - 70 * 60_000) });
    const b = await ask(user.id, 11_00, { now: new Date(Date.now() - 50 * 60_000), flags: ["velocity"] });
    const c = await ask(user.id, 12_00, { now: new Date(Date.now() - 20 * 60_000), flags: ["velocity"] });
    expect([a.flags, b.flags, c.flags]).toEqual([[], ["velocity"], ["velocity"]]);
    const page = await queue({ user: tag, flagged: true });
    expect(page.rows.map((row) => [row.id, row.flagWords])).toEqual([
      [b.id, ["2 requests in the last hour"]],
      [c.id, ["3 requests in the last hour"]],
    ]);
    expect(page.counts).toEqual({ waiting: before.waiting + 2, velocityLastDay: before.velocityLastDay + 2 });
  });

  it("pages without repeats or gaps", async () => {
    const tag = crypto.randomUUID().slice(0, 6);
    const user = await player({ name: `Pager ${tag}`, accountAgeHours: 1 });
    const ids: string[] = [];
    const start = Date.now() - 10 * HOUR;
    // Two at the same moment: the id breaks the tie, so no page repeats or skips them.
    for (let i = 0; i < 7; i++)
      ids.push((await ask(user.id, 10_00 + i, { now: new Date(start + Math.min(i, 5) * HOUR), flags: ["new_account"] })).id);
    for (const status of ["requested", "all"] as const) {
      const seen: string[] = [];
      let pageCount = 1;
      for (let page = 1; page <= pageCount; page++) {
        const result = await queue({ user: tag, status, page, pageSize: 3 });
        expect(result.total).toBe(7);
        pageCount = result.pageCount;
        seen.push(...result.rows.map((row) => row.id));
      }
      expect(pageCount).toBe(3);
      expect(seen).toHaveLength(7);
      expect(new Set(seen)).toEqual(new Set(ids));
    }
  });
});

describe("deciding through admin.decideWithdrawals", () => {
  it("refuses players and a rejection without a reason", async () => {
    const someone = await createUser(db);
    expect(await codeOf(callerOf(someone).admin.decideWithdrawals({ ids: [crypto.randomUUID()], decision: "approve" }))).toBe("FORBIDDEN");
    expect(await codeOf(callerOf(someone).admin.withdrawals({}))).toBe("FORBIDDEN");
    const admin = await createUser(db, { role: "admin" });
    const ids = [crypto.randomUUID()];
    expect(await codeOf(callerOf(admin).admin.decideWithdrawals({ ids, decision: "reject" }))).toBe("BAD_REQUEST");
    expect(await codeOf(callerOf(admin).admin.decideWithdrawals({ ids, decision: "reject", reason: "   " }))).toBe("BAD_REQUEST");
    expect(await codeOf(callerOf(admin).admin.decideWithdrawals({ ids, decision: "reject", reason: "no" }))).toBe("BAD_REQUEST");
    expect(await codeOf(callerOf(admin).admin.decideWithdrawals({ ids: [], decision: "approve" }))).toBe("BAD_REQUEST");
  });

  it("approves once (audited once), skips what is decided and the admin's own, and a rejection gives amount and fee back", async () => {
    const admin = await createUser(db, { role: "admin" });
    const caller = callerOf(admin);
    const user = await player({ accountAgeHours: 3 });
    const first = await ask(user.id, 40_00, { flags: ["new_account"] });

    const result = await caller.admin.decideWithdrawals({ ids: [first.id], decision: "approve" });
    expect(result).toEqual({ decided: [first.id], skipped: [] });
    const [row] = await db.select().from(withdrawals).where(eq(withdrawals.id, first.id));
    expect(row).toMatchObject({ status: "approved", decidedBy: admin.id });
    const audits = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.actorId, admin.id), eq(auditLog.action, "withdrawal.approved")));
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ targetUserId: user.id, details: { withdrawalId: first.id, amount: 40_00 } });

    expect(await caller.admin.decideWithdrawals({ ids: [first.id], decision: "approve" })).toEqual({
      decided: [],
      skipped: [{ id: first.id, reason: "It is already approved." }],
    });
    const listed = await caller.admin.withdrawals({ status: "approved", user: user.email });
    expect(listed.rows[0]).toMatchObject({ id: first.id, decidedBy: { id: admin.id, name: admin.name } });

    const adminAsPlayer = await player({ role: "admin", accountAgeHours: 1 });
    const own = await ask(adminAsPlayer.id, 15_00, { flags: ["new_account"] });
    expect(await callerOf(adminAsPlayer).admin.decideWithdrawals({ ids: [own.id], decision: "approve" })).toEqual({
      decided: [],
      skipped: [{ id: own.id, reason: "Nobody may decide their own withdrawal." }],
    });

    const before = (await walletBalances(db, user.id)).available;
    const second = await ask(user.id, 25_00, { flags: ["new_account"] });
    expect((await walletBalances(db, user.id)).available).toBe(before - 25_00 - withdrawalRules.fee);
    expect(await caller.admin.decideWithdrawals({ ids: [second.id], decision: "reject", reason: "  Card reported stolen  " })).toEqual({
      decided: [second.id],
      skipped: [],
    });
    expect((await walletBalances(db, user.id)).available).toBe(before);
    const [rejected] = await db.select().from(withdrawals).where(eq(withdrawals.id, second.id));
    expect(rejected).toMatchObject({ status: "rejected", decisionReason: "Card reported stolen" });
  });
});
