"use client";

import { keepPreviousData, useInfiniteQuery } from "@tanstack/react-query";
import { useState } from "react";
import { messageOf, zodFieldErrors } from "@/app/_components/errors";
import { SelectField, TextField } from "@/app/_components/field";
import { Alert, Button, buttonClass, EmptyState, Spinner } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/react";
import { transferCategories } from "@/lib/transfer-categories";
import { historyFilters, type HistoryFilters } from "@/server/wallet/schemas";
import { HistoryTable } from "./history-table";
import { HISTORY_PAGE_SIZE, historyPaging } from "./history-query";
import { categoryFilterLabel } from "./labels";

interface Draft {
  category: string;
  from: string;
  to: string;
}

/** Only the filters that are set, so "no filters" is `{}` and matches the page's prefetch. */
function toInput(draft: Draft): Record<string, string> {
  return Object.fromEntries(Object.entries(draft).filter(([, value]) => value !== ""));
}

function exportHref(filters: HistoryFilters) {
  const query = new URLSearchParams({ type: filters.category ?? "", from: filters.from ?? "", to: filters.to ?? "" });
  return `/api/wallet/export?${query}`;
}

export function History() {
  const trpc = useTRPC();
  const [draft, setDraft] = useState<Draft>({ category: "", from: "", to: "" });
  // The last valid filters: while the dates are being corrected the list keeps showing these.
  const [filters, setFilters] = useState<HistoryFilters>({});
  const [errors, setErrors] = useState<Record<string, string[]>>({});

  function change(field: keyof Draft, value: string) {
    const next = { ...draft, [field]: value };
    setDraft(next);
    const parsed = historyFilters.safeParse(toInput(next));
    if (parsed.success) {
      setErrors({});
      setFilters(parsed.data);
    } else {
      setErrors(zodFieldErrors(parsed.error));
    }
  }

  function clear() {
    setDraft({ category: "", from: "", to: "" });
    setErrors({});
    setFilters({});
  }

  const history = useInfiniteQuery({
    ...trpc.wallet.history.infiniteQueryOptions({ filters, limit: HISTORY_PAGE_SIZE }, historyPaging),
    placeholderData: keepPreviousData,
  });

  const rows = history.data?.pages.flatMap((page) => page.rows) ?? [];
  const filtered = Object.keys(filters).length > 0;

  return (
    <section aria-labelledby="history-heading" className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <h2 id="history-heading" className="text-xl font-semibold">
          History
        </h2>
        <a href={exportHref(filters)} className={buttonClass("secondary", "px-3 py-1.5")} download>
          Download CSV
        </a>
      </div>
      <div className="grid grid-cols-2 gap-3 sm:grid-cols-3">
        <div className="col-span-2 sm:col-span-1">
          <SelectField
            id="history-type"
            label="Type"
            value={draft.category}
            onChange={(event) => change("category", event.target.value)}
            errors={errors.category}
          >
            <option value="">All</option>
            {transferCategories.map((category) => (
              <option key={category} value={category}>
                {categoryFilterLabel[category]}
              </option>
            ))}
          </SelectField>
        </div>
        <TextField
          id="history-from"
          type="date"
          label="From"
          value={draft.from}
          onChange={(event) => change("from", event.target.value)}
          errors={errors.from}
        />
        <TextField
          id="history-to"
          type="date"
          label="To"
          value={draft.to}
          onChange={(event) => change("to", event.target.value)}
          errors={errors.to}
        />
      </div>

      {history.isError && !history.isFetchNextPageError ? <Alert>{messageOf(history.error)}</Alert> : null}
      {history.isPending ? <Spinner label="Loading your transactions…" /> : null}
      {history.isSuccess && rows.length === 0 ? (
        filtered ? (
          <EmptyState
            title="Nothing matches these filters."
            action={
              <Button variant="secondary" onClick={clear}>
                Clear filters
              </Button>
            }
          >
            Try another type or a wider date range.
          </EmptyState>
        ) : (
          <EmptyState title="No transactions yet.">Add funds to get started.</EmptyState>
        )
      ) : null}
      {rows.length > 0 ? <HistoryTable rows={rows} dimmed={history.isPlaceholderData} /> : null}
      {history.isFetchNextPageError ? <Alert>{messageOf(history.error)}</Alert> : null}
      {history.hasNextPage && !history.isPlaceholderData ? (
        <div className="flex justify-center">
          <Button variant="secondary" onClick={() => void history.fetchNextPage()} disabled={history.isFetchingNextPage}>
            {history.isFetchingNextPage ? "Loading…" : "Load more"}
          </Button>
        </div>
      ) : null}
    </section>
  );
}
