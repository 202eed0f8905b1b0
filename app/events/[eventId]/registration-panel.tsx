"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useRef, useState } from "react";
import { toast } from "sonner";
import { fieldErrorsOf, messageOf } from "@/app/_components/errors";
import { SelectField, TextField } from "@/app/_components/field";
import { Alert, Button, Card, Spinner } from "@/app/_components/ui";
import { VerifyEmailNotice } from "@/app/_components/verify-email-notice";
import { useCountdown } from "@/app/_components/use-countdown";
import { useTRPC } from "@/app/_trpc/react";
import type { AppRouter } from "@/server/root";
import { formatMoney, parseMoney } from "@/lib/money";
import { attemptKey, endCheckoutAttempt } from "./checkout-attempt";

interface PanelEvent {
  id: string;
  name: string;
  phase: string;
  entryFee: number;
  participantType: "solo" | "team";
  teamSize: number;
  withdrawalPenaltyPercent: number;
  checkInOpensAt: Date;
  checkInClosesAt: Date;
}

function clock(seconds: number) {
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  return `${m}:${String(s).padStart(2, "0")}`;
}

export function RegistrationPanel({ event, signedIn }: { event: PanelEvent; signedIn: boolean }) {
  if (!signedIn) {
    return (
      <Card>
        <p>
          <Link
            href={`/sign-in?callbackUrl=${encodeURIComponent(`/events/${event.id}`)}`}
            className="font-semibold text-brand-700 underline dark:text-brand-300"
          >
            Sign in
          </Link>{" "}
          to register for this event.
        </p>
      </Card>
    );
  }
  return <SignedInPanel event={event} />;
}

function SignedInPanel({ event }: { event: PanelEvent }) {
  const trpc = useTRPC();
  const mine = useQuery({
    ...trpc.registration.mine.queryOptions({ eventId: event.id }),
    // While a card payment is being confirmed, look again every two seconds.
    refetchInterval: (query) =>
      query.state.data?.status === "pending_payment" && query.state.data.payment?.status === "pending" ? 2000 : false,
  });
  if (mine.isPending) return <Spinner label="Checking your registration…" />;
  if (mine.isError) return <Alert>{messageOf(mine.error)}</Alert>;
  const registration = mine.data;
  const active = registration && ["confirmed", "pending_payment", "waitlisted", "offered"].includes(registration.status);
  if (registration && active && registration.status !== "offered") return <RegistrationStatus event={event} registration={registration} />;
  const open = event.phase === "registration_open" || registration?.status === "offered";
  return (
    <div className="space-y-4">
      {registration && !active ? (
        <EndedNotice
          status={registration.status}
          failure={registration.payment?.failureMessage ?? null}
          refund={refundWords(registration)}
        />
      ) : null}
      {registration?.status === "offered" ? <OfferNotice until={registration.offerExpiresAt} /> : null}
      {open ? <CheckoutForm event={event} /> : <Alert tone="info">Registration is not open right now.</Alert>}
    </div>
  );
}

/** "Refunded $9.00 to your wallet and $2.70 to your card (on its way)." */
function refundWords(registration: Pick<Mine, "refundedToWallet" | "refundedToCard" | "cardRefundPending" | "cardLast4">): string | null {
  const parts = [
    registration.refundedToWallet > 0 ? `${formatMoney(registration.refundedToWallet)} to your wallet` : null,
    registration.refundedToCard > 0
      ? `${formatMoney(registration.refundedToCard)} to ${registration.cardLast4 ? `card •••• ${registration.cardLast4}` : "your card"}${registration.cardRefundPending ? " (on its way: cards take 5–10 days)" : ""}`
      : null,
  ].filter(Boolean);
  return parts.length > 0 ? `Refunded ${parts.join(" and ")}.` : null;
}

