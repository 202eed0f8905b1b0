import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createTestDatabase } from "@/db/testing/database";
import { passkeys, recoveryCodes, totpCredentials } from "@/db/schema/accounts";
import { createCaller } from "@/server/root";
import { createUser, TEST_PASSWORD } from "@/server/testing/factories";
import { codeOf } from "@/server/testing/trpc";
import { createInnerContext } from "@/server/trpc";
import type { SessionUser } from "./roles";
import { openSecret, sealSecret } from "./secret-box";
import { verifyRenewal } from "./session-renewal";
import { RECENT_AUTH_SECONDS, sessionVersionOf, userOfSession } from "./sessions";
import { signInLimits, verifySignIn } from "./sign-in";
import { matchTotpCode, newTotpSecret, TOTP_PERIOD_SECONDS, totpCodeAt, totpStep } from "./totp";
import {
  beginTotp,
  confirmTotp,
  disableTotp,
  ensureRecoveryCodes,
  secondFactorsOf,
  securityStatus,
  spendRecoveryCode,
  spendTotpCode,
} from "./two-factor";

const { db } = await createTestDatabase();
const NOW = new Date("2026-12-07T12:00:10Z");
const at = (steps: number) => new Date(NOW.getTime() + steps * TOTP_PERIOD_SECONDS * 1000);

/** A user with the authenticator app on, and what the test needs to make codes. */
async function userWithTotp(options: { now?: Date } = {}) {
  const user = await createUser(db);
  const { secret } = await beginTotp(db, user);
  const { recoveryCodes } = await confirmTotp(db, user.id, totpCodeAt(secret, options.now ?? at(-10)), options.now ?? at(-10));
  return { user, secret, recoveryCodes };
}

describe("authenticator codes (RFC 6238) with a fixed clock", () => {
  const secret = newTotpSecret();
  const step = totpStep(NOW);

  it("accepts the current code and the ones of the step before and after", () => {
    expect(matchTotpCode(secret, totpCodeAt(secret, NOW), { now: NOW, lastUsedStep: null })).toBe(step);
    expect(matchTotpCode(secret, totpCodeAt(secret, at(-1)), { now: NOW, lastUsedStep: null })).toBe(step - 1);
    expect(matchTotpCode(secret, totpCodeAt(secret, at(1)), { now: NOW, lastUsedStep: null })).toBe(step + 1);
    // Typed with a space, as apps show it.
    const code = totpCodeAt(secret, NOW);
    expect(matchTotpCode(secret, `${code.slice(0, 3)} ${code.slice(3)}`, { now: NOW, lastUsedStep: null })).toBe(step);
  });

  it("refuses a code two steps away, and a code whose step was already used", () => {
    expect(matchTotpCode(secret, totpCodeAt(secret, at(-2)), { now: NOW, lastUsedStep: null })).toBeNull();
    expect(matchTotpCode(secret, totpCodeAt(secret, at(2)), { now: NOW, lastUsedStep: null })).toBeNull();
    expect(matchTotpCode(secret, totpCodeAt(secret, NOW), { now: NOW, lastUsedStep: step })).toBeNull();
    expect(matchTotpCode(secret, totpCodeAt(secret, at(-1)), { now: NOW, lastUsedStep: step - 1 })).toBeNull();
    expect(matchTotpCode(secret, "12345", { now: NOW, lastUsedStep: null })).toBeNull();
  });

  it("accepts a code once: the replay, even racing, is refused", async () => {
    const { user, secret } = await userWithTotp();
    const code = totpCodeAt(secret, NOW);
    const results = await Promise.all([spendTotpCode(db, user.id, code, NOW), spendTotpCode(db, user.id, code, NOW)]);
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await spendTotpCode(db, user.id, code, NOW)).toBe(false);
    // The next step's code still works.
    expect(await spendTotpCode(db, user.id, totpCodeAt(secret, at(1)), at(1))).toBe(true);
  });
});

