"use client";

import * as DropdownMenu from "@radix-ui/react-dropdown-menu";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { ArrowLeft, Ban, EllipsisVertical, Search, UserCheck } from "lucide-react";
import Link from "next/link";
import { useState } from "react";
import { toast } from "sonner";
import { Alert, Button } from "@/app/_components/ui";
import { LiveStatus } from "@/app/_live/live-status";
import type { LiveStatus as Status } from "@/app/_live/use-live";
import { useTRPC } from "@/app/_trpc/react";
import { chatErrorMessage } from "./chat-errors";
import { Dialog } from "./dialog";
import { menuContentClass, menuItemClass } from "./message-menu";
import { RoomAvatar } from "./room-avatar";
import { lastSeenPhrase } from "./time";
import { roomKindLabel, type RoomDetail } from "./types";

/** A link back to the room list; `onNavigate` lets /chat switch panes without a page load. */
export interface RoomBack {
  href: string;
  onNavigate?: () => void;
}

const iconButtonClass =
  "inline-flex shrink-0 items-center justify-center rounded-md p-2 text-zinc-700 hover:bg-zinc-200 aria-pressed:bg-zinc-200 dark:text-zinc-300 dark:hover:bg-zinc-800 dark:aria-pressed:bg-zinc-800";

function BackLink({ back }: { back: RoomBack }) {
  return (
    <Link
      href={back.href}
      onClick={(event) => {
        if (!back.onNavigate || event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
        event.preventDefault();
        back.onNavigate();
      }}
      className={`${iconButtonClass} -ml-1 md:hidden`}
    >
      <ArrowLeft aria-hidden className="size-5" />
      <span className="sr-only">Back to conversations</span>
    </Link>
  );
}

/** The line under the title: who is here. */
function presenceLine(room: RoomDetail, viewerId: string, now: Date): string {
  if (room.kind === "direct") {
    const other = room.members.find((member) => member.userId !== viewerId);
    if (!other) return "";
    return other.online ? "Online" : lastSeenPhrase(other.lastSeenAt, now);
  }
  const online = `${room.onlineCount.toLocaleString()} online`;
  if (room.kind === "event") return `${roomKindLabel.event} · ${online}`;
  return `${roomKindLabel.match} · ${room.members.length} ${room.members.length === 1 ? "member" : "members"} · ${online}`;
}

export function RoomHeader({
  room,
  viewer,
  variant,
  back,
  status,
  searching,
  onToggleSearch,
}: {
  room: RoomDetail;
  viewer: { id: string };
  variant: "page" | "panel";
  back?: RoomBack;
  status: Status;
  searching: boolean;
  onToggleSearch: () => void;
}) {
  const other = room.kind === "direct" ? room.members.find((member) => member.userId !== viewer.id) : undefined;
  const presence = presenceLine(room, viewer.id, new Date());
  return (
    <div className="flex min-h-14 items-center gap-3 border-b border-zinc-200 px-3 py-2 dark:border-zinc-800">
      {back ? <BackLink back={back} /> : null}
      {variant === "page" ? <RoomAvatar kind={room.kind} title={room.title} image={room.image} online={other?.online} size={36} /> : null}
      <div className="min-w-0 flex-1">
        {variant === "page" ? (
          <h2 className="truncate font-semibold">
            {room.kind === "event" && room.event ? (
              <Link href={`/events/${room.event.id}`} className="hover:underline">
                {room.title}
              </Link>
            ) : (
              room.title
            )}
          </h2>
        ) : null}
        <p
          className={`truncate text-xs ${other?.online ? "font-medium text-emerald-700 dark:text-emerald-400" : "text-zinc-600 dark:text-zinc-400"}`}
        >
          {presence}
        </p>
      </div>
      <LiveStatus status={status} />
      <button type="button" aria-pressed={searching} onClick={onToggleSearch} className={iconButtonClass}>
        <Search aria-hidden className="size-5" />
        <span className="sr-only">Search this conversation</span>
      </button>
      {room.kind === "direct" && other ? <DirectRoomMenu room={room} other={other} /> : null}
    </div>
  );
}

export function RoomHeaderSkeleton({ back }: { back?: RoomBack }) {
  return (
    <div className="flex min-h-14 items-center gap-3 border-b border-zinc-200 px-3 py-2 dark:border-zinc-800">
      {back ? <BackLink back={back} /> : null}
      <div aria-hidden className="flex flex-1 animate-pulse items-center gap-3">
        <span className="size-9 rounded-full bg-zinc-200 dark:bg-zinc-800" />
        <span className="h-4 w-40 rounded bg-zinc-200 dark:bg-zinc-800" />
      </div>
      <span className="sr-only" role="status">
        Loading the conversation…
      </span>
    </div>
  );
}

function useBlockActions(room: RoomDetail, other: { userId: string; name: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.chat.room.queryKey({ roomId: room.id }) }),
      queryClient.invalidateQueries({ queryKey: trpc.chat.blocked.queryKey() }),
      // Blocking hides their messages from the history and the room list.
      queryClient.invalidateQueries({ queryKey: trpc.chat.history.infiniteQueryKey({ roomId: room.id }) }),
      queryClient.invalidateQueries({ queryKey: trpc.chat.rooms.queryKey() }),
    ]);
  const block = useMutation(trpc.chat.block.mutationOptions({ onSuccess: refresh }));
  const unblock = useMutation(
    trpc.chat.unblock.mutationOptions({
      onSuccess: async () => {
        await refresh();
        toast.success(`You unblocked ${other.name}.`);
      },
      onError: (error) => toast.error(chatErrorMessage(error)),
    }),
  );
  return { block, unblock };
}

