"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { toast } from "sonner";
import { fieldErrorsOf, messageOf } from "@/app/_components/errors";
import { TextField } from "@/app/_components/field";
import { Alert, Button, buttonClass, Card, EmptyState, Spinner } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/react";
import { LocalTime } from "@/app/wallet/local-time";
import { phaseLabel } from "@/server/events/phase";
import { ImportForm } from "./import-form";
import { formatMoney } from "@/server/wallet/money";

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

export function EventDashboard({ eventId }: { eventId: string }) {
  const trpc = useTRPC();
  const event = useQuery(trpc.events.get.queryOptions({ eventId }));
  const entries = useQuery(trpc.registration.forEvent.queryOptions({ eventId }));
  const [filter, setFilter] = useState<"all" | "confirmed" | "waitlisted" | "ended">("all");

  if (event.isPending || entries.isPending) return <Spinner label="Loading the event…" />;
  if (event.isError) return <Alert>{messageOf(event.error)}</Alert>;
  if (entries.isError) return <Alert>{messageOf(entries.error)}</Alert>;
  const rows = entries.data.filter((row) =>
    filter === "all"
      ? true
      : filter === "confirmed"
        ? row.status === "confirmed"
        : filter === "waitlisted"
          ? row.status === "waitlisted" || row.status === "offered"
          : !["confirmed", "waitlisted", "offered", "pending_payment"].includes(row.status),
  );
  const confirmed = entries.data.filter((r) => r.status === "confirmed");
  const checkedIn = confirmed.filter((r) => r.checkedInAt).length;
  const waitlist = entries.data.filter((r) => r.status === "waitlisted").length;

  return (
    <div className="space-y-6">
      <Card>
        <div className="flex flex-wrap items-start justify-between gap-4">
          <div>
            <h2 className="text-xl font-semibold">
              <Link href={`/events/${eventId}`} className="underline-offset-2 hover:underline">
                {event.data.name}
              </Link>
            </h2>
            <p className="text-sm text-zinc-600 dark:text-zinc-400">
              {phaseLabel[event.data.phase]} · starts <LocalTime date={event.data.startsAt} />
            </p>
          </div>
          <div className="flex flex-wrap gap-2">
            <Link href={`/organizer/events/${eventId}/bracket`} className={buttonClass("primary")}>
              Bracket console
            </Link>
            <Link href={`/organizer/events/${eventId}/edit`} className={buttonClass("secondary")}>
              Edit
            </Link>
            <a href={`/api/organizer/events/${eventId}/registrations`} className={buttonClass("secondary")}>
              Download CSV
            </a>
          </div>
        </div>
        <dl className="mt-4 grid grid-cols-2 gap-4 sm:grid-cols-4">
          <Stat label="Confirmed" value={`${confirmed.length} / ${event.data.capacity}`} />
          <Stat label="Checked in" value={`${checkedIn} / ${confirmed.length}`} />
          <Stat label="Waitlist" value={String(waitlist)} />
          <Stat label="Prize pool" value={formatMoney(event.data.prizePool)} />
        </dl>
      </Card>

      <EventMoney eventId={eventId} />

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
          <div className="overflow-x-auto rounded-lg border border-zinc-200 dark:border-zinc-800">
            <table className="w-full text-left text-sm">
              <caption className="sr-only">Registrations for this event</caption>
              <thead className="bg-zinc-100 text-xs uppercase text-zinc-700 dark:bg-zinc-900 dark:text-zinc-300">
                <tr>
                  <th scope="col" className="px-3 py-2">Player</th>
                  <th scope="col" className="px-3 py-2">Status</th>
                  <th scope="col" className="px-3 py-2 text-right">Paid</th>
                  <th scope="col" className="px-3 py-2">Payment</th>
                  <th scope="col" className="px-3 py-2">Checked in</th>
                  <th scope="col" className="hidden px-3 py-2 md:table-cell">Registered</th>
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
                    <td className="px-3 py-2">{row.cardAmount > 0 ? (row.paymentStatus ?? "not started") : row.walletAmount > 0 ? "wallet" : "free"}</td>
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
                          started={event.data.status === "live" || event.data.status === "completed"}
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

      <div className="grid gap-6 lg:grid-cols-2">
        <AddParticipant eventId={eventId} />
        <ImportForm eventId={eventId} />
        <NoShows eventId={eventId} checkInClosesAt={event.data.checkInClosesAt} noShows={confirmed.length - checkedIn} status={event.data.status} />
        <PromoCodes eventId={eventId} />
        {event.data.status !== "cancelled" && event.data.status !== "completed" ? <CancelEvent eventId={eventId} /> : null}
      </div>
    </div>
  );
}

