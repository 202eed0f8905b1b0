import { describe, expect, it } from "vitest";
import type { DbOrTx } from "@/db/client";
import type { SessionUser } from "@/server/accounts/roles";
import { Internal } from "@/server/errors";
import { canSubscribe, registerTopicAccess } from "./topics";
import { LIVE_TOPIC_KINDS } from "./topics-name";

/** No rule here reads the database; one that did would fail the test. */
const noDatabase = {} as DbOrTx;
const someone: SessionUser = {
  id: crypto.randomUUID(),
  name: "Someone",
  email: "someone@example.test",
  role: "player",
  image: null,
  emailVerified: true,
};

/** Runs `work` as a process would that never loaded server/composition.ts (the vitest set-up loads it). */
async function withoutComposition<T>(work: () => Promise<T>): Promise<T> {
  const store = globalThis as Record<string, unknown>;
  const registered = store.driftwoodLiveTopicAccess;
  delete store.driftwoodLiveTopicAccess;
  try {
    return await work();
  } finally {
    store.driftwoodLiveTopicAccess = registered;
  }
}

describe("live topic access without the composition root", () => {
  it("never lets anyone follow a topic whose kind has no rule: an Internal error naming the kind", async () => {
    await withoutComposition(async () => {
      for (const kind of LIVE_TOPIC_KINDS) {
        const topic = `${kind}:${someone.id}`;
        await expect(canSubscribe(noDatabase, someone, topic)).rejects.toThrow(Internal);
        await expect(canSubscribe(noDatabase, null, topic)).rejects.toThrow(
          `live topic kind "${kind}": the composition root (server/composition.ts) was not loaded`,
        );
      }
    });
  });

  it("asks only the rule of the topic's kind: one registered kind is answered, the others still refused loudly", async () => {
    await withoutComposition(async () => {
      registerTopicAccess({ user: (_db, user, id) => user?.id === id });
      expect(await canSubscribe(noDatabase, someone, `user:${someone.id}`)).toBe(true);
      expect(await canSubscribe(noDatabase, null, `user:${someone.id}`)).toBe(false);
      await expect(canSubscribe(noDatabase, someone, `room:${someone.id}`)).rejects.toThrow(/live topic kind "room"/);
    });
  });

  it("refuses a malformed topic without asking any rule", async () => {
    await withoutComposition(async () => {
      expect(await canSubscribe(noDatabase, someone, "wallet:123")).toBe(false);
      expect(await canSubscribe(noDatabase, someone, `user:${someone.id}x`)).toBe(false);
    });
  });
});
