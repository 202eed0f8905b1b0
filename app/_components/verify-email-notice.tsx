"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { toast } from "sonner";
import { messageOf } from "@/app/_components/errors";
import { Alert } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/react";

/**
 * For a signed-in player whose email is not verified yet: what they cannot do until it is (pay,
 * top up) and a way to get a new link. Renders nothing for verified accounts (or while loading).
 */
export function VerifyEmailNotice({ action = "pay entry fees or top up your wallet" }: { action?: string }) {
  const trpc = useTRPC();
  const me = useQuery(trpc.account.me.queryOptions());
  const resend = useMutation(trpc.account.resendVerification.mutationOptions());
  if (!me.data || me.data.emailVerified) return null;
  return (
    <Alert tone="info">
      <p>
        <strong>Verify your email address</strong> to {action}: we sent a link to {me.data.email}.{" "}
        <button
          type="button"
          className="font-medium underline disabled:opacity-60"
          disabled={resend.isPending}
          onClick={async () => {
            try {
              const { email } = await resend.mutateAsync();
              toast.success(`We sent a new link to ${email}.`);
            } catch (error) {
              toast.error(messageOf(error));
            }
          }}
        >
          {resend.isPending ? "Sending…" : "Send a new link"}
        </button>{" "}
        or{" "}
        <Link href="/profile/security" className="font-medium underline">
          change your email
        </Link>
        .
      </p>
    </Alert>
  );
}
