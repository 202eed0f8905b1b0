"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { X } from "lucide-react";
import { Fragment, useId, useState } from "react";
import { Spinner } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/react";
import { chatErrorMessage } from "./chat-errors";
import { MessageBody } from "./message-body";
import { fullTime } from "./time";
import type { ChatMessage } from "./types";
import { useDebounced } from "./use-debounced";

/** The query's occurrences in the text, marked. */
function Highlighted({ text, query }: { text: string; query: string }) {
  const needle = query.trim().toLowerCase();
  if (!needle) return <>{text}</>;
  const parts: { text: string; match: boolean }[] = [];
  const lower = text.toLowerCase();
  let index = 0;
  for (let at = lower.indexOf(needle); at !== -1; at = lower.indexOf(needle, index)) {
    if (at > index) parts.push({ text: text.slice(index, at), match: false });
    parts.push({ text: text.slice(at, at + needle.length), match: true });
    index = at + needle.length;
  }
  parts.push({ text: text.slice(index), match: false });
  return (
    <>
      {parts.map((part, i) =>
        part.match ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: the fragments of one result's text, always in the same order
          <mark key={i} className="rounded-sm bg-brand-100 text-zinc-950 dark:bg-brand-700 dark:text-white">
            {part.text}
          </mark>
        ) : (
          // biome-ignore lint/suspicious/noArrayIndexKey: the fragments of one result's text, always in the same order
          <Fragment key={i}>{part.text}</Fragment>
        ),
      )}
    </>
  );
}

/**
 * Search within one room. A result shows its whole message when picked; `onPick` also lets the
 * room scroll to it when it is among the loaded messages.
 */
export function RoomSearch({ roomId, onClose, onPick }: { roomId: string; onClose: () => void; onPick: (message: ChatMessage) => void }) {
  const trpc = useTRPC();
  const id = useId();
  const [query, setQuery] = useState("");
  const [picked, setPicked] = useState<string | null>(null);
  const settled = useDebounced(query.trim(), 300);
  const results = useQuery({
    ...trpc.chat.search.queryOptions({ roomId, query: settled }),
    enabled: settled.length > 0,
    placeholderData: keepPreviousData,
    staleTime: 10_000,
  });
  const items = settled ? (results.data?.items ?? []) : [];

  return (
    <div className="flex min-h-0 flex-1 flex-col">
      <div className="flex items-center gap-2 border-b border-zinc-200 px-3 py-2 dark:border-zinc-800">
        <label htmlFor={`${id}-query`} className="sr-only">
          Search this conversation
        </label>
        <input
          id={`${id}-query`}
          type="search"
          // biome-ignore lint/a11y/noAutofocus: the field appears because the player just asked to search; focus moves into it as into an opened dialog
          autoFocus
          value={query}
          maxLength={100}
          onChange={(event) => setQuery(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === "Escape") {
              event.preventDefault();
              onClose();
            }
          }}
          placeholder="Search this conversation"
          className="block w-full rounded-md border border-zinc-300 bg-white px-3 py-1.5 text-base text-zinc-900 shadow-sm placeholder:text-zinc-500 sm:text-sm dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100 dark:placeholder:text-zinc-400"
        />
        <button
          type="button"
          onClick={onClose}
          className="shrink-0 rounded-md p-1.5 text-zinc-700 hover:bg-zinc-200 dark:text-zinc-300 dark:hover:bg-zinc-800"
        >
          <X aria-hidden className="size-5" />
          <span className="sr-only">Close search</span>
        </button>
      </div>
      <div className="min-h-0 flex-1 overflow-y-auto px-3 py-2" aria-live="polite">
        {!settled ? (
          <p className="px-1 py-6 text-center text-sm text-zinc-600 dark:text-zinc-400">
            Find messages in this conversation by a word or part of one.
          </p>
        ) : results.isPending ? (
          <div className="py-6 text-center">
            <Spinner label="Searching…" />
          </div>
        ) : results.isError ? (
          <p role="alert" className="px-1 py-6 text-center text-sm text-red-700 dark:text-red-400">
            {chatErrorMessage(results.error)}
          </p>
        ) : items.length === 0 ? (
          <p className="px-1 py-6 text-center text-sm text-zinc-600 dark:text-zinc-400">No messages match “{settled}”.</p>
        ) : (
          <>
            <p className="px-1 pb-2 text-xs text-zinc-600 dark:text-zinc-400">
              {items.length === 1 ? "1 message" : `${items.length} messages`} match “{settled}”, newest first
            </p>
            <ul className="space-y-1">
              {items.map((message) => {
                const open = picked === message.id;
                return (
                  <li key={message.id}>
                    <button
                      type="button"
                      aria-expanded={open}
                      onClick={() => {
                        setPicked(open ? null : message.id);
                        if (!open) onPick(message);
                      }}
                      className={`w-full rounded-md px-3 py-2 text-left text-sm hover:bg-zinc-100 dark:hover:bg-zinc-800 ${open ? "bg-zinc-100 dark:bg-zinc-800" : ""}`}
                    >
                      <span className="flex flex-wrap items-baseline gap-x-2">
                        <span className="font-semibold">{message.sender.name}</span>
                        <time dateTime={message.createdAt.toISOString()} className="text-xs text-zinc-600 dark:text-zinc-400">
                          {fullTime(message.createdAt)}
                        </time>
                      </span>
                      {open ? null : (
                        <span className="mt-0.5 line-clamp-2 whitespace-pre-wrap wrap-anywhere text-zinc-800 dark:text-zinc-200">
                          <Highlighted text={message.body ?? ""} query={settled} />
                        </span>
                      )}
                    </button>
                    {open && message.body ? (
                      <div className="px-3 pb-2">
                        <MessageBody body={message.body} className="text-sm leading-relaxed" />
                      </div>
                    ) : null}
                  </li>
                );
              })}
            </ul>
          </>
        )}
      </div>
    </div>
  );
}
