"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { ChevronDown } from "lucide-react";
import { useEffect, useId, useState } from "react";
import { ChatRoom, type ChatViewer } from "@/app/_components/chat/chat-room";
import { chatErrorMessage, isHidden } from "@/app/_components/chat/chat-errors";
import { Alert } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/react";

/**
 * The event's lobby chat, for its participants, organizer and admins. Anyone else sees nothing:
 * the server answers "no lobby" (roomId null) for them, without an error. Open by default on wide screens, folded on phones.
 */
export function LobbyChat({ eventId, viewer }: { eventId: string; viewer: ChatViewer }) {
  const trpc = useTRPC();
  const id = useId();
  const [open, setOpen] = useState(false);
  // Joining is a write (it adds the viewer to the room), so it is a mutation, made on arrival.
  const lobby = useMutation(trpc.chat.joinEventLobby.mutationOptions());
  // The registration panel's query (same cache entry): a confirmed entry opens the lobby at once.
  const registration = useQuery(trpc.registration.mine.queryOptions({ eventId }));
  const status = registration.data?.status;
  const { mutate: join } = lobby;
  // The room stays on screen while a change of entry re-joins; a refusal takes it away.
  const [roomId, setRoomId] = useState<string | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a change of the viewer's entry (status) re-joins, so a confirmed entry opens the lobby at once
  useEffect(() => {
    join({ eventId }, { onSuccess: (joined) => setRoomId(joined.roomId), onError: () => setRoomId(null) });
  }, [eventId, status, join]);

  useEffect(() => {
    if (window.matchMedia("(min-width: 1024px)").matches) setOpen(true);
  }, []);

  if (lobby.isError && !isHidden(lobby.error)) return <Alert>{chatErrorMessage(lobby.error)}</Alert>;
  if (!roomId) return null;
  return (
    <section
      aria-labelledby={`${id}-heading`}
      className="overflow-hidden rounded-lg border border-zinc-200 bg-white shadow-sm dark:border-zinc-800 dark:bg-zinc-900"
    >
      <h2 id={`${id}-heading`} className="text-lg font-semibold">
        <button
          type="button"
          aria-expanded={open}
          aria-controls={`${id}-panel`}
          onClick={() => setOpen((value) => !value)}
          className="flex w-full items-center justify-between gap-2 px-5 py-3 text-left outline-offset-[-2px] hover:bg-zinc-50 dark:hover:bg-zinc-800/60"
        >
          Lobby chat
          <ChevronDown aria-hidden className={`size-5 transition-transform ${open ? "rotate-180" : ""}`} />
        </button>
      </h2>
      {open ? (
        <div id={`${id}-panel`} className="flex h-[28rem] flex-col border-t border-zinc-200 dark:border-zinc-800">
          <ChatRoom roomId={roomId} viewer={viewer} variant="panel" />
        </div>
      ) : null}
    </section>
  );
}
