import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createTestDatabase } from "@/db/testing/database";
import { announce } from "./announce";
import { pruneLiveEvents } from "./prune";

const { db } = await createTestDatabase();

describe("pruneLiveEvents", () => {
  it("deletes announcements older than the window and keeps newer ones and every topic's sequence", async () => {
    const topic = `event:${crypto.randomUUID()}`;
    for (let i = 0; i < 5; i += 1) await db.transaction((tx) => announce(tx, topic, { i }));
    // The first three are from ten days ago.
    await db.execute(sql`update live_events set created_at = now() - interval '10 days' where topic = ${topic} and seq <= 3`);

    expect(await pruneLiveEvents(db)).toBe(3);

    const left = await db.execute<{ seq: number }>(sql`select seq::int from live_events where topic = ${topic} order by seq`);
    expect(left.map((row) => row.seq)).toEqual([4, 5]);
    const [current] = await db.execute<{ seq: number }>(sql`select seq::int from live_topics where topic = ${topic}`);
    expect(current!.seq).toBe(5);
    // The next announcement continues the sequence.
    expect(await db.transaction((tx) => announce(tx, topic, { i: 5 }))).toBe(6);
    expect(await pruneLiveEvents(db)).toBe(0);
  });
});
