"use client";

import { useMutation } from "@tanstack/react-query";
import { toast } from "sonner";
import { messageOf } from "@/app/_components/errors";
import { Button, Card } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/react";
import { LocalTime } from "@/app/wallet/local-time";
import { useRefreshEntries } from "./use-refresh-entries";

/** After check-in closes: drops the confirmed entries that did not check in. */
export function NoShows({
  eventId,
  checkInClosesAt,
  noShows,
  status,
}: {
  eventId: string;
  checkInClosesAt: Date;
  noShows: number;
  status: string;
}) {
  const trpc = useTRPC();
  const drop = useMutation(trpc.registration.dropNoShows.mutationOptions());
  const refresh = useRefreshEntries(eventId);
  const closed = Date.now() >= checkInClosesAt.getTime();
  return (
    <Card>
      <h2 className="text-lg font-semibold">No-shows</h2>
      <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
        {closed ? (
          `${noShows} confirmed ${noShows === 1 ? "entry has" : "entries have"} not checked in. Dropping them frees their seats; refunds follow your withdrawal policy.`
        ) : (
          <>
            Check-in closes <LocalTime date={checkInClosesAt} />. After that you can drop whoever did not check in.
          </>
        )}
      </p>
      <Button
        className="mt-4"
        variant="danger"
        disabled={!closed || noShows === 0 || status !== "published" || drop.isPending}
        onClick={async () => {
          try {
            const result = await drop.mutateAsync({ eventId });
            toast.success(`${result.dropped} no-show${result.dropped === 1 ? "" : "s"} dropped.`);
            await refresh();
          } catch (error) {
            toast.error(messageOf(error));
          }
        }}
      >
        {drop.isPending ? "Dropping…" : "Drop no-shows"}
      </Button>
    </Card>
  );
}
