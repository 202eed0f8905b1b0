import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { decodePositions, encodePositions } from "@/server/live/positions";
import { createSseTransport, decodePositionsFromId, encodePositionsForUrl, type EventSourceLike } from "./sse-transport";
import type { LiveMessage } from "./transport";

class FakeEventSource implements EventSourceLike {
  static opened: FakeEventSource[] = [];
  readyState = 0;
  closed = false;
  private listeners = new Map<string, Set<(event: MessageEvent<string>) => void>>();

  constructor(readonly url: string) {
    FakeEventSource.opened.push(this);
  }
  addEventListener(type: string, listener: (event: MessageEvent<string>) => void) {
    if (!this.listeners.has(type)) this.listeners.set(type, new Set());
    this.listeners.get(type)!.add(listener);
  }
  close() {
    this.closed = true;
    this.readyState = 2;
  }
  emit(type: string, data: unknown, positions?: Record<string, number>) {
    const lastEventId = positions ? encodePositions(new Map(Object.entries(positions))) : "";
    for (const listener of this.listeners.get(type) ?? []) listener({ data: JSON.stringify(data), lastEventId } as MessageEvent<string>);
  }
  ready(topics: string[], positions: Record<string, number>, refused: string[] = []) {
    this.readyState = 1;
    this.emit("ready", { topics, refused }, positions);
  }
  /** `closed`: the browser gave up (an error response); else it is retrying by itself. */
  fail(closed: boolean) {
    this.readyState = closed ? 2 : 0;
    this.emit("error", {});
  }
  get topics() {
    return new URL(this.url, "http://localhost").searchParams.get("topics")!.split(",");
  }
  get after() {
    return decodePositions(new URL(this.url, "http://localhost").searchParams.get("after"));
  }
}

const topic = (kind: string) => `${kind}:${crypto.randomUUID()}`;
const fetchAnswering = (status: number, body: unknown = {}) => vi.fn(async () => Response.json(body, { status }));

let transport: ReturnType<typeof createSseTransport>;
let fetchMock: ReturnType<typeof fetchAnswering>;

function setUp(status = 502, body: unknown = {}, onEnded?: () => void) {
  fetchMock = fetchAnswering(status, body);
  transport = createSseTransport({ EventSource: FakeEventSource, fetch: fetchMock as unknown as typeof fetch, onEnded });
}

beforeEach(() => {
  vi.useFakeTimers();
  FakeEventSource.opened = [];
  setUp();
});
afterEach(() => {
  transport.close();
  vi.useRealTimers();
});

