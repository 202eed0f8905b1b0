"use client";

import * as DropdownMenu from "@radix-ui/react-dropdown-menu";
import { ChevronDown, LogOut, ShieldCheck, UserRound } from "lucide-react";
import Link from "next/link";
import { Avatar } from "./avatar";

const itemClass =
  "flex w-full cursor-pointer items-center gap-2 rounded px-3 py-2 text-sm outline-none data-[highlighted]:bg-zinc-100 dark:data-[highlighted]:bg-zinc-800";

export function UserMenu({
  user,
  signOutAction,
}: {
  user: { name: string; email: string; image: string | null; role: string };
  signOutAction: () => Promise<void>;
}) {
  return (
    <DropdownMenu.Root>
      <DropdownMenu.Trigger className="flex items-center gap-2 rounded-full p-1 pr-2 hover:bg-zinc-200 dark:hover:bg-zinc-800">
        <Avatar name={user.name} image={user.image} />
        {/* The name is the button's visible label (read on phones too, where it is not shown). */}
        <span className="sr-only">Account menu for </span>
        <span className="max-w-32 truncate text-sm font-medium max-sm:sr-only">{user.name}</span>
        <ChevronDown aria-hidden className="size-4" />
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content
          align="end"
          sideOffset={6}
          className="z-50 min-w-56 rounded-md border border-zinc-200 bg-white p-1 text-zinc-900 shadow-lg dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-100"
        >
          <div className="px-3 py-2">
            <p className="truncate text-sm font-semibold">{user.name}</p>
            <p className="truncate text-xs text-zinc-600 dark:text-zinc-400">{user.email}</p>
            <p className="mt-1 text-xs capitalize text-zinc-600 dark:text-zinc-400">{user.role}</p>
          </div>
          <DropdownMenu.Separator className="my-1 h-px bg-zinc-200 dark:bg-zinc-800" />
          <DropdownMenu.Item asChild>
            <Link href="/profile" className={itemClass}>
              <UserRound aria-hidden className="size-4" /> Profile
            </Link>
          </DropdownMenu.Item>
          <DropdownMenu.Item asChild>
            <Link href="/profile/security" className={itemClass}>
              <ShieldCheck aria-hidden className="size-4" /> Sign-in and security
            </Link>
          </DropdownMenu.Item>
          <form action={signOutAction}>
            {/* Keep the menu (and so the form) mounted while the sign-out request runs. */}
            <DropdownMenu.Item asChild onSelect={(event) => event.preventDefault()}>
              <button type="submit" className={itemClass}>
                <LogOut aria-hidden className="size-4" /> Sign out
              </button>
            </DropdownMenu.Item>
          </form>
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}
