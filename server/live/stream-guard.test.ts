import { describe, expect, it } from "vitest";
import type { LiveEvent } from "./hub";
import { acquireStreamSlots, guardedDelivery } from "./stream-guard";

const room = "room:r";
const event = "event:e";
const ev = (topic: string, seq: number, positions: Record<string, number>): LiveEvent => ({
  topic,
  seq,
  payload: { seq },
  positions: new Map(Object.entries(positions)),
});

/** A mayFollow whose answers the test gives, one per call, in order. */
function answers() {
  const pending: Array<(allowed: boolean) => void> = [];
  return { pending, mayFollow: () => new Promise<boolean>((resolve) => pending.push(resolve)) };
}
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("guarded delivery", () => {
  it("holds a room's events in order while one check runs, and delivers them when it allows", async () => {
    const gate = answers();
    const delivered: LiveEvent[] = [];
    const deliver = guardedDelivery({
      positions: new Map([
        [room, 0],
        [event, 0],
      ]),
      mayFollow: gate.mayFollow,
      deliver: (e) => delivered.push(e),
      revoke: () => {},
      fail: () => {},
    });
    deliver(ev(room, 1, { [room]: 1, [event]: 0 }));
    deliver(ev(room, 2, { [room]: 2, [event]: 0 }));
    // A public topic's event goes straight out, naming the room's last position actually delivered.
    deliver(ev(event, 1, { [room]: 2, [event]: 1 }));
    expect(delivered.map((e) => [e.topic, e.seq, Object.fromEntries(e.positions)])).toEqual([[event, 1, { [room]: 0, [event]: 1 }]]);
    expect(gate.pending).toHaveLength(1);
    // The first check covers the event that was waiting when it began; the one that arrived during
    // it is checked again (access may have gone in between).
    gate.pending[0]!(true);
    await tick();
    expect(delivered.map((e) => [e.topic, e.seq])).toEqual([
      [event, 1],
      [room, 1],
    ]);
    expect(gate.pending).toHaveLength(2);
    gate.pending[1]!(true);
    await tick();
    expect(delivered.map((e) => [e.topic, e.seq])).toEqual([
      [event, 1],
      [room, 1],
      [room, 2],
    ]);
  });

  it("drops a room for good once refused, tells the stream, and never delivers it again", async () => {
    const gate = answers();
    const delivered: LiveEvent[] = [];
    const revoked: string[] = [];
    const deliver = guardedDelivery({
      positions: new Map([[room, 4]]),
      mayFollow: gate.mayFollow,
      deliver: (e) => delivered.push(e),
      revoke: (t) => revoked.push(t),
      fail: () => {},
    });
    deliver(ev(room, 5, { [room]: 5 }));
    gate.pending[0]!(false);
    await tick();
    deliver(ev(room, 6, { [room]: 6 }));
    await tick();
    expect(delivered).toEqual([]);
    expect(revoked).toEqual([room]);
    expect(gate.pending).toHaveLength(1);
  });

  it("ends the stream when a check fails, delivering nothing unchecked", async () => {
    const failures: unknown[] = [];
    const delivered: LiveEvent[] = [];
    const deliver = guardedDelivery({
      positions: new Map([[room, 0]]),
      mayFollow: () => Promise.reject(new Error("database down")),
      deliver: (e) => delivered.push(e),
      revoke: () => {},
      fail: (error) => failures.push(error),
    });
    deliver(ev(room, 1, { [room]: 1 }));
    await tick();
    expect(delivered).toEqual([]);
    expect(failures).toHaveLength(1);
  });
});

describe("stream slots", () => {
  it("takes a slot under every key or none, and gives them back once", () => {
    const keys = [
      { key: `ip:${crypto.randomUUID()}`, cap: 2 },
      { key: `user:${crypto.randomUUID()}`, cap: 1 },
    ];
    const first = acquireStreamSlots(keys);
    expect("release" in first).toBe(true);
    expect(acquireStreamSlots(keys)).toEqual({ full: keys[1]!.key });
    // The refused attempt took nothing: the address still has one slot.
    const other = acquireStreamSlots([keys[0]!]);
    expect("release" in other).toBe(true);
    expect(acquireStreamSlots([keys[0]!])).toEqual({ full: keys[0]!.key });
    if ("release" in first) {
      first.release();
      first.release();
    }
    expect("release" in acquireStreamSlots([keys[1]!])).toBe(true);
    expect("release" in acquireStreamSlots([keys[0]!])).toBe(true);
    expect(acquireStreamSlots([keys[0]!])).toEqual({ full: keys[0]!.key });
  });
});
