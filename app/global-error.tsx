"use client";

import "./globals.css";

export default function GlobalError({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <html lang="en">
      <body className="min-h-dvh">
        <main className="mx-auto max-w-lg px-4 py-24 text-center">
          <h1 className="text-3xl font-bold">Driftwood is having trouble</h1>
          <p className="mt-3 text-zinc-600 dark:text-zinc-400">We could not load the page. Please try again in a moment.</p>
          <button
            type="button"
            onClick={reset}
            className="mt-8 rounded-md bg-brand-500 px-4 py-2 text-sm font-semibold text-zinc-950 hover:bg-brand-400"
          >
            Try again
          </button>
        </main>
      </body>
    </html>
  );
}
