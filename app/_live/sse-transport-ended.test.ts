import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createSseTransport, type EventSourceLike } from "./sse-transport";

/** The part of the browser's EventSource the transport uses, driven by the test. */
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
  emit(type: string, data: unknown) {
    for (const listener of this.listeners.get(type) ?? [])
      listener({ data: JSON.stringify(data), lastEventId: "" } as MessageEvent<string>);
  }
}

let onEnded: ReturnType<typeof vi.fn<() => void>>;
let transport: ReturnType<typeof createSseTransport>;
beforeEach(() => {
  vi.useFakeTimers();
  FakeEventSource.opened = [];
  onEnded = vi.fn<() => void>();
  const fetch = vi.fn(async () => Response.json({}, { status: 502 }));
  transport = createSseTransport({ EventSource: FakeEventSource, fetch: fetch as unknown as typeof fetch, onEnded });
});
afterEach(() => {
  transport.close();
  vi.useRealTimers();
});

describe("the SSE transport when the session ends", () => {
  it("shuts every connection on an `ended` frame, tells the page once, reconnects nothing until resumed", async () => {
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
