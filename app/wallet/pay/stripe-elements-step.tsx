"use client";

import { Elements, PaymentElement, useElements, useStripe } from "@stripe/react-stripe-js";
import { loadStripe, type Stripe } from "@stripe/stripe-js";
import { useState } from "react";
import { Alert, Button } from "@/app/_components/ui";
import { formatMoney } from "@/lib/money";

let stripePromise: Promise<Stripe | null> | undefined;

/**
 * The card step when Driftwood runs with Stripe: Stripe's own Payment Element collects the card
 * (card data never reaches our servers); the wallet is credited by the webhook, not by this page.
 */
export function StripeElementsStep({
  publishableKey,
  clientSecret,
  paymentId,
  amount,
}: {
  publishableKey: string;
  clientSecret: string;
  paymentId: string;
  amount: number;
}) {
  stripePromise ??= loadStripe(publishableKey);
  return (
    <Elements stripe={stripePromise} options={{ clientSecret, appearance: { theme: "stripe" } }}>
      <StripeForm paymentId={paymentId} amount={amount} />
    </Elements>
  );
}

function StripeForm({ paymentId, amount }: { paymentId: string; amount: number }) {
  const stripe = useStripe();
  const elements = useElements();
  const [error, setError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);

  async function onSubmit(event: React.FormEvent) {
    event.preventDefault();
    if (!stripe || !elements) return;
    setSubmitting(true);
    setError(null);
    const result = await stripe.confirmPayment({
      elements,
      confirmParams: { return_url: `${window.location.origin}/wallet?payment=${paymentId}` },
    });
    // confirmPayment only returns on failure; on success the browser goes to return_url.
    setError(result.error?.message ?? "The payment did not go through. No money was taken.");
    setSubmitting(false);
  }

  return (
    <form onSubmit={onSubmit} className="space-y-4">
      {error ? <Alert>{error}</Alert> : null}
      <PaymentElement />
      <Button type="submit" className="w-full" disabled={!stripe || submitting}>
        {submitting ? "Paying…" : `Pay ${formatMoney(amount)}`}
      </Button>
    </form>
  );
}