function Stat({ label, value }: { label: string; value: string }) {
  return (
    <div>
      <dt className="text-sm text-zinc-600 dark:text-zinc-400">{label}</dt>
      <dd className="text-xl font-bold tabular-nums">{value}</dd>
    </div>
  );
}

function PromoCodes({ eventId }: { eventId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const codes = useQuery(trpc.registration.promoCodes.queryOptions({ eventId }));
  const create = useMutation(trpc.registration.createPromoCode.mutationOptions());
  const [errors, setErrors] = useState<Record<string, string[]>>({});

  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const kind = form.get("kind") === "fixed" ? "fixed" : "percent";
    const raw = String(form.get("value") ?? "").trim();
    const value = kind === "percent" ? Number.parseInt(raw, 10) : Math.round(Number.parseFloat(raw) * 100);
    const maxUses = String(form.get("maxUses") ?? "").trim();
    const expires = String(form.get("expiresAt") ?? "").trim();
    try {
      await create.mutateAsync({
        eventId,
        code: String(form.get("code") ?? ""),
        kind,
        value: Number.isFinite(value) ? value : 0,
        maxUses: maxUses ? Number.parseInt(maxUses, 10) : undefined,
        expiresAt: expires ? new Date(expires) : undefined,
      });
      setErrors({});
      toast.success("Promo code created.");
      (e.target as HTMLFormElement).reset();
      await queryClient.invalidateQueries({ queryKey: trpc.registration.promoCodes.queryKey({ eventId }) });
    } catch (error) {
      const fields = fieldErrorsOf(error);
      if (Object.keys(fields).length > 0) setErrors(fields);
      else toast.error(messageOf(error));
    }
  }

  return (
    <Card>
      <h2 className="text-lg font-semibold">Promo codes</h2>
      {codes.data && codes.data.length > 0 ? (
        <ul className="mt-3 space-y-1 text-sm">
          {codes.data.map((code) => (
            <li key={code.id} className="flex justify-between gap-2">
              <span className="font-mono">{code.code}</span>
              <span>
                {code.kind === "percent" ? `${code.value}% off` : `${formatMoney(code.value)} off`} · used {code.uses}
                {code.maxUses ? ` of ${code.maxUses}` : ""}
                {code.eventId ? "" : " · all your events"}
              </span>
            </li>
          ))}
        </ul>
      ) : (
        <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">No codes yet.</p>
      )}
      <form onSubmit={onSubmit} noValidate className="mt-4 grid gap-3 sm:grid-cols-2">
        <TextField id="code" name="code" label="Code" placeholder="EARLYBIRD" errors={errors.code} />
        <label className="space-y-1 text-sm font-medium">
          <span className="block">Kind</span>
          <select name="kind" className="block w-full rounded-md border border-zinc-300 bg-white px-3 py-2 dark:border-zinc-700 dark:bg-zinc-900">
            <option value="percent">Percent off</option>
            <option value="fixed">Fixed amount off (USD)</option>
          </select>
        </label>
        <TextField id="value" name="value" label="Discount (percent or dollars)" inputMode="decimal" errors={errors.value} />
        <TextField id="maxUses" name="maxUses" label="Maximum uses (optional)" inputMode="numeric" errors={errors.maxUses} />
        <TextField id="expiresAt" name="expiresAt" type="datetime-local" label="Expires (optional, your local time)" errors={errors.expiresAt} />
        <div className="flex items-end">
          <Button type="submit" disabled={create.isPending}>
            {create.isPending ? "Creating…" : "Create code"}
          </Button>
        </div>
      </form>
    </Card>
  );
}

