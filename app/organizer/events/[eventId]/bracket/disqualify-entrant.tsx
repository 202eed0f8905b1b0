"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { toast } from "sonner";
import { messageOf } from "@/app/_components/errors";
import { SelectField } from "@/app/_components/field";
import { Alert, Button, Card } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/react";
import type { ConsoleEntrant } from "./labels";

/** Disqualifies an entrant (asked twice): their opponents advance. */
export function DisqualifyEntrant({ eventId, entrants }: { eventId: string; entrants: ConsoleEntrant[] }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [entrantId, setEntrantId] = useState("");
  const [confirming, setConfirming] = useState(false);
  const eligible = entrants.filter((entrant) => !entrant.disqualified).sort((a, b) => a.seed - b.seed);
  const chosen = eligible.find((entrant) => entrant.id === entrantId);
  const dq = useMutation(
    trpc.brackets.disqualify.mutationOptions({
      onSuccess: () => {
        toast.success(`${chosen?.name ?? "The entrant"} was disqualified.`);
        setConfirming(false);
        setEntrantId("");
        void queryClient.invalidateQueries({ queryKey: trpc.brackets.get.queryKey({ eventId }) });
        void queryClient.invalidateQueries({ queryKey: trpc.brackets.consoleMatches.pathKey() });
        void queryClient.invalidateQueries({ queryKey: trpc.brackets.history.pathKey() });
      },
      onError: () => setConfirming(false),
    }),
  );
  return (
    <section aria-labelledby="dq-heading">
      <Card className="space-y-3">
        <h2 id="dq-heading" className="text-lg font-semibold">
          Disqualify an entrant
        </h2>
        <SelectField
          id="dq-entrant"
          label="Entrant"
          value={entrantId}
          onChange={(e) => {
            setEntrantId(e.target.value);
            setConfirming(false);
          }}
        >
          <option value="">Choose an entrant…</option>
          {eligible.map((entrant) => (
            <option key={entrant.id} value={entrant.id}>
              {entrant.seed}. {entrant.name}
            </option>
          ))}
        </SelectField>
        {dq.isError ? <Alert>{messageOf(dq.error)}</Alert> : null}
        {confirming && chosen ? (
          <fieldset
            aria-labelledby="confirm-dq"
            className="min-w-0 space-y-2 rounded-md border border-red-300 bg-red-50 p-3 dark:border-red-800 dark:bg-red-950"
          >
            <p id="confirm-dq" className="text-sm">
              Disqualify {chosen.name}? Their opponents advance.
            </p>
            <div className="flex flex-wrap gap-2">
              <Button type="button" variant="danger" disabled={dq.isPending} onClick={() => dq.mutate({ eventId, entrantId: chosen.id })}>
                {dq.isPending ? "Disqualifying…" : `Yes, disqualify ${chosen.name}`}
              </Button>
              <Button type="button" variant="secondary" onClick={() => setConfirming(false)}>
                Cancel
              </Button>
            </div>
          </fieldset>
        ) : (
          <Button type="button" variant="danger" disabled={!chosen} onClick={() => setConfirming(true)}>
            Disqualify
          </Button>
        )}
      </Card>
    </section>
  );
}
