"use client";

import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { Crown } from "lucide-react";
import Link from "next/link";
import { toast } from "sonner";
import { messageOf } from "@/app/_components/errors";
import { Button, EmptyState } from "@/app/_components/ui";
import { useLive } from "@/app/_live/use-live";
import { useTRPC } from "@/app/_trpc/react";
import { MAX_TEAM_MEMBERS } from "@/server/teams/schemas";
import { TagBadge, TeamLogo } from "./team-logo";

export function MyTeams({ viewerId }: { viewerId: string }) {
  const trpc = useTRPC();
  // A new invite, a revoked one, a team joined or left: announced on the player's own topic.
  const { status: live } = useLive(`user:${viewerId}`, { invalidate: [trpc.teams.pathKey()] });
  const { data } = useSuspenseQuery(trpc.teams.mine.queryOptions());
  return (
    <div className="space-y-6" data-live={live}>
      {data.invites.length > 0 ? (
        <section aria-labelledby="invites-heading" className="space-y-3">
          <h2 id="invites-heading" className="text-lg font-semibold">
            Invites <span className="text-zinc-600 dark:text-zinc-400">({data.invites.length})</span>
          </h2>
          <ul className="space-y-3">
            {data.invites.map((invite) => (
              <li key={invite.id}>
                <InviteCard invite={invite} />
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <section aria-labelledby="my-teams-heading" className="space-y-3">
        <h2 id="my-teams-heading" className="text-lg font-semibold">
          Your teams
        </h2>
        {data.teams.length === 0 ? (
          <EmptyState title="You're not on a team yet">
            Create a team and invite players by their display name or game handle, or ask a captain to invite you. Invites show up here.
          </EmptyState>
        ) : (
          <ul className="grid gap-3 sm:grid-cols-2">
            {data.teams.map((team) => (
              <li key={team.id}>
                <Link
                  href={`/teams/${team.id}`}
                  className="flex h-full items-center gap-3 rounded-lg border border-zinc-200 bg-white p-4 shadow-sm hover:border-brand-400 dark:border-zinc-800 dark:bg-zinc-900 dark:hover:border-brand-600"
                >
                  <TeamLogo tag={team.tag} logo={team.logo} size={48} />
                  <div className="min-w-0">
                    <p className="flex flex-wrap items-center gap-2">
                      <span className="truncate font-semibold">{team.name}</span>
                      <TagBadge tag={team.tag} />
                    </p>
                    <p className="mt-1 flex items-center gap-1 text-sm text-zinc-600 dark:text-zinc-400">
                      {team.role === "captain" ? (
                        <>
                          <Crown aria-hidden className="size-4 text-brand-600 dark:text-brand-400" />
                          Captain
                        </>
                      ) : (
                        "Member"
                      )}
                      {" · "}
                      {team.memberCount} of {MAX_TEAM_MEMBERS} members
                    </p>
                  </div>
                </Link>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}

interface Invite {
  id: string;
  teamId: string;
  teamName: string;
  tag: string;
  logo: string | null;
  invitedBy: string;
}

function InviteCard({ invite }: { invite: Invite }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const respond = useMutation(trpc.teams.respond.mutationOptions());
  async function answer(response: "accept" | "decline") {
    try {
      await respond.mutateAsync({ inviteId: invite.id, response });
      toast.success(response === "accept" ? `You joined ${invite.teamName}.` : `Invite from ${invite.teamName} declined.`);
      await queryClient.invalidateQueries(trpc.teams.pathFilter());
    } catch (err) {
      // The invite may be gone (revoked, team deleted), and this card with it: say so in a toast.
      toast.error(messageOf(err));
      await queryClient.invalidateQueries(trpc.teams.pathFilter());
    }
  }

  const answering = respond.isPending ? respond.variables?.response : null;
  return (
    <div className="rounded-lg border border-brand-300 bg-brand-50 p-4 shadow-sm dark:border-brand-800 dark:bg-zinc-900">
      <div className="flex flex-col gap-3 sm:flex-row sm:items-center">
        <div className="flex min-w-0 flex-1 items-center gap-3">
          <TeamLogo tag={invite.tag} logo={invite.logo} size={48} />
          <div className="min-w-0">
            <p className="flex flex-wrap items-center gap-2">
              <Link href={`/teams/${invite.teamId}`} className="truncate font-semibold underline-offset-2 hover:underline">
                {invite.teamName}
              </Link>
              <TagBadge tag={invite.tag} />
            </p>
            <p className="text-sm text-zinc-600 dark:text-zinc-400">Invited by {invite.invitedBy}</p>
          </div>
        </div>
        <div className="flex gap-2">
          <Button className="flex-1 sm:flex-none" disabled={respond.isPending} onClick={() => void answer("accept")}>
            {answering === "accept" ? "Joining…" : "Accept"}
            <span className="sr-only"> invite from {invite.teamName}</span>
          </Button>
          <Button variant="secondary" className="flex-1 sm:flex-none" disabled={respond.isPending} onClick={() => void answer("decline")}>
            {answering === "decline" ? "Declining…" : "Decline"}
            <span className="sr-only"> invite from {invite.teamName}</span>
          </Button>
        </div>
      </div>
    </div>
  );
}
