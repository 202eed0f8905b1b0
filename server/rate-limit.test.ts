import { describe, expect, it } from "vitest";
import { createTestDatabase } from "@/db/testing/database";
import { consumeLimit, refundLimit, waitPhrase } from "./rate-limit";

const { db } = await createTestDatabase();

describe("rate limits", () => {
  it("let exactly `points` of many simultaneous attempts through", async () => {
    const rule = { name: "test:burst", points: 7, durationSeconds: 60 };
    const outcomes = await Promise.all(Array.from({ length: 40 }, () => consumeLimit(db, rule, "same-key")));
    expect(outcomes.filter((o) => o.allowed)).toHaveLength(7);
    const refused = outcomes.find((o) => !o.allowed);
    expect(refused && !refused.allowed && refused.retryAfterSeconds).toBeGreaterThan(0);
    expect((await consumeLimit(db, rule, "other-key")).allowed).toBe(true);
  });

  it("give a point back on refund", async () => {
    const rule = { name: "test:refund", points: 1, durationSeconds: 60 };
    expect((await consumeLimit(db, rule, "k")).allowed).toBe(true);
    expect((await consumeLimit(db, rule, "k")).allowed).toBe(false);
    await refundLimit(db, rule, "k");
    await refundLimit(db, rule, "k");
    expect((await consumeLimit(db, rule, "k")).allowed).toBe(true);
  });

  it("say how long to wait in the unit a person would use", () => {
    expect(waitPhrase(1)).toBe("in 1 second");
    expect(waitPhrase(42)).toBe("in 42 seconds");
    expect(waitPhrase(600)).toBe("in 10 minutes");
    expect(waitPhrase(3600)).toBe("in 60 minutes");
    expect(waitPhrase(7200)).toBe("in 2 hours");
  });
});
