"use client";

import * as DropdownMenu from "@radix-ui/react-dropdown-menu";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Bell, CheckCheck } from "lucide-react";
import Link from "next/link";
import { useState } from "react";
import { toast } from "sonner";
import { useTRPC } from "@/app/_trpc/react";
import { useLive } from "@/app/_live/use-live";
import { messageOf } from "./errors";
import { Spinner } from "./ui";

const POLL_MS = 15_000;
const LATEST = 10;

const itemClass =
  "flex w-full cursor-pointer gap-3 rounded px-3 py-2.5 text-left text-sm outline-none data-[highlighted]:bg-zinc-100 dark:data-[highlighted]:bg-zinc-800";

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });

function ago(date: Date, now: number): string {
  const seconds = Math.round((date.getTime() - now) / 1000);
  if (seconds > -45) return "just now";
  const minutes = Math.round(seconds / 60);
  if (minutes > -60) return relative.format(minutes, "minute");
  const hours = Math.round(minutes / 60);
  if (hours > -24) return relative.format(hours, "hour");
  const days = Math.round(hours / 24);
  if (days > -7) return relative.format(days, "day");
  return date.toLocaleDateString(undefined, { dateStyle: "medium" });
}

/** The header's bell: unread count (polled), and the latest notifications in a menu. */
export function NotificationBell({ userId }: { userId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  // New notifications and wallet changes (withdrawals included) arrive on the user's own live topic; polling stays as a fallback.
  useLive(`user:${userId}`, { invalidate: [trpc.notifications.pathKey(), trpc.wallet.pathKey(), trpc.withdrawals.pathKey()] });

  const unread = useQuery({
    ...trpc.notifications.unreadCount.queryOptions(),
    refetchInterval: POLL_MS,
    refetchOnWindowFocus: "always",
  });
  const latest = useQuery({
    ...trpc.notifications.list.queryOptions({ limit: LATEST }),
    enabled: open,
    staleTime: 0,
    refetchInterval: open ? POLL_MS : false,
  });
  const markRead = useMutation(
    trpc.notifications.markRead.mutationOptions({
      onSettled: () => queryClient.invalidateQueries(trpc.notifications.pathFilter()),
      onError: (error) => toast.error(messageOf(error)),
    }),
  );

  const count = unread.data ?? 0;
  const label = count > 0 ? `Notifications, ${count} unread` : "Notifications";
  const items = latest.data?.items ?? [];
  const now = Date.now();

  return (
    <DropdownMenu.Root open={open} onOpenChange={setOpen}>
      <DropdownMenu.Trigger
        className="relative rounded-full p-2 text-zinc-700 hover:bg-zinc-200 dark:text-zinc-300 dark:hover:bg-zinc-800"
        aria-label={label}
      >
        <Bell aria-hidden className="size-5" />
        {count > 0 ? (
          <span
            aria-hidden
            className="absolute -right-0.5 -top-0.5 flex h-5 min-w-5 items-center justify-center rounded-full bg-red-700 px-1 text-xs font-bold leading-none text-white ring-2 ring-zinc-50 dark:ring-zinc-950"
          >
            {count > 99 ? "99+" : count}
          </span>
        ) : null}
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content
          align="end"
          sideOffset={6}
          aria-label="Notifications"
          className="z-50 w-[min(24rem,calc(100vw-1rem))] rounded-md border border-zinc-200 bg-white p-1 text-zinc-900 shadow-lg dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-100"
        >
          <div className="flex min-h-11 items-center justify-between gap-2 px-3 py-1.5">
            <DropdownMenu.Label className="text-sm font-semibold">Notifications</DropdownMenu.Label>
            {count > 0 ? (
              <DropdownMenu.Item
                className="flex cursor-pointer items-center gap-1.5 rounded px-2 py-1 text-xs font-semibold text-brand-700 outline-none data-[highlighted]:bg-zinc-100 data-[disabled]:cursor-wait data-[disabled]:opacity-60 dark:text-brand-300 dark:data-[highlighted]:bg-zinc-800"
                disabled={markRead.isPending}
                onSelect={(event) => {
                  // Stay open: the list below shows the change.
                  event.preventDefault();
                  markRead.mutate({ all: true });
                }}
              >
                <CheckCheck aria-hidden className="size-4" /> Mark all as read
              </DropdownMenu.Item>
            ) : null}
          </div>
          <DropdownMenu.Separator className="my-1 h-px bg-zinc-200 dark:bg-zinc-800" />
          {latest.isPending ? (
            <div className="px-3 py-6 text-center">
              <Spinner label="Loading notifications…" />
            </div>
          ) : latest.isError ? (
            <div className="px-3 py-4 text-sm">
              <p role="alert">We couldn&apos;t load your notifications.</p>
              <DropdownMenu.Item
                className="mt-2 inline-flex cursor-pointer rounded px-2 py-1 font-semibold underline outline-none data-[highlighted]:bg-zinc-100 dark:data-[highlighted]:bg-zinc-800"
                onSelect={(event) => {
                  event.preventDefault();
                  void latest.refetch();
                }}
              >
                Try again
              </DropdownMenu.Item>
            </div>
          ) : items.length === 0 ? (
            <p className="px-3 py-6 text-center text-sm text-zinc-600 dark:text-zinc-400">Nothing new yet.</p>
          ) : (
            <div className="max-h-[min(28rem,70vh)] overflow-y-auto">
              {items.map((item) => {
                const isUnread = item.readAt === null;
                const content = (
                  <>
                    <span aria-hidden className="mt-1.5 flex size-2 shrink-0 items-center justify-center">
                      {isUnread ? <span className="size-2 rounded-full bg-brand-600 dark:bg-brand-400" /> : null}
                    </span>
                    <span className="min-w-0 flex-1">
                      <span className={`block ${isUnread ? "font-semibold" : "font-normal text-zinc-700 dark:text-zinc-300"}`}>
                        {isUnread ? <span className="sr-only">Unread: </span> : null}
                        {item.title}
                      </span>
                      {item.body ? <span className="mt-0.5 line-clamp-2 text-zinc-600 dark:text-zinc-400">{item.body}</span> : null}
                      <time
                        dateTime={item.createdAt.toISOString()}
                        title={item.createdAt.toLocaleString()}
                        className="mt-1 block text-xs text-zinc-500 dark:text-zinc-400"
                      >
                        {ago(item.createdAt, now)}
                      </time>
                    </span>
                    {isUnread ? (
                      <span
                        aria-hidden
                        className="self-start rounded bg-zinc-100 px-1.5 py-0.5 text-[0.65rem] font-bold uppercase tracking-wide text-zinc-700 dark:bg-zinc-800 dark:text-zinc-200"
                      >
                        New
                      </span>
                    ) : null}
                  </>
                );
                const onSelect = () => {
                  if (isUnread) markRead.mutate({ ids: [item.id] });
                };
                return (
                  <DropdownMenu.Item key={item.id} asChild onSelect={onSelect}>
                    {item.link ? (
                      <Link href={item.link} className={itemClass}>
                        {content}
                      </Link>
                    ) : (
                      <div className={itemClass}>{content}</div>
                    )}
                  </DropdownMenu.Item>
                );
              })}
            </div>
          )}
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}
