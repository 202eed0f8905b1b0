"use client";

import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { toast } from "sonner";
import { fieldErrorsOf, messageOf } from "@/app/_components/errors";
import { TextField } from "@/app/_components/field";
import { Button, Card } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/react";
import { useRefreshEntries } from "./use-refresh-entries";

/** The organizer adds a player by email: a free, confirmed entry. */
export function AddParticipant({ eventId }: { eventId: string }) {
  const trpc = useTRPC();
  const add = useMutation(trpc.registration.addParticipant.mutationOptions());
  const refresh = useRefreshEntries(eventId);
  const [email, setEmail] = useState("");
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  return (
    <Card>
      <h2 className="text-lg font-semibold">Add a player</h2>
      <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
        A free, confirmed entry: collect any fee yourself. The player is notified.
      </p>
      <form
        className="mt-4 space-y-3"
        noValidate
        onSubmit={async (e) => {
          e.preventDefault();
          try {
            const row = await add.mutateAsync({ eventId, email });
            toast.success(`Added. Registration ${row.id.slice(0, 8)} is confirmed.`);
            setEmail("");
            setErrors({});
            await refresh();
          } catch (error) {
            const fields = fieldErrorsOf(error);
            if (Object.keys(fields).length > 0) setErrors(fields);
            else toast.error(messageOf(error));
          }
        }}
      >
        <TextField
          id="add-email"
          type="email"
          label="Player's email"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          errors={errors.email}
        />
        <Button type="submit" disabled={add.isPending}>
          {add.isPending ? "Adding…" : "Add player"}
        </Button>
      </form>
    </Card>
  );
}
