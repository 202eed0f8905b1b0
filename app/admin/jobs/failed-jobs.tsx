"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { toast } from "sonner";
import { messageOf } from "@/app/_components/errors";
import { Alert, Button, Card, EmptyState, Spinner } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/react";
import { LocalTime } from "@/app/wallet/local-time";

export function FailedJobs() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const jobs = useQuery(trpc.admin.failedJobs.queryOptions());
  const retry = useMutation(trpc.admin.retryJob.mutationOptions());

  if (jobs.isPending) return <Spinner label="Loading failed jobs…" />;
  if (jobs.isError) return <Alert>{messageOf(jobs.error)}</Alert>;
  if (jobs.data.length === 0)
    return <EmptyState title="No failed jobs">Every job in the queue is waiting for its turn or running.</EmptyState>;
  return (
    <ul className="space-y-3">
      {jobs.data.map((job) => (
        <li key={job.id}>
          <Card className="p-4">
            <div className="flex flex-wrap items-start justify-between gap-3">
              <div className="min-w-0 flex-1">
                <p className="font-semibold">
                  <span className="font-mono">{job.task}</span> · job {job.id}{" "}
                  <span
                    className={`ml-1 rounded px-2 py-0.5 text-xs font-semibold ${job.dead ? "bg-red-100 text-red-900 dark:bg-red-900 dark:text-red-100" : "bg-amber-100 text-amber-900 dark:bg-amber-900 dark:text-amber-100"}`}
                  >
                    {job.dead ? "Gave up" : "Will retry"}
                  </span>
                </p>
                <p className="text-sm text-zinc-600 dark:text-zinc-400">
                  Attempt {job.attempts} of {job.maxAttempts} · last failed <LocalTime date={job.updatedAt} />
                  {job.dead ? null : (
                    <>
                      {" "}
                      · next attempt <LocalTime date={job.runAt} />
                    </>
                  )}
                  {job.running ? " · running now" : null}
                </p>
                <pre className="mt-2 max-h-40 overflow-auto whitespace-pre-wrap break-words rounded bg-zinc-100 p-2 text-xs dark:bg-zinc-900">
                  {job.lastError}
                </pre>
              </div>
              <Button
                variant="secondary"
                disabled={job.running || (retry.isPending && retry.variables?.jobId === job.id)}
                onClick={async () => {
                  try {
                    await retry.mutateAsync({ jobId: job.id });
                    toast.success(`Job ${job.id} will run again now.`);
                  } catch (error) {
                    toast.error(messageOf(error));
                  } finally {
                    await queryClient.invalidateQueries({ queryKey: trpc.admin.failedJobs.queryKey() });
                  }
                }}
              >
                {retry.isPending && retry.variables?.jobId === job.id ? "Retrying…" : "Retry now"}
              </Button>
            </div>
          </Card>
        </li>
      ))}
    </ul>
  );
}
