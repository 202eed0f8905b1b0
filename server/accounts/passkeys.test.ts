import { describe, expect, it } from "vitest";
import { createTestDatabase } from "@/db/testing/database";
import { createCaller } from "@/server/root";
import { createUser } from "@/server/testing/factories";
import { codeOf } from "@/server/testing/trpc";
import { createInnerContext } from "@/server/trpc";
import {
  beginPasskeyAssertion,
  beginPasskeyRegistration,
  CHALLENGE_TTL_MS,
  consumeChallenge,
  finishPasskeyRegistration,
  verifyPasskeyAssertion,
} from "./passkeys";
import { relyingParty } from "./relying-party";

const { db } = await createTestDatabase();
const rp = relyingParty(new Headers({ host: "localhost:3112" }), { origins: "" });

describe("relying party", () => {
  it("comes from configuration, or from the host the browser addressed", () => {
    expect(rp).toEqual({ id: "localhost", name: "Driftwood", origins: ["http://localhost:3112"] });
    expect(
      relyingParty(new Headers({ host: "evil.example" }), {
        origins: "https://driftwood.gg/, https://www.driftwood.gg",
        rpId: "driftwood.gg",
      }),
    ).toEqual({
      id: "driftwood.gg",
      name: "Driftwood",
      origins: ["https://driftwood.gg", "https://www.driftwood.gg"],
    });
    // A forwarded host counts only behind proxies of our own.
    const forwarded = new Headers({ host: "10.0.0.5:3000", "x-forwarded-host": "driftwood.gg", "x-forwarded-proto": "https" });
    expect(relyingParty(forwarded, { origins: "", proxyHops: 0 }).origins).toEqual(["http://10.0.0.5:3000"]);
    expect(relyingParty(forwarded, { origins: "", proxyHops: 1 })).toMatchObject({ id: "driftwood.gg", origins: ["https://driftwood.gg"] });
  });
});

describe("passkey challenges", () => {
  it("are taken once, and only for their purpose and user", async () => {
    const user = await createUser(db);
    const { challengeId, options } = await beginPasskeyRegistration(db, user, rp);
    expect(options.rp.id).toBe("localhost");
    expect(options.authenticatorSelection).toMatchObject({ residentKey: "preferred", userVerification: "preferred" });
    expect(await consumeChallenge(db, { id: challengeId, purpose: "sign_in", userId: user.id })).toBeNull();
    const other = await createUser(db);
    expect(await consumeChallenge(db, { id: challengeId, purpose: "register", userId: other.id })).toBeNull();
    expect(await consumeChallenge(db, { id: challengeId, purpose: "register", userId: user.id })).toBe(options.challenge);
    expect(await consumeChallenge(db, { id: challengeId, purpose: "register", userId: user.id })).toBeNull();
  });

  it("expire after five minutes", async () => {
    const issued = new Date();
    const { challengeId } = await beginPasskeyAssertion(db, { userId: null, purpose: "sign_in", rp, now: issued });
    const later = new Date(issued.getTime() + CHALLENGE_TTL_MS + 1000);
    expect(await consumeChallenge(db, { id: challengeId, purpose: "sign_in", userId: null, now: later })).toBeNull();
  });

  it("a sign-in challenge names no credentials; answering one twice fails the second time", async () => {
    const { challengeId, options } = await beginPasskeyAssertion(db, { userId: null, purpose: "sign_in", rp });
    expect(options.allowCredentials ?? []).toEqual([]);
    const response = {
      id: "nope",
      rawId: "nope",
      type: "public-key" as const,
      response: { clientDataJSON: "", authenticatorData: "", signature: "" },
      clientExtensionResults: {},
    };
    expect(
      await verifyPasskeyAssertion(db, rp, { challengeId, response, purpose: "sign_in", challengeUserId: null, userId: null }),
    ).toBeNull();
    expect(await consumeChallenge(db, { id: challengeId, purpose: "sign_in", userId: null })).toBeNull();
  });

  it("a registration answer with an expired or used challenge is refused", async () => {
    const user = await createUser(db);
    const { challengeId } = await beginPasskeyRegistration(db, user, rp);
    await consumeChallenge(db, { id: challengeId, purpose: "register", userId: user.id });
    const response = {
      id: "x",
      rawId: "x",
      type: "public-key" as const,
      response: { clientDataJSON: "", attestationObject: "" },
      clientExtensionResults: {},
    };
    await expect(finishPasskeyRegistration(db, user.id, rp, { challengeId, response, name: "Laptop" })).rejects.toThrow(/expired/);
  });

  it("adding one asks for a recent proof of identity; confirming with one needs a passkey", async () => {
    const user = await createUser(db);
    const stale = createCaller(createInnerContext({ db, user: { ...user, authenticatedAt: new Date(0) } }));
    expect(await codeOf(stale.account.beginPasskeyRegistration())).toBe("FORBIDDEN");
    expect(await codeOf(stale.account.removePasskey({ id: "anything" }))).toBe("FORBIDDEN");
    expect(await codeOf(stale.account.beginPasskeyConfirmation())).toBe("NOT_FOUND");
  });
});
