"use client";

import { useQuery } from "@tanstack/react-query";
import { Alert } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/react";

/**
 * When the payment processor wants to verify the player's identity before it pays them (Stripe's
 * own onboarding for a Connect account), says so and links to its page. Nothing otherwise (the
 * simulated processor asks for nothing), and nothing while it loads.
 */
export function PayoutReadiness() {
  const trpc = useTRPC();
  const { data } = useQuery(trpc.withdrawals.payoutReadiness.queryOptions());
  if (!data || data.payoutsEnabled || !data.verificationUrl) return null;
  return (
    <Alert tone="info">
      <p>Before we can pay money out to you, our payment processor (Stripe) needs to confirm who you are. It takes a few minutes.</p>
      <p className="mt-2">
        <a href={data.verificationUrl} className="font-medium underline underline-offset-2">
          Verify your identity with Stripe
        </a>
      </p>
    </Alert>
  );
}