describe("the sealed secret", () => {
  it("opens to what was sealed, and its stored form does not contain the secret", async () => {
    const secret = newTotpSecret();
    const sealed = await sealSecret("totp", secret);
    expect(await openSecret("totp", sealed)).toBe(secret);
    expect(sealed).not.toContain(secret);
    expect(sealed).not.toContain(Buffer.from(secret).toString("base64url"));
    await expect(openSecret("other-purpose", sealed)).rejects.toThrow();
    const [v, iv, body, tag] = sealed.split(".");
    const flipped = `${body![0] === "A" ? "B" : "A"}${body!.slice(1)}`;
    await expect(openSecret("totp", [v, iv, flipped, tag].join("."))).rejects.toThrow();
  });

  it("is what the database holds for a user's authenticator app", async () => {
    const user = await createUser(db);
    const { secret, uri, qrCode } = await beginTotp(db, user);
    expect(uri).toMatch(/^otpauth:\/\/totp\/Driftwood:/);
    expect(uri).toContain(`secret=${secret}`);
    expect(qrCode).toMatch(/^data:image\/png;base64,/);
    const [row] = await db.select().from(totpCredentials).where(eq(totpCredentials.userId, user.id));
    expect(row!.secretCiphertext).not.toContain(secret);
    expect(row!.confirmedAt).toBeNull();
    expect(await secondFactorsOf(db, user.id)).toEqual([]);
  });
});

describe("turning the app on", () => {
  it("needs a right code, makes ten recovery codes and ends the other sessions", async () => {
    const user = await createUser(db);
    const { secret } = await beginTotp(db, user);
    const before = await sessionVersionOf(db, user.id);
    const wrong = totpCodeAt(secret, NOW) === "000000" ? "111111" : "000000";
    await expect(confirmTotp(db, user.id, wrong, NOW)).rejects.toThrow(/not right/);
    const { recoveryCodes, sessionVersion } = await confirmTotp(db, user.id, totpCodeAt(secret, NOW), NOW);
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    for (const code of recoveryCodes) expect(code).toMatch(/^[a-z0-9]{5}-[a-z0-9]{5}$/);
    expect(sessionVersion).toBe(before + 1);
    const claims = { userId: user.id, sessionId: "s", authenticatedAt: null };
    expect(await userOfSession(db, { ...claims, sessionVersion: before })).toBeNull();
    expect(await userOfSession(db, { ...claims, sessionVersion })).not.toBeNull();
    expect(await secondFactorsOf(db, user.id)).toEqual(["totp"]);
    expect((await securityStatus(db, user.id)).recoveryCodesLeft).toBe(10);
    // The code that turned it on cannot sign in too.
    expect(await spendTotpCode(db, user.id, totpCodeAt(secret, NOW), NOW)).toBe(false);
  });
});

