import postgres from "postgres";
import { getDatabase } from "@/server/database";
import { logger } from "@/server/logger";
import { metrics } from "@/server/metrics";
import { LIVE_CHANNEL } from "./topics-name";

/**
 * An event as a subscriber receives it. Every subscriber that follows the event's topic alone gets the
 * same object (their positions are equal), so a consumer may encode it once for all: do not change it.
 */
export interface LiveEvent {
  topic: string;
  seq: number;
  payload: unknown;
  /** The subscriber's position in every topic it follows, this event included (for SSE ids). */
  positions: ReadonlyMap<string, number>;
}

export interface Hub {
  /**
   * Follow `topics`. For a topic in `afterSeq`, first replays the stored events after that seq (a
   * reconnecting client's Last-Event-ID), then streams new ones; other topics start at their current
   * seq. Every event reaches `onEvent` once, in seq order per topic, with no gap. `onReady` is called
   * with the starting positions before any event, and the topics whose replay was not done (`reset`):
   * more than MAX_REPLAY_EVENTS behind, or a position past the topic's current seq; those start at
   * their current seq, and the client must load their state afresh. Resolves to the unsubscribe
   * function.
   */
  subscribe(
    topics: readonly string[],
    afterSeq: ReadonlyMap<string, number>,
    onEvent: (event: LiveEvent) => void,
    onReady?: (positions: ReadonlyMap<string, number>, reset: readonly string[]) => void,
  ): Promise<() => void>;
  close(): Promise<void>;
}

interface Subscriber {
  topics: readonly string[];
  /** Last seq delivered per topic; set once the starting positions are known. */
  last: Map<string, number> | undefined;
  onEvent: (event: LiveEvent) => void;
  closed: boolean;
}

interface TopicState {
  subscribers: Set<Subscriber>;
  draining: boolean;
  dirty: boolean;
}

const BATCH = 500;
/**
 * The most events a reconnecting client is replayed per topic. Further behind (a laptop woken after
 * a day, or a forged position of 0), the page reloads the topic's state instead: one query, not a
 * day of events streamed to it.
 */
export const MAX_REPLAY_EVENTS = 1_000;

/**
 * One app instance's fan-out: one LISTEN connection to `database.url` and the clients of this process.
 * Several hubs (instances) on one database each receive every notification.
 */
