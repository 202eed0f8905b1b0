import { describe, expect, it } from "vitest";
import { createTestDatabase } from "@/db/testing/database";
import { createUser, TEST_PASSWORD } from "@/server/testing/factories";
import { signInDelayMs, signInLimits, SLOW_DOWN_AFTER, verifySignIn } from "./sign-in";

const { db } = await createTestDatabase();

/** Records the waits instead of sleeping through them. */
function recordedWaits() {
  const waits: number[] = [];
  return { waits, wait: async (ms: number) => void waits.push(ms) };
}

describe("sign in", () => {
  it("accepts the right password whatever the email's case, and refuses a wrong one", async () => {
    const user = await createUser(db, { email: "case@example.test" });
    const ok = await verifySignIn(db, { email: "Case@Example.TEST", password: TEST_PASSWORD, ip: "10.0.0.1" });
    expect(ok).toEqual({ status: "ok", user: expect.objectContaining({ id: user.id, role: "player" }) });
    expect(await verifySignIn(db, { email: "case@example.test", password: "wrong-password", ip: "10.0.0.1" })).toEqual({
      status: "invalid",
    });
    expect(await verifySignIn(db, { email: "nobody@example.test", password: "whatever1", ip: "10.0.0.1" })).toEqual({
      status: "invalid",
    });
  });

  it("refuses one address after five failures for one account, and says how long to wait", async () => {
    const user = await createUser(db);
    for (let i = 0; i < signInLimits.perEmailAndIp.points; i++) {
      expect((await verifySignIn(db, { email: user.email, password: "nope-nope", ip: "10.1.0.1" })).status).toBe("invalid");
    }
    const blocked = await verifySignIn(db, { email: user.email, password: TEST_PASSWORD, ip: "10.1.0.1" });
    expect(blocked.status).toBe("rate_limited");
    if (blocked.status === "rate_limited") {
      expect(blocked.retryAfterSeconds).toBeGreaterThanOrEqual(1);
      expect(blocked.retryAfterSeconds).toBeLessThanOrEqual(signInLimits.perEmailAndIp.durationSeconds);
    }
  });

  it("cannot be used to lock the owner out: failures from other addresses only slow the account down", async () => {
    const owner = await createUser(db);
    // An attacker fails for the owner's email from many addresses.
    for (let i = 0; i < 12; i++) {
      const { wait } = recordedWaits();
      const result = await verifySignIn(db, { email: owner.email, password: "nope-nope", ip: `10.4.0.${i}` }, { wait });
      expect(result.status).toBe("invalid");
    }
    // The owner, from their own address, still gets in with the right password, after a wait.
    const { waits, wait } = recordedWaits();
    const result = await verifySignIn(db, { email: owner.email, password: TEST_PASSWORD, ip: "10.4.1.1" }, { wait });
    expect(result.status).toBe("ok");
    expect(waits).toEqual([signInDelayMs(12)]);
    expect(waits[0]).toBeGreaterThan(0);
  });

  it("waits longer the more an account has failed, up to a cap, and not at all below the threshold", async () => {
    expect(signInDelayMs(SLOW_DOWN_AFTER - 1)).toBe(0);
    const delays = Array.from({ length: 12 }, (_, i) => signInDelayMs(SLOW_DOWN_AFTER + i));
    expect(delays[0]).toBeGreaterThan(0);
    for (let i = 1; i < delays.length; i++) expect(delays[i]).toBeGreaterThanOrEqual(delays[i - 1]!);
    expect(Math.max(...delays)).toBeLessThanOrEqual(8_000);

    const user = await createUser(db);
    const seen: number[] = [];
    for (let i = 0; i < SLOW_DOWN_AFTER + 2; i++) {
      const { waits, wait } = recordedWaits();
      await verifySignIn(db, { email: user.email, password: "nope-nope", ip: `10.5.0.${i}` }, { wait });
      seen.push(waits[0] ?? 0);
    }
    expect(seen).toEqual([0, 0, 0, 0, 0, signInDelayMs(SLOW_DOWN_AFTER), signInDelayMs(SLOW_DOWN_AFTER + 1)]);
  });

  it("refuses one address spraying many accounts, but not the same accounts from elsewhere", async () => {
    for (let i = 0; i < signInLimits.perIp.points; i++) {
      const result = await verifySignIn(db, { email: `spray${i}@example.test`, password: "nope-nope", ip: "10.2.0.1" });
      expect(result.status).toBe("invalid");
    }
    const user = await createUser(db);
    expect((await verifySignIn(db, { email: user.email, password: TEST_PASSWORD, ip: "10.2.0.1" })).status).toBe("rate_limited");
    expect((await verifySignIn(db, { email: user.email, password: TEST_PASSWORD, ip: "10.2.0.2" })).status).toBe("ok");
  });

  it("does not count successful sign-ins against any limit", async () => {
    const user = await createUser(db);
    for (let i = 0; i < 25; i++) {
      const { waits, wait } = recordedWaits();
      expect((await verifySignIn(db, { email: user.email, password: TEST_PASSWORD, ip: "10.3.0.1" }, { wait })).status).toBe("ok");
      expect(waits).toEqual([]);
    }
  });
});
