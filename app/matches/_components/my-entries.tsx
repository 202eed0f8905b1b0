"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import Link from "next/link";
import { toast } from "sonner";
import { messageOf } from "@/app/_components/errors";
import { Alert, Button, Spinner } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/react";
import { LocalTime } from "@/app/wallet/local-time";
import { formatMoney } from "@/lib/money";
import type { AppRouter } from "@/server/root";

type Entry = inferRouterOutputs<AppRouter>["registration"]["upcoming"][number];

const linkClass = "font-semibold text-brand-700 underline underline-offset-2 dark:text-brand-300";

function Payment({ entry }: { entry: Entry }) {
  if (entry.status === "waitlisted") return <p>On the waitlist: nothing charged.</p>;
  if (entry.status === "offered") {
    return (
      <p>
        A seat is offered to you.{" "}
        <Link href={`/events/${entry.eventId}`} className={linkClass}>
          Claim it on the event page
        </Link>
      </p>
    );
  }
  if (entry.status === "pending_payment") {
    return entry.paymentId && entry.paymentStatus === "pending" ? (
      <p>
        Payment of {formatMoney(entry.cardAmount)} pending.{" "}
        <Link href={`/wallet/pay/${entry.paymentId}`} className={linkClass}>
          Finish payment
        </Link>
      </p>
    ) : (
      <p>Confirming your payment…</p>
    );
  }
  return <p>Registered: your seat is confirmed.</p>;
}

function CheckIn({ entry }: { entry: Entry }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const checkIn = useMutation(trpc.registration.checkIn.mutationOptions());
  switch (entry.checkIn) {
    case "done":
      return <p className="text-emerald-800 dark:text-emerald-300">Checked in.</p>;
    case "closed":
      return <p>Check-in closed.</p>;
    case "not_needed":
      return null;
    case "not_open":
      return (
        <p>
          Check-in opens <LocalTime date={new Date(entry.checkInOpensAt)} />.
        </p>
      );
    case "open":
      return (
        <div className="flex flex-wrap items-center gap-2">
          <span>
            Check-in open until <LocalTime date={new Date(entry.checkInClosesAt)} />.
          </span>
          <Button
            type="button"
            disabled={checkIn.isPending}
            onClick={async () => {
              try {
                await checkIn.mutateAsync({ registrationId: entry.id });
                toast.success(`Checked in to ${entry.eventName}.`);
              } catch (error) {
                toast.error(messageOf(error));
              } finally {
                await queryClient.invalidateQueries({ queryKey: trpc.registration.upcoming.queryKey() });
              }
            }}
          >
            {checkIn.isPending ? "Checking in…" : "Check in"}
          </Button>
        </div>
      );
  }
}

export function MyEntries() {
  const trpc = useTRPC();
  const query = useQuery(trpc.registration.upcoming.queryOptions());
  return (
    <section aria-labelledby="entries-heading" className="space-y-3">
      <h2 id="entries-heading" className="text-lg font-semibold">
        Registrations
      </h2>
      {query.isPending ? (
        <Spinner label="Loading your registrations…" />
      ) : query.isError ? (
        <Alert>We could not load your registrations: {messageOf(query.error)}</Alert>
      ) : query.data.length === 0 ? (
        <p className="text-zinc-600 dark:text-zinc-400">
          You are not registered for an upcoming event.{" "}
          <Link href="/events" className={linkClass}>
            Browse events
          </Link>
        </p>
      ) : (
        <ul className="grid gap-3 md:grid-cols-2">
          {query.data.map((entry) => (
            <li
              key={entry.id}
              className="space-y-2 rounded-lg border border-zinc-200 bg-white p-4 text-sm shadow-sm dark:border-zinc-800 dark:bg-zinc-900"
            >
              <h3 className="text-base font-semibold">
                <Link href={`/events/${entry.eventId}`} className="underline-offset-2 hover:underline">
                  {entry.eventName}
                </Link>
              </h3>
              <p className="text-zinc-600 dark:text-zinc-400">
                Starts <LocalTime date={new Date(entry.startsAt)} />
              </p>
              <Payment entry={entry} />
              <CheckIn entry={entry} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
