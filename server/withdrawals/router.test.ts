import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { withdrawals } from "@/db/schema/withdrawals";
import { createTestDatabase } from "@/db/testing/database";
import type { SessionUser } from "@/server/accounts/roles";
import { RECENT_AUTH_MESSAGE } from "@/server/accounts/recent-auth";
import { totpCodeAt } from "@/server/accounts/totp";
import { beginTotp, confirmTotp } from "@/server/accounts/two-factor";
import { walletBalances } from "@/server/ledger";
import { createCaller } from "@/server/root";
import { createUser } from "@/server/testing/factories";
import { codeOf } from "@/server/testing/trpc";
import { createInnerContext } from "@/server/trpc";
import { SECOND_FACTOR_NEEDED } from "./requests";
import { fundWallet, givePayoutAccount } from "./testing";

const { db } = await createTestDatabase();

/** The player's caller, signed in `minutesAgo` minutes ago (a fresh sign-in by default). */
function callerOf(user: SessionUser, minutesAgo = 1) {
  const authenticatedAt = new Date(Date.now() - minutesAgo * 60_000);
  return createCaller(createInnerContext({ db, user: { ...user, authenticatedAt }, ip: "198.51.100.4" })).withdrawals;
}

async function player(options: { verified?: boolean; funds?: number } = {}) {
  const user = await createUser(db, { emailVerified: options.verified ?? true });
  await givePayoutAccount(db, user.id);
  await fundWallet(db, user.id, options.funds ?? 3_000_00);
  return user;
}

describe("withdrawals.request", () => {
  it("needs a verified email and a sign-in within the last 10 minutes", async () => {
    const unverified = await player({ verified: false });
    await expect(callerOf(unverified).request({ amount: 20_00, idempotencyKey: crypto.randomUUID() })).rejects.toMatchObject({
      code: "FORBIDDEN",
      message: expect.stringMatching(/verify/i),
    });
    const stale = await player();
    await expect(callerOf(stale, 11).request({ amount: 20_00, idempotencyKey: crypto.randomUUID() })).rejects.toMatchObject({
      code: "FORBIDDEN",
      message: RECENT_AUTH_MESSAGE,
    });
    const made = await callerOf(stale, 9).request({ amount: 20_00, idempotencyKey: crypto.randomUUID() });
    const [row] = await db.select().from(withdrawals).where(eq(withdrawals.id, made.id));
    expect(row).toMatchObject({ requestIp: "198.51.100.4", amount: 20_00, fee: 1_00 });
  });

  it("over 1,000.00: refused without the second factor or with a wrong code, accepted with a code from the authenticator app (once)", async () => {
    const user = await player();
    const { secret } = await beginTotp(db, user);
    const setupAt = new Date(Date.now() - 120_000);
    await confirmTotp(db, user.id, totpCodeAt(secret, setupAt), setupAt);
    const caller = callerOf(user);
    const idempotencyKey = crypto.randomUUID();
    await expect(caller.request({ amount: 1_000_01, idempotencyKey })).rejects.toMatchObject({
      code: "FORBIDDEN",
      message: SECOND_FACTOR_NEEDED,
    });
    const wrong = totpCodeAt(secret, new Date(Date.now() + 10 * 60_000));
    expect(await codeOf(caller.request({ amount: 1_000_01, idempotencyKey, secondFactor: { method: "totp", code: wrong } }))).toBe(
      "FORBIDDEN",
    );
    expect((await walletBalances(db, user.id)).held).toBe(0);
    const code = totpCodeAt(secret, new Date());
    const made = await caller.request({ amount: 1_000_01, idempotencyKey, secondFactor: { method: "totp", code } });
    expect(made.amount).toBe(1_000_01);
    // The same attempt again (a refresh) is the same withdrawal, the spent code notwithstanding.
    expect((await caller.request({ amount: 1_000_01, idempotencyKey, secondFactor: { method: "totp", code } })).id).toBe(made.id);
    // A new attempt cannot reuse the spent code.
    expect(
      await codeOf(caller.request({ amount: 1_000_01, idempotencyKey: crypto.randomUUID(), secondFactor: { method: "totp", code } })),
    ).toBe("FORBIDDEN");
    expect((await walletBalances(db, user.id)).held).toBe(1_001_01);
  });

  it("bad input is BAD_REQUEST with the field named, never a 500", async () => {
    const caller = callerOf(await player());
    for (const input of [
      { amount: 10.5, idempotencyKey: crypto.randomUUID() },
      { amount: -5_00, idempotencyKey: crypto.randomUUID() },
      { amount: 20_00, idempotencyKey: "not-a-uuid" },
      { amount: 20_00, idempotencyKey: crypto.randomUUID(), secondFactor: { method: "totp", code: "12" } },
    ]) {
      expect(await codeOf(caller.request(input as never))).toBe("BAD_REQUEST");
    }
    expect(await codeOf(caller.request({ amount: 9_99, idempotencyKey: crypto.randomUUID() }))).toBe("BAD_REQUEST");
  });
});

describe("withdrawals.overview and cancel", () => {
  it("shows the player's own withdrawals and room, never the bank number; cancel is the owner's only", async () => {
    const user = await player({ funds: 100_00 });
    const other = await player();
    const made = await callerOf(user).request({ amount: 20_00, idempotencyKey: crypto.randomUUID() });
    const overview = await callerOf(user).overview();
    expect(overview.withdrawals.map((w) => w.id)).toEqual([made.id]);
    expect(overview.room).toEqual({ dailyLeft: 10_000_00 - 20_00, slotsLeft: 2 });
    expect(overview.account).toMatchObject({ last4: "3000", bankName: "Test Bank" });
    expect(JSON.stringify(overview)).not.toMatch(/ciphertext|not-a-real-ciphertext/i);
    expect((await callerOf(other).overview()).withdrawals).toEqual([]);
    expect(await codeOf(callerOf(other).cancel({ withdrawalId: made.id }))).toBe("NOT_FOUND");
  });
});
