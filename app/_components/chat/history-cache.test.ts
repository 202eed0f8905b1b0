import { describe, expect, it } from "vitest";
import { oldestFirst, withDeleted, withMessage, type HistoryData } from "./history-cache";
import type { ChatMessage } from "./types";

const alice = { id: "a", name: "Alice", image: null };
let clock = Date.UTC(2026, 0, 1, 12);

function message(id: string, overrides: Partial<ChatMessage> = {}): ChatMessage {
  clock += 1000;
  return {
    id,
    roomId: "r",
    clientId: `c-${id}`,
    sender: alice,
    body: `body ${id}`,
    deleted: false,
    createdAt: new Date(clock),
    ...overrides,
  };
}

function history(...pages: ChatMessage[][]): HistoryData {
  // Pages and items newest first, as the server returns them.
  return { pages: pages.map((items) => ({ items: [...items].reverse(), nextCursor: null })), pageParams: pages.map(() => null) };
}

describe("the cached history of a room", () => {
  it("adds a live message to the newest page and shows everything oldest first", () => {
    const [m1, m2, m3] = [message("1"), message("2"), message("3")];
    const data = history([m2], [m1]);
    const next = withMessage(data, m3)!;
    expect(oldestFirst(next).map((m) => m.id)).toEqual(["1", "2", "3"]);
  });

  it("keeps one copy when the same message arrives twice (live event and send response)", () => {
    const m1 = message("1");
    const data = withMessage(history([m1]), m1);
    expect(oldestFirst(data).map((m) => m.id)).toEqual(["1"]);
    const retried = withMessage(history([m1]), { ...m1, id: "other-id" });
    expect(oldestFirst(retried)).toHaveLength(1);
  });

  it("orders a late send response among newer live messages by time", () => {
    const [m1, m2] = [message("1"), message("2")];
    const next = withMessage(history([m2]), m1);
    expect(oldestFirst(next).map((m) => m.id)).toEqual(["1", "2"]);
  });

  it("blanks a deleted message in place, and a late copy does not bring its body back", () => {
    const [m1, m2] = [message("1"), message("2")];
    const deleted = withDeleted(history([m1, m2]), "1");
    expect(oldestFirst(deleted)[0]).toMatchObject({ id: "1", body: null, deleted: true });
    expect(oldestFirst(withMessage(deleted, m1))[0]).toMatchObject({ body: null, deleted: true });
  });

  it("leaves the cache untouched when there is nothing to change or nothing loaded", () => {
    const data = history([message("1")]);
    expect(withDeleted(data, "missing")).toBe(data);
    expect(withMessage(undefined, message("2"))).toBeUndefined();
  });
});
