import type { Metadata } from "next";
import { PageHeader } from "@/app/_components/ui";
import { HydrateClient, prefetch, trpc } from "@/app/_trpc/server";
import { countryCodes, countryName } from "@/server/accounts/countries";
import { requireUser } from "@/server/accounts/session";
import { ProfileForm } from "./profile-form";

export const metadata: Metadata = { title: "Your profile" };

/** Named and sorted on the server: browsers' locale data differs and would not hydrate. */
function countryOptions() {
  return countryCodes.map((code) => ({ code, name: countryName(code) })).sort((a, b) => a.name.localeCompare(b.name, "en"));
}

export default async function ProfilePage({ searchParams }: { searchParams: Promise<{ welcome?: string }> }) {
  await requireUser("/profile");
  const { welcome } = await searchParams;
  await prefetch(trpc.account.me.queryOptions());
  await prefetch(trpc.games.list.queryOptions());
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
      <ProfileForm countries={countryOptions()} />
    </HydrateClient>
  );
}
