"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useLive, type LiveMessage, type LiveStatus } from "@/app/_live/use-live";
import { useTRPC } from "@/app/_trpc/react";
import { messageFromLive, withDeleted, withMessage, type HistoryData } from "./history-cache";
import type { ChatMessage, RoomDetail, RoomLiveEvent, RoomSummary } from "./types";

/** Rooms load this many messages at a time. */
export const HISTORY_PAGE_SIZE = 30;
/** A typing notice lasts this long unless the player types again (they signal every 3 s while typing). */
const TYPING_SHOWN_MS = 5_000;

export interface Typist {
  userId: string;
  name: string;
}

/**
 * Follows `room:<id>`: new and deleted messages go straight into the cached history, read receipts
 * into the cached room, and typing notices into local state (they are never stored).
 */
export function useRoomLive(
  roomId: string,
  viewerId: string,
  hiddenSenders: ReadonlySet<string>,
): { status: LiveStatus; typing: Typist[] } {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [typing, setTyping] = useState<Record<string, { name: string; until: number }>>({});

  const historyKey = trpc.chat.history.infiniteQueryKey({ roomId, limit: HISTORY_PAGE_SIZE });
  const roomKey = trpc.chat.room.queryKey({ roomId });
  const roomsKey = trpc.chat.rooms.queryKey();

  function moveReadMarker(userId: string, messageId: string, at: Date) {
    queryClient.setQueryData<RoomDetail>(roomKey, (room) =>
      room
        ? {
            ...room,
            myLastReadMessageId: userId === viewerId ? messageId : room.myLastReadMessageId,
            members: room.members.map((member) =>
              member.userId === userId ? { ...member, lastReadMessageId: messageId, lastReadAt: at } : member,
            ),
          }
        : room,
    );
  }

  /** The room list's preview follows the open room at once (lobbies tell the list nothing otherwise). */
  function showInRoomList(message: ChatMessage) {
    if (message.body === null) return;
    const lastMessage = {
      id: message.id,
      senderId: message.sender.id,
      senderName: message.sender.name,
      body: message.body,
      createdAt: message.createdAt,
    };
    queryClient.setQueryData<RoomSummary[]>(roomsKey, (rooms) => {
      const entry = rooms?.find((room) => room.id === roomId);
      if (!rooms || !entry || (entry.lastMessage && entry.lastMessage.createdAt >= message.createdAt)) return rooms;
      return [{ ...entry, lastMessage, lastActivityAt: message.createdAt }, ...rooms.filter((room) => room !== entry)];
    });
  }

  function stopTyping(userId: string) {
    setTyping((current) => {
      if (!(userId in current)) return current;
      const { [userId]: _gone, ...rest } = current;
      return rest;
    });
  }

  function onEvent({ payload }: LiveMessage) {
    const event = payload as RoomLiveEvent;
    switch (event.kind) {
      case "message": {
        const message = messageFromLive(event.message);
        // Someone this player blocked: the history leaves their messages out, so live does too.
        if (hiddenSenders.has(message.sender.id)) return;
        queryClient.setQueryData<HistoryData>(historyKey, (data) => withMessage(data, message));
        showInRoomList(message);
        // Sending moves the sender's read marker to their message.
        moveReadMarker(message.sender.id, message.id, message.createdAt);
        stopTyping(message.sender.id);
        return;
      }
      case "deleted":
        queryClient.setQueryData<HistoryData>(historyKey, (data) => withDeleted(data, event.messageId));
        return;
      case "typing":
        if (event.userId === viewerId || hiddenSenders.has(event.userId)) return;
        setTyping((current) => ({ ...current, [event.userId]: { name: event.name, until: Date.now() + TYPING_SHOWN_MS } }));
        return;
      case "read":
        moveReadMarker(event.userId, event.messageId, new Date(event.at));
        return;
      case "resync":
        void queryClient.invalidateQueries({ queryKey: historyKey });
        return;
    }
  }

  const { status } = useLive(`room:${roomId}`, { onEvent });

  // Drop each typing notice when it runs out.
  useEffect(() => {
    const untils = Object.values(typing).map((entry) => entry.until);
    if (untils.length === 0) return;
    const timer = setTimeout(
      () => {
        const now = Date.now();
        setTyping((current) => Object.fromEntries(Object.entries(current).filter(([, entry]) => entry.until > now)));
      },
      Math.max(0, Math.min(...untils) - Date.now()) + 20,
    );
    return () => clearTimeout(timer);
  }, [typing]);

  return { status, typing: Object.entries(typing).map(([userId, entry]) => ({ userId, name: entry.name })) };
}

/** "Alice is typing…", "Alice and Bob are typing…", "Several people are typing…". */
export function typingPhrase(typists: readonly Typist[]): string {
  if (typists.length === 0) return "";
  if (typists.length === 1) return `${typists[0]!.name} is typing…`;
  if (typists.length === 2) return `${typists[0]!.name} and ${typists[1]!.name} are typing…`;
  return "Several people are typing…";
}