describe("recovery codes", () => {
  it("each works once, in any case and with or without its dash", async () => {
    const { user, recoveryCodes } = await userWithTotp();
    const [first, second] = recoveryCodes as [string, string];
    expect(await spendRecoveryCode(db, user.id, first.toUpperCase())).toBe(true);
    expect(await spendRecoveryCode(db, user.id, first)).toBe(false);
    expect(await spendRecoveryCode(db, user.id, second.replace("-", ""))).toBe(true);
    expect(await spendRecoveryCode(db, user.id, "aaaaa-aaaaa")).toBe(false);
    expect((await securityStatus(db, user.id)).recoveryCodesLeft).toBe(8);
  });

  it("used twice at the same moment: one wins", async () => {
    const { user, recoveryCodes } = await userWithTotp();
    const results = await Promise.all(Array.from({ length: 4 }, () => spendRecoveryCode(db, user.id, recoveryCodes[3]!)));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it("belong to their user only", async () => {
    const { recoveryCodes } = await userWithTotp();
    const other = await userWithTotp();
    expect(await spendRecoveryCode(db, other.user.id, recoveryCodes[0]!)).toBe(false);
  });
});

describe("recovery codes for an account whose second factor is a passkey", () => {
  /** A passkey row as registration stores it (the key itself is never checked here). */
  async function addPasskey(userId: string) {
    await db.insert(passkeys).values({
      id: crypto.randomUUID(),
      userId,
      publicKey: Buffer.from([1, 2, 3]),
      deviceType: "multiDevice",
      name: "Laptop",
    });
  }
  const unused = async (userId: string) =>
    (await db.select({ usedAt: recoveryCodes.usedAt }).from(recoveryCodes).where(eq(recoveryCodes.userId, userId))).filter(
      (row) => row.usedAt === null,
    ).length;

  it("a first passkey comes with ten codes that sign in once; a later one makes none", async () => {
    const user = await createUser(db);
    await addPasskey(user.id);
    const codes = await ensureRecoveryCodes(db, user.id, NOW);
    expect(codes).toHaveLength(10);
    expect(await ensureRecoveryCodes(db, user.id, NOW)).toBeNull();
    expect(await unused(user.id)).toBe(10);
    expect(await spendRecoveryCode(db, user.id, codes![0]!, NOW)).toBe(true);
    expect(await spendRecoveryCode(db, user.id, codes![0]!, NOW)).toBe(false);
  });

  it("added at the same moment twice, makes one set", async () => {
    const user = await createUser(db);
    await addPasskey(user.id);
    const made = await Promise.all([ensureRecoveryCodes(db, user.id, NOW), ensureRecoveryCodes(db, user.id, NOW)]);
    expect(made.filter((codes) => codes !== null)).toHaveLength(1);
    expect(await unused(user.id)).toBe(10);
  });

  it("turning the app off keeps the codes while a passkey remains, and drops them when none does", async () => {
    const withPasskey = await userWithTotp();
    await addPasskey(withPasskey.user.id);
    await disableTotp(db, withPasskey.user.id);
    expect(await secondFactorsOf(db, withPasskey.user.id)).toEqual(["passkey"]);
    expect(await unused(withPasskey.user.id)).toBe(10);

    const appOnly = await userWithTotp();
    await disableTotp(db, appOnly.user.id);
    expect(await unused(appOnly.user.id)).toBe(0);
  });
});

describe("signing in with a second factor", () => {
  it("asks for it only after the right password, then accepts a code or a recovery code", async () => {
    const { user, secret, recoveryCodes } = await userWithTotp();
    const ip = "10.9.0.1";
    expect(await verifySignIn(db, { email: user.email, password: "wrong-password", ip })).toEqual({ status: "invalid" });
    expect(await verifySignIn(db, { email: user.email, password: TEST_PASSWORD, ip })).toEqual({
      status: "second_factor_required",
      methods: ["totp"],
    });
    const ok = await verifySignIn(
      db,
      { email: user.email, password: TEST_PASSWORD, ip, secondFactor: { kind: "totp", code: totpCodeAt(secret, NOW) } },
      { now: NOW },
    );
    expect(ok.status).toBe("ok");
    const replay = await verifySignIn(
      db,
      { email: user.email, password: TEST_PASSWORD, ip, secondFactor: { kind: "totp", code: totpCodeAt(secret, NOW) } },
      { now: NOW },
    );
    expect(replay.status).toBe("invalid_second_factor");
    const recovered = await verifySignIn(db, {
      email: user.email,
      password: TEST_PASSWORD,
      ip,
      secondFactor: { kind: "recovery", code: recoveryCodes[0]! },
    });
    expect(recovered.status).toBe("ok");
    const again = await verifySignIn(db, {
      email: user.email,
      password: TEST_PASSWORD,
      ip,
      secondFactor: { kind: "recovery", code: recoveryCodes[0]! },
    });
    expect(again.status).toBe("invalid_second_factor");
  });

  it("counts wrong codes against the sign-in limits", async () => {
    const { user, secret } = await userWithTotp();
    const ip = "10.9.1.1";
    const right = totpCodeAt(secret, NOW);
    const wrong = right === "111111" ? "222222" : "111111";
    for (let i = 0; i < signInLimits.perEmailAndIp.points; i++) {
      const result = await verifySignIn(
        db,
        { email: user.email, password: TEST_PASSWORD, ip, secondFactor: { kind: "totp", code: wrong } },
        { now: NOW },
      );
      expect(result.status).toBe("invalid_second_factor");
    }
    // Even the right password with the right code is now refused from this address.
    const blocked = await verifySignIn(
      db,
      { email: user.email, password: TEST_PASSWORD, ip, secondFactor: { kind: "totp", code: right } },
      { now: NOW },
    );
    expect(blocked.status).toBe("rate_limited");
  });

  it("refuses guessing from many addresses after ten wrong codes for one account", async () => {
    const { user, secret } = await userWithTotp();
    const right = totpCodeAt(secret, NOW);
    const wrong = right === "333333" ? "444444" : "333333";
    for (let i = 0; i < signInLimits.secondFactor.points; i++) {
      const ip = `10.9.2.${i}`;
      expect(
        (
          await verifySignIn(
            db,
            { email: user.email, password: TEST_PASSWORD, ip, secondFactor: { kind: "totp", code: wrong } },
            { now: NOW, wait: async () => {} },
          )
        ).status,
      ).toBe("invalid_second_factor");
    }
    const blocked = await verifySignIn(
      db,
      { email: user.email, password: TEST_PASSWORD, ip: "10.9.3.1", secondFactor: { kind: "totp", code: right } },
      { now: NOW, wait: async () => {} },
    );
    expect(blocked.status).toBe("rate_limited");
  });

  it("does not spend a point for the step that asks for the second factor", async () => {
    const { user } = await userWithTotp();
    for (let i = 0; i < signInLimits.perEmailAndIp.points + 2; i++) {
      expect((await verifySignIn(db, { email: user.email, password: TEST_PASSWORD, ip: "10.9.4.1" })).status).toBe(
        "second_factor_required",
      );
    }
  });
});

describe("confirming it is you", () => {
  async function signedIn(user: SessionUser, authenticatedAt: Date) {
    return { ...user, sessionId: crypto.randomUUID(), authenticatedAt };
  }

  it("turning the app off is refused with an old sign-in, and allowed after confirmIdentity", async () => {
    const { user } = await userWithTotp({ now: new Date() });
    const old = await signedIn(user, new Date(Date.now() - (RECENT_AUTH_SECONDS + 60) * 1000));
    const caller = createCaller(createInnerContext({ db, user: old }));
    expect(await codeOf(caller.account.disableTotp())).toBe("FORBIDDEN");
    expect(await codeOf(caller.account.confirmIdentity({ method: "password", password: "wrong-password" }))).toBe("BAD_REQUEST");

    const { renew } = await caller.account.confirmIdentity({ method: "password", password: TEST_PASSWORD });
    const renewal = await verifyRenewal(renew, { userId: user.id, sessionId: old.sessionId });
    expect(renewal).not.toBeNull();
    expect(renewal!.sessionVersion).toBe(await sessionVersionOf(db, user.id));
    expect(Date.now() / 1000 - renewal!.authenticatedAt).toBeLessThan(5);

    const renewed = createCaller(createInnerContext({ db, user: { ...old, authenticatedAt: new Date(renewal!.authenticatedAt * 1000) } }));
    const versionBefore = await sessionVersionOf(db, user.id);
    const { renew: afterOff } = await renewed.account.disableTotp();
    expect(await sessionVersionOf(db, user.id)).toBe(versionBefore + 1);
    expect((await verifyRenewal(afterOff, { userId: user.id, sessionId: old.sessionId }))!.sessionVersion).toBe(versionBefore + 1);
    expect(await secondFactorsOf(db, user.id)).toEqual([]);
    expect((await securityStatus(db, user.id)).recoveryCodesLeft).toBe(0);
  });

  it("accepts an authenticator code once", async () => {
    const now = new Date();
    const { user, secret } = await userWithTotp({ now: new Date(now.getTime() - 5 * 60_000) });
    const caller = createCaller(createInnerContext({ db, user: await signedIn(user, new Date(0)) }));
    const code = totpCodeAt(secret, now);
    expect(await codeOf(caller.account.confirmIdentity({ method: "totp", code }))).toBe("OK");
    expect(await codeOf(caller.account.confirmIdentity({ method: "totp", code }))).toBe("BAD_REQUEST");
  });
});