function EndedNotice({ status, failure, refund }: { status: string; failure: string | null; refund: string | null }) {
  const text: Record<string, string> = {
    payment_failed: `${failure ?? "Your card was declined."} Your entry was not confirmed and any money held from your wallet was released. You can try again below.`,
    expired: "Your last checkout was not paid within 15 minutes, so its seat and held money were released.",
    withdrawn: "You withdrew from this event.",
    cancelled: "This entry was cancelled.",
    removed: "The organizer removed this entry.",
  };
  return (
    <Alert tone={status === "payment_failed" ? "error" : "info"}>
      {text[status] ?? "Your previous entry ended."}
      {refund ? ` ${refund}` : ""}
    </Alert>
  );
}

function OfferNotice({ until }: { until: Date | null }) {
  const seconds = useCountdown(until ? until.getTime() : null);
  const hours = Math.floor(seconds / 3600);
  return (
    <Alert tone="success">
      A seat opened up and it is yours: pay within {hours > 0 ? `${hours} h ${Math.floor((seconds % 3600) / 60)} min` : clock(seconds)} to
      take it.
    </Alert>
  );
}

function CheckoutForm({ event }: { event: PanelEvent }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [promoInput, setPromoInput] = useState("");
  const [promoCode, setPromoCode] = useState("");
  const [walletText, setWalletText] = useState<string | null>(null);
  const [teamId, setTeamId] = useState("");
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const submitting = useRef(false);
  const quote = useQuery(trpc.registration.quote.queryOptions({ eventId: event.id, promoCode: promoCode || undefined }, { retry: false }));
  const teams = useQuery({ ...trpc.teams.mine.queryOptions(), enabled: event.participantType === "team" });
  const checkout = useMutation(trpc.registration.checkout.mutationOptions());

  if (quote.isPending) return <Spinner label="Working out the price…" />;
  if (quote.isError) {
    const promoError = fieldErrorsOf(quote.error).promoCode;
    return (
      <Card className="space-y-3">
        <Alert>{promoError?.join(" ") ?? messageOf(quote.error)}</Alert>
        <Button
          variant="secondary"
          onClick={() => {
            setPromoCode("");
            setPromoInput("");
          }}
        >
          Continue without the code
        </Button>
      </Card>
    );
  }
  const price = quote.data;
  const defaultWallet = Math.min(price.walletAvailable, price.total);
  const walletAmount = walletText === null ? defaultWallet : (parseMoney(walletText) ?? -1);
  const cardAmount = price.total - Math.max(0, walletAmount);
  const captainTeams = teams.data?.teams.filter((t) => t.role === "captain") ?? [];

  async function onSubmit(e: React.FormEvent) {
    e.preventDefault();
    if (submitting.current) return;
    const problems: Record<string, string[]> = {};
    if (walletAmount < 0) problems.walletAmount = ["Enter an amount like 5.00."];
    else if (walletAmount > price.walletAvailable)
      problems.walletAmount = [`Your wallet has ${formatMoney(price.walletAvailable)} available.`];
    else if (walletAmount > price.total) problems.walletAmount = [`The entry costs ${formatMoney(price.total)}.`];
    else if (cardAmount > 0 && cardAmount < price.minCardCharge) {
      problems.walletAmount = [
        `A card payment must be at least ${formatMoney(price.minCardCharge)}: pay a little less from your wallet, or all of it.`,
      ];
    }
    if (event.participantType === "team" && !teamId) problems.teamId = ["Choose the team you are registering."];
    setErrors(problems);
    if (Object.keys(problems).length > 0) return;
    submitting.current = true;
    try {
      const idempotencyKey = attemptKey(event.id, { walletAmount, promoCode, teamId });
      const result = await checkout.mutateAsync({
        eventId: event.id,
        idempotencyKey,
        walletAmount,
        promoCode: promoCode || undefined,
        teamId: teamId || undefined,
      });
      await queryClient.invalidateQueries({ queryKey: trpc.registration.mine.queryKey({ eventId: event.id }) });
      if (result.next === "pay_card" && result.paymentId) {
        router.push(`/wallet/pay/${result.paymentId}`);
        return;
      }
      endCheckoutAttempt(event.id);
      if (result.next === "confirmed") toast.success("You're in! Your entry is confirmed.");
      if (result.next === "waitlisted") toast("The event is full: you are on the waitlist. Nothing was charged.");
      router.refresh();
    } catch (error) {
      const fields = fieldErrorsOf(error);
      if (Object.keys(fields).length > 0) setErrors(fields);
      else toast.error(messageOf(error));
    } finally {
      submitting.current = false;
    }
  }

  return (
    <Card>
      <form onSubmit={onSubmit} noValidate className="space-y-4" aria-describedby="price-summary">
        <div id="price-summary" className="space-y-1">
          <p className="text-sm text-zinc-600 dark:text-zinc-400">Entry fee</p>
          <p className="text-3xl font-bold tabular-nums">
            {price.total === 0 ? "Free" : formatMoney(price.total)}
            {price.discount > 0 ? (
              <span className="ml-2 text-base font-normal text-zinc-600 line-through dark:text-zinc-400">{formatMoney(price.fee)}</span>
            ) : null}
          </p>
          {price.promo ? (
            <p className="text-sm text-emerald-700 dark:text-emerald-400">
              Code {price.promo.code} applied: {formatMoney(price.discount)} off.
            </p>
          ) : null}
        </div>
        {price.total > 0 ? <VerifyEmailNotice action="pay this entry fee" /> : null}

        {event.participantType === "team" ? (
          captainTeams.length > 0 ? (
            <SelectField id="teamId" label="Team" value={teamId} onChange={(e) => setTeamId(e.target.value)} errors={errors.teamId}>
              <option value="">Choose a team you captain</option>
              {captainTeams.map((team) => (
                <option key={team.id} value={team.id}>
                  {team.name} [{team.tag}] · {team.memberCount} players
                </option>
              ))}
            </SelectField>
          ) : (
            <Alert tone="info">
              Teams of {event.teamSize} register through their captain.{" "}
              <Link href="/teams" className="underline">
                Create or manage your teams
              </Link>
              .
            </Alert>
          )
        ) : null}

        <div className="flex items-end gap-2">
          <div className="flex-1">
            <TextField
              id="promoCode"
              label="Promo code (optional)"
              value={promoInput}
              onChange={(e) => setPromoInput(e.target.value)}
              autoComplete="off"
              errors={errors.promoCode}
            />
          </div>
          <Button type="button" variant="secondary" onClick={() => setPromoCode(promoInput.trim())} disabled={!promoInput.trim()}>
            Apply
          </Button>
        </div>

        {price.total > 0 ? (
          <>
            <TextField
              id="walletAmount"
              label="Pay from your wallet (USD)"
              inputMode="decimal"
              value={walletText ?? (defaultWallet / 100).toFixed(2)}
              onChange={(e) => setWalletText(e.target.value)}
              hint={`Available: ${formatMoney(price.walletAvailable)}. The rest is paid by card.`}
              errors={errors.walletAmount}
            />
            <p className="text-sm" aria-live="polite">
              Wallet {formatMoney(Math.max(0, Math.min(walletAmount, price.total)))} + card {formatMoney(Math.max(0, cardAmount))}
            </p>
          </>
        ) : null}

        <Button type="submit" className="w-full" disabled={checkout.isPending}>
          {checkout.isPending
            ? "Registering…"
            : price.total === 0
              ? "Register"
              : cardAmount > 0
                ? `Continue to card payment`
                : `Pay ${formatMoney(price.total)} and register`}
        </Button>
        {event.withdrawalPenaltyPercent > 0 && price.total > 0 ? (
          <p className="text-xs text-zinc-600 dark:text-zinc-400">
            Withdrawing before registration closes refunds {100 - event.withdrawalPenaltyPercent}% of what you paid.
          </p>
        ) : null}
      </form>
    </Card>
  );
}