describe("the SSE transport", () => {
  it("follows every topic of the page on one connection, opened once for topics added together", async () => {
    const [a, b, c] = [topic("user"), topic("event"), topic("room")];
    const got: Record<string, LiveMessage[]> = { a1: [], a2: [], b: [] };
    transport.follow(a, (m) => got.a1!.push(m));
    transport.follow(a, (m) => got.a2!.push(m));
    transport.follow(b, (m) => got.b!.push(m));
    transport.follow(c, () => {});
    expect(FakeEventSource.opened).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(60);
    expect(FakeEventSource.opened).toHaveLength(1);
    const source = FakeEventSource.opened[0]!;
    expect(source.topics.sort()).toEqual([a, b, c].sort());
    expect(source.after).toBeUndefined();
    expect(transport.status(a)).toBe("connecting");

    source.ready([a, b, c], { [a]: 4, [b]: 0, [c]: 9 });
    expect([a, b, c].map((t) => transport.status(t))).toEqual(["live", "live", "live"]);
    source.emit("live", { topic: a, seq: 5, payload: { n: 5 } }, { [a]: 5, [b]: 0, [c]: 9 });
    expect(got.a1).toEqual([{ topic: a, seq: 5, payload: { n: 5 } }]);
    expect(got.a2).toEqual(got.a1);
    expect(got.b).toEqual([]);
  });

  it("reopens once when topics come and go, resuming the kept ones from the positions seen", async () => {
    const [a, b, c, d] = [topic("user"), topic("event"), topic("match"), topic("bracket")];
    const onA: number[] = [];
    transport.follow(a, (m) => onA.push(m.seq));
    transport.follow(b, () => {});
    const stopC = transport.follow(c, () => {});
    await vi.advanceTimersByTimeAsync(60);
    const first = FakeEventSource.opened[0]!;
    first.ready([a, b, c], { [a]: 4, [b]: 2, [c]: 0 });
    first.emit("live", { topic: a, seq: 5, payload: null }, { [a]: 5, [b]: 2, [c]: 0 });

    // A component following c unmounts and one following d mounts: one reopen for both changes.
    stopC();
    transport.follow(d, () => {});
    await vi.advanceTimersByTimeAsync(60);
    expect(FakeEventSource.opened).toHaveLength(2);
    expect(first.closed).toBe(true);
    const second = FakeEventSource.opened[1]!;
    expect(second.topics.sort()).toEqual([a, b, d].sort());
    // The new topic d has no position: the route starts it at its current seq.
    expect(second.after).toEqual(
      new Map([
        [a, 5],
        [b, 2],
      ]),
    );

    // Anything the closed connection still emits is ignored; the new one carries on from 5.
    first.emit("live", { topic: a, seq: 6, payload: null }, { [a]: 6, [b]: 2, [c]: 0 });
    second.ready([a, b, d], { [a]: 5, [b]: 2, [d]: 3 });
    second.emit("live", { topic: a, seq: 6, payload: null }, { [a]: 6, [b]: 2, [d]: 3 });
    expect(onA).toEqual([5, 6]);
  });

  it("keeps the others live when the server refuses one topic", async () => {
    const [mine, theirs] = [topic("event"), topic("user")];
    const onMine: number[] = [];
    transport.follow(mine, (m) => onMine.push(m.seq));
    transport.follow(theirs, () => {});
    await vi.advanceTimersByTimeAsync(60);
    const source = FakeEventSource.opened[0]!;
    source.ready([mine], { [mine]: 0 }, [theirs]);
    expect(transport.status(mine)).toBe("live");
    expect(transport.status(theirs)).toBe("refused");
    source.emit("live", { topic: mine, seq: 1, payload: null }, { [mine]: 1 });
    expect(onMine).toEqual([1]);
    expect(transport.anyReconnecting()).toBe(false);
  });

  it("stops for good when the server refuses every topic (403)", async () => {
    transport.close();
    const refused = topic("user");
    setUp(403, { error: "You cannot follow that topic.", refused: [refused] });
    transport.follow(refused, () => {});
    await vi.advanceTimersByTimeAsync(60);
    FakeEventSource.opened[0]!.fail(true);
    await vi.advanceTimersByTimeAsync(0);
    expect(fetchMock).toHaveBeenCalledTimes(1);
    expect(transport.status(refused)).toBe("refused");
    expect(transport.anyReconnecting()).toBe(false);
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(FakeEventSource.opened).toHaveLength(1);
  });

  it("shows reconnecting while the browser retries by itself, and live again on its next ready", async () => {
    const a = topic("event");
    transport.follow(a, () => {});
    await vi.advanceTimersByTimeAsync(60);
    const source = FakeEventSource.opened[0]!;
    source.ready([a], { [a]: 0 });
    source.fail(false);
    expect(transport.status(a)).toBe("reconnecting");
    expect(transport.anyReconnecting()).toBe(true);
    source.ready([a], { [a]: 0 });
    expect(transport.status(a)).toBe("live");
    expect(FakeEventSource.opened).toHaveLength(1);
  });

  it("reopens a connection that failed for good after a delay, from the last positions", async () => {
    const [a, b] = [topic("event"), topic("match")];
    transport.follow(a, () => {});
    transport.follow(b, () => {});
    await vi.advanceTimersByTimeAsync(60);
    const first = FakeEventSource.opened[0]!;
    first.ready([a, b], { [a]: 3, [b]: 1 });
    first.emit("live", { topic: a, seq: 4, payload: null }, { [a]: 4, [b]: 1 });
    first.fail(true);
    await vi.advanceTimersByTimeAsync(0);
    expect(transport.status(a)).toBe("reconnecting");
    await vi.advanceTimersByTimeAsync(4_000);
    expect(FakeEventSource.opened).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1_100);
    expect(FakeEventSource.opened).toHaveLength(2);
    const second = FakeEventSource.opened[1]!;
    expect(second.after).toEqual(
      new Map([
        [a, 4],
        [b, 1],
      ]),
    );
    second.ready([a, b], { [a]: 4, [b]: 1 });
    expect(transport.status(a)).toBe("live");
    expect(transport.anyReconnecting()).toBe(false);
  });

  it("closes the connection when the last topic is unfollowed, and splits more than 20 topics", async () => {
    const stops = Array.from({ length: 25 }, () => transport.follow(topic("match"), () => {}));
    await vi.advanceTimersByTimeAsync(60);
    expect(FakeEventSource.opened.map((s) => s.topics.length).sort()).toEqual([20, 5]);
    for (const stop of stops) stop();
    await vi.advanceTimersByTimeAsync(60);
    expect(FakeEventSource.opened.every((s) => s.closed)).toBe(true);
  });

  it("reads the route's event ids and writes `after` the route can read", () => {
    const positions = new Map([
      [topic("event"), 12],
      [topic("user"), 0],
    ]);
    expect(decodePositionsFromId(encodePositions(positions))).toEqual(positions);
    expect(decodePositions(encodePositionsForUrl(positions))).toEqual(positions);
    expect(decodePositionsFromId("%%%")).toBeUndefined();
  });
});

describe("the SSE transport when the session ends", () => {
  it("shuts every connection on an `ended` frame, tells the page once, reconnects nothing until resumed", async () => {
    transport.close();
    const onEnded = vi.fn<() => void>();
    setUp(502, {}, onEnded);
    const user = `user:${crypto.randomUUID()}`;
    const event = `event:${crypto.randomUUID()}`;
    transport.follow(user, () => {});
    transport.follow(event, () => {});
    await vi.advanceTimersByTimeAsync(60);
    const [source] = FakeEventSource.opened;
    source!.readyState = 1;
    source!.emit("ready", { topics: [user, event], refused: [] });
    expect(transport.status(user)).toBe("live");

    source!.emit("ended", { reason: "session_ended" });
    source!.emit("ended", { reason: "session_ended" });
    expect(source!.closed).toBe(true);
    expect(onEnded).toHaveBeenCalledTimes(1);
    expect(transport.status(event)).toBe("refused");
    // The server closing the stream after the frame, new topics, time passing: nothing reopens.
    source!.emit("error", {});
    transport.follow(`match:${crypto.randomUUID()}`, () => {});
    await vi.advanceTimersByTimeAsync(120_000);
    expect(FakeEventSource.opened).toHaveLength(1);

    // The session carried on after all (it was renewed): every topic reopens on a fresh connection.
    transport.resume();
    expect(FakeEventSource.opened).toHaveLength(2);
    const reopened = new URL(FakeEventSource.opened[1]!.url, "http://localhost").searchParams.get("topics")!.split(",");
    expect(reopened).toHaveLength(3);
    expect(reopened).toEqual(expect.arrayContaining([user, event, expect.stringMatching(/^match:/)]));
  });
});
