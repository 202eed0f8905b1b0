"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { toast } from "sonner";
import { fieldErrorsOf, messageOf } from "@/app/_components/errors";
import { TextField } from "@/app/_components/field";
import { Button, Card } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/react";

/** Cancels the event with a reason for the players; everyone is refunded. */
export function CancelEvent({ eventId }: { eventId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const cancel = useMutation(trpc.registration.cancelEvent.mutationOptions());
  const [reason, setReason] = useState("");
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  return (
    <Card>
      <h2 className="text-lg font-semibold">Cancel the event</h2>
      <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
        Every entry is refunded in full (wallet part to the wallet, card part to the card) and players are told why. This cannot be undone.
      </p>
      <form
        className="mt-4 space-y-3"
        noValidate
        onSubmit={async (e) => {
          e.preventDefault();
          try {
            await cancel.mutateAsync({ eventId, reason });
            toast.success("Event cancelled. Refunds are on their way.");
            await queryClient.invalidateQueries({ queryKey: trpc.events.get.queryKey({ eventId }) });
          } catch (error) {
            const fields = fieldErrorsOf(error);
            if (Object.keys(fields).length > 0) setErrors(fields);
            else toast.error(messageOf(error));
          }
        }}
      >
        <TextField
          id="cancel-reason"
          label="Reason shown to players"
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          errors={errors.reason}
        />
        <Button type="submit" variant="danger" disabled={cancel.isPending}>
          {cancel.isPending ? "Cancelling…" : "Cancel event and refund everyone"}
        </Button>
      </form>
    </Card>
  );
}
