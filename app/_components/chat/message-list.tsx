"use client";

import { ArrowDown } from "lucide-react";
import { useEffect, useLayoutEffect, useRef, useState } from "react";
import { Avatar } from "@/app/_components/avatar";
import { Alert, Button } from "@/app/_components/ui";
import { MessageBody } from "./message-body";
import { MessageMenu } from "./message-menu";
import { dayLabel, fullTime, isSameDay, timeOfDay } from "./time";
import type { ChatMessage, OutgoingMessage, RoomDetail } from "./types";

/** Consecutive messages of one sender within this time share one name and avatar. */
const GROUP_WINDOW_MS = 5 * 60_000;
/** Within this many pixels of the end counts as "at the bottom". */
const BOTTOM_SLACK_PX = 48;

interface Viewer {
  id: string;
  name: string;
  image: string | null;
}

function scrollToEnd(element: HTMLElement | null) {
  if (element) element.scrollTop = element.scrollHeight;
}

/** A row to draw: a stored message, or one being sent. */
type Row = { message: ChatMessage; sending: false } | { message: ChatMessage; sending: true };

function outgoingRow(outgoing: OutgoingMessage, roomId: string, viewer: Viewer): Row {
  return {
    sending: true,
    message: {
      id: `sending:${outgoing.clientId}`,
      roomId,
      clientId: outgoing.clientId,
      sender: viewer,
      body: outgoing.body,
      deleted: false,
      createdAt: outgoing.createdAt,
    },
  };
}

/** "Seen" (direct room) or "Seen by N" (match room) for the viewer's last message, if anyone read it. */
function receiptFor(
  messages: readonly ChatMessage[],
  room: RoomDetail,
  viewerId: string,
): { messageId: string; text: string; title: string } | null {
  if (room.kind === "event") return null;
  let mine = -1;
  for (let i = messages.length - 1; i >= 0; i--) {
    if (messages[i]!.sender.id === viewerId && !messages[i]!.deleted) {
      mine = i;
      break;
    }
  }
  if (mine === -1) return null;
  const position = new Map(messages.map((message, index) => [message.id, index]));
  const readers = room.members.filter(
    (member) => member.userId !== viewerId && member.lastReadMessageId !== null && (position.get(member.lastReadMessageId) ?? -1) >= mine,
  );
  if (readers.length === 0) return null;
  const names = readers.map((reader) => reader.name).join(", ");
  return {
    messageId: messages[mine]!.id,
    text: room.kind === "direct" ? "Seen" : `Seen by ${readers.length}`,
    title: `Seen by ${names}`,
  };
}

