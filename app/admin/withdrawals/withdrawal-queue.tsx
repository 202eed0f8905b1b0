"use client";

import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { usePathname, useRouter } from "next/navigation";
import { useEffect, useId, useState } from "react";
import { Pagination } from "@/app/_components/pagination";
import { ConfirmationCancelled, useConfirmIdentity } from "@/app/_components/confirm-identity";
import { messageOf } from "@/app/_components/errors";
import { SelectField, TextField } from "@/app/_components/field";
import { Alert, Button, EmptyState, Spinner } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/react";
import { formatMoney } from "@/lib/money";
import { WITHDRAWAL_STATUS_FILTERS, WITHDRAWAL_STATUS_LABELS, type WithdrawalStatusFilter } from "@/server/withdrawals/admin-schemas";
import { RejectDialog } from "./reject-dialog";
import { decisionInWords, draftErrors, EMPTY_FILTERS, filtersToQuery, isFiltered, type QueueFilters, queueQueryInput } from "./filters";
import { type QueueRow, rowInWords, WithdrawalTable } from "./withdrawal-table";

export function WithdrawalQueue({ initial, adminId }: { initial: QueueFilters; adminId: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const pathname = usePathname();
  const queryClient = useQueryClient();
  const id = useId();
  const [filters, setFilters] = useState<QueueFilters>(initial);
  const [draft, setDraft] = useState<QueueFilters>(initial);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [rejecting, setRejecting] = useState<{ ids: string[]; what: string } | null>(null);
  const [outcome, setOutcome] = useState<string | null>(null);
  const { withConfirmation, dialog } = useConfirmIdentity();

  // The filters live in the URL, so a filtered view can be shared and survives a reload.
  useEffect(() => {
    const query = filtersToQuery(filters);
    router.replace(query ? `${pathname}?${query}` : pathname, { scroll: false });
  }, [filters, pathname, router]);

  const appliedErrors = draftErrors(filters);
  const queue = useQuery({
    ...trpc.admin.withdrawals.queryOptions(queueQueryInput(filters)),
    placeholderData: keepPreviousData,
    enabled: Object.keys(appliedErrors).length === 0,
  });
  const decide = useMutation(trpc.admin.decideWithdrawals.mutationOptions());
  const errors = draftErrors(draft);
  const filtered = isFiltered(filters);
  const rows = queue.data?.rows ?? [];
  const chosen = rows.filter((row) => selected.has(row.id));
  const decidable = rows.filter((row) => row.status === "requested" && row.user.id !== adminId);

  const apply = (next: QueueFilters) => {
    setDraft(next);
    setFilters(next);
    setSelected(new Set());
  };

  async function run(ids: string[], decision: "approve" | "reject", reason?: string): Promise<boolean> {
    setOutcome(null);
    try {
      const result = await withConfirmation(() => decide.mutateAsync({ ids, decision, reason }));
      setOutcome(decisionInWords(decision, result));
      setSelected((now) => new Set([...now].filter((one) => !ids.includes(one))));
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: trpc.admin.withdrawals.queryKey() }),
        queryClient.invalidateQueries({ queryKey: trpc.admin.withdrawalCounts.queryKey() }),
        queryClient.invalidateQueries({ queryKey: trpc.admin.wallet.queryKey() }),
        queryClient.invalidateQueries({ queryKey: trpc.admin.walletHistory.queryKey() }),
      ]);
      return true;
    } catch (error) {
      if (error instanceof ConfirmationCancelled) decide.reset();
      return false;
    }
  }

  const reject = (ids: string[], what: string) => {
    decide.reset();
    setRejecting({ ids, what });
  };
  const selectionWords = (list: QueueRow[]) =>
    list.length === 1
      ? rowInWords(list[0]!)
      : `${list.length} withdrawals (${formatMoney(list.reduce((sum, row) => sum + row.amount, 0))})`;

  return (
    <div className="space-y-4">
      {queue.data ? (
        <p className="text-sm text-zinc-700 dark:text-zinc-300" data-testid="withdrawal-counts">
          <strong>{queue.data.counts.waiting}</strong> waiting for review · <strong>{queue.data.counts.velocityLastDay}</strong> velocity
          alert{queue.data.counts.velocityLastDay === 1 ? "" : "s"} in the last 24 hours
        </p>
      ) : null}
      <form
        className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4 lg:items-end"
        aria-label="Filter withdrawals"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          if (Object.keys(errors).length === 0)
            apply({ ...draft, user: draft.user.trim(), min: draft.min.trim(), max: draft.max.trim(), page: 1 });
        }}
      >
        <SelectField
          id={`${id}-status`}
          label="Status"
          value={draft.status}
          onChange={(event) => setDraft({ ...draft, status: event.target.value as WithdrawalStatusFilter })}
        >
          {WITHDRAWAL_STATUS_FILTERS.map((status) => (
            <option key={status} value={status}>
              {WITHDRAWAL_STATUS_LABELS[status]}
            </option>
          ))}
        </SelectField>
        <TextField
          id={`${id}-user`}
          label="Player"
          type="search"
          placeholder="Name or email"
          maxLength={100}
          value={draft.user}
          onChange={(event) => setDraft({ ...draft, user: event.target.value })}
        />
        <TextField
          id={`${id}-from`}
          label="From (UTC day)"
          type="date"
          value={draft.from}
          onChange={(event) => setDraft({ ...draft, from: event.target.value })}
        />
        <TextField
          id={`${id}-to`}
          label="To (UTC day)"
          type="date"
          value={draft.to}
          errors={errors.to ? [errors.to] : undefined}
          onChange={(event) => setDraft({ ...draft, to: event.target.value })}
        />
        <TextField
          id={`${id}-min`}
          label="Amount from ($)"
          inputMode="decimal"
          placeholder="0.00"
          maxLength={16}
          value={draft.min}
          errors={errors.min ? [errors.min] : undefined}
          onChange={(event) => setDraft({ ...draft, min: event.target.value })}
        />
        <TextField
          id={`${id}-max`}
          label="Amount to ($)"
          inputMode="decimal"
          placeholder="5,000.00"
          maxLength={16}
          value={draft.max}
          errors={errors.max ? [errors.max] : undefined}
          onChange={(event) => setDraft({ ...draft, max: event.target.value })}
        />
        <label className="flex items-center gap-2 text-sm font-medium lg:pb-2">
          <input
            type="checkbox"
            className="size-4"
            checked={draft.flagged}
            onChange={(event) => setDraft({ ...draft, flagged: event.target.checked })}
          />
          Flagged only
        </label>
        <div className="flex gap-2">
          <Button type="submit">Filter</Button>
          {filtered || filters.status !== "requested" ? (
            <Button type="button" variant="ghost" onClick={() => apply(EMPTY_FILTERS)}>
              Clear
            </Button>
          ) : null}
        </div>
      </form>

      {outcome ? <Alert tone="success">{outcome}</Alert> : null}
      {decide.error && !rejecting ? <Alert>{messageOf(decide.error)}</Alert> : null}
      {Object.keys(appliedErrors).length > 0 ? <Alert>{Object.values(appliedErrors).join(" ")}</Alert> : null}
      {queue.isError ? (
        <Alert>
          {messageOf(queue.error)}{" "}
          <button type="button" className="font-medium underline" onClick={() => queue.refetch()}>
            Try again
          </button>
        </Alert>
      ) : null}
      {queue.isLoading ? <Spinner label="Loading withdrawals…" /> : null}

      {queue.data && rows.length === 0 ? (
        filtered || filters.status !== "requested" ? (
          <EmptyState title="No withdrawals match these filters">
            Try a wider date or amount range, another player, or clear the filters.
          </EmptyState>
        ) : (
          <EmptyState title="No withdrawals wait for review">
            Requests flagged for review (a bank account added in the last day, many requests in an hour) will wait here.
          </EmptyState>
        )
      ) : null}

      {queue.data && rows.length > 0 ? (
        <>
          {decidable.length > 0 ? (
            <fieldset
              className="sticky top-0 z-10 flex flex-wrap items-center gap-2 rounded-md border border-zinc-200 bg-white px-3 py-2 text-sm dark:border-zinc-800 dark:bg-zinc-950"
              aria-label="Decide the selected withdrawals"
            >
              {/* The table's header has this box on wide screens; the cards below lg have no header. */}
              <input
                type="checkbox"
                className="size-4 lg:hidden"
                checked={decidable.every((row) => selected.has(row.id))}
                onChange={(event) => setSelected(event.target.checked ? new Set(decidable.map((row) => row.id)) : new Set())}
                aria-label="Select every waiting withdrawal on this page"
              />
              <span className="mr-auto text-zinc-700 dark:text-zinc-300">
                {chosen.length === 0 ? "Select waiting withdrawals to decide several at once." : `${selectionWords(chosen)} selected`}
              </span>
              <Button
                type="button"
                disabled={chosen.length === 0 || decide.isPending}
                onClick={() =>
                  run(
                    chosen.map((row) => row.id),
                    "approve",
                  )
                }
              >
                {decide.isPending && !rejecting ? "Working…" : "Approve selected"}
              </Button>
              <Button
                type="button"
                variant="secondary"
                disabled={chosen.length === 0 || decide.isPending}
                onClick={() =>
                  reject(
                    chosen.map((row) => row.id),
                    selectionWords(chosen),
                  )
                }
              >
                Reject selected…
              </Button>
            </fieldset>
          ) : null}
          <div
            className={`relative overflow-x-auto rounded-lg border border-zinc-200 dark:border-zinc-800 ${queue.isFetching ? "opacity-70" : ""}`}
            aria-busy={queue.isFetching}
          >
            <WithdrawalTable
              rows={rows}
              adminId={adminId}
              caption={`Withdrawals, ${filters.status === "requested" ? "oldest first" : "newest first"}, page ${queue.data.page} of ${queue.data.pageCount}`}
              selected={selected}
              pending={decide.isPending}
              onSelect={(ids, on) =>
                setSelected((now) => {
                  const next = new Set(now);
                  for (const one of ids) on ? next.add(one) : next.delete(one);
                  return next;
                })
              }
              onApprove={(row) => run([row.id], "approve")}
              onReject={(row) => reject([row.id], rowInWords(row))}
            />
          </div>
          <Pagination
            page={queue.data.page}
            pageCount={queue.data.pageCount}
            total={`${queue.data.total} withdrawal${queue.data.total === 1 ? "" : "s"}`}
            onPage={(page) => apply({ ...filters, page })}
          />
        </>
      ) : null}

      <RejectDialog
        open={rejecting !== null}
        what={rejecting?.what ?? ""}
        count={rejecting?.ids.length ?? 0}
        pending={decide.isPending}
        error={decide.error}
        onClose={() => setRejecting(null)}
        onReject={async (reason) => {
          if (rejecting && (await run(rejecting.ids, "reject", reason))) setRejecting(null);
        }}
      />
      {dialog}
    </div>
  );
}
