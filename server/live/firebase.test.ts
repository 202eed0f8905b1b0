import { createPublicKey, verify } from "node:crypto";
import { afterAll, describe, expect, it, vi } from "vitest";
import { createTestDatabase } from "@/db/testing/database";
import { createUser } from "@/server/testing/factories";
import { createCaller } from "@/server/root";
import { createInnerContext } from "@/server/trpc";
import { createFirebaseApp, firebaseServerConfig, getFirebaseApp, mintCustomToken } from "./firebase";

// A service account of our own: a fresh RSA key, configured the way an operator would (the PEM on
// one line with "\n" escapes), before the environment is read.
const account = await vi.hoisted(async () => {
  const { generateKeyPairSync } = await import("node:crypto");
  const { privateKey, publicKey } = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  });
  const clientEmail = "live-publisher@demo-driftwood.iam.gserviceaccount.com";
  process.env.FIREBASE_PROJECT_ID = "demo-driftwood";
  process.env.FIREBASE_CLIENT_EMAIL = clientEmail;
  process.env.FIREBASE_PRIVATE_KEY = privateKey.replaceAll("\n", "\\n");
  delete process.env.FIRESTORE_EMULATOR_HOST;
  delete process.env.FIREBASE_AUTH_EMULATOR_HOST;
  return { privateKey, publicKey, clientEmail };
});

const database = await createTestDatabase();

afterAll(async () => {
  const { deleteApp, getApps } = await import("firebase-admin/app");
  await Promise.all(getApps().map((app) => deleteApp(app)));
});

/** Checks the RS256 signature against the service account's public key and returns the claims. */
function verifiedClaims(token: string): Record<string, unknown> {
  const [header, payload, signature] = token.split(".");
  expect(JSON.parse(Buffer.from(header!, "base64url").toString())).toMatchObject({ alg: "RS256", typ: "JWT" });
  const valid = verify(
    "RSA-SHA256",
    Buffer.from(`${header}.${payload}`),
    createPublicKey(account.publicKey),
    Buffer.from(signature!, "base64url"),
  );
  expect(valid).toBe(true);
  return JSON.parse(Buffer.from(payload!, "base64url").toString()) as Record<string, unknown>;
}

describe("Firebase custom tokens", () => {
  it("are signed with the service account's key for the user's id, with their role as a claim", async () => {
    const app = await createFirebaseApp(
      {
        projectId: "demo-driftwood",
        serviceAccount: { clientEmail: account.clientEmail, privateKey: account.privateKey },
        emulator: false,
      },
      "token-test",
    );
    const uid = crypto.randomUUID();
    const before = Math.floor(Date.now() / 1000);
    const claims = verifiedClaims(await mintCustomToken(app, { id: uid, role: "organizer" }));
    expect(claims).toMatchObject({
      uid,
      claims: { role: "organizer" },
      iss: account.clientEmail,
      sub: account.clientEmail,
      aud: "https://identitytoolkit.googleapis.com/google.identity.identitytoolkit.v1.IdentityToolkit",
    });
    expect(claims.iat).toBeGreaterThanOrEqual(before - 1);
    expect((claims.exp as number) - (claims.iat as number)).toBe(3600);
  });

  it("are minted by live.firebaseToken for the signed-in user, from the configured environment", async () => {
    expect(firebaseServerConfig()).toMatchObject({
      projectId: "demo-driftwood",
      serviceAccount: { clientEmail: account.clientEmail, privateKey: account.privateKey },
    });
    expect(getFirebaseApp()).not.toBeNull();
    const user = await createUser(database.db, { role: "player" });
    const caller = createCaller(createInnerContext({ db: database.db, user }));
    const result = await caller.live.firebaseToken();
    expect(result).toMatchObject({ enabled: true, uid: user.id });
    const claims = verifiedClaims((result as { token: string }).token);
    expect(claims).toMatchObject({ uid: user.id, claims: { role: "player" } });
  });
});

describe("firebaseServerConfig", () => {
  it("is off without a project or without any credentials, and on with either kind or an emulator", () => {
    expect(firebaseServerConfig({})).toBeNull();
    expect(firebaseServerConfig({ FIREBASE_PROJECT_ID: "p" })).toBeNull();
    expect(firebaseServerConfig({ FIREBASE_PROJECT_ID: "p", GOOGLE_APPLICATION_CREDENTIALS: "/k.json" })).toEqual({
      projectId: "p",
      emulator: false,
    });
    expect(firebaseServerConfig({ FIREBASE_PROJECT_ID: "p", FIRESTORE_EMULATOR_HOST: "127.0.0.1:1" })).toEqual({
      projectId: "p",
      emulator: true,
    });
    expect(firebaseServerConfig({ FIREBASE_PROJECT_ID: "p", FIREBASE_CLIENT_EMAIL: "a@b", FIREBASE_PRIVATE_KEY: "x\\ny" })).toEqual({
      projectId: "p",
      serviceAccount: { clientEmail: "a@b", privateKey: "x\ny" },
      emulator: false,
    });
  });
});
