import { afterAll, describe, expect, it, vi } from "vitest";
import { createTestDatabase } from "@/db/testing/database";
import { announce } from "@/server/live/announce";
import { getLiveFirestore } from "@/server/live/firebase";
import { publishTopicToFirestore } from "@/server/live/firestore-publisher";
import { createFirestoreTransport } from "./firestore-transport";
import type { LiveMessage, LiveTransport } from "./transport";

const emulator = await vi.hoisted(async () => (await import("../../server/live/testing/firestore-emulator")).startFirestoreEmulator());

const database = await createTestDatabase();
const fallback: LiveTransport = { follow: () => () => {}, status: () => "connecting", anyReconnecting: () => false };

afterAll(async () => {
  const admin = await import("firebase-admin/app");
  await (await getLiveFirestore())?.terminate();
  await Promise.all(admin.getApps().map((app) => admin.deleteApp(app)));
  const web = await import("firebase/app");
  await Promise.all(web.getApps().map((app) => web.deleteApp(app)));
  emulator.stop();
});

async function waitFor(check: () => boolean, ms = 10_000) {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("the Firestore transport (web SDK in Node, over gRPC)", () => {
  it("follows a public topic's snapshot: live once listening, then each newer seq as an event", async () => {
    const firestore = (await getLiveFirestore())!;
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const topic = `bracket:${crypto.randomUUID()}`;
    await database.db.transaction((tx) => announce(tx, topic, { round: 1 }));
    await publishTopicToFirestore(database.db, firestore, topic);

    // The web SDK in Node serves one listener per Firestore instance: one app per transport here.
    const transport = createFirestoreTransport(
      { projectId: "demo-driftwood", apiKey: "demo-key", authDomain: "localhost", firestoreEmulatorHost: `127.0.0.1:${emulator.port}` },
      { fallback, mintToken: async () => ({ enabled: false }), appName: `test-${crypto.randomUUID()}`, catchUpTimeoutMs: 300 },
    );
    const received: LiveMessage[] = [];
    const stop = transport.follow(topic, (message) => received.push(message));
    await waitFor(() => transport.status(topic) === "live");
    // The first snapshot is where the page starts, not an event.
    expect(received).toEqual([]);

    await database.db.transaction((tx) => announce(tx, topic, { round: 2 }));
    await publishTopicToFirestore(database.db, firestore, topic);
    await waitFor(() => received.length === 1);
    expect(received).toEqual([{ topic, seq: 2, payload: { round: 2 } }]);

    // Three announcements, one publish: the seq jumps from 2 to 5. A browser reads 3 and 4 from
    // live/<topic>/events; the web SDK in Node cannot run that query next to the listener against this
    // emulator, so here the read times out and the latest event still arrives, once, in order.
    for (let round = 3; round <= 5; round++) await database.db.transaction((tx) => announce(tx, topic, { round }));
    await publishTopicToFirestore(database.db, firestore, topic);
    await waitFor(() => received.at(-1)?.seq === 5);
    const seqs = received.map((m) => m.seq);
    expect(seqs).toEqual([...new Set(seqs)].sort((a, b) => a - b));
    for (const message of received) expect(message.payload).toEqual({ round: message.seq });
    stop();
    warn.mockRestore();
    expect(transport.status(topic)).toBe("connecting");
  });

  it("follows a private topic over the fallback transport when the server mints no Firebase token", async () => {
    const followed: string[] = [];
    const sse: LiveTransport = {
      follow: (topic) => {
        followed.push(topic);
        return () => {};
      },
      status: () => "live",
      anyReconnecting: () => false,
    };
    const transport = createFirestoreTransport(
      { projectId: "demo-driftwood", apiKey: "demo-key", authDomain: "localhost", firestoreEmulatorHost: `127.0.0.1:${emulator.port}` },
      { fallback: sse, mintToken: async () => ({ enabled: false }), appName: `test-${crypto.randomUUID()}` },
    );
    const topic = `user:${crypto.randomUUID()}`;
    transport.follow(topic, () => {});
    await waitFor(() => followed.length === 1);
    expect(followed).toEqual([topic]);
    expect(transport.status(topic)).toBe("live");
  });
});
