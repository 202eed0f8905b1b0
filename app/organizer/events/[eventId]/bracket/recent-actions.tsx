"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { toast } from "sonner";
import { messageOf } from "@/app/_components/errors";
import { Alert, Button, Card, Spinner } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/react";
import { ACTION_LABEL, time } from "./labels";

/** The last actions on the bracket, and undoing the last one (asked twice). */
export function RecentActions({ eventId }: { eventId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const history = useQuery(trpc.brackets.history.queryOptions({ eventId, limit: 10 }));
  const [confirming, setConfirming] = useState(false);
  const undo = useMutation(
    trpc.brackets.undo.mutationOptions({
      onSuccess: () => {
        setConfirming(false);
        toast.success("The last action was undone.");
        void queryClient.invalidateQueries({ queryKey: trpc.brackets.get.queryKey({ eventId }) });
        void queryClient.invalidateQueries({ queryKey: trpc.brackets.consoleMatches.pathKey() });
        void queryClient.invalidateQueries({ queryKey: trpc.brackets.history.pathKey() });
      },
      onError: () => setConfirming(false),
    }),
  );
  const undoable = history.data?.undoable ?? null;
  const undoLabel = undoable ? ACTION_LABEL[undoable.kind].toLowerCase() : "";
  return (
    <section aria-labelledby="history-heading">
      <Card className="space-y-3">
        <h2 id="history-heading" className="text-lg font-semibold">
          Recent actions
        </h2>
        {history.isPending ? (
          <Spinner label="Loading history" />
        ) : history.isError ? (
          <Alert>{messageOf(history.error)}</Alert>
        ) : (
          <>
            <div className="space-y-2">
              {undoable ? (
                confirming ? (
                  <fieldset
                    aria-labelledby="confirm-undo"
                    className="min-w-0 space-y-2 rounded-md border border-amber-300 bg-amber-50 p-3 dark:border-amber-800 dark:bg-amber-950"
                  >
                    <p id="confirm-undo" className="text-sm">
                      Undo “{undoLabel}”? Players affected are notified.
                    </p>
                    <div className="flex flex-wrap gap-2">
                      <Button type="button" disabled={undo.isPending} onClick={() => undo.mutate({ eventId })}>
                        {undo.isPending ? "Undoing…" : "Yes, undo"}
                      </Button>
                      <Button type="button" variant="secondary" onClick={() => setConfirming(false)}>
                        Cancel
                      </Button>
                    </div>
                  </fieldset>
                ) : (
                  <Button type="button" variant="secondary" onClick={() => setConfirming(true)}>
                    Undo: {undoLabel}
                  </Button>
                )
              ) : (
                <p className="text-sm text-zinc-600 dark:text-zinc-400">Nothing to undo.</p>
              )}
              {undo.isError ? <Alert>{messageOf(undo.error)}</Alert> : null}
            </div>
            <ol className="divide-y divide-zinc-200 text-sm dark:divide-zinc-800">
              {history.data.actions.map((action) => (
                <li key={action.id} className={`flex justify-between gap-3 py-1.5 ${action.undoneAt ? "text-zinc-400 line-through" : ""}`}>
                  <span className="min-w-0">
                    {ACTION_LABEL[action.kind]}
                    {action.matchLabel ? (
                      <>
                        {" · "}
                        <span className="font-medium">{action.matchLabel}</span>
                      </>
                    ) : null}
                    {action.actorName ? <span className="text-zinc-600 dark:text-zinc-400"> · {action.actorName}</span> : null}
                  </span>
                  <time dateTime={action.at} className="shrink-0 tabular-nums text-zinc-600 dark:text-zinc-400">
                    {time(action.at)}
                  </time>
                </li>
              ))}
            </ol>
          </>
        )}
      </Card>
    </section>
  );
}
