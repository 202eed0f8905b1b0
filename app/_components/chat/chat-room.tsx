"use client";

import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useMemo, useRef, useState } from "react";
import { Alert } from "@/app/_components/ui";
import { useRoomPresence } from "@/app/_components/presence-heartbeat";
import { useTRPC } from "@/app/_trpc/react";
import { chatErrorMessage, errorCode, isRetryable } from "./chat-errors";
import { Composer, type SendResult } from "./composer";
import { oldestFirst, withDeleted, withMessage, type HistoryData } from "./history-cache";
import { DeleteDialog, ReportDialog } from "./message-dialogs";
import { MessageList } from "./message-list";
import { BlockedNotice, RoomHeader, RoomHeaderSkeleton, type RoomBack } from "./room-header";
import { RoomSearch } from "./room-search";
import type { ChatMessage, OutgoingMessage, RoomDetail, RoomSummary } from "./types";
import { useDocumentActive } from "./use-document-active";
import { HISTORY_PAGE_SIZE, typingPhrase, useRoomLive } from "./use-room-live";

/** Presence and member read state are fetched, not pushed: refresh them this often. */
const ROOM_REFRESH_MS = 30_000;
/** While typing, tell the room at most this often. */
const TYPING_SIGNAL_MS = 3_000;

export interface ChatViewer {
  id: string;
  name: string;
  image: string | null;
}

/**
 * One conversation: header (presence, search, block), live history, typing notice, composer.
 * Embedded by /chat and by event (and match) pages; `variant="panel"` leaves the title to the page.
 */
export function ChatRoom({
  roomId,
  viewer,
  variant = "page",
  back,
}: {
  roomId: string;
  viewer: ChatViewer;
  variant?: "page" | "panel";
  /** On phones /chat shows one pane at a time: the way back to the room list. */
  back?: RoomBack;
}) {
  const trpc = useTRPC();
  const room = useQuery({
    ...trpc.chat.room.queryOptions({ roomId }),
    refetchInterval: ROOM_REFRESH_MS,
    retry: (failures, error) => isRetryable(error) && failures < 2,
  });

  if (room.isPending) {
    return (
      <div className="flex h-full min-h-0 flex-col">
        <RoomHeaderSkeleton back={back} />
        <div className="flex-1" />
      </div>
    );
  }
  if (room.isError) {
    const code = errorCode(room.error);
    return (
      <div className="flex h-full min-h-0 flex-col">
        <RoomHeaderSkeleton back={back} />
        <div className="p-4">
          <Alert>
            {code === "NOT_FOUND" || code === "BAD_REQUEST"
              ? "That conversation does not exist, or you are not in it."
              : chatErrorMessage(room.error)}
          </Alert>
        </div>
      </div>
    );
  }
  return <RoomView key={roomId} room={room.data} viewer={viewer} variant={variant} back={back} />;
}

