"use client";

import Link from "next/link";
import { buttonClass } from "@/app/_components/ui";

export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div className="mx-auto max-w-lg py-16 text-center">
      <h1 className="text-3xl font-bold">Something went wrong on our side</h1>
      <p className="mt-3 text-zinc-600 dark:text-zinc-400">
        This page could not load just now. Nothing you entered has been lost. Please try again in a moment.
      </p>
      {error.digest ? <p className="mt-2 text-xs text-zinc-600 dark:text-zinc-400">Reference: {error.digest}</p> : null}
      <div className="mt-8 flex justify-center gap-3">
        <button type="button" onClick={reset} className={buttonClass("primary")}>
          Try again
        </button>
        <Link href="/" className={buttonClass("secondary")}>
          Home
        </Link>
      </div>
    </div>
  );
}