type Mine = NonNullable<inferRouterOutputs<AppRouter>["registration"]["mine"]>;

function RegistrationStatus({ event, registration }: { event: PanelEvent; registration: Mine }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const withdraw = useMutation(trpc.registration.withdraw.mutationOptions());
  const checkIn = useMutation(trpc.registration.checkIn.mutationOptions());
  const [confirmWithdraw, setConfirmWithdraw] = useState(false);
  const expires = useCountdown(registration.expiresAt ? registration.expiresAt.getTime() : null);
  const now = Date.now();
  const checkInOpen = now >= event.checkInOpensAt.getTime() && now < event.checkInClosesAt.getTime();

  async function refresh() {
    await queryClient.invalidateQueries({ queryKey: trpc.registration.mine.queryKey({ eventId: event.id }) });
    router.refresh();
  }

  const paid = registration.fee - registration.discount;
  const back = Math.floor((paid * (100 - event.withdrawalPenaltyPercent)) / 100);

  return (
    <Card className="space-y-4">
      {registration.status === "confirmed" && registration.disqualified ? (
        <Alert tone="info">
          Your entry is out of the bracket: its remaining matches went to your opponents. Entry fees are not refunded once the bracket has
          started.
        </Alert>
      ) : registration.status === "confirmed" ? (
        <Alert tone="success">
          You&apos;re registered{paid > 0 ? ` (paid ${formatMoney(paid)})` : ""}.{registration.checkedInAt ? " You are checked in." : ""}
        </Alert>
      ) : null}
      {registration.status === "waitlisted" ? (
        <Alert tone="info">
          The event is full: you are number {registration.waitlistPosition} on the waitlist. Nothing has been charged; if a seat frees up
          you get a time-limited offer.
        </Alert>
      ) : null}
      {registration.status === "pending_payment" ? (
        registration.payment?.status === "pending" && expires > 0 ? (
          <div className="space-y-3">
            <Alert tone="info">
              Your seat is held for {clock(expires)} while you pay {formatMoney(registration.cardAmount)} by card.
            </Alert>
            {registration.paymentId ? (
              <Link href={`/wallet/pay/${registration.paymentId}`} className="font-semibold text-brand-700 underline dark:text-brand-300">
                Continue to card payment
              </Link>
            ) : null}
          </div>
        ) : (
          <Spinner label="Confirming your payment…" />
        )
      ) : null}
      <div className="flex flex-wrap gap-2">
        {registration.status === "confirmed" && !registration.checkedInAt && checkInOpen ? (
          <Button
            disabled={checkIn.isPending}
            onClick={async () => {
              try {
                await checkIn.mutateAsync({ registrationId: registration.id });
                toast.success("Checked in. Good luck!");
                await refresh();
              } catch (error) {
                toast.error(messageOf(error));
              }
            }}
          >
            {checkIn.isPending ? "Checking in…" : "Check in"}
          </Button>
        ) : null}
        {event.phase === "registration_open" ||
        registration.status !== "confirmed" ||
        (event.phase === "live" && !registration.disqualified) ? (
          confirmWithdraw ? (
            <div className="space-y-2">
              <p className="text-sm">
                {registration.status === "confirmed" && event.phase === "live"
                  ? `The bracket has started: withdrawing forfeits your remaining matches to your opponents${paid > 0 ? `, and your ${formatMoney(paid)} entry fee is not refunded` : ""}.`
                  : registration.status === "confirmed" && paid > 0
                    ? `You will get back ${formatMoney(back)} of ${formatMoney(paid)}, to where it came from (wallet and card).`
                    : "You will leave this event."}
              </p>
              <div className="flex gap-2">
                <Button
                  variant="danger"
                  disabled={withdraw.isPending}
                  onClick={async () => {
                    try {
                      await withdraw.mutateAsync({ registrationId: registration.id });
                      endCheckoutAttempt(event.id);
                      toast.success(
                        event.phase === "live" ? "You have withdrawn: your remaining matches are forfeited." : "You have withdrawn.",
                      );
                      await refresh();
                    } catch (error) {
                      toast.error(messageOf(error));
                    }
                  }}
                >
                  {withdraw.isPending ? "Withdrawing…" : "Yes, withdraw"}
                </Button>
                <Button variant="secondary" onClick={() => setConfirmWithdraw(false)}>
                  Keep my entry
                </Button>
              </div>
            </div>
          ) : (
            <Button variant="secondary" onClick={() => setConfirmWithdraw(true)}>
              {registration.status === "waitlisted" ? "Leave the waitlist" : "Withdraw"}
            </Button>
          )
        ) : null}
      </div>
    </Card>
  );
}
