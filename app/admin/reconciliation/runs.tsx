"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { toast } from "sonner";
import { messageOf } from "@/app/_components/errors";
import { Alert, Button, Card, EmptyState, Spinner } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/react";
import { LocalTime } from "@/app/wallet/local-time";
import type { MismatchKind } from "@/lib/mismatch-kinds";
import { formatMoney } from "@/lib/money";

const kindLabel: Record<MismatchKind, string> = {
  paid_not_credited: "Paid but not credited",
  credited_not_paid: "Credited but not paid",
  refund_amount_differs: "Refund amounts differ",
  payout_not_recorded: "Paid out but not recorded",
  payout_recorded_not_paid: "Recorded but not paid out",
};

export function ReconciliationRuns() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const runs = useQuery({
    ...trpc.admin.reconciliationRuns.queryOptions(),
    // While a run is going, look again every two seconds.
    refetchInterval: (query) => (query.state.data?.some((run) => run.status === "running") ? 2000 : false),
  });
  const [waitingForRun, setWaitingForRun] = useState(false);
  const start = useMutation(trpc.admin.runReconciliation.mutationOptions());
  const [openRun, setOpenRun] = useState<string | null>(null);

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center gap-3">
        <Button
          disabled={start.isPending}
          onClick={async () => {
            try {
              await start.mutateAsync();
              toast.success("Reconciliation queued. Results appear below in a few seconds.");
              setWaitingForRun(true);
              setTimeout(() => {
                void queryClient.invalidateQueries({ queryKey: trpc.admin.reconciliationRuns.queryKey() });
                setWaitingForRun(false);
              }, 2500);
            } catch (error) {
              toast.error(messageOf(error));
            }
          }}
        >
          {start.isPending ? "Queueing…" : "Run reconciliation now"}
        </Button>
        {waitingForRun ? <Spinner label="Waiting for the run to start…" /> : null}
      </div>
      {runs.isError ? <Alert>{messageOf(runs.error)}</Alert> : null}
      {runs.isPending ? <Spinner label="Loading runs…" /> : null}
      {runs.data?.length === 0 ? (
        <EmptyState title="No runs yet">Start one with the button above, or wait for the daily run.</EmptyState>
      ) : null}
      <ul className="space-y-3">
        {runs.data?.map((run) => (
          <li key={run.id}>
            <Card className="p-4">
              <div className="flex flex-wrap items-center justify-between gap-3">
                <div>
                  <p className="font-semibold">
                    <LocalTime date={run.startedAt} /> · <span className="capitalize">{run.trigger}</span>
                  </p>
                  <p className="text-sm text-zinc-600 dark:text-zinc-400">
                    {run.status === "running"
                      ? "Running…"
                      : run.status === "failed"
                        ? `Failed: ${run.error ?? "unknown error"}`
                        : `${run.intentsChecked} payments checked · ${run.mismatchCount} mismatch${run.mismatchCount === 1 ? "" : "es"} · ${run.repairedCount} repaired`}
                  </p>
                </div>
                {run.mismatchCount > 0 ? (
                  <Button
                    variant="secondary"
                    aria-expanded={openRun === run.id}
                    onClick={() => setOpenRun(openRun === run.id ? null : run.id)}
                  >
                    {openRun === run.id ? "Hide mismatches" : "Show mismatches"}
                  </Button>
                ) : (
                  <span className="rounded bg-emerald-100 px-2 py-1 text-xs font-semibold text-emerald-900 dark:bg-emerald-900 dark:text-emerald-100">
                    {run.status === "finished" ? "All matched" : run.status}
                  </span>
                )}
              </div>
              {openRun === run.id ? <Mismatches runId={run.id} /> : null}
            </Card>
          </li>
        ))}
      </ul>
    </div>
  );
}

function Mismatches({ runId }: { runId: string }) {
  const trpc = useTRPC();
  const mismatches = useQuery(trpc.admin.reconciliationMismatches.queryOptions({ runId }));
  if (mismatches.isPending) return <Spinner label="Loading mismatches…" />;
  if (mismatches.isError) return <Alert>{messageOf(mismatches.error)}</Alert>;
  return (
    <div className="mt-4 relative overflow-x-auto">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">Mismatches found by this run</caption>
        <thead className="text-xs uppercase text-zinc-600 dark:text-zinc-400">
          <tr>
            <th scope="col" className="py-2 pr-4">
              Kind
            </th>
            <th scope="col" className="py-2 pr-4">
              Processor payment
            </th>
            <th scope="col" className="py-2 pr-4">
              Processor says
            </th>
            <th scope="col" className="py-2 pr-4">
              Ledger says
            </th>
            <th scope="col" className="py-2">
              Repaired
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-200 dark:divide-zinc-800">
          {mismatches.data.map((m) => (
            <tr key={m.id}>
              <td className="py-2 pr-4">{kindLabel[m.kind] ?? m.kind}</td>
              <td className="py-2 pr-4 font-mono text-xs">{m.gatewayPaymentId ?? "—"}</td>
              <td className="py-2 pr-4">{m.expectedAmount === null ? "—" : formatMoney(m.expectedAmount)}</td>
              <td className="py-2 pr-4">{m.actualAmount === null ? "—" : formatMoney(m.actualAmount)}</td>
              <td className="py-2">{m.repaired === "yes" ? "Yes, credited once" : "No: needs a look"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
