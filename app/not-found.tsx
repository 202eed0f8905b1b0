import Link from "next/link";
import { buttonClass } from "@/app/_components/ui";

export default function NotFound() {
  return (
    <div className="mx-auto max-w-lg py-16 text-center">
      <p className="text-sm font-semibold uppercase tracking-wide text-brand-700 dark:text-brand-300">404</p>
      <h1 className="mt-2 text-3xl font-bold">We couldn&apos;t find that page</h1>
      <p className="mt-3 text-zinc-600 dark:text-zinc-400">The link may be broken, or the page may have been moved or removed.</p>
      <div className="mt-8 flex justify-center gap-3">
        <Link href="/" className={buttonClass("primary")}>
          Home
        </Link>
        <Link href="/events" className={buttonClass("secondary")}>
          Browse events
        </Link>
      </div>
    </div>
  );
}