function CancelEvent({ eventId }: { eventId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const cancel = useMutation(trpc.registration.cancelEvent.mutationOptions());
  const [reason, setReason] = useState("");
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  return (
    <Card>
      <h2 className="text-lg font-semibold">Cancel the event</h2>
      <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
        Every entry is refunded in full (wallet part to the wallet, card part to the card) and players are told why. This cannot be undone.
      </p>
      <form
        className="mt-4 space-y-3"
        noValidate
        onSubmit={async (e) => {
          e.preventDefault();
          try {
            await cancel.mutateAsync({ eventId, reason });
            toast.success("Event cancelled. Refunds are on their way.");
            await queryClient.invalidateQueries({ queryKey: trpc.events.get.queryKey({ eventId }) });
          } catch (error) {
            const fields = fieldErrorsOf(error);
            if (Object.keys(fields).length > 0) setErrors(fields);
            else toast.error(messageOf(error));
          }
        }}
      >
        <TextField id="cancel-reason" label="Reason shown to players" value={reason} onChange={(e) => setReason(e.target.value)} errors={errors.reason} />
        <Button type="submit" variant="danger" disabled={cancel.isPending}>
          {cancel.isPending ? "Cancelling…" : "Cancel event and refund everyone"}
        </Button>
      </form>
    </Card>
  );
}

function useRefreshEntries(eventId: string) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.registration.forEvent.queryKey({ eventId }) }),
      queryClient.invalidateQueries({ queryKey: trpc.events.get.queryKey({ eventId }) }),
    ]);
}

/** Before the start: removal with the refund chosen; after it: a disqualification, no refund. */
function RemoveEntry({ eventId, registrationId, name, paid, started }: { eventId: string; registrationId: string; name: string; paid: boolean; started: boolean }) {
  const trpc = useTRPC();
  const remove = useMutation(trpc.registration.removeParticipant.mutationOptions());
  const refresh = useRefreshEntries(eventId);
  const [open, setOpen] = useState(false);
  const [refund, setRefund] = useState<"full" | "policy" | "none">("full");
  if (!open) {
    return (
      <Button variant="ghost" className="px-2 py-1" onClick={() => setOpen(true)}>
        {started ? "Disqualify" : "Remove"}
        <span className="sr-only"> {name}</span>
      </Button>
    );
  }
  return (
    <div className="flex min-w-56 flex-col gap-2">
      {started ? (
        <p className="text-xs">The bracket has started: {name}&apos;s remaining matches go to their opponents, and entry fees are not refunded.</p>
      ) : paid ? (
        <label className="text-xs">
          Refund
          <select
            value={refund}
            onChange={(e) => setRefund(e.target.value as typeof refund)}
            className="ml-2 rounded border border-zinc-300 bg-white px-1 py-0.5 dark:border-zinc-700 dark:bg-zinc-900"
          >
            <option value="full">In full</option>
            <option value="policy">By the withdrawal policy</option>
            <option value="none">Nothing</option>
          </select>
        </label>
      ) : null}
      <div className="flex gap-2">
        <Button
          variant="danger"
          className="px-2 py-1"
          disabled={remove.isPending}
          onClick={async () => {
            try {
              await remove.mutateAsync({ registrationId, refund });
              toast.success(started ? `${name} was disqualified.` : `${name} was removed.`);
              await refresh();
            } catch (error) {
              toast.error(messageOf(error));
            }
          }}
        >
          {remove.isPending ? (started ? "Disqualifying…" : "Removing…") : started ? `Disqualify ${name}` : `Remove ${name}`}
        </Button>
        <Button variant="secondary" className="px-2 py-1" onClick={() => setOpen(false)}>
          Keep
        </Button>
      </div>
    </div>
  );
}

function AddParticipant({ eventId }: { eventId: string }) {
  const trpc = useTRPC();
  const add = useMutation(trpc.registration.addParticipant.mutationOptions());
  const refresh = useRefreshEntries(eventId);
  const [email, setEmail] = useState("");
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  return (
    <Card>
      <h2 className="text-lg font-semibold">Add a player</h2>
      <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">A free, confirmed entry: collect any fee yourself. The player is notified.</p>
      <form
        className="mt-4 space-y-3"
        noValidate
        onSubmit={async (e) => {
          e.preventDefault();
          try {
            const row = await add.mutateAsync({ eventId, email });
            toast.success(`Added. Registration ${row.id.slice(0, 8)} is confirmed.`);
            setEmail("");
            setErrors({});
            await refresh();
          } catch (error) {
            const fields = fieldErrorsOf(error);
            if (Object.keys(fields).length > 0) setErrors(fields);
            else toast.error(messageOf(error));
          }
        }}
      >
        <TextField id="add-email" type="email" label="Player's email" value={email} onChange={(e) => setEmail(e.target.value)} errors={errors.email} />
        <Button type="submit" disabled={add.isPending}>
          {add.isPending ? "Adding…" : "Add player"}
        </Button>
      </form>
    </Card>
  );
}

