"use client";

import { signIn } from "next-auth/react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { TextField } from "@/app/_components/field";
import { OAuthButtons } from "@/app/_components/oauth-buttons";
import { Alert, Button } from "@/app/_components/ui";
import { useCountdown } from "@/app/_components/use-countdown";
import { zodFieldErrors } from "@/app/_components/errors";
import { signInInput } from "@/server/accounts/schemas";
import { parseSuspendedCode, suspensionEndInWords } from "@/server/accounts/suspension-code";

const WRONG_CREDENTIALS = "That email and password do not match an account. Check them and try again.";

/** Why a suspended account cannot sign in, and until when. */
function suspendedMessage(code: string | null | undefined): string | null {
  const suspension = parseSuspendedCode(code);
  if (!suspension) return null;
  const reason = suspension.reason ? ` Reason: ${suspension.reason}` : "";
  return `This account is suspended ${suspensionEndInWords(suspension.until)}.${reason} If you think this is a mistake, contact support.`;
}

const oauthErrors: Record<string, string> = {
  OAuthAccountNotLinked: "That email already has a Driftwood account. Sign in with your password instead.",
  AccessDenied: "Sign-in was cancelled.",
};

/** "45 seconds", "4 min 07 s": the wait, counting down. */
function countdown(seconds: number): string {
  if (seconds < 60) return `${seconds} second${seconds === 1 ? "" : "s"}`;
  return `${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, "0")} s`;
}

export function SignInForm({
  callbackUrl,
  providers,
  oauthError,
}: {
  callbackUrl: string;
  providers: { discord: boolean; google: boolean };
  oauthError?: string;
}) {
  const router = useRouter();
  const [fieldErrors, setFieldErrors] = useState<Record<string, string[]>>({});
  const [formError, setFormError] = useState<string | null>(
    oauthError ? (suspendedMessage(oauthError) ?? oauthErrors[oauthError] ?? "Sign-in did not work. Please try again.") : null,
  );
  const [blockedUntil, setBlockedUntil] = useState<number | null>(null);
  const [pending, setPending] = useState(false);
  const waitSeconds = useCountdown(blockedUntil);

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const parsed = signInInput.safeParse({ email: form.get("email"), password: form.get("password") });
    if (!parsed.success) {
      setFieldErrors(zodFieldErrors(parsed.error));
      setFormError(null);
      return;
    }
    setFieldErrors({});
    setFormError(null);
    setPending(true);
    try {
      const result = await signIn("credentials", { ...parsed.data, redirect: false });
      if (result?.error) {
        const limited = result.code?.match(/^rate_limited:(\d+)$/);
        const suspended = suspendedMessage(result.code);
        if (limited) {
          setBlockedUntil(Date.now() + Number(limited[1]) * 1000);
        } else if (suspended) {
          setFormError(suspended);
        } else {
          setFormError(WRONG_CREDENTIALS);
        }
        return;
      }
      router.push(callbackUrl);
      router.refresh();
    } catch {
      setFormError("We could not reach Driftwood. Check your connection and try again.");
    } finally {
      setPending(false);
    }
  }

  return (
    <>
      <form onSubmit={onSubmit} noValidate className="mt-6 space-y-4" aria-describedby={formError ? "sign-in-error" : undefined}>
        {formError ? <Alert id="sign-in-error">{formError}</Alert> : null}
        {waitSeconds > 0 ? <Alert>Too many sign-in attempts. Please try again in {countdown(waitSeconds)}.</Alert> : null}
        <TextField id="email" name="email" type="email" label="Email" autoComplete="email" required errors={fieldErrors.email} />
        <TextField
          id="password"
          name="password"
          type="password"
          label="Password"
          autoComplete="current-password"
          required
          errors={fieldErrors.password}
        />
        <p className="text-right text-sm">
          <Link href="/forgot-password" className="font-medium text-brand-700 underline dark:text-brand-300">
            Forgot password?
          </Link>
        </p>
        <Button type="submit" className="w-full" disabled={pending || waitSeconds > 0}>
          {pending ? "Signing in…" : "Sign in"}
        </Button>
      </form>
      <OAuthButtons providers={providers} callbackUrl={callbackUrl} />
    </>
  );
}
