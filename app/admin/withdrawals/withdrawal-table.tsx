"use client";

import { useQuery } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import Link from "next/link";
import { Fragment, useState } from "react";
import { messageOf } from "@/app/_components/errors";
import { Alert, Button, Spinner } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/react";
import { formatMoney } from "@/lib/money";
import { utcInWords } from "@/server/admin/audit-labels";
import type { AppRouter } from "@/server/root";
import { WITHDRAWAL_STATUS_LABELS } from "@/server/withdrawals/admin-schemas";

export type QueueRow = inferRouterOutputs<AppRouter>["admin"]["withdrawals"]["rows"][number];

/** "Lena Park's withdrawal of $25.00", for labels and dialog titles. */
export function rowInWords(row: QueueRow): string {
  return `${row.user.name}'s withdrawal of ${formatMoney(row.amount)}`;
}

const statusTone: Record<QueueRow["status"], string> = {
  requested: "bg-amber-100 text-amber-900 dark:bg-amber-950 dark:text-amber-200",
  approved: "bg-sky-100 text-sky-900 dark:bg-sky-950 dark:text-sky-200",
  sent: "bg-sky-100 text-sky-900 dark:bg-sky-950 dark:text-sky-200",
  paid: "bg-emerald-100 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-200",
  failed: "bg-red-100 text-red-900 dark:bg-red-950 dark:text-red-200",
  rejected: "bg-red-100 text-red-900 dark:bg-red-950 dark:text-red-200",
  canceled: "bg-zinc-200 text-zinc-800 dark:bg-zinc-800 dark:text-zinc-200",
};

// Below lg each row is a card (cells wrap in a flex row); from lg a table row.
const cell = "lg:table-cell lg:px-3 lg:py-3";

/** The player's balance and last movements, fetched when the row is opened. */
function WithdrawalDetail({ row }: { row: QueueRow }) {
  const trpc = useTRPC();
  const wallet = useQuery(trpc.admin.wallet.queryOptions({ userId: row.user.id }));
  const history = useQuery(trpc.admin.walletHistory.queryOptions({ userId: row.user.id, limit: 5 }));
  return (
    <div className="grid gap-4 text-sm lg:grid-cols-[minmax(0,1fr)_minmax(0,2fr)]">
      <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1">
        <dt className="text-zinc-600 dark:text-zinc-400">Available</dt>
        <dd className="font-medium tabular-nums">
          {wallet.data ? formatMoney(wallet.data.balances.available) : wallet.isError ? "—" : "…"}
        </dd>
        <dt className="text-zinc-600 dark:text-zinc-400">Held</dt>
        <dd className="tabular-nums">{wallet.data ? formatMoney(wallet.data.balances.held) : wallet.isError ? "—" : "…"}</dd>
        <dt className="text-zinc-600 dark:text-zinc-400">Bank account</dt>
        <dd>
          {row.bank.bankName ?? "Bank account"} •••• {row.bank.last4}, {row.bank.holderName}; added {utcInWords(row.bank.addedAt)}
        </dd>
        <dt className="text-zinc-600 dark:text-zinc-400">Request IP</dt>
        <dd className="font-mono text-xs">{row.requestIp ?? "—"}</dd>
        {row.decidedBy ? (
          <>
            <dt className="text-zinc-600 dark:text-zinc-400">Decided by</dt>
            <dd>{row.decidedBy.name ?? "Deleted account"}</dd>
          </>
        ) : null}
        {row.decisionReason ? (
          <>
            <dt className="text-zinc-600 dark:text-zinc-400">Reason</dt>
            <dd>{row.decisionReason}</dd>
          </>
        ) : null}
        {row.failureMessage ? (
          <>
            <dt className="text-zinc-600 dark:text-zinc-400">Failure</dt>
            <dd>{row.failureMessage}</dd>
          </>
        ) : null}
        {row.gatewayPayoutId ? (
          <>
            <dt className="text-zinc-600 dark:text-zinc-400">Payout</dt>
            <dd className="break-all font-mono text-xs">{row.gatewayPayoutId}</dd>
          </>
        ) : null}
      </dl>
      <div className="min-w-0">
        <h3 className="mb-1 font-medium">Last movements of the wallet</h3>
        {wallet.isError ? <Alert>{messageOf(wallet.error)}</Alert> : null}
        {history.isError ? <Alert>{messageOf(history.error)}</Alert> : null}
        {history.isPending ? <Spinner label="Loading movements…" /> : null}
        {history.data && history.data.rows.length === 0 ? <p className="text-zinc-600 dark:text-zinc-400">No movements yet.</p> : null}
        {history.data && history.data.rows.length > 0 ? (
          <ul className="divide-y divide-zinc-200 dark:divide-zinc-800">
            {history.data.rows.map((movement) => (
              <li key={movement.key} className="flex flex-wrap justify-between gap-x-3 py-1">
                <span className="min-w-0">
                  <time className="text-zinc-600 dark:text-zinc-400" dateTime={movement.createdAt.toISOString()}>
                    {utcInWords(movement.createdAt)}
                  </time>{" "}
                  {movement.description}
                </span>
                <span className="tabular-nums">
                  {formatMoney(movement.amount, { signed: movement.kind === "wallet" })}
                  {movement.balanceAfter === null ? "" : ` → ${formatMoney(movement.balanceAfter)}`}
                </span>
              </li>
            ))}
          </ul>
        ) : null}
        <Link href={`/admin/users/${row.user.id}/wallet`} className="mt-2 inline-block text-brand-700 underline dark:text-brand-300">
          The whole wallet
        </Link>
      </div>
    </div>
  );
}

