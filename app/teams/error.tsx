"use client";

import Link from "next/link";
import { buttonClass } from "@/app/_components/ui";

export default function TeamsError({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div role="alert" className="mx-auto max-w-lg py-16 text-center">
      <h1 className="text-2xl font-bold">We couldn&apos;t load this team page</h1>
      <p className="mt-3 text-zinc-600 dark:text-zinc-400">
        Something went wrong while loading teams. Nothing has changed on your teams. Please try again in a moment.
      </p>
      <div className="mt-8 flex justify-center gap-3">
        <button type="button" onClick={reset} className={buttonClass("primary")}>
          Try again
        </button>
        <Link href="/teams" className={buttonClass("secondary")}>
          Your teams
        </Link>
      </div>
    </div>
  );
}
