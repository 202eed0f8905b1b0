"use client";

import { useState, type DragEvent } from "react";
import { Button } from "@/app/_components/ui";

type SeededEntry = { registrationId: string; seed: number; name: string; players: number };

/** The seeds in order; with manual seeding, rows can be dragged or moved up and down. */
export function SeedList({ entries, manual, move }: { entries: SeededEntry[]; manual: boolean; move: (from: number, to: number) => void }) {
  const [dragging, setDragging] = useState<string | null>(null);
  return (
    <ol aria-label="Seeds" className="divide-y divide-zinc-200 rounded-md border border-zinc-200 dark:divide-zinc-800 dark:border-zinc-800">
      {entries.map((entry, index) => {
        const dragProps = manual
          ? {
              draggable: true,
              onDragStart: (e: DragEvent) => {
                e.dataTransfer.effectAllowed = "move";
                e.dataTransfer.setData("text/plain", entry.registrationId);
                setDragging(entry.registrationId);
              },
              onDragOver: (e: DragEvent) => e.preventDefault(),
              onDrop: (e: DragEvent) => {
                e.preventDefault();
                const id = e.dataTransfer.getData("text/plain") || dragging;
                // With manual seeding the rows are the manual order, so a row's index is its place in it.
                if (id)
                  move(
                    entries.findIndex((other) => other.registrationId === id),
                    index,
                  );
                setDragging(null);
              },
              onDragEnd: () => setDragging(null),
            }
          : {};
        return (
          <li
            key={entry.registrationId}
            {...dragProps}
            className={`flex items-center gap-3 px-3 py-2 ${manual ? "cursor-grab" : ""} ${dragging === entry.registrationId ? "opacity-50" : ""}`}
          >
            <span className="w-8 shrink-0 text-right font-mono text-sm text-zinc-600 dark:text-zinc-400">{entry.seed}</span>
            {manual ? (
              <span aria-hidden className="select-none text-zinc-400">
                ⠿
              </span>
            ) : null}
            <span className="min-w-0 flex-1 truncate font-medium">{entry.name}</span>
            {entry.players > 1 ? <span className="text-xs text-zinc-600 dark:text-zinc-400">{entry.players} players</span> : null}
            {manual ? (
              <span className="flex shrink-0 gap-1">
                <Button
                  type="button"
                  variant="ghost"
                  className="px-2 py-1 disabled:opacity-40"
                  aria-label={`Move ${entry.name} up`}
                  disabled={index === 0}
                  onClick={() => move(index, index - 1)}
                >
                  ↑<span className="sr-only sm:not-sr-only">Up</span>
                </Button>
                <Button
                  type="button"
                  variant="ghost"
                  className="px-2 py-1 disabled:opacity-40"
                  aria-label={`Move ${entry.name} down`}
                  disabled={index === entries.length - 1}
                  onClick={() => move(index, index + 1)}
                >
                  ↓<span className="sr-only sm:not-sr-only">Down</span>
                </Button>
              </span>
            ) : null}
          </li>
        );
      })}
    </ol>
  );
}