function NoShows({ eventId, checkInClosesAt, noShows, status }: { eventId: string; checkInClosesAt: Date; noShows: number; status: string }) {
  const trpc = useTRPC();
  const drop = useMutation(trpc.registration.dropNoShows.mutationOptions());
  const refresh = useRefreshEntries(eventId);
  const closed = Date.now() >= checkInClosesAt.getTime();
  return (
    <Card>
      <h2 className="text-lg font-semibold">No-shows</h2>
      <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
        {closed
          ? `${noShows} confirmed ${noShows === 1 ? "entry has" : "entries have"} not checked in. Dropping them frees their seats; refunds follow your withdrawal policy.`
          : (
            <>
              Check-in closes <LocalTime date={checkInClosesAt} />. After that you can drop whoever did not check in.
            </>
          )}
      </p>
      <Button
        className="mt-4"
        variant="danger"
        disabled={!closed || noShows === 0 || status !== "published" || drop.isPending}
        onClick={async () => {
          try {
            const result = await drop.mutateAsync({ eventId });
            toast.success(`${result.dropped} no-show${result.dropped === 1 ? "" : "s"} dropped.`);
            await refresh();
          } catch (error) {
            toast.error(messageOf(error));
          }
        }}
      >
        {drop.isPending ? "Dropping…" : "Drop no-shows"}
      </Button>
    </Card>
  );
}

const prizeState: Record<string, string> = {
  held: "held from your wallet until the bracket starts",
  in_escrow: "in the event's escrow since the bracket started",
  released: "released back to your wallet",
  not_held: "not held yet: it is taken from your wallet when the bracket starts",
};

const moneyPhaseWords: Record<string, string> = {
  draft: "Draft: nothing is collected yet.",
  upcoming: "Registration has not opened yet.",
  registration_open: "Entry fees are coming in. Players may withdraw (refunded less the penalty) until registration closes.",
  check_in: "Registration is closed; entry fees stay in the escrow.",
  registration_closed: "Registration and check-in are closed. Starting the bracket drops no-shows (refunded by your policy) and fixes the prize pool.",
  bracket_started: "The bracket is running: nothing leaves the escrow until the prizes are paid. Withdrawals are forfeits, removals are disqualifications.",
  completed: "The bracket is complete: the prizes are being paid.",
  paid_out: "Paid out: the escrow is empty.",
  cancelled: "Cancelled: every entry is refunded in full and your prize money returned.",
};

/** Where the event's money is: the escrow, the organizer's prize, and what the payout gave the organizer. */
function EventMoney({ eventId }: { eventId: string }) {
  const trpc = useTRPC();
  const money = useQuery(trpc.events.money.queryOptions({ eventId }));
  if (money.isPending) return <Spinner label="Loading the event's money…" />;
  if (money.isError) return <Alert>{messageOf(money.error)}</Alert>;
  const m = money.data;
  return (
    <Card>
      <section aria-labelledby="money-heading" className="space-y-3">
        <h2 id="money-heading" className="text-lg font-semibold">
          Money
        </h2>
        <p className="text-sm text-zinc-700 dark:text-zinc-300">{moneyPhaseWords[m.phase]}</p>
        <dl className="grid grid-cols-2 gap-4 sm:grid-cols-4">
          <Stat label="In escrow" value={formatMoney(m.escrow)} />
          <Stat label="Platform fee" value={`${m.platformFeePercent}% of your share`} />
          {m.paidOutAt ? (
            <>
              <Stat label="Your share, paid" value={formatMoney(m.organizerShare)} />
              <Stat label="Platform fee, paid" value={formatMoney(m.platformFee)} />
            </>
          ) : null}
        </dl>
        {m.organizerPrize.state !== "none" ? (
          <p className="text-sm text-zinc-700 dark:text-zinc-300">
            Your {formatMoney(m.organizerPrize.amount)} prize is {prizeState[m.organizerPrize.state]}.
          </p>
        ) : null}
      </section>
    </Card>
  );
}
