import type { Metadata } from "next";
import { PageHeader } from "@/app/_components/ui";
import { HydrateClient, prefetch, trpc } from "@/app/_trpc/server";
import { requireUser } from "@/server/accounts/session";
import { ProfileForm } from "./profile-form";

export const metadata: Metadata = { title: "Your profile" };

export default async function ProfilePage({ searchParams }: { searchParams: Promise<{ welcome?: string }> }) {
  await requireUser("/profile");
  const { welcome } = await searchParams;
  prefetch(trpc.account.me.queryOptions());
  prefetch(trpc.games.list.queryOptions());
  return (
    <HydrateClient>
      <PageHeader
        title={welcome ? "Welcome to Driftwood!" : "Your profile"}
        description={
          welcome
            ? "Your account is ready. Add your country and game handles so organizers and opponents can find you."
            : "How other players and organizers see you."
        }
      />
      <ProfileForm />
    </HydrateClient>
  );
}
