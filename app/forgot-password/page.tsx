import type { Metadata } from "next";
import Link from "next/link";
import { Card } from "@/app/_components/ui";
import { ForgotPasswordForm } from "./forgot-password-form";

export const metadata: Metadata = { title: "Forgot your password?" };

export default function ForgotPasswordPage() {
  return (
    <div className="mx-auto max-w-md">
      <Card>
        <h1 className="text-2xl font-bold">Forgot your password?</h1>
        <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
          Enter the email you sign in with and we will send you a link to choose a new password. Accounts made with Discord or Google can
          set a password this way too.
        </p>
        <ForgotPasswordForm />
        <p className="mt-6 text-sm text-zinc-600 dark:text-zinc-400">
          Remembered it?{" "}
          <Link href="/sign-in" className="font-medium text-brand-700 underline dark:text-brand-300">
            Back to sign in
          </Link>
        </p>
      </Card>
    </div>
  );
}
