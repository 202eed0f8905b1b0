import { TRPCError } from "@trpc/server";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getQueryClient, HydrateClient, trpc } from "@/app/_trpc/server";
import { requireUser } from "@/server/accounts/session";
import { paymentIdInput } from "@/server/wallet/schemas";
import { Alert, Card } from "@/app/_components/ui";
import { getDb } from "@/server/database";
import { payerContext, type PayerContext } from "@/server/payments/purposes";
import { getOwnPayment, getPayment, type PaymentView } from "@/server/payments/service";
import { formatMoney } from "@/lib/money";
import { StripeElementsStep } from "../stripe-elements-step";
import { Checkout } from "./checkout";
import { EntryContextWithTimer } from "./entry-context";

export const metadata: Metadata = { title: "Pay by card" };

export default async function PayPage({ params }: { params: Promise<{ paymentId: string }> }) {
  const { paymentId } = await params;
  const user = await requireUser(`/wallet/pay/${encodeURIComponent(paymentId)}`);
  if (!paymentIdInput.safeParse({ paymentId }).success) notFound();
  const payment = await getOwnPayment(await getDb(), user.id, paymentId).catch(() => null);
  if (!payment) notFound();
  if (payment.gateway === "stripe") {
    const db = await getDb();
    const row = await getPayment(db, payment.id);
    return <StripePayPage payment={payment} context={row ? await payerContext(db, row) : null} />;
  }
  try {
    // Awaited rather than prefetched: a payment that is not this player's must be a real 404.
    await getQueryClient().fetchQuery({ ...trpc.payments.simulatedCheckout.queryOptions({ paymentId }), retry: false });
  } catch (error) {
    if (error instanceof TRPCError && error.code === "NOT_FOUND") notFound();
    // Anything else (the card processor is not the simulated one, the database hiccuped): the
    // page still renders and the checkout explains the problem in words.
  }
  return (
    <HydrateClient>
      <div className="mx-auto max-w-lg">
        {/* An entry fee's way back is the event's, below the card step. */}
        {payment.purpose === "registration" ? null : (
          <p className="mb-4 text-sm">
            <Link href="/wallet" className="text-zinc-600 underline underline-offset-2 dark:text-zinc-400">
              ← Back to your wallet
            </Link>
          </p>
        )}
        <Checkout paymentId={paymentId} />
      </div>
    </HydrateClient>
  );
}

/** With Stripe configured, Stripe's Payment Element takes the card; the webhook credits the wallet. */
function StripePayPage({ payment, context }: { payment: PaymentView; context: PayerContext | null }) {
  const publishableKey = process.env.NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY;
  const card = (
    <Card>
      <h1 className="text-2xl font-bold">Pay {formatMoney(payment.amount)}</h1>
      <div className="mt-4">
        {payment.status === "succeeded" ? (
          <Alert tone="success">This payment is complete.</Alert>
        ) : publishableKey && payment.clientSecret ? (
          <StripeElementsStep
            publishableKey={publishableKey}
            clientSecret={payment.clientSecret}
            paymentId={payment.id}
            amount={payment.amount}
          />
        ) : (
          <Alert>Card payments are not available right now. Nothing was charged; please try again later.</Alert>
        )}
      </div>
    </Card>
  );
  return (
    <div className="mx-auto max-w-lg space-y-4">
      {context ? (
        <EntryContextWithTimer context={context} paid={payment.status === "succeeded"}>
          {card}
        </EntryContextWithTimer>
      ) : (
        <>
          <p className="text-sm">
            <Link href="/wallet" className="text-zinc-600 underline underline-offset-2 dark:text-zinc-400">
              ← Back to your wallet
            </Link>
          </p>
          {card}
        </>
      )}
    </div>
  );
}
