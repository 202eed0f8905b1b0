"use client";

import { keepPreviousData, useMutation, useQuery } from "@tanstack/react-query";
import { useId, useState } from "react";
import { Avatar } from "@/app/_components/avatar";
import { chatErrorMessage } from "@/app/_components/chat/chat-errors";
import { Dialog } from "@/app/_components/chat/dialog";
import { useDebounced } from "@/app/_components/chat/use-debounced";
import { Alert, Spinner } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/react";

const MIN_QUERY = 2;

/** Find a player by name or game handle and open the direct room with them. */
export function NewMessageDialog({ open, onClose, onOpened }: { open: boolean; onClose: () => void; onOpened: (roomId: string) => void }) {
  return (
    <Dialog open={open} onClose={onClose} title="New message" description="Find a player by their name or a game handle.">
      {open ? <PlayerSearch onOpened={onOpened} /> : null}
    </Dialog>
  );
}

function PlayerSearch({ onOpened }: { onOpened: (roomId: string) => void }) {
  const trpc = useTRPC();
  const id = useId();
  const [query, setQuery] = useState("");
  const settled = useDebounced(query.trim(), 250);
  const ready = settled.length >= MIN_QUERY;
  const players = useQuery({
    ...trpc.chat.findUser.queryOptions({ query: settled }),
    enabled: ready,
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });
  const openDirect = useMutation(trpc.chat.openDirect.mutationOptions({ onSuccess: ({ roomId }) => onOpened(roomId) }));
  const results = ready ? (players.data ?? []) : [];

  return (
    <div className="space-y-3">
      <div className="space-y-1">
        <label htmlFor={`${id}-query`} className="block text-sm font-medium">
          Player
        </label>
        <input
          id={`${id}-query`}
          type="search"
          data-autofocus=""
          value={query}
          maxLength={40}
          autoComplete="off"
          onChange={(event) => setQuery(event.target.value)}
          placeholder="Name or game handle"
          aria-describedby={`${id}-hint`}
          className="block w-full rounded-md border border-zinc-300 bg-white px-3 py-2 text-base text-zinc-900 shadow-sm placeholder:text-zinc-500 sm:text-sm dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100 dark:placeholder:text-zinc-400"
        />
        <p id={`${id}-hint`} className="text-xs text-zinc-600 dark:text-zinc-400">
          {query.trim().length < MIN_QUERY ? `Type at least ${MIN_QUERY} characters.` : "Choose a player below to message them."}
        </p>
      </div>
      {openDirect.error ? <Alert>{chatErrorMessage(openDirect.error)}</Alert> : null}
      <div aria-live="polite" className="max-h-72 min-h-16 overflow-y-auto">
        {!ready ? null : players.isPending ? (
          <div className="py-3 text-center">
            <Spinner label="Searching…" />
          </div>
        ) : players.isError ? (
          <p role="alert" className="py-3 text-sm text-red-700 dark:text-red-400">
            {chatErrorMessage(players.error)}
          </p>
        ) : results.length === 0 ? (
          <p className="py-3 text-center text-sm text-zinc-600 dark:text-zinc-400">No players match “{settled}”.</p>
        ) : (
          <ul aria-label="Players" className="space-y-0.5">
            {results.map((player) => (
              <li key={player.id}>
                <button
                  type="button"
                  disabled={openDirect.isPending}
                  onClick={() => openDirect.mutate({ userId: player.id })}
                  className="flex w-full items-center gap-3 rounded-md px-2 py-2 text-left hover:bg-zinc-100 disabled:cursor-wait disabled:opacity-60 dark:hover:bg-zinc-800"
                >
                  <Avatar name={player.name} image={player.image} />
                  <span className="min-w-0 flex-1 truncate font-medium">
                    <span className="sr-only">Message </span>
                    {player.name}
                  </span>
                  {openDirect.isPending && openDirect.variables?.userId === player.id ? (
                    <span className="text-xs text-zinc-600 dark:text-zinc-400">Opening…</span>
                  ) : null}
                </button>
              </li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}
