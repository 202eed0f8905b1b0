import { isLiveTopic } from "@/server/live/topics-name";
import { notifyStatus, type LiveListener, type LiveMessage, type LiveStatus, type LiveTransport } from "./transport";

/** The subset of the browser's EventSource this transport uses (a fake one in tests). */
export interface EventSourceLike {
  readonly readyState: number;
  addEventListener(type: string, listener: (event: MessageEvent<string>) => void): void;
  close(): void;
}

export interface SseTransportOptions {
  EventSource: new (url: string) => EventSourceLike;
  /** Used once a connection failed for good, to learn whether the server refused its topics (403). */
  fetch: typeof fetch;
  url?: string;
  /** Topic changes within this window (components mounting together) reopen the connection once. */
  debounceMs?: number;
  retryMs?: number;
  maxRetryMs?: number;
  /**
   * The server closed a stream because this session ended (an `ended` frame): every connection is
   * shut and none reopens until `resume()`, so the page does not carry on as that user.
   */
  onEnded?: () => void;
}

/** The route's limit per connection; a page following more topics opens another connection per 20. */
export const MAX_TOPICS_PER_CONNECTION = 20;
const CLOSED = 2;

interface Stream {
  /** Topics this connection asks for. */
  topics: Set<string>;
  /** Topics the server follows for us, and those it refused, from the last `ready` event. */
  accepted: Set<string>;
  refused: Set<string>;
  source: EventSourceLike | null;
  status: "connecting" | "live" | "reconnecting" | "refused";
  retry: ReturnType<typeof setTimeout> | undefined;
  failures: number;
}

/**
 * Positions travel as base64url JSON `{ topic: seq }`, the format of the route's event ids, so an
 * id received can be read here and positions sent back as `?after=`.
 */
export function encodePositionsForUrl(positions: ReadonlyMap<string, number>): string {
  return btoa(JSON.stringify(Object.fromEntries(positions)))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replace(/=+$/, "");
}

export function decodePositionsFromId(id: string): Map<string, number> | undefined {
  try {
    const base64 = id.replaceAll("-", "+").replaceAll("_", "/");
    const parsed: unknown = JSON.parse(atob(base64.padEnd(Math.ceil(base64.length / 4) * 4, "=")));
    if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) return undefined;
    const positions = new Map<string, number>();
    for (const [topic, seq] of Object.entries(parsed)) {
      if (typeof seq === "number" && Number.isSafeInteger(seq) && seq >= 0) positions.set(topic, seq);
    }
    return positions;
  } catch {
    return undefined;
  }
}

/**
 * Server-Sent Events from `/api/live` with every topic followed on the page on ONE connection:
 * browsers allow six HTTP/1.1 connections per origin across all tabs, so one per topic runs out.
 * When the set of topics changes, the connection is reopened (once per burst of changes) with the
 * positions already seen for the topics it keeps, so they miss nothing and repeat nothing; new
 * topics start at their current seq. Drops are retried by the browser itself with Last-Event-ID;
 * a connection that failed for good is reopened later from the last positions.
 */
