"use client";

import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { messageOf } from "@/app/_components/errors";
import { Alert, Button, LinkButton, Spinner } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/react";

const NO_TOKEN = "This page needs the link from your email. Open the link again, or send a new one.";

export function VerifyEmail({ token, signedIn }: { token: string; signedIn: boolean }) {
  const trpc = useTRPC();
  const router = useRouter();
  const verify = useMutation(trpc.account.verifyEmail.mutationOptions());
  const resend = useMutation(trpc.account.resendVerification.mutationOptions());
  const started = useRef(false);
  const [resent, setResent] = useState<string | null>(null);

  // The link is used once the page has loaded in a browser (mail scanners that fetch links do not run it).
  useEffect(() => {
    if (started.current || !token) return;
    started.current = true;
    verify.mutate({ token }, { onSuccess: () => router.refresh() });
  }, [token, verify, router]);

  if (!token || verify.isError) {
    return (
      <div className="mt-6 space-y-4">
        <Alert>{token ? messageOf(verify.error) : NO_TOKEN}</Alert>
        {resent ? <Alert tone="success">We sent a new link to {resent}. It is valid for 48 hours.</Alert> : null}
        {resend.isError ? <Alert>{messageOf(resend.error)}</Alert> : null}
        {signedIn ? (
          <div className="flex flex-col gap-2 sm:flex-row">
            <Button
              type="button"
              disabled={resend.isPending}
              onClick={async () => {
                try {
                  setResent((await resend.mutateAsync()).email);
                } catch {
                  // shown above
                }
              }}
            >
              {resend.isPending ? "Sending…" : "Send a new link"}
            </Button>
            <LinkButton href="/profile/security" variant="secondary">
              Sign-in and security
            </LinkButton>
          </div>
        ) : (
          <p className="text-sm text-zinc-600 dark:text-zinc-400">
            To get a new link,{" "}
            <Link href="/sign-in?callbackUrl=%2Fprofile%2Fsecurity" className="font-medium text-brand-700 underline dark:text-brand-300">
              sign in
            </Link>{" "}
            and open Sign-in and security.
          </p>
        )}
      </div>
    );
  }
  if (!verify.isSuccess) {
    return (
      <div className="mt-6">
        <Spinner label="Checking your link…" />
      </div>
    );
  }
  const { purpose, email } = verify.data;
  return (
    <div className="mt-6 space-y-4">
      <Alert tone="success">
        {purpose === "email_change"
          ? `Done: you now sign in with ${email}, and it is verified.`
          : `Thank you: ${email} is verified. You can now pay entry fees and top up your wallet.`}
      </Alert>
      <LinkButton href={signedIn ? "/events" : "/sign-in"} className="w-full">
        {signedIn ? "Find a tournament" : "Sign in"}
      </LinkButton>
    </div>
  );
}
