"use client";

import { MessagesSquare } from "lucide-react";
import { useSearchParams } from "next/navigation";
import { useCallback } from "react";
import { ChatRoom, type ChatViewer } from "@/app/_components/chat/chat-room";
import { RoomList } from "./room-list";

/** /chat: the room list beside the open room on wide screens; one of them at a time on phones. */
export function ChatApp({ viewer }: { viewer: ChatViewer }) {
  const roomId = useSearchParams().get("room");
  // Next's router follows pushState, so ?room= (and the browser's back button) drive the panes.
  const select = useCallback((id: string | null) => {
    window.history.pushState(null, "", id ? `/chat?room=${encodeURIComponent(id)}` : "/chat");
  }, []);

  return (
    <div className="-mx-4 -my-8 flex h-[calc(100dvh-4rem)] min-h-96 overflow-hidden bg-white md:mx-0 md:my-0 md:h-[calc(100dvh-8rem)] md:min-h-[32rem] md:rounded-lg md:border md:border-zinc-200 md:shadow-sm dark:bg-zinc-900 md:dark:border-zinc-800">
      <div
        className={`${roomId ? "hidden md:flex" : "flex"} min-w-0 flex-1 flex-col md:w-80 md:flex-none md:border-r md:border-zinc-200 md:dark:border-zinc-800`}
      >
        <RoomList viewerId={viewer.id} selectedId={roomId} onSelect={select} />
      </div>
      <section aria-label="Conversation" className={`${roomId ? "flex" : "hidden md:flex"} min-w-0 flex-1 flex-col`}>
        {roomId ? (
          <ChatRoom key={roomId} roomId={roomId} viewer={viewer} back={{ href: "/chat", onNavigate: () => select(null) }} />
        ) : (
          <div className="m-auto max-w-sm px-6 text-center">
            <MessagesSquare aria-hidden className="mx-auto size-10 text-zinc-400 dark:text-zinc-500" />
            <h2 className="mt-3 text-lg font-semibold">Pick a conversation</h2>
            <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
              Choose one on the left, or start a new one with a player with New message.
            </p>
          </div>
        )}
      </section>
    </div>
  );
}
