import type { LiveEvent } from "./hub";

/**
 * Live connections one process holds open per signed-in user and per client address. A page needs
 * one per 20 topics, so a user with a dozen tabs stays under; the address cap is higher because a
 * venue's spectators may share one address.
 */
export const MAX_STREAMS_PER_USER = 16;
export const MAX_STREAMS_PER_ADDRESS = 256;

const open = new Map<string, number>();

/**
 * Takes a connection slot for each key (`user:<id>`, `ip:<address>`) under its cap, all or none.
 * Returns the release function, or the key whose cap is reached.
 */
export function acquireStreamSlots(keys: ReadonlyArray<{ key: string; cap: number }>): { release: () => void } | { full: string } {
  for (const { key, cap } of keys) if ((open.get(key) ?? 0) >= cap) return { full: key };
  for (const { key } of keys) open.set(key, (open.get(key) ?? 0) + 1);
  let released = false;
  return {
    release: () => {
      if (released) return;
      released = true;
      for (const { key } of keys) {
        const left = (open.get(key) ?? 1) - 1;
        if (left > 0) open.set(key, left);
        else open.delete(key);
      }
    },
  };
}

/**
 * Topics whose readers can change while a stream is open: a chat room's (a player withdraws or is
 * removed, a correction moves them out of a match, a block, a role change). Event, bracket and
 * match topics are public once published; a user's topic is its owner's for good.
 */
export function isRevocableTopic(topic: string): boolean {
  return topic.startsWith("room:");
}

/**
 * Delivers a stream's events, asking again before each event of a revocable topic whether the
 * stream's user may still follow it, so an open stream stops delivering a room the moment its user
 * loses access. Events of a topic wait, in order, while its check runs (one check covers all that
 * were waiting when it began; those that arrive during it get a check of their own); a topic
 * refused once is dropped for good and `revoke` is told. Frames of other topics sent meanwhile
 * carry the waiting topic's last delivered position, so a reconnect replays what was held back. A check that fails (the database is down) ends the stream: the browser
 * reconnects and resumes.
 */
export function guardedDelivery(options: {
  positions: ReadonlyMap<string, number>;
  mayFollow: (topic: string) => Promise<boolean>;
  deliver: (event: LiveEvent) => void;
  revoke: (topic: string) => void;
  fail: (error: unknown) => void;
}): (event: LiveEvent) => void {
  const delivered = new Map(options.positions);
  const waiting = new Map<string, LiveEvent[]>();
  const revoked = new Set<string>();

  const send = (event: LiveEvent) => {
    delivered.set(event.topic, event.seq);
    if (waiting.size === 0 && !revoked.size) return options.deliver(event);
    // Held-back or revoked topics keep the position this client really has.
    const positions = new Map(event.positions);
    for (const topic of [...waiting.keys(), ...revoked]) if (positions.has(topic)) positions.set(topic, delivered.get(topic)!);
    options.deliver({ ...event, positions });
  };

  async function check(topic: string, queue: LiveEvent[]) {
    try {
      while (queue.length > 0) {
        const batch = queue.splice(0);
        if (!(await options.mayFollow(topic))) {
          waiting.delete(topic);
          revoked.add(topic);
          options.revoke(topic);
          return;
        }
        for (const event of batch) send(event);
      }
      waiting.delete(topic);
    } catch (error) {
      waiting.delete(topic);
      options.fail(error);
    }
  }

  return (event) => {
    if (revoked.has(event.topic)) return;
    if (!isRevocableTopic(event.topic)) return send(event);
    const queue = waiting.get(event.topic);
    if (queue) return void queue.push(event);
    const fresh = [event];
    waiting.set(event.topic, fresh);
    void check(event.topic, fresh);
  };
}