export function MessageList({
  room,
  viewer,
  messages,
  outgoing,
  loading,
  error,
  hasEarlier,
  loadingEarlier,
  onLoadEarlier,
  onRetry,
  onAtBottomChange,
  onReport,
  onDelete,
  highlightId,
}: {
  room: RoomDetail;
  viewer: Viewer;
  /** Oldest first. */
  messages: readonly ChatMessage[];
  outgoing: readonly OutgoingMessage[];
  loading: boolean;
  error: string | null;
  hasEarlier: boolean;
  loadingEarlier: boolean;
  onLoadEarlier: () => void;
  onRetry: () => void;
  onAtBottomChange: (atBottom: boolean) => void;
  onReport: (message: ChatMessage) => void;
  onDelete: (message: ChatMessage) => void;
  /** A message to scroll to and flash (picked from search results). */
  highlightId: string | null;
}) {
  const scroller = useRef<HTMLDivElement>(null);
  const content = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  const [showNewPill, setShowNewPill] = useState(false);
  const earlierAnchor = useRef<{ height: number; top: number } | null>(null);

  const confirmed = new Set(messages.map((message) => message.clientId));
  const rows: Row[] = [
    ...messages.map((message): Row => ({ message, sending: false })),
    ...outgoing.filter((item) => !confirmed.has(item.clientId)).map((item) => outgoingRow(item, room.id, viewer)),
  ];
  const newest = rows.at(-1);
  const newestKey = newest ? newest.message.clientId : null;
  const oldestKey = rows[0]?.message.id ?? null;
  const receipt = receiptFor(messages, room, viewer.id);
  const now = new Date();

  function onScroll() {
    const element = scroller.current;
    if (!element) return;
    const bottom = element.scrollHeight - element.scrollTop - element.clientHeight <= BOTTOM_SLACK_PX;
    if (bottom !== atBottom.current) {
      atBottom.current = bottom;
      onAtBottomChange(bottom);
    }
    if (bottom) setShowNewPill(false);
  }

  // Whatever changes the height (a message, a receipt, a loaded page) keeps a reader who was at
  // the bottom there; older pages keep what the reader was looking at in place.
  useLayoutEffect(() => {
    const element = content.current;
    if (!element) return;
    const observer = new ResizeObserver(() => {
      if (atBottom.current) scrollToEnd(scroller.current);
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when an earlier page is prepended (the oldest message changes), to put back the scroll position loadEarlier saved
  useLayoutEffect(() => {
    const anchor = earlierAnchor.current;
    const element = scroller.current;
    if (!anchor || !element) return;
    earlierAnchor.current = null;
    element.scrollTop = anchor.top + (element.scrollHeight - anchor.height);
  }, [oldestKey]);

  // A new message at the end: follow it if the reader is at the bottom or sent it; otherwise offer the pill.
  const lastNewest = useRef<string | null>(null);
  useLayoutEffect(() => {
    if (newestKey === null || newestKey === lastNewest.current) return;
    const first = lastNewest.current === null;
    lastNewest.current = newestKey;
    if (first || atBottom.current || newest?.message.sender.id === viewer.id) {
      atBottom.current = true;
      scrollToEnd(scroller.current);
    } else {
      setShowNewPill(true);
    }
  }, [newestKey, newest, viewer.id]);

  useEffect(() => {
    if (!highlightId) return;
    const element = scroller.current?.querySelector<HTMLElement>(`[data-message-id="${CSS.escape(highlightId)}"]`);
    element?.scrollIntoView({ block: "center" });
  }, [highlightId]);

  function loadEarlier() {
    const element = scroller.current;
    if (element) earlierAnchor.current = { height: element.scrollHeight, top: element.scrollTop };
    onLoadEarlier();
  }

  return (
    <div className="relative min-h-0 flex-1">
      <div
        ref={scroller}
        onScroll={onScroll}
        role="log"
        aria-live="polite"
        aria-label="Messages"
        aria-busy={loading || loadingEarlier}
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scroll container keyboard users must be able to focus to scroll the history (WCAG 2.1.1)
        tabIndex={0}
        className="h-full overflow-y-auto overscroll-contain focus-visible:outline-offset-[-2px]"
      >
        <div ref={content} className="flex min-h-full flex-col justify-end pb-3">
          {hasEarlier ? (
            <div className="flex justify-center py-3">
              <Button type="button" variant="secondary" className="px-3 py-1.5 text-xs" onClick={loadEarlier} disabled={loadingEarlier}>
                {loadingEarlier ? "Loading…" : "Load earlier messages"}
              </Button>
            </div>
          ) : !loading && messages.length > 0 ? (
            <p className="px-4 py-3 text-center text-xs text-zinc-600 dark:text-zinc-400">This is the beginning of the conversation.</p>
          ) : null}
          {error ? (
            <div className="px-4 py-3">
              <Alert>
                {error}{" "}
                <button type="button" onClick={onRetry} className="font-semibold underline">
                  Try again
                </button>
              </Alert>
            </div>
          ) : null}
          {loading ? <MessageSkeleton /> : null}
          {!loading && !error && rows.length === 0 ? (
            <p className="m-auto px-6 py-10 text-center text-sm text-zinc-600 dark:text-zinc-400">
              No messages yet. {room.canSend ? "Say hello!" : null}
            </p>
          ) : null}
          {rows.map((row, index) => {
            const previous = rows[index - 1]?.message;
            const { message } = row;
            const newDay = !previous || !isSameDay(previous.createdAt, message.createdAt);
            const grouped =
              !newDay &&
              previous!.sender.id === message.sender.id &&
              message.createdAt.getTime() - previous!.createdAt.getTime() < GROUP_WINDOW_MS;
            return (
              <div key={row.sending ? message.id : message.clientId + message.id}>
                {newDay ? <DaySeparator label={dayLabel(message.createdAt, now)} /> : null}
                <MessageRow
                  message={message}
                  sending={row.sending}
                  grouped={grouped}
                  mine={message.sender.id === viewer.id}
                  canModerate={room.canModerate}
                  highlighted={message.id === highlightId}
                  onReport={() => onReport(message)}
                  onDelete={() => onDelete(message)}
                />
                {receipt?.messageId === message.id ? (
                  <p className="pt-0.5 pr-4 pl-16 text-xs font-medium text-zinc-600 dark:text-zinc-400" title={receipt.title}>
                    {receipt.text}
                  </p>
                ) : null}
              </div>
            );
          })}
        </div>
      </div>
      {showNewPill ? (
        <button
          type="button"
          onClick={() => {
            atBottom.current = true;
            setShowNewPill(false);
            scrollToEnd(scroller.current);
          }}
          className="absolute bottom-3 left-1/2 inline-flex -translate-x-1/2 items-center gap-1.5 rounded-full bg-brand-500 px-4 py-1.5 text-sm font-semibold text-zinc-950 shadow-lg hover:bg-brand-400"
        >
          New messages <ArrowDown aria-hidden className="size-4" />
        </button>
      ) : null}
    </div>
  );
}

function DaySeparator({ label }: { label: string }) {
  return (
    <div className="my-3 flex items-center gap-3 px-4">
      <hr aria-label={label} className="h-px flex-1 border-0 bg-zinc-200 dark:bg-zinc-800" />
      <span aria-hidden className="text-xs font-semibold text-zinc-600 dark:text-zinc-400">
        {label}
      </span>
      <span aria-hidden className="h-px flex-1 bg-zinc-200 dark:bg-zinc-800" />
    </div>
  );
}

function MessageRow({
  message,
  sending,
  grouped,
  mine,
  canModerate,
  highlighted,
  onReport,
  onDelete,
}: {
  message: ChatMessage;
  sending: boolean;
  grouped: boolean;
  mine: boolean;
  canModerate: boolean;
  highlighted: boolean;
  onReport: () => void;
  onDelete: () => void;
}) {
  const time = timeOfDay(message.createdAt);
  const stamp = (
    <time dateTime={message.createdAt.toISOString()} title={fullTime(message.createdAt)}>
      {time}
    </time>
  );
  return (
    <div
      data-message-id={message.id}
      className={`group relative flex gap-3 px-4 py-0.5 pr-12 hover:bg-zinc-100/80 dark:hover:bg-zinc-800/40 ${grouped ? "" : "mt-2.5"} ${
        highlighted ? "bg-brand-50 ring-2 ring-brand-300 ring-inset dark:bg-brand-800/30 dark:ring-brand-700" : ""
      }`}
    >
      <div className="w-9 shrink-0">
        {grouped ? (
          <span className="invisible absolute left-0.5 w-13 pt-0.5 text-right text-[0.65rem] leading-5 whitespace-nowrap text-zinc-600 group-hover:visible group-focus-within:visible dark:text-zinc-400">
            {stamp}
          </span>
        ) : (
          <Avatar name={message.sender.name} image={message.sender.image} size={36} />
        )}
      </div>
      <div className={`min-w-0 flex-1 ${sending ? "opacity-70" : ""}`}>
        {grouped ? (
          <span className="sr-only">{message.sender.name}: </span>
        ) : (
          <p className="flex flex-wrap items-baseline gap-x-2">
            <span className="font-semibold">{message.sender.name}</span>
            <span className="text-xs text-zinc-600 dark:text-zinc-400">{stamp}</span>
          </p>
        )}
        {message.deleted || message.body === null ? (
          <p className="text-sm italic text-zinc-600 dark:text-zinc-400">Message deleted</p>
        ) : (
          <MessageBody body={message.body} className="text-sm leading-relaxed" />
        )}
        {sending ? <p className="text-xs text-zinc-600 dark:text-zinc-400">Sending…</p> : null}
      </div>
      {!sending && !message.deleted ? (
        <MessageMenu
          label={`message from ${message.sender.name} at ${time}`}
          canReport={!mine}
          canDelete={mine || canModerate}
          onReport={onReport}
          onDelete={onDelete}
        />
      ) : null}
    </div>
  );
}

function MessageSkeleton() {
  return (
    <div aria-hidden className="space-y-4 px-4 py-3">
      {[56, 72, 40, 64].map((width) => (
        <div key={width} className="flex animate-pulse gap-3">
          <span className="size-9 shrink-0 rounded-full bg-zinc-200 dark:bg-zinc-800" />
          <div className="flex-1 space-y-2 pt-1">
            <span className="block h-3 w-24 rounded bg-zinc-200 dark:bg-zinc-800" />
            <span className="block h-3 rounded bg-zinc-200 dark:bg-zinc-800" style={{ width: `${width}%` }} />
          </div>
        </div>
      ))}
    </div>
  );
}
