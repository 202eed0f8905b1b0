import type { InfiniteData } from "@tanstack/react-query";
import type { ChatMessage, HistoryPage, RoomLiveEvent } from "./types";

/**
 * Pure updates of a room's cached history (pages newest first, each page's items newest first)
 * for messages that arrive live or from a send, and for deletions.
 */
export type HistoryData = InfiniteData<HistoryPage, string | null | undefined>;

const newestFirst = (a: ChatMessage, b: ChatMessage) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1);

/** The message from a live payload, with its date revived. */
export function messageFromLive(message: Extract<RoomLiveEvent, { kind: "message" }>["message"]): ChatMessage {
  return { ...message, createdAt: new Date(message.createdAt) };
}

/**
 * Adds a message to the newest page, or replaces the copy already there (same id; or the same
 * sender's same client id, a retried send). Returns the same object when nothing changes.
 */
export function withMessage(data: HistoryData | undefined, message: ChatMessage): HistoryData | undefined {
  if (!data || data.pages.length === 0) return data;
  const same = (item: ChatMessage) =>
    item.id === message.id || (item.clientId === message.clientId && item.sender.id === message.sender.id);
  for (const [index, page] of data.pages.entries()) {
    const at = page.items.findIndex(same);
    if (at === -1) continue;
    const existing = page.items[at]!;
    // A deletion that arrived first wins over a late copy of the message.
    if (existing.deleted || (existing.body === message.body && existing.deleted === message.deleted)) return data;
    const items = page.items.with(at, {
      ...message,
      deleted: existing.deleted || message.deleted,
      body: existing.deleted ? null : message.body,
    });
    return { ...data, pages: data.pages.with(index, { ...page, items }) };
  }
  const [first, ...rest] = data.pages;
  return { ...data, pages: [{ ...first!, items: [message, ...first!.items].sort(newestFirst) }, ...rest] };
}

/** Blanks a deleted message wherever it is loaded; it keeps its place as "Message deleted". */
export function withDeleted(data: HistoryData | undefined, messageId: string): HistoryData | undefined {
  if (!data) return data;
  let changed = false;
  const pages = data.pages.map((page) => {
    if (!page.items.some((item) => item.id === messageId && !item.deleted)) return page;
    changed = true;
    return { ...page, items: page.items.map((item) => (item.id === messageId ? { ...item, body: null, deleted: true } : item)) };
  });
  return changed ? { ...data, pages } : data;
}

/** Every loaded message, oldest first, for display. */
export function oldestFirst(data: HistoryData | undefined): ChatMessage[] {
  if (!data) return [];
  const all: ChatMessage[] = [];
  for (let p = data.pages.length - 1; p >= 0; p--) {
    const items = data.pages[p]!.items;
    for (let i = items.length - 1; i >= 0; i--) all.push(items[i]!);
  }
  // A page boundary may repeat a message that moved between fetches; show it once.
  const seen = new Set<string>();
  return all.filter((message) => {
    if (seen.has(message.id)) return false;
    seen.add(message.id);
    return true;
  });
}
