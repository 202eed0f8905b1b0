import type { Metadata } from "next";
import { PageHeader } from "@/app/_components/ui";
import { HydrateClient } from "@/app/_trpc/server";
import { requireUser } from "@/server/accounts/session";
import { EmailSection } from "./email-section";
import { PasskeysSection } from "./passkeys-section";
import { PasswordSection } from "./password-section";
import { SessionsSection } from "./sessions-section";
import { TwoFactorSection } from "./two-factor-section";

export const metadata: Metadata = { title: "Sign-in and security" };

/** The account's sign-in email, password, second factors and sessions, one section each. */
export default async function SecurityPage() {
  await requireUser("/profile/security");
  return (
    <HydrateClient>
      <PageHeader title="Sign-in and security" description="Your sign-in email, password, two-factor sign-in and the devices signed in." />
      <div className="space-y-6">
        <EmailSection />
        <PasswordSection />
        <TwoFactorSection />
        <PasskeysSection />
        <SessionsSection />
      </div>
    </HydrateClient>
  );
}
