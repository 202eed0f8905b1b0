import type { Metadata } from "next";
import { PageHeader } from "@/app/_components/ui";
import { HydrateClient, prefetch, trpc } from "@/app/_trpc/server";
import { requireUser } from "@/server/accounts/session";
import { MatchDay } from "./_components/match-day";

export const metadata: Metadata = { title: "My matches" };

/** A player's match day: current and next matches, entries to pay for or check in to, team invites. */
export default async function MyMatchesPage() {
  const user = await requireUser("/matches");
  await Promise.all([
    prefetch(trpc.matches.current.queryOptions()),
    prefetch(trpc.registration.upcoming.queryOptions()),
    prefetch(trpc.teams.mine.queryOptions()),
  ]);
  return (
    <HydrateClient>
      <PageHeader title="My matches" description="Your matches across every event, entries to finish, and team invites." />
      <MatchDay userId={user.id} />
    </HydrateClient>
  );
}