export function createHub(database: { url: string }): Hub {
  const log = logger.child({ component: "live" });
  const sql = postgres(database.url, {
    max: 2,
    onnotice: () => {},
    connection: { application_name: "driftwood-live" },
  });
  const topics = new Map<string, TopicState>();
  let closed = false;

  const listening = sql
    .listen(
      LIVE_CHANNEL,
      (message) => {
        try {
          const { topic } = JSON.parse(message) as { topic: string; seq: number };
          if (topics.has(topic)) void drain(topic);
        } catch (error) {
          log.warn({ err: error }, "bad live notification");
        }
      },
      // Also after the LISTEN connection comes back: notifications sent while it was down are lost,
      // so catch every followed topic up from the table.
      () => {
        for (const topic of topics.keys()) void drain(topic);
      },
    )
    .catch((error: unknown) => {
      log.error({ err: error }, "live LISTEN failed");
      throw error;
    });
  // Awaited by subscribe and close; this keeps a failed LISTEN from being an unhandled rejection.
  listening.catch(() => {});

  /** Deliver every stored event of `topic` that some subscriber has not had yet. One drain per topic at a time. */
  async function drain(topic: string): Promise<void> {
    const state = topics.get(topic);
    if (!state) return;
    state.dirty = true;
    if (state.draining) return;
    state.draining = true;
    try {
      while (state.dirty && !closed) {
        state.dirty = false;
        for (;;) {
          let from = Infinity;
          for (const s of state.subscribers) if (s.last && !s.closed) from = Math.min(from, s.last.get(topic)!);
          if (from === Infinity) break;
          const rows = await sql<{ seq: string; payload: unknown; created_ms: number }[]>`
            select seq, payload, (extract(epoch from created_at) * 1000)::float8 as created_ms from live_events where topic = ${topic} and seq > ${from} order by seq limit ${BATCH}`;
          for (const row of rows) {
            const seq = Number(row.seq);
            // One event object for every subscriber of this topic alone; a copy of their positions for the others.
            let alone: LiveEvent | undefined;
            let delivered = false;
            for (const subscriber of state.subscribers) {
              if (!subscriber.last || subscriber.closed) continue;
              if (seq <= subscriber.last.get(topic)!) continue;
              subscriber.last.set(topic, seq);
              delivered = true;
              const event =
                subscriber.topics.length === 1
                  ? (alone ??= { topic, seq, payload: row.payload, positions: new Map([[topic, seq]]) })
                  : { topic, seq, payload: row.payload, positions: new Map(subscriber.last) };
              try {
                subscriber.onEvent(event);
              } catch (error) {
                log.warn({ err: error, topic }, "live subscriber failed");
              }
            }
            // Stored (database clock) to handed out here (this clock), once per event.
            if (delivered) metrics.liveDeliveryLag.observe(Math.max(0, Date.now() - row.created_ms) / 1000);
          }
          if (rows.length < BATCH) break;
        }
      }
    } catch (error) {
      // Positions are unchanged, so the next notification retries from the same place.
      if (!closed) log.warn({ err: error, topic }, "live drain failed");
    } finally {
      state.draining = false;
      if (state.subscribers.size === 0 && topics.get(topic) === state) topics.delete(topic);
    }
  }

  function remove(subscriber: Subscriber) {
    subscriber.closed = true;
    for (const topic of subscriber.topics) {
      const state = topics.get(topic);
      if (!state) continue;
      state.subscribers.delete(subscriber);
      if (state.subscribers.size === 0 && !state.draining) topics.delete(topic);
    }
  }

  return {
    async subscribe(wanted, afterSeq, onEvent, onReady) {
      if (closed) throw new Error("The live hub is closed.");
      const unique = [...new Set(wanted)];
      await listening;
      const subscriber: Subscriber = { topics: unique, last: undefined, onEvent, closed: false };
      // Registered before reading the current seqs: a notification from now on triggers a drain,
      // which skips this subscriber until its positions are set and is re-run just below.
      for (const topic of unique) {
        let state = topics.get(topic);
        if (!state) topics.set(topic, (state = { subscribers: new Set(), draining: false, dirty: false }));
        state.subscribers.add(subscriber);
      }
      try {
        const current = new Map<string, number>();
        const rows = await sql<{ topic: string; seq: string }[]>`
          select topic, seq from live_topics where topic in ${sql(unique)}`;
        for (const row of rows) current.set(row.topic, Number(row.seq));
        const last = new Map<string, number>();
        const reset: string[] = [];
        for (const topic of unique) {
          const now = current.get(topic) ?? 0;
          const after = afterSeq.get(topic);
          const replayable = after !== undefined && after <= now && now - after <= MAX_REPLAY_EVENTS;
          if (after !== undefined && !replayable) reset.push(topic);
          last.set(topic, replayable ? after : now);
        }
        subscriber.last = last;
        onReady?.(new Map(last), reset);
      } catch (error) {
        remove(subscriber);
        throw error;
      }
      for (const topic of unique) void drain(topic);
      return () => remove(subscriber);
    },
    async close() {
      if (closed) return;
      closed = true;
      topics.clear();
      try {
        const { unlisten } = await listening;
        await unlisten();
      } catch {
        // Never listened, or the connection is already gone.
      }
      await sql.end({ timeout: 5 });
    },
  };
}

const globalForLive = globalThis as unknown as { driftwoodLiveHub?: Promise<Hub> };

/** This process's hub on the app's database, created on first use. Cached on globalThis like the database. */
export function getHub(): Promise<Hub> {
  if (!globalForLive.driftwoodLiveHub) {
    globalForLive.driftwoodLiveHub = getDatabase()
      .then((database) => createHub(database))
      .catch((error: unknown) => {
        globalForLive.driftwoodLiveHub = undefined;
        throw error;
      });
  }
  return globalForLive.driftwoodLiveHub;
}
