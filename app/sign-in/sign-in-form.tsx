"use client";

import { startAuthentication } from "@simplewebauthn/browser";
import { useMutation } from "@tanstack/react-query";
import { signIn } from "next-auth/react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { TextField } from "@/app/_components/field";
import { OAuthButtons } from "@/app/_components/oauth-buttons";
import { Alert, Button } from "@/app/_components/ui";
import { PasskeyPromptError, promptPasskey } from "@/app/_components/passkey-errors";
import { useCountdown } from "@/app/_components/use-countdown";
import { useTRPC } from "@/app/_trpc/react";
import { zodFieldErrors } from "@/app/_components/errors";
import { signInInput } from "@/server/accounts/schemas";
import { parseSuspendedCode, suspensionEndInWords } from "@/server/accounts/suspension-code";
import { parseSecondFactorCode, recoveryCodeSchema, totpCodeSchema } from "@/server/accounts/two-factor-schemas";

const WRONG_CREDENTIALS = "That email and password do not match an account. Check them and try again.";
const WRONG_CODE = "That code is not right, or it was already used. Check it and try again.";
const WRONG_RECOVERY_CODE = "That recovery code is not right, or it was already used.";
const WRONG_PASSKEY = "That passkey could not be used to sign in. Try another, or sign in with your password.";

type SecondStep = { email: string; password: string; methods: ("totp" | "passkey")[]; method: "totp" | "recovery" | "passkey" };

