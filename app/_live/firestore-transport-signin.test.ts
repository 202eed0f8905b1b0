import { describe, expect, it, vi } from "vitest";
import type { LiveTransport } from "./transport";

/**
 * A draft event's topics are readable in Firestore by its organizer and admins only (firestore.rules:
 * its document lists them as `readers`), so an event topic can be refused to a browser that has not
 * signed in to Firebase. The emulator evaluates no rules: the Firebase SDK is replaced here by one
 * whose listener refuses until the browser signs in.
 */
const firebase = vi.hoisted(() => ({ signedInAs: undefined as string | undefined, listens: 0 }));

vi.mock("firebase/app", () => ({ getApps: () => [], initializeApp: () => ({}) }));
vi.mock("firebase/auth", () => ({
  connectAuthEmulator: () => {},
  getAuth: () => ({ currentUser: null }),
  signInWithCustomToken: async (_auth: unknown, token: string) => {
    firebase.signedInAs = token;
  },
}));
vi.mock("firebase/firestore", () => ({
  collection: () => ({}),
  connectFirestoreEmulator: () => {},
  doc: () => ({}),
  getDocs: async () => ({ docs: [] }),
  getFirestore: () => ({}),
  orderBy: () => ({}),
  query: () => ({}),
  where: () => ({}),
  onSnapshot: (_ref: unknown, _options: unknown, observer: { next: (s: unknown) => void; error: (e: unknown) => void }) => {
    firebase.listens++;
    queueMicrotask(() => {
      if (firebase.signedInAs === "organizer-token") observer.next({ metadata: { fromCache: false }, data: () => ({ seq: 1 }) });
      else observer.error({ code: "permission-denied" });
    });
    return () => {};
  },
}));

const { createFirestoreTransport } = await import("./firestore-transport");

const config = { projectId: "demo-driftwood", apiKey: "demo-key", authDomain: "localhost" };
const idle: LiveTransport = { follow: () => () => {}, status: () => "connecting", anyReconnecting: () => false };
const topic = `event:${crypto.randomUUID()}`;

async function settled(transport: LiveTransport) {
  for (let i = 0; i < 50 && transport.status(topic) === "connecting"; i++) await new Promise((resolve) => setTimeout(resolve, 5));
  return transport.status(topic);
}

describe("the Firestore transport on an event topic it may not read signed out", () => {
  it("signs in once and follows it: the draft's organizer", async () => {
    firebase.signedInAs = undefined;
    const mintToken = vi.fn(async () => ({ enabled: true as const, token: "organizer-token", uid: "organizer" }));
    const transport = createFirestoreTransport(config, { fallback: idle, mintToken });
    transport.follow(topic, () => {});
    expect(await settled(transport)).toBe("live");
    expect(mintToken).toHaveBeenCalledTimes(1);
  });

  it("is refused to a visitor who is not signed in, after one try", async () => {
    firebase.signedInAs = undefined;
    firebase.listens = 0;
    const unauthorized = Object.assign(new Error("UNAUTHORIZED"), { data: { code: "UNAUTHORIZED" } });
    const transport = createFirestoreTransport(config, { fallback: idle, mintToken: async () => Promise.reject(unauthorized) });
    transport.follow(topic, () => {});
    expect(await settled(transport)).toBe("refused");
    expect(firebase.listens).toBe(1);
  });
});
