import Link from "next/link";
import { buttonClass } from "@/app/_components/ui";

export default function Forbidden() {
  return (
    <div className="mx-auto max-w-lg py-16 text-center">
      <p className="text-sm font-semibold uppercase tracking-wide text-brand-700 dark:text-brand-300">403</p>
      <h1 className="mt-2 text-3xl font-bold">You don&apos;t have access to this page</h1>
      <p className="mt-3 text-zinc-600 dark:text-zinc-400">
        This part of Driftwood is for organizers or administrators. If you think you should have access, ask an administrator to change your
        role.
      </p>
      <Link href="/" className={buttonClass("primary", "mt-8")}>
        Back to the home page
      </Link>
    </div>
  );
}
