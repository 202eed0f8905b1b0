"use client";

import { Fragment, useState } from "react";
import type { HistoryRow } from "@/server/wallet/service";
import { formatMoney } from "@/lib/money";
import { rowTypeLabel } from "./labels";
import { LocalTime } from "./local-time";
import { TransactionDetails } from "./transaction-details";

const detailsClass =
  "font-medium text-brand-700 underline underline-offset-2 hover:text-brand-600 dark:text-brand-300 dark:hover:text-brand-400";

const detailsId = (row: HistoryRow) => `transaction-${row.key}`;

/** Opens the movement's details under its row (the card payment, the event, the reference), not another page. */
function Details({ row, open, onToggle }: { row: HistoryRow; open: boolean; onToggle: () => void }) {
  return (
    <button
      type="button"
      className={detailsClass}
      aria-expanded={open}
      aria-controls={open ? detailsId(row) : undefined}
      onClick={onToggle}
    >
      {open ? "Hide details" : "Details"}
      <span className="sr-only"> of {row.description}</span>
    </button>
  );
}

/**
 * On a phone the table keeps date, description and amount; the type and the details link move
 * under the description, and the balance after is left to wider screens and the CSV.
 */
export function HistoryTable({ rows, dimmed }: { rows: HistoryRow[]; dimmed: boolean }) {
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const toggle = (key: string) =>
    setOpen((keys) => {
      const next = new Set(keys);
      if (!next.delete(key)) next.add(key);
      return next;
    });
  return (
    <div className={`relative overflow-x-auto rounded-lg border border-zinc-200 dark:border-zinc-800 ${dimmed ? "opacity-70" : ""}`}>
      <table className="w-full text-left text-sm">
        <caption className="sr-only">Wallet transactions, newest first</caption>
        <thead className="bg-zinc-100 text-xs uppercase text-zinc-700 dark:bg-zinc-900 dark:text-zinc-300">
          <tr>
            <th scope="col" className="px-3 py-3 sm:px-4">
              Date
            </th>
            <th scope="col" className="px-3 py-3 sm:px-4">
              Description
            </th>
            <th scope="col" className="hidden px-4 py-3 md:table-cell">
              Type
            </th>
            <th scope="col" className="px-3 py-3 text-right sm:px-4">
              Amount
            </th>
            <th scope="col" className="hidden px-4 py-3 text-right sm:table-cell">
              Balance after
            </th>
            <th scope="col" className="hidden px-4 py-3 sm:table-cell">
              <span className="sr-only">Details</span>
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-200 bg-white dark:divide-zinc-800 dark:bg-zinc-950">
          {rows.map((row) => (
            <Fragment key={row.key}>
              <tr>
                <td className="w-32 px-3 py-3 align-top text-zinc-600 sm:w-auto sm:whitespace-nowrap sm:px-4 dark:text-zinc-400">
                  <LocalTime date={row.createdAt} />
                </td>
                <td className="px-3 py-3 align-top sm:px-4">
                  <p className="font-medium">{row.description}</p>
                  <p className="mt-0.5 text-xs text-zinc-600 md:hidden dark:text-zinc-400">
                    {rowTypeLabel(row)}
                    <span className="sm:hidden">
                      {" · "}
                      <Details row={row} open={open.has(row.key)} onToggle={() => toggle(row.key)} />
                    </span>
                  </p>
                </td>
                <td className="hidden px-4 py-3 align-top md:table-cell">{rowTypeLabel(row)}</td>
                <td
                  className={`whitespace-nowrap px-3 py-3 text-right align-top font-semibold tabular-nums sm:px-4 ${
                    row.amount > 0 && row.kind === "wallet" ? "text-emerald-700 dark:text-emerald-400" : ""
                  }`}
                >
                  {row.kind === "card_refund" ? (
                    <span className="font-normal text-zinc-600 dark:text-zinc-400">
                      {formatMoney(row.amount)} <span className="text-xs">to card</span>
                    </span>
                  ) : (
                    formatMoney(row.amount, { signed: true })
                  )}
                </td>
                <td className="hidden whitespace-nowrap px-4 py-3 text-right align-top tabular-nums sm:table-cell">
                  {row.balanceAfter === null ? (
                    <>
                      <span aria-hidden>—</span>
                      <span className="sr-only">unchanged</span>
                    </>
                  ) : (
                    formatMoney(row.balanceAfter)
                  )}
                </td>
                <td className="hidden whitespace-nowrap px-4 py-3 align-top sm:table-cell">
                  <Details row={row} open={open.has(row.key)} onToggle={() => toggle(row.key)} />
                </td>
              </tr>
              {open.has(row.key) ? (
                <tr className="bg-zinc-50 dark:bg-zinc-900">
                  <td colSpan={6} className="px-3 py-3 sm:px-4">
                    <TransactionDetails row={row} id={detailsId(row)} />
                  </td>
                </tr>
              ) : null}
            </Fragment>
          ))}
        </tbody>
      </table>
    </div>
  );
}
