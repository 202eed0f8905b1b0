import { TRPCError } from "@trpc/server";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getQueryClient, HydrateClient, trpc } from "@/app/_trpc/server";
import { requireUser } from "@/server/accounts/session";
import { teamIdInput } from "@/server/teams/schemas";
import { TeamView } from "./team-view";

type Params = { params: Promise<{ teamId: string }> };

/** The team, fetched once per request for both the title and the page; a missing team is a 404. */
async function loadTeam(teamId: string) {
  if (!teamIdInput.safeParse({ teamId }).success) notFound();
  try {
    return await getQueryClient().fetchQuery(trpc.teams.get.queryOptions({ teamId }));
  } catch (error) {
    if (error instanceof TRPCError && error.code === "NOT_FOUND") notFound();
    throw error;
  }
}

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const { teamId } = await params;
  await requireUser(`/teams/${teamId}`);
  const team = await loadTeam(teamId);
  return { title: `${team.name} [${team.tag}]` };
}

export default async function TeamPage({ params }: Params) {
  const { teamId } = await params;
  const user = await requireUser(`/teams/${teamId}`);
  await loadTeam(teamId);
  return (
    <HydrateClient>
      <TeamView teamId={teamId} viewerId={user.id} />
    </HydrateClient>
  );
}
