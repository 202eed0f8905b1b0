"use client";

import { useAnyReconnecting, type LiveStatus as Status } from "./use-live";

/** A small notice while a live connection is down; empty otherwise. Without `status`, watches every live connection on the page. */
export function LiveStatus({ status }: { status?: Status }) {
  const anyReconnecting = useAnyReconnecting();
  const reconnecting = status ? status === "reconnecting" : anyReconnecting;
  // The live region is always there, so screen readers announce the notice when it appears.
  return (
    <span role="status" className="inline-flex items-center gap-1.5 text-xs font-medium text-amber-700 dark:text-amber-400">
      {reconnecting ? (
        <>
          <span aria-hidden className="size-2 animate-pulse rounded-full bg-amber-500" />
          Reconnecting…
        </>
      ) : null}
    </span>
  );
}
