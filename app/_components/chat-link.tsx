"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { MessageCircle } from "lucide-react";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useLive } from "@/app/_live/use-live";
import { useTRPC } from "@/app/_trpc/react";
import { unreadLabel } from "./chat/types";

/** Polling is only the fallback: new messages and the player's own reads arrive on their topic. */
const POLL_MS = 30_000;

/** The header's chat icon, with the unread count of direct and match rooms (lobbies count in /chat only). */
export function ChatLink({ userId }: { userId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const pathname = usePathname();
  // The same topic as the notification bell: both share one connection.
  useLive(`user:${userId}`, {
    onEvent: ({ payload }) => {
      if ((payload as { kind?: string } | null)?.kind === "chat")
        void queryClient.invalidateQueries({ queryKey: trpc.chat.unreadTotal.queryKey() });
    },
  });
  const unread = useQuery({ ...trpc.chat.unreadTotal.queryOptions(), refetchInterval: POLL_MS, refetchOnWindowFocus: "always" });
  const count = unread.data?.total ?? 0;
  const active = pathname === "/chat";
  return (
    <Link
      href="/chat"
      aria-label={count > 0 ? `Chat, ${count} unread` : "Chat"}
      aria-current={active ? "page" : undefined}
      className={`relative rounded-full p-2 text-zinc-700 hover:bg-zinc-200 dark:text-zinc-300 dark:hover:bg-zinc-800 ${active ? "bg-zinc-200 dark:bg-zinc-800" : ""}`}
    >
      <MessageCircle aria-hidden className="size-5" />
      {count > 0 ? (
        <span
          aria-hidden
          data-testid="chat-unread"
          className="absolute -top-0.5 -right-0.5 flex h-5 min-w-5 items-center justify-center rounded-full bg-red-700 px-1 text-xs leading-none font-bold text-white ring-2 ring-zinc-50 dark:ring-zinc-950"
        >
          {unreadLabel(count)}
        </span>
      ) : null}
    </Link>
  );
}
