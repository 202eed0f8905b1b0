"use client";

import type { inferRouterOutputs } from "@trpc/server";
import { useState } from "react";
import { EmptyState } from "@/app/_components/ui";
import { LocalTime } from "@/app/wallet/local-time";
import type { AppRouter } from "@/server/root";
import { formatMoney } from "@/lib/money";
import { RemoveEntry } from "./remove-entry";

const statusLabel: Record<string, string> = {
  pending_payment: "Paying",
  confirmed: "Confirmed",
  waitlisted: "Waitlisted",
  offered: "Offered a seat",
  withdrawn: "Withdrawn",
  cancelled: "Cancelled",
  expired: "Expired",
  removed: "Removed",
  payment_failed: "Card declined",
};

export type Entry = inferRouterOutputs<AppRouter>["registration"]["forEvent"][number];

/** The event's entries with their payment and check-in, filtered by state; each active one can be removed. */
export function Registrations({ eventId, entries, started }: { eventId: string; entries: Entry[]; started: boolean }) {
  const [filter, setFilter] = useState<"all" | "confirmed" | "waitlisted" | "ended">("all");
  const rows = entries.filter((row) =>
    filter === "all"
      ? true
      : filter === "confirmed"
        ? row.status === "confirmed"
        : filter === "waitlisted"
          ? row.status === "waitlisted" || row.status === "offered"
          : !["confirmed", "waitlisted", "offered", "pending_payment"].includes(row.status),
  );

  return (
    <section aria-labelledby="entries-heading" className="space-y-3">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <h2 id="entries-heading" className="text-lg font-semibold">
          Registrations
        </h2>
        <label className="text-sm">
          <span className="mr-2">Show</span>
          <select
            value={filter}
            onChange={(e) => setFilter(e.target.value as typeof filter)}
            className="rounded-md border border-zinc-300 bg-white px-2 py-1 dark:border-zinc-700 dark:bg-zinc-900"
          >
            <option value="all">All</option>
            <option value="confirmed">Confirmed</option>
            <option value="waitlisted">Waitlist and offers</option>
            <option value="ended">Ended</option>
          </select>
        </label>
      </div>
      {rows.length === 0 ? (
        <EmptyState title="No registrations here yet">Share the event page so players can find it.</EmptyState>
      ) : (
        <div className="relative overflow-x-auto rounded-lg border border-zinc-200 dark:border-zinc-800">
          <table className="w-full text-left text-sm">
            <caption className="sr-only">Registrations for this event</caption>
            <thead className="bg-zinc-100 text-xs uppercase text-zinc-700 dark:bg-zinc-900 dark:text-zinc-300">
              <tr>
                <th scope="col" className="px-3 py-2">
                  Player
                </th>
                <th scope="col" className="px-3 py-2">
                  Status
                </th>
                <th scope="col" className="px-3 py-2 text-right">
                  Paid
                </th>
                <th scope="col" className="px-3 py-2">
                  Payment
                </th>
                <th scope="col" className="px-3 py-2">
                  Checked in
                </th>
                <th scope="col" className="hidden px-3 py-2 md:table-cell">
                  Registered
                </th>
                <th scope="col" className="px-3 py-2">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-200 bg-white dark:divide-zinc-800 dark:bg-zinc-950">
              {rows.map((row) => (
                <tr key={row.id}>
                  <td className="px-3 py-2">
                    <p className="font-medium">{row.name}</p>
                    <p className="text-xs text-zinc-600 dark:text-zinc-400">{row.email}</p>
                  </td>
                  <td className="px-3 py-2">{statusLabel[row.status] ?? row.status}</td>
                  <td className="px-3 py-2 text-right tabular-nums">
                    {row.status === "waitlisted" ? "—" : row.fee - row.discount === 0 ? "Free" : formatMoney(row.fee - row.discount)}
                    {row.cardAmount > 0 && row.walletAmount > 0 ? (
                      <span className="block text-xs text-zinc-600 dark:text-zinc-400">
                        wallet {formatMoney(row.walletAmount)} + card {formatMoney(row.cardAmount)}
                      </span>
                    ) : null}
                  </td>
                  <td className="px-3 py-2">
                    {row.cardAmount > 0 ? (row.paymentStatus ?? "not started") : row.walletAmount > 0 ? "wallet" : "free"}
                  </td>
                  <td className="px-3 py-2">{row.checkedInAt ? <LocalTime date={row.checkedInAt} /> : "No"}</td>
                  <td className="hidden px-3 py-2 md:table-cell">
                    <LocalTime date={row.createdAt} />
                  </td>
                  <td className="px-3 py-2">
                    {["confirmed", "pending_payment", "waitlisted", "offered"].includes(row.status) ? (
                      <RemoveEntry
                        eventId={eventId}
                        registrationId={row.id}
                        name={row.name}
                        paid={row.status === "confirmed" && row.fee - row.discount > 0}
                        started={started}
                      />
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