export function createSseTransport(options: SseTransportOptions): LiveTransport & { close(): void; resume(): void } {
  const url = options.url ?? "/api/live";
  const debounceMs = options.debounceMs ?? 50;
  const retryMs = options.retryMs ?? 5_000;
  const maxRetryMs = options.maxRetryMs ?? 60_000;

  const followers = new Map<string, Set<LiveListener>>();
  /** The last seq delivered (or the starting point) per topic, across reopens. */
  const positions = new Map<string, number>();
  let streams: Stream[] = [];
  let reconcileTimer: ReturnType<typeof setTimeout> | undefined;
  /** Set by an `ended` frame: nothing reconnects until resume(). */
  let ended = false;

  function scheduleReconcile() {
    if (reconcileTimer !== undefined) return;
    reconcileTimer = setTimeout(() => {
      reconcileTimer = undefined;
      reconcile();
    }, debounceMs);
  }

  /** Bring the connections in line with the topics followed now, reopening only those that change. */
  function reconcile() {
    if (ended) return;
    const wanted = new Set([...followers.keys()].filter(isLiveTopic));
    const assigned = new Set<string>();
    const desired = new Map<Stream, Set<string>>();
    for (const stream of streams) {
      const keep = new Set([...stream.topics].filter((topic) => wanted.has(topic)));
      desired.set(stream, keep);
      for (const topic of keep) assigned.add(topic);
    }
    const added = [...wanted].filter((topic) => !assigned.has(topic)).sort();
    for (const stream of streams) {
      const keep = desired.get(stream)!;
      if (keep.size === 0) continue;
      while (keep.size < MAX_TOPICS_PER_CONNECTION && added.length > 0) keep.add(added.shift()!);
    }
    const created: Stream[] = [];
    while (added.length > 0) {
      const stream: Stream = {
        topics: new Set(),
        accepted: new Set(),
        refused: new Set(),
        source: null,
        status: "connecting",
        retry: undefined,
        failures: 0,
      };
      desired.set(stream, new Set(added.splice(0, MAX_TOPICS_PER_CONNECTION)));
      created.push(stream);
    }

    const next: Stream[] = [];
    for (const stream of [...streams, ...created]) {
      const keep = desired.get(stream)!;
      if (keep.size === 0) {
        shut(stream);
        continue;
      }
      next.push(stream);
      const changed = keep.size !== stream.topics.size || [...keep].some((topic) => !stream.topics.has(topic));
      if (changed) {
        stream.topics = keep;
        stream.refused = new Set([...stream.refused].filter((topic) => keep.has(topic)));
        stream.failures = 0;
        open(stream);
      }
    }
    streams = next;
    for (const topic of positions.keys()) if (!wanted.has(topic)) positions.delete(topic);
    notifyStatus();
  }

  function shut(stream: Stream) {
    stream.source?.close();
    stream.source = null;
    if (stream.retry !== undefined) clearTimeout(stream.retry);
    stream.retry = undefined;
  }

  function setStreamStatus(stream: Stream, status: Stream["status"]) {
    if (stream.status === status) return;
    stream.status = status;
    notifyStatus();
  }

  function remember(stream: Stream, id: string) {
    const seen = id ? decodePositionsFromId(id) : undefined;
    if (!seen) return;
    for (const [topic, seq] of seen) if (stream.topics.has(topic)) positions.set(topic, seq);
  }

  function open(stream: Stream) {
    shut(stream);
    stream.accepted = new Set();
    if (stream.status !== "reconnecting") stream.status = "connecting";
    const params = new URLSearchParams({ topics: [...stream.topics].join(",") });
    const after = new Map([...positions].filter(([topic]) => stream.topics.has(topic)));
    if (after.size > 0) params.set("after", encodePositionsForUrl(after));
    const href = `${url}?${params}`;
    const source = new options.EventSource(href);
    stream.source = source;

    source.addEventListener("ready", (event) => {
      if (stream.source !== source) return;
      try {
        const data = JSON.parse(event.data) as { topics?: string[]; refused?: string[] };
        stream.accepted = new Set(data.topics ?? []);
        stream.refused = new Set(data.refused ?? []);
      } catch {
        stream.accepted = new Set(stream.topics);
      }
      remember(stream, event.lastEventId);
      stream.failures = 0;
      stream.status = "live";
      notifyStatus();
    });
    source.addEventListener("live", (event) => {
      if (stream.source !== source) return;
      remember(stream, event.lastEventId);
      let message: LiveMessage;
      try {
        message = JSON.parse(event.data) as LiveMessage;
      } catch {
        return;
      }
      for (const listener of [...(followers.get(message.topic) ?? [])]) {
        try {
          listener(message);
        } catch (error) {
          console.error(error);
        }
      }
    });
    // The server stopped a topic this visitor lost access to (left the event, removed from a match).
    source.addEventListener("revoked", (event) => {
      if (stream.source !== source) return;
      try {
        const { topics = [] } = JSON.parse(event.data) as { topics?: string[] };
        for (const topic of topics) {
          stream.accepted.delete(topic);
          stream.refused.add(topic);
        }
      } catch {
        return;
      }
      notifyStatus();
    });
    // This session ended (signed out everywhere, suspended): stop every connection, let the page decide.
    source.addEventListener("ended", () => {
      if (stream.source !== source || ended) return;
      ended = true;
      for (const each of streams) {
        shut(each);
        each.status = "refused";
        each.refused = new Set(each.topics);
      }
      notifyStatus();
      options.onEnded?.();
    });
    source.addEventListener("error", () => {
      if (stream.source !== source) return;
      setStreamStatus(stream, "reconnecting");
      // The browser retries by itself (sending Last-Event-ID) unless the connection failed for good,
      // e.g. an error response; then find out why, and open a new one later from the last positions.
      if (source.readyState === CLOSED) {
        stream.source = null;
        void recover(stream, href);
      }
    });
  }

  /** After a failed open: stop for good if the server refused every topic (403), else retry with backoff. */
  async function recover(stream: Stream, href: string) {
    const probe = new AbortController();
    let refused: string[] | undefined;
    try {
      const response = await options.fetch(href, { signal: probe.signal, cache: "no-store", headers: { accept: "application/json" } });
      if (response.status === 403) refused = ((await response.json()) as { refused?: string[] }).refused ?? [...stream.topics];
    } catch {
      // Offline or the server is down: retry below.
    } finally {
      probe.abort();
    }
    if (!streams.includes(stream) || stream.source) return;
    if (refused) {
      stream.refused = new Set(refused);
      if ([...stream.topics].every((topic) => stream.refused.has(topic))) {
        setStreamStatus(stream, "refused");
        return;
      }
    }
    const delay = Math.min(retryMs * 2 ** stream.failures, maxRetryMs);
    stream.failures += 1;
    stream.retry = setTimeout(() => {
      stream.retry = undefined;
      if (streams.includes(stream) && !ended) open(stream);
    }, delay);
  }

  return {
    follow(topic, listener) {
      let listeners = followers.get(topic);
      if (!listeners) {
        followers.set(topic, (listeners = new Set()));
        scheduleReconcile();
        notifyStatus();
      }
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0 && followers.get(topic) === listeners) {
          followers.delete(topic);
          scheduleReconcile();
        }
      };
    },
    status(topic): LiveStatus {
      if (!isLiveTopic(topic)) return "refused";
      const stream = streams.find((s) => s.topics.has(topic));
      if (!stream) return "connecting";
      if (stream.refused.has(topic)) return "refused";
      if (stream.status === "reconnecting") return "reconnecting";
      if (stream.status === "live" && stream.accepted.has(topic)) return "live";
      return "connecting";
    },
    anyReconnecting() {
      return streams.some((stream) => stream.status === "reconnecting");
    },
    /** After an `ended` frame, when the session turned out to carry on (it was renewed): reopen every connection. */
    resume() {
      if (!ended) return;
      ended = false;
      const topics = streams;
      streams = [];
      for (const stream of topics) shut(stream);
      reconcile();
    },
    close() {
      if (reconcileTimer !== undefined) clearTimeout(reconcileTimer);
      reconcileTimer = undefined;
      for (const stream of streams) shut(stream);
      streams = [];
      followers.clear();
      positions.clear();
      notifyStatus();
    },
  };
}
