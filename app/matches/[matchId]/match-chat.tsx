"use client";

import { useMutation } from "@tanstack/react-query";
import { useEffect, useId, useRef } from "react";
import { ChatRoom, type ChatViewer } from "@/app/_components/chat/chat-room";
import { chatErrorMessage, isHidden } from "@/app/_components/chat/chat-errors";
import { Alert } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/react";

/** The match's chat for its players and the organizer; nothing at all for anyone else. */
export function MatchChat({ matchId, viewer }: { matchId: string; viewer: ChatViewer }) {
  const trpc = useTRPC();
  const id = useId();
  const room = useMutation(trpc.matches.chatRoom.mutationOptions());
  const asked = useRef(false);
  const { mutate } = room;
  useEffect(() => {
    if (asked.current) return;
    asked.current = true;
    mutate({ matchId });
  }, [mutate, matchId]);

  if (room.isError) return isHidden(room.error) ? null : <Alert>{chatErrorMessage(room.error)}</Alert>;
  if (!room.data) return null;
  return (
    <section
      aria-labelledby={`${id}-h`}
      className="overflow-hidden rounded-lg border border-zinc-200 bg-white shadow-sm lg:sticky lg:top-4 dark:border-zinc-800 dark:bg-zinc-900"
    >
      <h2 id={`${id}-h`} className="border-b border-zinc-200 px-5 py-3 text-lg font-semibold dark:border-zinc-800">
        Match chat
      </h2>
      <div className="flex h-[28rem] flex-col">
        <ChatRoom roomId={room.data.roomId} viewer={viewer} variant="panel" />
      </div>
    </section>
  );
}
