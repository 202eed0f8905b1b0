"use client";

import { useMutation } from "@tanstack/react-query";
import { signIn } from "next-auth/react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useRef, useState } from "react";
import { fieldErrorsOf, messageOf, zodFieldErrors } from "@/app/_components/errors";
import { TextField } from "@/app/_components/field";
import { OAuthButtons } from "@/app/_components/oauth-buttons";
import { Alert, Button } from "@/app/_components/ui";
import { useFocusFirstInvalid } from "@/app/_components/use-focus-first-invalid";
import { useNameAvailability } from "@/app/_components/use-name-availability";
import { useTRPC } from "@/app/_trpc/react";
import { EMAIL_TAKEN_MESSAGE, NAME_TAKEN_MESSAGE, signUpInput } from "@/server/accounts/schemas";

export function SignUpForm({ providers }: { providers: { discord: boolean; google: boolean } }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [fieldErrors, setFieldErrors] = useState<Record<string, string[]>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [signingIn, setSigningIn] = useState(false);
  const signUp = useMutation(trpc.account.signUp.mutationOptions());
  const form = useRef<HTMLFormElement>(null);
  useFocusFirstInvalid(form, fieldErrors);
  const [name, setName] = useState("");
  const [email, setEmail] = useState("");
  // The address has an account: the error offers the sign-in page, with the address filled in.
  const emailTaken = fieldErrors.email?.some((message) => message.startsWith(EMAIL_TAKEN_MESSAGE)) ?? false;
  const availability = useNameAvailability(name);

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const parsed = signUpInput.safeParse({
      name: form.get("name"),
      email: form.get("email"),
      password: form.get("password"),
    });
    setFormError(null);
    if (!parsed.success) {
      setFieldErrors(zodFieldErrors(parsed.error));
      return;
    }
    setFieldErrors({});
    try {
      await signUp.mutateAsync(parsed.data);
    } catch (error) {
      const fields = fieldErrorsOf(error);
      if (Object.keys(fields).length > 0) setFieldErrors(fields);
      else setFormError(messageOf(error));
      return;
    }
    setSigningIn(true);
    const result = await signIn("credentials", { email: parsed.data.email, password: parsed.data.password, redirect: false });
    setSigningIn(false);
    if (result?.error) {
      // The account exists; only the automatic sign-in failed.
      router.push("/sign-in");
      return;
    }
    router.push("/profile?welcome=1");
    router.refresh();
  }

  const busy = signUp.isPending || signingIn;
  return (
    <>
      <form ref={form} onSubmit={onSubmit} noValidate className="mt-6 space-y-4">
        {formError ? <Alert>{formError}</Alert> : null}
        <TextField
          id="name"
          name="name"
          label="Display name"
          autoComplete="nickname"
          required
          maxLength={32}
          value={name}
          onChange={(event) => {
            setName(event.target.value);
            if (fieldErrors.name) setFieldErrors(({ name: _stale, ...others }) => others);
          }}
          hint={
            availability === "available"
              ? "That name is free. It is what other players see in brackets and chat."
              : "What other players see in brackets and chat."
          }
          errors={fieldErrors.name ?? (availability === "taken" ? [NAME_TAKEN_MESSAGE] : undefined)}
        />
        <p className="sr-only" aria-live="polite">
          {availability === "taken" ? NAME_TAKEN_MESSAGE : availability === "available" ? "That name is free." : ""}
        </p>
        <TextField
          id="email"
          name="email"
          type="email"
          label="Email"
          autoComplete="email"
          required
          value={email}
          onChange={(event) => {
            setEmail(event.target.value);
            if (fieldErrors.email) setFieldErrors(({ email: _stale, ...others }) => others);
          }}
          errors={emailTaken ? [EMAIL_TAKEN_MESSAGE] : fieldErrors.email}
          errorAction={
            emailTaken ? (
              <Link href={`/sign-in?email=${encodeURIComponent(email.trim())}`} className="underline underline-offset-2">
                Sign in instead
              </Link>
            ) : null
          }
        />
        <TextField
          id="password"
          name="password"
          type="password"
          label="Password"
          autoComplete="new-password"
          required
          hint="At least 8 characters."
          errors={fieldErrors.password}
        />
        <Button type="submit" className="w-full" disabled={busy}>
          {signUp.isPending ? "Creating your account…" : signingIn ? "Signing you in…" : "Create account"}
        </Button>
      </form>
      <OAuthButtons providers={providers} callbackUrl="/profile?welcome=1" />
    </>
  );
}
