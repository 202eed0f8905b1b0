"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { toast } from "sonner";
import { fieldErrorsOf, messageOf } from "@/app/_components/errors";
import { Alert, Button, Card } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/react";

/** A message to every participant of the event. */
export function AnnounceForm({ eventId }: { eventId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const id = useId();
  const [message, setMessage] = useState("");
  const announce = useMutation(
    trpc.brackets.announce.mutationOptions({
      onSuccess: () => {
        setMessage("");
        toast.success("Announcement sent to all participants.");
        void queryClient.invalidateQueries({ queryKey: trpc.brackets.history.pathKey() });
      },
    }),
  );
  const errors = fieldErrorsOf(announce.error).message;
  return (
    <section aria-labelledby={`${id}-heading`}>
      <Card>
        <form
          className="space-y-3"
          onSubmit={(e) => {
            e.preventDefault();
            announce.mutate({ eventId, message });
          }}
        >
          <h2 id={`${id}-heading`} className="text-lg font-semibold">
            Announce to all participants
          </h2>
          <div className="space-y-1">
            <label htmlFor={`${id}-message`} className="block text-sm font-medium">
              Message
            </label>
            <textarea
              id={`${id}-message`}
              value={message}
              onChange={(e) => setMessage(e.target.value)}
              rows={3}
              maxLength={1000}
              aria-invalid={errors?.length ? true : undefined}
              className="block w-full rounded-md border border-zinc-300 bg-white px-3 py-2 text-base shadow-sm sm:text-sm dark:border-zinc-700 dark:bg-zinc-900"
            />
            {errors?.length ? <p className="text-sm font-medium text-red-700 dark:text-red-400">{errors.join(" ")}</p> : null}
          </div>
          {announce.isError && !errors?.length ? <Alert>{messageOf(announce.error)}</Alert> : null}
          <Button type="submit" disabled={announce.isPending}>
            {announce.isPending ? "Sending…" : "Send announcement"}
          </Button>
        </form>
      </Card>
    </section>
  );
}
