"use client";

import * as DropdownMenu from "@radix-ui/react-dropdown-menu";
import { Ellipsis, Flag, Trash2 } from "lucide-react";

export const menuContentClass =
  "z-50 min-w-44 rounded-md border border-zinc-200 bg-white p-1 text-zinc-900 shadow-lg dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-100";
export const menuItemClass =
  "flex w-full cursor-pointer items-center gap-2 rounded px-3 py-2 text-sm outline-none data-[highlighted]:bg-zinc-100 dark:data-[highlighted]:bg-zinc-800";

/**
 * The "…" button on a message: Report (others' messages), Delete (own messages, and any message
 * for a moderator). Shown on hover or focus where there is a mouse, always on touch screens.
 */
export function MessageMenu({
  label,
  canReport,
  canDelete,
  onReport,
  onDelete,
}: {
  /** Names the message for screen readers: "Message from Alice at 14:05". */
  label: string;
  canReport: boolean;
  canDelete: boolean;
  onReport: () => void;
  onDelete: () => void;
}) {
  if (!canReport && !canDelete) return null;
  return (
    <DropdownMenu.Root modal={false}>
      <DropdownMenu.Trigger
        aria-label={`Actions for ${label}`}
        className="absolute top-0.5 right-2 rounded-md p-1 text-zinc-600 hover:bg-zinc-100 focus-visible:opacity-100 data-[state=open]:opacity-100 dark:text-zinc-400 dark:hover:bg-zinc-800 [@media(hover:hover)]:border [@media(hover:hover)]:border-zinc-200 [@media(hover:hover)]:bg-white [@media(hover:hover)]:text-zinc-700 [@media(hover:hover)]:opacity-0 [@media(hover:hover)]:shadow-sm [@media(hover:hover)]:group-focus-within:opacity-100 [@media(hover:hover)]:group-hover:opacity-100 dark:[@media(hover:hover)]:border-zinc-700 dark:[@media(hover:hover)]:bg-zinc-900 dark:[@media(hover:hover)]:text-zinc-300"
      >
        <Ellipsis aria-hidden className="size-4" />
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content align="end" sideOffset={4} className={menuContentClass}>
          {canReport ? (
            <DropdownMenu.Item className={menuItemClass} onSelect={onReport}>
              <Flag aria-hidden className="size-4" /> Report
            </DropdownMenu.Item>
          ) : null}
          {canDelete ? (
            <DropdownMenu.Item className={`${menuItemClass} text-red-700 dark:text-red-400`} onSelect={onDelete}>
              <Trash2 aria-hidden className="size-4" /> Delete
            </DropdownMenu.Item>
          ) : null}
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}
