"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { BellOff, SquarePen } from "lucide-react";
import Link from "next/link";
import { useState, type MouseEvent } from "react";
import { chatErrorMessage } from "@/app/_components/chat/chat-errors";
import { RoomAvatar } from "@/app/_components/chat/room-avatar";
import { listStamp, fullTime } from "@/app/_components/chat/time";
import { roomKindLabel, roomKindTag, unreadLabel, type RoomSummary } from "@/app/_components/chat/types";
import { Alert, Button } from "@/app/_components/ui";
import { useLive } from "@/app/_live/use-live";
import { useTRPC } from "@/app/_trpc/react";
import { NewMessageDialog } from "./new-message";

/** Presence is not pushed: the list is fetched again this often (and on every chat event of the player's). */
const ROOMS_REFRESH_MS = 30_000;

function preview(room: RoomSummary, viewerId: string): string {
  const last = room.lastMessage;
  if (!last) return room.kind === "event" ? "No messages in the lobby yet" : "No messages yet";
  const body = last.body.replace(/\s+/g, " ");
  if (last.senderId === viewerId) return `You: ${body}`;
  return room.kind === "direct" ? body : `${last.senderName}: ${body}`;
}

export function RoomList({
  viewerId,
  selectedId,
  onSelect,
}: {
  viewerId: string;
  selectedId: string | null;
  onSelect: (roomId: string) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [composing, setComposing] = useState(false);
  const rooms = useQuery({ ...trpc.chat.rooms.queryOptions(), refetchInterval: ROOMS_REFRESH_MS });
  // New direct and match messages, and the player's own reads in other tabs, arrive on their topic.
  const { status } = useLive(`user:${viewerId}`, {
    onEvent: ({ payload }) => {
      if ((payload as { kind?: string } | null)?.kind === "chat")
        void queryClient.invalidateQueries({ queryKey: trpc.chat.rooms.queryKey() });
    },
  });

  function open(event: MouseEvent<HTMLAnchorElement>, roomId: string) {
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    onSelect(roomId);
  }

  const now = new Date();
  return (
    <>
      <div className="flex min-h-14 items-center justify-between gap-2 border-b border-zinc-200 px-4 py-2 dark:border-zinc-800">
        <h1 className="text-xl font-bold tracking-tight">Chat</h1>
        <Button type="button" variant="secondary" className="px-3 py-1.5" onClick={() => setComposing(true)}>
          <SquarePen aria-hidden className="size-4" /> New message
        </Button>
      </div>
      <nav aria-label="Conversations" data-live={status} className="min-h-0 flex-1 overflow-y-auto">
        {rooms.isPending ? (
          <RoomListSkeleton />
        ) : rooms.isError ? (
          <div className="p-4">
            <Alert>
              {chatErrorMessage(rooms.error)}{" "}
              <button type="button" className="font-semibold underline" onClick={() => void rooms.refetch()}>
                Try again
              </button>
            </Alert>
          </div>
        ) : rooms.data.length === 0 ? (
          <div className="px-6 py-12 text-center">
            <h2 className="font-semibold">No conversations yet…</h2>
            <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
              Start one with <span className="font-medium">New message</span>, or register for an event to talk in its lobby.
            </p>
          </div>
        ) : (
          <ul className="py-1">
            {rooms.data.map((room) => {
              const selected = room.id === selectedId;
              const unread = room.unread > 0;
              return (
                <li key={room.id}>
                  <Link
                    href={`/chat?room=${room.id}`}
                    onClick={(event) => open(event, room.id)}
                    aria-current={selected ? "page" : undefined}
                    className={`flex items-center gap-3 px-4 py-2.5 outline-offset-[-2px] ${
                      selected ? "bg-zinc-200/70 dark:bg-zinc-800" : "hover:bg-zinc-100 dark:hover:bg-zinc-800/60"
                    }`}
                  >
                    <RoomAvatar kind={room.kind} title={room.title} image={room.image} online={room.other?.online} />
                    <span className="min-w-0 flex-1">
                      <span className="flex items-baseline gap-2">
                        <span className={`truncate ${unread ? "font-bold" : "font-medium"}`}>{room.title}</span>
                        {room.kind !== "direct" ? (
                          <span className="shrink-0 rounded bg-zinc-100 px-1.5 py-px text-[0.65rem] font-semibold tracking-wide text-zinc-700 uppercase dark:bg-zinc-800 dark:text-zinc-300">
                            <span aria-hidden>{roomKindTag[room.kind]}</span>
                            <span className="sr-only">, {roomKindLabel[room.kind]}</span>
                          </span>
                        ) : null}
                        {room.other?.online ? <span className="sr-only">, online</span> : null}
                        <time
                          dateTime={room.lastActivityAt.toISOString()}
                          title={fullTime(room.lastActivityAt)}
                          className={`ml-auto shrink-0 text-xs ${unread ? "font-semibold text-brand-700 dark:text-brand-300" : "text-zinc-600 dark:text-zinc-400"}`}
                        >
                          {listStamp(room.lastActivityAt, now)}
                        </time>
                      </span>
                      {room.kind !== "direct" && room.event ? (
                        <span className="block truncate text-xs text-zinc-600 dark:text-zinc-400">{room.event.name}</span>
                      ) : null}
                      <span className="mt-0.5 flex items-center gap-2">
                        <span
                          className={`truncate text-sm ${unread ? "font-medium text-zinc-900 dark:text-zinc-100" : "text-zinc-600 dark:text-zinc-400"}`}
                        >
                          {preview(room, viewerId)}
                        </span>
                        {room.muted ? (
                          <>
                            <BellOff aria-hidden className="size-3.5 shrink-0 text-zinc-600 dark:text-zinc-400" />
                            <span className="sr-only">, muted</span>
                          </>
                        ) : null}
                        {unread ? (
                          <span
                            className={`ml-auto flex h-5 min-w-5 shrink-0 items-center justify-center rounded-full px-1.5 text-xs font-bold ${
                              room.muted ? "bg-zinc-300 text-zinc-900 dark:bg-zinc-700 dark:text-zinc-100" : "bg-brand-500 text-zinc-950"
                            }`}
                          >
                            {unreadLabel(room.unread)}
                            <span className="sr-only"> unread</span>
                          </span>
                        ) : null}
                      </span>
                    </span>
                  </Link>
                </li>
              );
            })}
          </ul>
        )}
      </nav>
      <NewMessageDialog
        open={composing}
        onClose={() => setComposing(false)}
        onOpened={(roomId) => {
          setComposing(false);
          onSelect(roomId);
        }}
      />
    </>
  );
}

function RoomListSkeleton() {
  return (
    <div className="space-y-1 py-1">
      {[60, 45, 70, 50, 65].map((width) => (
        <div key={width} aria-hidden className="flex animate-pulse items-center gap-3 px-4 py-2.5">
          <span className="size-10 shrink-0 rounded-full bg-zinc-200 dark:bg-zinc-800" />
          <span className="flex-1 space-y-2">
            <span className="block h-3.5 w-32 rounded bg-zinc-200 dark:bg-zinc-800" />
            <span className="block h-3 rounded bg-zinc-200 dark:bg-zinc-800" style={{ width: `${width}%` }} />
          </span>
        </div>
      ))}
      <span className="sr-only" role="status">
        Loading conversations…
      </span>
    </div>
  );
}
