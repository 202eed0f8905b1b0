// Following a topic asks its kind's access rule: registered here too, not only by the start-up.
import "@/server/composition";
import { getDb } from "@/server/database";
import { sessionClaimsFromRequest } from "@/server/accounts/session-token";
import { userOfSession } from "@/server/accounts/sessions";
import { clientIp } from "@/server/http";
import { getHub, type Hub, type LiveEvent } from "@/server/live/hub";
import { decodePositions, encodePositions } from "@/server/live/positions";
import { acquireStreamSlots, guardedDelivery, MAX_STREAMS_PER_ADDRESS, MAX_STREAMS_PER_USER } from "@/server/live/stream-guard";
import { canSubscribe } from "@/server/live/topics";
import { isLiveTopic } from "@/server/live/topics-name";
import { isSessionsEnded, userTopic } from "@/server/live/session-ended";
import { logger } from "@/server/logger";
import { metrics } from "@/server/metrics";

export const dynamic = "force-dynamic";

const MAX_TOPICS = 20;
const HEARTBEAT_MS = 15_000;

const encoder = new TextEncoder();
/** A `live` frame's bytes by event: the hub hands one event object to all who follow its topic alone. */
const liveFrames = new WeakMap<LiveEvent, Uint8Array>();

function liveFrame(event: LiveEvent): Uint8Array {
  let bytes = liveFrames.get(event);
  if (!bytes) {
    const data = JSON.stringify({ topic: event.topic, seq: event.seq, payload: event.payload });
    bytes = encoder.encode(`id: ${encodePositions(event.positions)}\nevent: live\ndata: ${data}\n\n`);
    liveFrames.set(event, bytes);
  }
  return bytes;
}

function problem(status: number, message: string, extra: Record<string, unknown> = {}) {
  return Response.json({ error: message, ...extra }, { status, headers: { "cache-control": "no-store" } });
}

/**
 * Server-Sent Events for `?topics=a,b`. Each event's id encodes the position in every topic, so the
 * browser's Last-Event-ID (or `?after=` for clients that cannot send it) resumes all of them and the
 * client receives what it missed, from the database (at most MAX_REPLAY_EVENTS per topic: further
 * behind, the topic gets one `{ kind: "resync" }` event and the page reloads it). Positions may name
 * a subset of the topics (a page that added a topic reopens with the positions of the ones it kept):
 * the others start at their current seq. The first frame, `ready`, says `{ topics, refused }`: the
 * topics followed and those this user may not follow. A chat room the user loses access to while
 * the stream is open stops at once, with a `revoked` frame `{ topics }`. 429 past the open
 * connections allowed per user and per address.
 */
export async function GET(request: Request) {
  const url = new URL(request.url);
  const topics = [
    ...new Set(
      (url.searchParams.get("topics") ?? "")
        .split(",")
        .map((t) => t.trim())
        .filter(Boolean),
    ),
  ];
  if (topics.length === 0) return problem(400, "Name at least one topic.");
  if (topics.length > MAX_TOPICS) return problem(400, `At most ${MAX_TOPICS} topics per connection.`);
  if (!topics.every(isLiveTopic)) return problem(400, "That is not a live topic.");

  const db = await getDb();
  const claims = await sessionClaimsFromRequest(request);
  const user = await userOfSession(db, claims);
  // A page follows all its topics on one connection: a topic this user may not follow is left out
  // and named in the `ready` event, so the others still stream. Only when none is left: 403.
  const allowed: string[] = [];
  const refused: string[] = [];
  for (const topic of topics) ((await canSubscribe(db, user, topic)) ? allowed : refused).push(topic);
  if (allowed.length === 0) {
    return problem(403, "You cannot follow that topic.", { refused });
  }

  // Positions for topics this stream follows; anything else in the id is ignored.
  const resume = decodePositions(request.headers.get("last-event-id")) ?? decodePositions(url.searchParams.get("after"));
  const afterSeq = new Map([...(resume ?? new Map<string, number>())].filter(([topic]) => allowed.includes(topic)));

  const slots = acquireStreamSlots([
    { key: `ip:${clientIp(request.headers)}`, cap: MAX_STREAMS_PER_ADDRESS },
    ...(user ? [{ key: `user:${user.id}`, cap: MAX_STREAMS_PER_USER }] : []),
  ]);
  if ("full" in slots) {
    const who = slots.full.startsWith("user:") ? "this account" : "your network";
    return problem(429, `Too many live connections from ${who}. Close some Driftwood tabs and reload this page.`);
  }

  let hub: Hub;
  try {
    hub = await getHub();
  } catch (error) {
    slots.release();
    throw error;
  }
  let cleanup = () => {};

  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      let open = true;
      metrics.liveConnections.inc();
      const write = (bytes: Uint8Array) => {
        if (!open) return;
        try {
          controller.enqueue(bytes);
        } catch {
          close();
        }
      };
      const send = (text: string) => write(encoder.encode(text));
      const frame = (event: string, id: string, data: unknown) => send(`id: ${id}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
      let unsubscribe = () => {};
      const heartbeat = setInterval(() => send(": ping\n\n"), HEARTBEAT_MS);
      const close = () => {
        if (!open) return;
        open = false;
        metrics.liveConnections.dec();
        slots.release();
        clearInterval(heartbeat);
        unsubscribe();
        request.signal.removeEventListener("abort", close);
        try {
          controller.close();
        } catch {
          // Already closed by the client going away.
        }
      };
      cleanup = close;
      request.signal.addEventListener("abort", close);

      send("retry: 2000\n\n");
      try {
        let deliver: (event: LiveEvent) => void = () => {};
        unsubscribe = await hub.subscribe(
          allowed,
          afterSeq,
          (event: LiveEvent) => deliver(event),
          (positions, reset) => {
            const id = encodePositions(positions);
            frame("ready", id, { topics: allowed, refused });
            for (const topic of reset) frame("live", id, { topic, seq: positions.get(topic), payload: { kind: "resync" } });
            deliver = guardedDelivery({
              positions,
              mayFollow: async (topic) => canSubscribe(db, user && (await userOfSession(db, claims)), topic),
              deliver: (event) => write(liveFrame(event)),
              // No id: the browser's Last-Event-ID must stay the last event's.
              revoke: (topic) => send(`event: revoked\ndata: ${JSON.stringify({ topics: [topic] })}\n\n`),
              fail: (error) => {
                logger.warn({ err: error }, "live access check failed");
                close();
              },
            });
          },
        );
        if (user) {
          // The user's own topic says when their sessions end (sign out everywhere, a password
          // change, a suspension): the stream checks its session again and closes if it has ended.
          const stopWatching = await hub.subscribe([userTopic(user.id)], new Map(), (event) => {
            if (!isSessionsEnded(event.payload)) return;
            userOfSession(db, claims).then(
              (still) => {
                if (still) return;
                send(`event: ended\ndata: ${JSON.stringify({ reason: "session_ended" })}\n\n`);
                close();
              },
              () => close(),
            );
          });
          const unsubscribeTopics = unsubscribe;
          unsubscribe = () => {
            unsubscribeTopics();
            stopWatching();
          };
        }
      } catch (error) {
        logger.error({ err: error }, "live subscribe failed");
        close();
        return;
      }
      if (!open || request.signal.aborted) {
        unsubscribe();
        close();
      }
    },
    cancel() {
      cleanup();
    },
  });

  return new Response(stream, {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, no-transform",
      connection: "keep-alive",
      "x-accel-buffering": "no",
    },
  });
}
