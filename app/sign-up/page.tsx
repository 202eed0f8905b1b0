import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { Card } from "@/app/_components/ui";
import { getCurrentUser } from "@/server/accounts/session";
import { oauthProviders } from "@/server/env";
import { SignUpForm } from "./sign-up-form";

export const metadata: Metadata = { title: "Create an account" };

export default async function SignUpPage() {
  if (await getCurrentUser()) redirect("/");
  return (
    <div className="mx-auto max-w-md">
      <Card>
        <h1 className="text-2xl font-bold">Create your account</h1>
        <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
          Already have one?{" "}
          <Link href="/sign-in" className="font-medium text-brand-700 underline dark:text-brand-300">
            Sign in
          </Link>
        </p>
        <SignUpForm providers={oauthProviders} />
      </Card>
    </div>
  );
}