/** Why a suspended account cannot sign in, and until when. */
function suspendedMessage(code: string | null | undefined): string | null {
  const suspension = parseSuspendedCode(code);
  if (!suspension) return null;
  const reason = suspension.reason ? ` Reason: ${suspension.reason}${/[.!?]$/.test(suspension.reason) ? "" : "."}` : "";
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
  email,
}: {
  callbackUrl: string;
  providers: { discord: boolean; google: boolean };
  oauthError?: string;
  /** Filled in when the player came from "Sign in instead" on the sign-up form. */
  email?: string;
}) {
  const router = useRouter();
  const trpc = useTRPC();
  const beginPasskey = useMutation(trpc.account.beginPasskeySignIn.mutationOptions());
  const [fieldErrors, setFieldErrors] = useState<Record<string, string[]>>({});
  const [formError, setFormError] = useState<string | null>(
    oauthError ? (suspendedMessage(oauthError) ?? oauthErrors[oauthError] ?? "Sign-in did not work. Please try again.") : null,
  );
  const [blockedUntil, setBlockedUntil] = useState<number | null>(null);
  const [pending, setPending] = useState(false);
  const [second, setSecond] = useState<SecondStep | null>(null);
  const waitSeconds = useCountdown(blockedUntil);
  const codeRef = useRef<HTMLInputElement>(null);

  // The second step's field takes focus as it appears (and when switching to a recovery code).
  useEffect(() => {
    if (second && second.method !== "passkey") codeRef.current?.focus();
  }, [second]);

  /** Signs in with a provider; on success follows the callback, otherwise says why in words. */
  async function attempt(provider: "credentials" | "passkey", fields: Record<string, string>, wrong: string, step?: SecondStep) {
    const result = await signIn(provider, { ...fields, redirect: false });
    if (!result?.error) {
      router.push(callbackUrl);
      router.refresh();
      return;
    }
    const limited = result.code?.match(/^rate_limited:(\d+)$/);
    const suspended = suspendedMessage(result.code);
    const needed = parseSecondFactorCode(result.code);
    if (limited) {
      setBlockedUntil(Date.now() + Number(limited[1]) * 1000);
    } else if (suspended) {
      setSecond(null);
      setFormError(suspended);
    } else if (needed && step === undefined && provider === "credentials") {
      setSecond({
        email: fields.email!,
        password: fields.password!,
        methods: needed.methods,
        method: needed.methods.includes("totp") ? "totp" : "passkey",
      });
    } else if (result.code === "second_factor_invalid" && step && step.method !== "passkey") {
      setFieldErrors({ code: [wrong] });
      codeRef.current?.focus();
    } else {
      setFormError(wrong);
    }
  }

  async function run(work: () => Promise<void>) {
    setFieldErrors({});
    setFormError(null);
    setPending(true);
    try {
      await work();
    } catch (caught) {
      setFormError(
        caught instanceof PasskeyPromptError ? caught.message : "We could not reach Driftwood. Check your connection and try again.",
      );
    } finally {
      setPending(false);
    }
  }

  /** A passkey answer to a fresh sign-in challenge, as the credentials field carries it. */
  async function passkeyAnswer(): Promise<string> {
    const { challengeId, options } = await beginPasskey.mutateAsync();
    const response = await promptPasskey(() => startAuthentication({ optionsJSON: options }));
    return JSON.stringify({ challengeId, response });
  }

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const parsed = signInInput.safeParse({ email: form.get("email"), password: form.get("password") });
    if (!parsed.success) {
      setFieldErrors(zodFieldErrors(parsed.error));
      setFormError(null);
      return;
    }
    await run(() => attempt("credentials", parsed.data, WRONG_CREDENTIALS));
  }

  async function onSecondFactor(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!second) return;
    const credentials = { email: second.email, password: second.password };
    if (second.method === "passkey") {
      await run(async () => attempt("credentials", { ...credentials, passkey: await passkeyAnswer() }, WRONG_PASSKEY, second));
      return;
    }
    const raw = String(new FormData(event.currentTarget).get("code") ?? "");
    const parsed = (second.method === "totp" ? totpCodeSchema : recoveryCodeSchema).safeParse(raw);
    if (!parsed.success) {
      setFieldErrors({ code: parsed.error.issues.map((issue) => issue.message) });
      codeRef.current?.focus();
      return;
    }
    const field: Record<string, string> = second.method === "totp" ? { code: parsed.data } : { recoveryCode: parsed.data };
    await run(() =>
      attempt("credentials", { ...credentials, ...field }, second.method === "totp" ? WRONG_CODE : WRONG_RECOVERY_CODE, second),
    );
  }

  const withPasskey = () => run(async () => attempt("passkey", { passkey: await passkeyAnswer() }, WRONG_PASSKEY));

  if (second) {
    const choose = (method: SecondStep["method"]) => {
      setFieldErrors({});
      setFormError(null);
      setSecond({ ...second, method });
    };
    return (
      <form onSubmit={onSecondFactor} noValidate className="mt-6 space-y-4" aria-describedby={formError ? "sign-in-error" : undefined}>
        <h2 className="text-lg font-semibold">Two-factor sign-in</h2>
        {formError ? <Alert id="sign-in-error">{formError}</Alert> : null}
        {waitSeconds > 0 ? <Alert>Too many sign-in attempts. Please try again in {countdown(waitSeconds)}.</Alert> : null}
        {second.method === "totp" ? (
          <TextField
            key="totp"
            ref={codeRef}
            id="code"
            name="code"
            label="Enter the 6-digit code from your authenticator app"
            autoComplete="one-time-code"
            inputMode="numeric"
            maxLength={9}
            errors={fieldErrors.code}
          />
        ) : second.method === "recovery" ? (
          <TextField
            key="recovery"
            ref={codeRef}
            id="code"
            name="code"
            label="Enter one of your recovery codes"
            autoComplete="off"
            spellCheck={false}
            hint="Each code works once. Like abcde-12345."
            errors={fieldErrors.code}
          />
        ) : (
          <p className="text-sm text-zinc-600 dark:text-zinc-400">Use one of the passkeys on your account: your browser will ask for it.</p>
        )}
        <Button type="submit" className="w-full" disabled={pending || waitSeconds > 0}>
          {pending ? "Checking…" : second.method === "passkey" ? "Use a passkey" : "Verify and sign in"}
        </Button>
        <div className="flex flex-col items-start gap-1 text-sm">
          {second.method !== "totp" && second.methods.includes("totp") ? (
            <button type="button" className="font-medium text-brand-700 underline dark:text-brand-300" onClick={() => choose("totp")}>
              Use your authenticator app
            </button>
          ) : null}
          {second.method !== "recovery" ? (
            <button type="button" className="font-medium text-brand-700 underline dark:text-brand-300" onClick={() => choose("recovery")}>
              Use a recovery code instead
            </button>
          ) : null}
          {second.method !== "passkey" && second.methods.includes("passkey") ? (
            <button type="button" className="font-medium text-brand-700 underline dark:text-brand-300" onClick={() => choose("passkey")}>
              Use a passkey
            </button>
          ) : null}
          <button
            type="button"
            className="font-medium text-zinc-700 underline dark:text-zinc-300"
            onClick={() => {
              setSecond(null);
              setFieldErrors({});
              setFormError(null);
            }}
          >
            Start again with another account
          </button>
        </div>
      </form>
    );
  }

  return (
    <>
      <form onSubmit={onSubmit} noValidate className="mt-6 space-y-4" aria-describedby={formError ? "sign-in-error" : undefined}>
        {formError ? <Alert id="sign-in-error">{formError}</Alert> : null}
        {waitSeconds > 0 ? <Alert>Too many sign-in attempts. Please try again in {countdown(waitSeconds)}.</Alert> : null}
        <TextField
          id="email"
          name="email"
          type="email"
          label="Email"
          autoComplete="email"
          required
          defaultValue={email}
          errors={fieldErrors.email}
        />
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
      <Button type="button" variant="secondary" className="mt-3 w-full" onClick={withPasskey} disabled={pending || waitSeconds > 0}>
        Sign in with a passkey
      </Button>
      <OAuthButtons providers={providers} callbackUrl={callbackUrl} />
    </>
  );
}
