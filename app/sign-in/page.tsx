import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { safeCallbackPath } from "@/app/_components/safe-redirect";
import { Alert, Card } from "@/app/_components/ui";
import { getCurrentUser } from "@/server/accounts/session";
import { oauthProviders } from "@/server/env";
import { SignInForm } from "./sign-in-form";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<{ callbackUrl?: string; error?: string; signedOut?: string; email?: string }>;
}) {
  const params = await searchParams;
  const callbackUrl = safeCallbackPath(params.callbackUrl);
  if (await getCurrentUser()) redirect(callbackUrl);
  return (
    <div className="mx-auto max-w-md">
      <Card>
        <h1 className="text-2xl font-bold">Sign in</h1>
        <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
          New to Driftwood?{" "}
          <Link href="/sign-up" className="font-medium text-brand-700 underline dark:text-brand-300">
            Create an account
          </Link>
        </p>
        {params.signedOut ? (
          <div className="mt-4">
            <Alert tone="info">
              {params.signedOut === "everywhere"
                ? "You signed out on every device. Sign in again to carry on here."
                : "You were signed out. Sign in again to carry on."}
            </Alert>
          </div>
        ) : null}
        <SignInForm
          callbackUrl={callbackUrl}
          providers={oauthProviders}
          oauthError={params.error}
          email={typeof params.email === "string" ? params.email.slice(0, 254) : undefined}
        />
      </Card>
    </div>
  );
}