function RoomView({ room, viewer, variant, back }: { room: RoomDetail; viewer: ChatViewer; variant: "page" | "panel"; back?: RoomBack }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const roomId = room.id;

  const blocked = useQuery(trpc.chat.blocked.queryOptions());
  const hiddenSenders = useMemo(() => new Set(blocked.data?.map((entry) => entry.userId)), [blocked.data]);
  const { status, typing } = useRoomLive(roomId, viewer.id, hiddenSenders);
  useRoomPresence(roomId);

  const historyOptions = trpc.chat.history.infiniteQueryOptions(
    { roomId, limit: HISTORY_PAGE_SIZE },
    { getNextPageParam: (page) => page.nextCursor ?? undefined },
  );
  const history = useInfiniteQuery(historyOptions);
  const messages = useMemo(() => oldestFirst(history.data), [history.data]);

  const [outgoing, setOutgoing] = useState<OutgoingMessage[]>([]);
  const sendMutation = useMutation(trpc.chat.send.mutationOptions());
  const typingMutation = useMutation(trpc.chat.typing.mutationOptions());
  const lastTypingSignal = useRef(0);

  const [searching, setSearching] = useState(false);
  const [picked, setPicked] = useState<string | null>(null);
  const [highlightId, setHighlightId] = useState<string | null>(null);
  const [reporting, setReporting] = useState<ChatMessage | null>(null);
  const [deleting, setDeleting] = useState<ChatMessage | null>(null);
  const [atBottom, setAtBottom] = useState(true);

  function updateHistory(update: (data: HistoryData | undefined) => HistoryData | undefined) {
    queryClient.setQueryData<HistoryData>(historyOptions.queryKey, update);
  }

  async function send(body: string, clientId: string): Promise<SendResult> {
    setOutgoing((list) => [...list.filter((item) => item.clientId !== clientId), { clientId, body, createdAt: new Date() }]);
    try {
      const message = await sendMutation.mutateAsync({ roomId, body, clientId });
      updateHistory((data) => withMessage(data, message));
      // The room list shows the last message; a first message also brings a direct room into it.
      void queryClient.invalidateQueries({ queryKey: trpc.chat.rooms.queryKey() });
      return { ok: true };
    } catch (error) {
      // Blocked since the room was loaded: fetch it again so the composer says so.
      if (errorCode(error) === "FORBIDDEN") void queryClient.invalidateQueries({ queryKey: trpc.chat.room.queryKey({ roomId }) });
      return { ok: false, message: chatErrorMessage(error), retryable: isRetryable(error) };
    } finally {
      setOutgoing((list) => list.filter((item) => item.clientId !== clientId));
    }
  }

  function signalTyping() {
    const now = Date.now();
    if (now - lastTypingSignal.current < TYPING_SIGNAL_MS) return;
    lastTypingSignal.current = now;
    typingMutation.mutate({ roomId });
  }

  // Mark the newest message read while the player can see it: tab visible, window focused, list at
  // the bottom. The player's own messages already moved their marker when sent.
  const active = useDocumentActive();
  const newest = messages.at(-1);
  const unreadNewestId = newest && newest.sender.id !== viewer.id ? newest.id : null;
  const lastMarked = useRef<string | null>(null);
  const { mutate: markRead } = useMutation(trpc.chat.markRead.mutationOptions());
  useEffect(() => {
    if (!active || !atBottom || searching || !unreadNewestId) return;
    if (unreadNewestId === room.myLastReadMessageId || unreadNewestId === lastMarked.current) return;
    lastMarked.current = unreadNewestId;
    markRead(
      { roomId, messageId: unreadNewestId },
      {
        onSuccess: () => {
          queryClient.setQueryData<RoomDetail>(trpc.chat.room.queryKey({ roomId }), (data) =>
            data ? { ...data, myLastReadMessageId: unreadNewestId, unread: 0 } : data,
          );
          // Lobbies announce no receipts to the player's own topic: clear the list's badge here.
          queryClient.setQueryData<RoomSummary[]>(trpc.chat.rooms.queryKey(), (rooms) =>
            rooms?.map((entry) => (entry.id === roomId ? { ...entry, unread: 0 } : entry)),
          );
        },
        onError: () => {
          lastMarked.current = null;
        },
      },
    );
  }, [active, atBottom, searching, unreadNewestId, room.myLastReadMessageId, roomId, markRead, queryClient, trpc]);

  const loadError = history.isError ? chatErrorMessage(history.error) : null;
  const placeholder =
    room.kind === "direct" ? `Message ${room.title}` : room.kind === "event" ? "Message the lobby" : "Message the match room";
  const typingText = typingPhrase(typing);

  return (
    <div className="flex h-full min-h-0 flex-col" data-live={status}>
      <RoomHeader
        room={room}
        viewer={viewer}
        variant={variant}
        back={back}
        status={status}
        searching={searching}
        onToggleSearch={() => setSearching((value) => !value)}
      />
      {searching ? (
        <RoomSearch
          roomId={roomId}
          onPick={(message) => setPicked(message.id)}
          onClose={() => {
            setSearching(false);
            if (picked && messages.some((message) => message.id === picked)) setHighlightId(picked);
          }}
        />
      ) : null}
      <div className={searching ? "hidden" : "flex min-h-0 flex-1 flex-col"}>
        <MessageList
          room={room}
          viewer={viewer}
          messages={messages}
          outgoing={outgoing}
          loading={history.isPending}
          error={loadError}
          hasEarlier={history.hasNextPage}
          loadingEarlier={history.isFetchingNextPage}
          onLoadEarlier={() => void history.fetchNextPage()}
          onRetry={() => void history.refetch()}
          onAtBottomChange={setAtBottom}
          onReport={setReporting}
          onDelete={setDeleting}
          highlightId={highlightId}
        />
        <p aria-live="polite" className="h-5 truncate px-4 text-xs text-zinc-600 italic dark:text-zinc-400">
          {typingText}
        </p>
        {room.canSend ? (
          <Composer roomId={roomId} viewerId={viewer.id} placeholder={placeholder} onSend={send} onTyping={signalTyping} />
        ) : (
          <BlockedNotice room={room} viewerId={viewer.id} />
        )}
      </div>
      <ReportDialog message={reporting} onClose={() => setReporting(null)} />
      <DeleteDialog
        message={deleting}
        mine={deleting?.sender.id === viewer.id}
        onClose={() => setDeleting(null)}
        onDeleted={(messageId) => updateHistory((data) => withDeleted(data, messageId))}
      />
    </div>
  );
}
