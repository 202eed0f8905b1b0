import type { Metadata } from "next";
import { Card } from "@/app/_components/ui";
import { getCurrentUser } from "@/server/accounts/session";
import { VerifyEmail } from "./verify-email";

export const metadata: Metadata = { title: "Confirm your email address" };

/** Where verification and email-change links lead; works signed in or out. */
export default async function VerifyEmailPage({ searchParams }: { searchParams: Promise<{ token?: string | string[] }> }) {
  const { token } = await searchParams;
  const user = await getCurrentUser();
  return (
    <div className="mx-auto max-w-md">
      <Card>
        <h1 className="text-2xl font-bold">Confirm your email address</h1>
        <VerifyEmail token={typeof token === "string" ? token : ""} signedIn={user !== null} />
      </Card>
    </div>
  );
}
