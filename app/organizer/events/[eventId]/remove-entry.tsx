"use client";

import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { toast } from "sonner";
import { messageOf } from "@/app/_components/errors";
import { Button } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/react";
import { useRefreshEntries } from "./use-refresh-entries";

/** Before the start: removal with the refund chosen; after it: a disqualification, no refund. */
export function RemoveEntry({
  eventId,
  registrationId,
  name,
  paid,
  started,
}: {
  eventId: string;
  registrationId: string;
  name: string;
  paid: boolean;
  started: boolean;
}) {
  const trpc = useTRPC();
  const remove = useMutation(trpc.registration.removeParticipant.mutationOptions());
  const refresh = useRefreshEntries(eventId);
  const [open, setOpen] = useState(false);
  const [refund, setRefund] = useState<"full" | "policy" | "none">("full");
  if (!open) {
    return (
      <Button variant="ghost" className="px-2 py-1" onClick={() => setOpen(true)}>
        {started ? "Disqualify" : "Remove"}
        <span className="sr-only"> {name}</span>
      </Button>
    );
  }
  return (
    <div className="flex min-w-56 flex-col gap-2">
      {started ? (
        <p className="text-xs">
          The bracket has started: {name}&apos;s remaining matches go to their opponents, and entry fees are not refunded.
        </p>
      ) : paid ? (
        <label className="text-xs">
          Refund
          <select
            value={refund}
            onChange={(e) => setRefund(e.target.value as typeof refund)}
            className="ml-2 rounded border border-zinc-300 bg-white px-1 py-0.5 dark:border-zinc-700 dark:bg-zinc-900"
          >
            <option value="full">In full</option>
            <option value="policy">By the withdrawal policy</option>
            <option value="none">Nothing</option>
          </select>
        </label>
      ) : null}
      <div className="flex gap-2">
        <Button
          variant="danger"
          className="px-2 py-1"
          disabled={remove.isPending}
          onClick={async () => {
            try {
              await remove.mutateAsync({ registrationId, refund });
              toast.success(started ? `${name} was disqualified.` : `${name} was removed.`);
              await refresh();
            } catch (error) {
              toast.error(messageOf(error));
            }
          }}
        >
          {remove.isPending ? (started ? "Disqualifying…" : "Removing…") : started ? `Disqualify ${name}` : `Remove ${name}`}
        </Button>
        <Button variant="secondary" className="px-2 py-1" onClick={() => setOpen(false)}>
          Keep
        </Button>
      </div>
    </div>
  );
}