/** Block or unblock the other player of a direct room. */
function DirectRoomMenu({ room, other }: { room: RoomDetail; other: { userId: string; name: string } }) {
  const [confirming, setConfirming] = useState(false);
  const { block, unblock } = useBlockActions(room, other);
  return (
    <>
      <DropdownMenu.Root modal={false}>
        <DropdownMenu.Trigger className={iconButtonClass}>
          <EllipsisVertical aria-hidden className="size-5" />
          <span className="sr-only">More actions for this conversation</span>
        </DropdownMenu.Trigger>
        <DropdownMenu.Portal>
          <DropdownMenu.Content align="end" sideOffset={4} className={menuContentClass}>
            {room.blockedByMe ? (
              <DropdownMenu.Item
                className={menuItemClass}
                disabled={unblock.isPending}
                onSelect={() => unblock.mutate({ userId: other.userId })}
              >
                <UserCheck aria-hidden className="size-4" /> Unblock {other.name}
              </DropdownMenu.Item>
            ) : (
              <DropdownMenu.Item className={`${menuItemClass} text-red-700 dark:text-red-400`} onSelect={() => setConfirming(true)}>
                <Ban aria-hidden className="size-4" /> Block {other.name}
              </DropdownMenu.Item>
            )}
          </DropdownMenu.Content>
        </DropdownMenu.Portal>
      </DropdownMenu.Root>
      <Dialog
        open={confirming}
        onClose={() => {
          block.reset();
          setConfirming(false);
        }}
        title={`Block ${other.name}?`}
        description="Neither of you can send direct messages to the other, and you will not see their messages anywhere in chat. You can unblock them later."
      >
        {block.error ? <Alert>{chatErrorMessage(block.error)}</Alert> : null}
        <div className="mt-4 flex flex-wrap justify-end gap-2">
          <Button type="button" variant="ghost" data-autofocus="" onClick={() => setConfirming(false)}>
            Cancel
          </Button>
          <Button
            type="button"
            variant="danger"
            disabled={block.isPending}
            onClick={() =>
              block.mutate(
                { userId: other.userId },
                {
                  onSuccess: () => {
                    setConfirming(false);
                    toast.success(`You blocked ${other.name}.`);
                  },
                },
              )
            }
          >
            {block.isPending ? "Blocking…" : "Block"}
          </Button>
        </div>
      </Dialog>
    </>
  );
}

/** In place of the composer when the direct room is blocked either way. */
export function BlockedNotice({ room, viewerId }: { room: RoomDetail; viewerId: string }) {
  const other = room.members.find((member) => member.userId !== viewerId);
  return (
    <div className="border-t border-zinc-200 px-4 py-3 text-sm text-zinc-700 dark:border-zinc-800 dark:text-zinc-300">
      {room.blockedByMe && other ? <BlockedByMe room={room} other={other} /> : <p>You can&apos;t message this player.</p>}
    </div>
  );
}

function BlockedByMe({ room, other }: { room: RoomDetail; other: { userId: string; name: string } }) {
  const { unblock } = useBlockActions(room, other);
  return (
    <div className="flex flex-wrap items-center gap-3">
      <p className="min-w-0 flex-1">You blocked this player. Unblock to send messages.</p>
      <Button
        type="button"
        variant="secondary"
        className="px-3 py-1.5"
        disabled={unblock.isPending}
        onClick={() => unblock.mutate({ userId: other.userId })}
      >
        {unblock.isPending ? "Unblocking…" : "Unblock"}
      </Button>
    </div>
  );
}
