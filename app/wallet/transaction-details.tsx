"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { messageOf } from "@/app/_components/errors";
import { Spinner } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/react";
import { formatMoney } from "@/lib/money";
import type { HistoryRow } from "@/server/wallet/service";
import { rowTypeLabel } from "./labels";
import { LocalTime } from "./local-time";

const FULL: Intl.DateTimeFormatOptions = { dateStyle: "full", timeStyle: "medium" };
const linkClass =
  "font-medium text-brand-700 underline underline-offset-2 hover:text-brand-600 dark:text-brand-300 dark:hover:text-brand-400";
const paymentWords: Record<string, string> = {
  pending: "waiting for the bank",
  succeeded: "paid",
  failed: "declined",
  canceled: "cancelled",
};

/** The card payment behind a movement: how much, which card, and where it stands. */
function CardPayment({ paymentId }: { paymentId: string }) {
  const trpc = useTRPC();
  const payment = useQuery({ ...trpc.wallet.payment.queryOptions({ paymentId }), retry: false });
  if (payment.isPending) return <Spinner label="Loading the card payment…" />;
  if (payment.isError) return <span>{messageOf(payment.error)}</span>;
  const { amount, status, cardLast4, purpose } = payment.data;
  return (
    <span>
      {purpose === "wallet_topup" ? "Top-up" : "Entry fee"} of {formatMoney(amount)}
      {cardLast4 ? ` by card ending ${cardLast4}` : " by card"}, {paymentWords[status] ?? status}
    </span>
  );
}

/** Everything the history knows about one movement, shown under its row when "Details" is opened. */
export function TransactionDetails({ row, id }: { row: HistoryRow; id: string }) {
  const { paymentId, eventId, withdrawalId } = row.metadata;
  const item = (term: string, value: React.ReactNode) => (
    <div className="sm:col-span-1">
      <dt className="text-xs font-medium uppercase text-zinc-600 dark:text-zinc-400">{term}</dt>
      <dd className="mt-0.5">{value}</dd>
    </div>
  );
  return (
    <section id={id} aria-label={`Details of ${row.description}`} className="space-y-3">
      <dl className="grid gap-3 sm:grid-cols-2">
        {item("When", <LocalTime date={row.createdAt} options={FULL} />)}
        {item("Type", rowTypeLabel(row))}
        {item("Amount", row.kind === "card_refund" ? `${formatMoney(row.amount)} to your card` : formatMoney(row.amount, { signed: true }))}
        {row.balanceAfter !== null ? item("Wallet balance after", formatMoney(row.balanceAfter)) : null}
        {typeof paymentId === "string" ? item("Card payment", <CardPayment paymentId={paymentId} />) : null}
        {row.transferId ? item("Reference", <span className="break-all font-mono text-xs">{row.transferId}</span>) : null}
      </dl>
      {typeof eventId === "string" || typeof withdrawalId === "string" ? (
        <p className="flex flex-wrap gap-4 text-sm">
          {typeof eventId === "string" ? (
            <Link href={`/events/${encodeURIComponent(eventId)}`} className={linkClass}>
              Open the event
            </Link>
          ) : null}
          {typeof withdrawalId === "string" ? (
            <Link href="/wallet/withdraw" className={linkClass}>
              See your withdrawals
            </Link>
          ) : null}
        </p>
      ) : null}
    </section>
  );
}
