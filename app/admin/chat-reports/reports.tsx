"use client";

import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { toast } from "sonner";
import { ChoiceChips } from "@/app/_components/choice-chips";
import { messageOf } from "@/app/_components/errors";
import { Alert, Button, Card, EmptyState, Spinner } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/react";
import { LocalTime } from "@/app/wallet/local-time";

type Status = "open" | "dismissed" | "actioned";

const statusLabel: Record<Status, string> = { open: "Open", dismissed: "Dismissed", actioned: "Message deleted" };
const reasonLabel: Record<string, string> = { spam: "Spam", harassment: "Harassment", cheating: "Cheating", other: "Other" };
const roomLabel: Record<string, string> = { direct: "Direct message", match: "Match room", event: "Event lobby" };

export function ChatReports() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<Status>("open");
  const reports = useInfiniteQuery(
    trpc.chat.reports.infiniteQueryOptions({ status }, { getNextPageParam: (page) => page.nextCursor ?? undefined }),
  );
  const resolve = useMutation(trpc.chat.resolveReport.mutationOptions());
  const items = reports.data?.pages.flatMap((page) => page.items) ?? [];

  async function act(reportId: string, action: "dismiss" | "delete_message") {
    try {
      const result = await resolve.mutateAsync({ reportId, action });
      toast.success(
        `${action === "dismiss" ? "Dismissed" : "Message deleted"}; ${result.closedReports} report${result.closedReports === 1 ? "" : "s"} closed.`,
      );
      await queryClient.invalidateQueries({ queryKey: trpc.chat.reports.pathKey() });
    } catch (error) {
      toast.error(messageOf(error));
    }
  }

  return (
    <div className="space-y-4">
      <ChoiceChips name="report-status" legend="Show reports" options={statusLabel} value={status} onChange={setStatus} />

      {reports.isError ? <Alert>{messageOf(reports.error)}</Alert> : null}
      {reports.isPending ? <Spinner label="Loading reports…" /> : null}
      {reports.isSuccess && items.length === 0 ? (
        <EmptyState title={status === "open" ? "Nothing to review" : "No reports here"}>
          {status === "open" ? "When a player reports a message, it appears here." : "Reports you close are listed here."}
        </EmptyState>
      ) : null}

      <ul className="space-y-3">
        {items.map((report) => (
          <li key={report.id}>
            <Card className="space-y-3 p-4">
              <div className="flex flex-wrap items-baseline justify-between gap-2">
                <p className="font-semibold">
                  {reasonLabel[report.reason] ?? report.reason}
                  <span className="font-normal text-zinc-600 dark:text-zinc-400">
                    {" "}
                    · reported by {report.reporter.name} · <LocalTime date={report.createdAt} />
                    {report.reportsOnMessage > 1 ? ` · ${report.reportsOnMessage} reports on this message` : ""}
                  </span>
                </p>
                <span className="text-sm text-zinc-600 dark:text-zinc-400">
                  {roomLabel[report.room.kind] ?? report.room.kind}
                  {report.eventName ? ` · ${report.eventName}` : ""}
                </span>
              </div>
              <blockquote className="rounded-md border-l-4 border-zinc-300 bg-zinc-50 px-3 py-2 text-sm dark:border-zinc-700 dark:bg-zinc-900">
                <p className="mb-1 text-xs font-semibold text-zinc-600 dark:text-zinc-400">
                  {report.sender.name} · <LocalTime date={report.message.createdAt} />
                </p>
                {report.message.deletedAt ? (
                  <p className="italic text-zinc-600 dark:text-zinc-400">Message deleted</p>
                ) : (
                  <p className="whitespace-pre-wrap break-words">{report.message.body}</p>
                )}
              </blockquote>
              {report.details ? (
                <p className="text-sm">
                  <span className="font-semibold">Details: </span>
                  <span className="whitespace-pre-wrap break-words">{report.details}</span>
                </p>
              ) : null}
              {report.status === "open" ? (
                <div className="flex flex-wrap gap-2">
                  <Button variant="danger" disabled={resolve.isPending} onClick={() => act(report.id, "delete_message")}>
                    Delete message
                  </Button>
                  <Button variant="secondary" disabled={resolve.isPending} onClick={() => act(report.id, "dismiss")}>
                    Dismiss
                  </Button>
                </div>
              ) : (
                <p className="text-sm text-zinc-600 dark:text-zinc-400">
                  {statusLabel[report.status as Status]}
                  {report.resolvedAt ? (
                    <>
                      {" "}
                      · <LocalTime date={report.resolvedAt} />
                    </>
                  ) : null}
                </p>
              )}
            </Card>
          </li>
        ))}
      </ul>
      {reports.hasNextPage ? (
        <Button variant="secondary" disabled={reports.isFetchingNextPage} onClick={() => reports.fetchNextPage()}>
          {reports.isFetchingNextPage ? "Loading…" : "Show more"}
        </Button>
      ) : null}
    </div>
  );
}
