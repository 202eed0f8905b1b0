"use client";

import { useQuery } from "@tanstack/react-query";
import { useLive } from "@/app/_live/use-live";
import { useTRPC } from "@/app/_trpc/react";
import { CurrentMatches } from "./current-matches";
import { MyEntries } from "./my-entries";
import { TeamInvites } from "./team-invites";

/** Follows one bracket's topic: any match of it changing refetches the list. */
function FollowBracket({ bracketId }: { bracketId: string }) {
  const trpc = useTRPC();
  const { status } = useLive(`bracket:${bracketId}`, { invalidate: [trpc.matches.current.queryKey()] });
  return <span hidden data-live={status} />;
}

/**
 * The page's three lists. It follows the player's own topic (a match of theirs becoming ready is
 * announced there) and the topics of the brackets their listed matches are in, so a result or a
 * new match shows without a reload.
 */
export function MatchDay({ userId }: { userId: string }) {
  const trpc = useTRPC();
  const matches = useQuery(trpc.matches.current.queryOptions());
  const { status } = useLive(`user:${userId}`, {
    invalidate: [trpc.matches.current.queryKey(), trpc.registration.upcoming.queryKey(), trpc.teams.mine.queryKey()],
  });
  const brackets = [...new Set((matches.data ?? []).map((match) => match.bracketId))];
  return (
    <div className="space-y-8" data-live={status}>
      {brackets.map((bracketId) => (
        <FollowBracket key={bracketId} bracketId={bracketId} />
      ))}
      <CurrentMatches query={matches} />
      <MyEntries />
      <TeamInvites />
    </div>
  );
}
