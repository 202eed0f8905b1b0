import { TRPCError } from "@trpc/server";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Suspense } from "react";
import { Spinner } from "@/app/_components/ui";
import { getQueryClient, HydrateClient, trpc } from "@/app/_trpc/server";
import { getCurrentUser } from "@/server/accounts/session";
import { matchIdInput } from "@/server/brackets/schemas";
import { MatchView } from "./match-view";

type Props = { params: Promise<{ matchId: string }> };

/** The match, or a real 404 for a bad id, a missing match or a match of someone else's draft. */
async function loadMatch(matchId: string) {
  if (!matchIdInput.safeParse({ matchId }).success) notFound();
  try {
    return await getQueryClient().fetchQuery({ ...trpc.matches.get.queryOptions({ matchId }), retry: false });
  } catch (error) {
    if (error instanceof TRPCError && (error.code === "NOT_FOUND" || error.code === "FORBIDDEN")) notFound();
    throw error;
  }
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { matchId } = await params;
  const match = await loadMatch(matchId);
  const names = match.sides.map((side) => side.entrant?.name ?? "TBD").join(" vs ");
  return {
    title: `${match.label}: ${names} · ${match.event.name}`,
    description: `${names}, ${match.label} of ${match.event.name} on Driftwood.`,
  };
}

export default async function MatchPage({ params }: Props) {
  const { matchId } = await params;
  await loadMatch(matchId);
  const user = await getCurrentUser();
  return (
    <HydrateClient>
      <Suspense fallback={<Spinner label="Loading the match…" />}>
        <MatchView matchId={matchId} viewer={user ? { id: user.id, name: user.name, image: user.image } : null} />
      </Suspense>
    </HydrateClient>
  );
}
