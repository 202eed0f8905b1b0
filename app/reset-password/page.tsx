import type { Metadata } from "next";
import { Card } from "@/app/_components/ui";
import { ResetPasswordForm } from "./reset-password-form";

export const metadata: Metadata = { title: "Choose a new password" };

export default async function ResetPasswordPage({ searchParams }: { searchParams: Promise<{ token?: string | string[] }> }) {
  const { token } = await searchParams;
  return (
    <div className="mx-auto max-w-md">
      <Card>
        <h1 className="text-2xl font-bold">Choose a new password</h1>
        <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
          Every device signed in to your account will be signed out. Two-factor sign-in, if you use it, stays on.
        </p>
        <ResetPasswordForm token={typeof token === "string" ? token : ""} />
      </Card>
    </div>
  );
}