export function WithdrawalTable({
  rows,
  caption,
  adminId,
  selected,
  pending,
  onSelect,
  onApprove,
  onReject,
}: {
  rows: QueueRow[];
  caption: string;
  adminId: string;
  selected: ReadonlySet<string>;
  pending: boolean;
  onSelect: (ids: string[], on: boolean) => void;
  onApprove: (row: QueueRow) => void;
  onReject: (row: QueueRow) => void;
}) {
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const decidable = rows.filter((row) => row.status === "requested" && row.user.id !== adminId);
  const allSelected = decidable.length > 0 && decidable.every((row) => selected.has(row.id));
  const toggle = (id: string) =>
    setOpen((now) => {
      const next = new Set(now);
      if (!next.delete(id)) next.add(id);
      return next;
    });

  return (
    <table className="block w-full text-left text-sm lg:table">
      <caption className="sr-only">{caption}</caption>
      <thead className="hidden bg-zinc-100 text-xs uppercase text-zinc-700 lg:table-header-group dark:bg-zinc-900 dark:text-zinc-300">
        <tr>
          <th scope="col" className="w-10 px-3 py-3">
            {decidable.length > 0 ? (
              <input
                type="checkbox"
                className="size-4"
                checked={allSelected}
                onChange={(event) =>
                  onSelect(
                    decidable.map((row) => row.id),
                    event.target.checked,
                  )
                }
                aria-label="Select every waiting withdrawal on this page"
              />
            ) : (
              <span className="sr-only">Select</span>
            )}
          </th>
          <th scope="col" className={cell}>
            Player
          </th>
          <th scope="col" className={`${cell} text-right`}>
            Amount
          </th>
          <th scope="col" className={cell}>
            Bank account
          </th>
          <th scope="col" className={cell}>
            Requested (UTC)
          </th>
          <th scope="col" className={cell}>
            Flags
          </th>
          <th scope="col" className={cell}>
            Status
          </th>
          <th scope="col" className="hidden px-3 py-3 2xl:table-cell">
            IP
          </th>
          <th scope="col" className={cell}>
            <span className="sr-only">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody className="block divide-y divide-zinc-200 bg-white align-top lg:table-row-group dark:divide-zinc-800 dark:bg-zinc-950">
        {rows.map((row) => {
          const canDecide = row.status === "requested" && row.user.id !== adminId;
          const expanded = open.has(row.id);
          return (
            <Fragment key={row.id}>
              <tr
                data-testid="withdrawal-row"
                className={`flex flex-wrap items-start gap-x-4 gap-y-2 px-3 py-3 lg:table-row lg:p-0 ${selected.has(row.id) ? "bg-brand-50 dark:bg-zinc-900" : ""}`}
              >
                <td className={`${cell} w-5 lg:w-10`}>
                  {canDecide ? (
                    <input
                      type="checkbox"
                      className="size-4"
                      checked={selected.has(row.id)}
                      onChange={(event) => onSelect([row.id], event.target.checked)}
                      aria-label={`Select ${rowInWords(row)}`}
                    />
                  ) : null}
                </td>
                <td className={`${cell} min-w-0 flex-1 basis-[calc(100%-2.5rem)] lg:max-w-[12rem]`}>
                  <Link
                    href={`/admin/users/${row.user.id}/wallet`}
                    className="block truncate font-medium text-brand-700 underline dark:text-brand-300"
                  >
                    {row.user.name}
                  </Link>
                  <span className="block truncate text-zinc-600 dark:text-zinc-400">{row.user.email}</span>
                </td>
                <td className={`${cell} whitespace-nowrap tabular-nums lg:text-right`}>
                  <span className="font-medium">{formatMoney(row.amount)}</span>
                  <span className="block text-zinc-600 dark:text-zinc-400">fee {formatMoney(row.fee)}</span>
                </td>
                <td className={cell}>
                  <span className="whitespace-nowrap">
                    {row.bank.bankName ?? "Bank"} •••• {row.bank.last4}
                  </span>
                  <span className="block text-zinc-600 dark:text-zinc-400">{row.bank.holderName}</span>
                </td>
                <td className={`${cell} text-zinc-700 dark:text-zinc-300`}>
                  <time dateTime={row.requestedAt.toISOString()}>{utcInWords(row.requestedAt)}</time>
                </td>
                <td className={`${cell} lg:min-w-[9rem]`}>
                  {row.flagWords.length === 0 ? (
                    <span className="hidden text-zinc-500 lg:inline dark:text-zinc-400">—</span>
                  ) : (
                    <ul className="flex flex-col items-start gap-1">
                      {row.flagWords.map((words, index) => (
                        <li
                          key={row.flags[index]}
                          className="rounded-full bg-amber-100 px-2 py-0.5 text-xs font-medium text-amber-900 dark:bg-amber-950 dark:text-amber-200"
                        >
                          {words}
                        </li>
                      ))}
                    </ul>
                  )}
                </td>
                <td className={cell}>
                  <span className={`whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-medium ${statusTone[row.status]}`}>
                    {WITHDRAWAL_STATUS_LABELS[row.status]}
                  </span>
                </td>
                <td className="hidden px-3 py-3 font-mono text-xs 2xl:table-cell">{row.requestIp ?? "—"}</td>
                <td className={`${cell} basis-full lg:basis-auto`}>
                  <div className="flex flex-wrap gap-1 lg:justify-end">
                    {canDecide ? (
                      <>
                        <Button type="button" className="px-3 py-1" disabled={pending} onClick={() => onApprove(row)}>
                          Approve<span className="sr-only"> {rowInWords(row)}</span>
                        </Button>
                        <Button type="button" variant="secondary" className="px-3 py-1" disabled={pending} onClick={() => onReject(row)}>
                          Reject…<span className="sr-only"> {rowInWords(row)}</span>
                        </Button>
                      </>
                    ) : null}
                    <Button
                      type="button"
                      variant="ghost"
                      className="px-3 py-1"
                      aria-expanded={expanded}
                      aria-controls={`detail-${row.id}`}
                      onClick={() => toggle(row.id)}
                    >
                      {expanded ? "Hide" : "Details"}
                      <span className="sr-only"> of {rowInWords(row)}</span>
                    </Button>
                  </div>
                </td>
              </tr>
              {expanded ? (
                <tr id={`detail-${row.id}`} className="block bg-zinc-50 lg:table-row dark:bg-zinc-900">
                  <td colSpan={9} className="block px-3 py-4 lg:table-cell lg:px-4">
                    <WithdrawalDetail row={row} />
                  </td>
                </tr>
              ) : null}
            </Fragment>
          );
        })}
      </tbody>
    </table>
  );
}
