"use client";

import { Pagination } from "@/app/_components/pagination";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { useEffect, useId, useState } from "react";
import { messageOf } from "@/app/_components/errors";
import { TextField } from "@/app/_components/field";
import { Alert, Button, EmptyState, Spinner } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/react";
import { AUDIT_ACTION_LABELS, auditActionLabel, auditDetailsInWords, utcInWords } from "@/server/admin/audit-labels";
import { type AuditFilters, auditQueryInput, filtersToQuery } from "./filters";

type Person = { id: string; name: string | null; email: string | null } | null;

function PersonCell({ person, onPick }: { person: Person; onPick: (id: string) => void }) {
  if (!person) return <span className="text-zinc-500 dark:text-zinc-400">—</span>;
  if (!person.name) return <span className="text-zinc-600 dark:text-zinc-400">Deleted account</span>;
  return (
    <div className="min-w-0">
      <button
        type="button"
        onClick={() => onPick(person.id)}
        className="max-w-full truncate text-left font-medium text-brand-700 underline dark:text-brand-300"
        title="Show only this user's rows"
      >
        {person.name}
      </button>
      <p className="truncate text-zinc-600 dark:text-zinc-400">{person.email}</p>
    </div>
  );
}

export function AuditLog({ initial }: { initial: AuditFilters }) {
  const trpc = useTRPC();
  const router = useRouter();
  const pathname = usePathname();
  const id = useId();
  const [filters, setFilters] = useState<AuditFilters>(initial);
  const [draft, setDraft] = useState<AuditFilters>(initial);

  // The filters live in the URL, so a filtered view can be shared and survives a reload.
  useEffect(() => {
    const query = filtersToQuery(filters);
    router.replace(query ? `${pathname}?${query}` : pathname, { scroll: false });
  }, [filters, pathname, router]);

  const log = useQuery({ ...trpc.admin.auditLog.queryOptions(auditQueryInput(filters)), placeholderData: keepPreviousData });
  const actions = [...new Set([...Object.keys(AUDIT_ACTION_LABELS), ...(log.data?.actions ?? [])])].sort((a, b) =>
    auditActionLabel(a).localeCompare(auditActionLabel(b)),
  );
  const filtered = Boolean(filters.actor || filters.target || filters.action || filters.from || filters.to);
  const apply = (next: AuditFilters) => {
    setDraft(next);
    setFilters(next);
  };
  const rangeError = draft.from && draft.to && draft.from > draft.to ? "The start date is after the end date." : null;

  return (
    <div className="space-y-4">
      <form
        className="grid gap-3 sm:grid-cols-2 lg:grid-cols-6 lg:items-end"
        onSubmit={(event) => {
          event.preventDefault();
          if (!rangeError) apply({ ...draft, actor: draft.actor.trim(), target: draft.target.trim(), page: 1 });
        }}
        aria-label="Filter the audit log"
      >
        <TextField
          id={`${id}-actor`}
          label="Done by"
          type="search"
          placeholder="Name, email or id"
          maxLength={100}
          value={draft.actor}
          onChange={(event) => setDraft({ ...draft, actor: event.target.value })}
        />
        <TextField
          id={`${id}-target`}
          label="Done to"
          type="search"
          placeholder="Name, email or id"
          maxLength={100}
          value={draft.target}
          onChange={(event) => setDraft({ ...draft, target: event.target.value })}
        />
        <div className="space-y-1">
          <label htmlFor={`${id}-action`} className="block text-sm font-medium">
            Action
          </label>
          <select
            id={`${id}-action`}
            value={draft.action}
            onChange={(event) => setDraft({ ...draft, action: event.target.value })}
            className="block w-full rounded-md border border-zinc-300 bg-white px-3 py-2 text-base sm:text-sm dark:border-zinc-700 dark:bg-zinc-900"
          >
            <option value="">All actions</option>
            {actions.map((action) => (
              <option key={action} value={action}>
                {auditActionLabel(action)}
              </option>
            ))}
          </select>
        </div>
        <TextField
          id={`${id}-from`}
          label="From (UTC day)"
          type="date"
          value={draft.from}
          onChange={(event) => setDraft({ ...draft, from: event.target.value })}
          errors={rangeError ? [rangeError] : undefined}
        />
        <TextField
          id={`${id}-to`}
          label="To (UTC day)"
          type="date"
          value={draft.to}
          onChange={(event) => setDraft({ ...draft, to: event.target.value })}
        />
        <div className="flex gap-2">
          <Button type="submit" disabled={Boolean(rangeError)}>
            Filter
          </Button>
          {filtered ? (
            <Button type="button" variant="ghost" onClick={() => apply({ actor: "", target: "", action: "", from: "", to: "", page: 1 })}>
              Clear
            </Button>
          ) : null}
        </div>
      </form>

      {log.isError ? <Alert>{messageOf(log.error)}</Alert> : null}
      {log.isPending ? <Spinner label="Loading the audit log…" /> : null}
      {log.data && log.data.entries.length === 0 ? (
        <EmptyState title={filtered ? "Nothing matches these filters" : "Nothing recorded yet"}>
          {filtered
            ? "Try a wider date range, another name, or clear the filters."
            : "Role changes, suspensions, wallet adjustments and sign-outs everywhere will be listed here."}
        </EmptyState>
      ) : null}
      {log.data && log.data.entries.length > 0 ? (
        <>
          <div
            className={`relative overflow-x-auto rounded-lg border border-zinc-200 dark:border-zinc-800 ${log.isFetching ? "opacity-70" : ""}`}
          >
            <table className="w-full text-left text-sm">
              <caption className="sr-only">
                Audit log, newest first, page {log.data.page} of {log.data.pageCount}
              </caption>
              <thead className="bg-zinc-100 text-xs uppercase text-zinc-700 dark:bg-zinc-900 dark:text-zinc-300">
                <tr>
                  <th scope="col" className="px-3 py-3 sm:px-4">
                    When (UTC)
                  </th>
                  <th scope="col" className="px-3 py-3 sm:px-4">
                    Done by
                  </th>
                  <th scope="col" className="px-3 py-3 sm:px-4">
                    Action
                  </th>
                  <th scope="col" className="px-3 py-3 sm:px-4">
                    Done to
                  </th>
                  <th scope="col" className="px-3 py-3 sm:px-4">
                    Details
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-zinc-200 bg-white align-top dark:divide-zinc-800 dark:bg-zinc-950">
                {log.data.entries.map((entry) => (
                  <tr key={entry.id} data-testid="audit-row">
                    <td className="whitespace-nowrap px-3 py-3 text-zinc-700 sm:px-4 dark:text-zinc-300">
                      <time dateTime={entry.createdAt.toISOString()}>{utcInWords(entry.createdAt)}</time>
                    </td>
                    <td className="max-w-[12rem] px-3 py-3 sm:px-4">
                      <PersonCell person={entry.actor} onPick={(userId) => apply({ ...filters, actor: userId, page: 1 })} />
                    </td>
                    <td className="px-3 py-3 sm:px-4">
                      <span className="font-medium" title={entry.action}>
                        {auditActionLabel(entry.action)}
                      </span>
                    </td>
                    <td className="max-w-[12rem] px-3 py-3 sm:px-4">
                      <PersonCell person={entry.target} onPick={(userId) => apply({ ...filters, target: userId, page: 1 })} />
                    </td>
                    <td className="min-w-[14rem] px-3 py-3 text-zinc-700 sm:px-4 dark:text-zinc-300">
                      {auditDetailsInWords(entry.action, entry.details)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pagination
            page={log.data.page}
            pageCount={log.data.pageCount}
            total={`${log.data.total} entr${log.data.total === 1 ? "y" : "ies"}`}
            onPage={(page) => apply({ ...filters, page })}
          />
        </>
      ) : null}
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        To suspend an account or change a role, go to{" "}
        <Link href="/admin/users" className="underline">
          Users and wallets
        </Link>
        .
      </p>
    </div>
  );
}
