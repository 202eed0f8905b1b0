"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { toast } from "sonner";
import { messageOf } from "@/app/_components/errors";
import { Alert, Button, Spinner } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/react";

/** Invites to join a team, answered here (the teams page shows the same invites). */
export function TeamInvites() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const query = useQuery(trpc.teams.mine.queryOptions());
  const respond = useMutation(trpc.teams.respond.mutationOptions());
  const answer = async (inviteId: string, teamName: string, response: "accept" | "decline") => {
    try {
      await respond.mutateAsync({ inviteId, response });
      toast.success(response === "accept" ? `You joined ${teamName}.` : `Invite from ${teamName} declined.`);
    } catch (error) {
      toast.error(messageOf(error));
    } finally {
      await queryClient.invalidateQueries({ queryKey: trpc.teams.mine.queryKey() });
    }
  };
  if (query.isPending) return <Spinner label="Loading your team invites…" />;
  if (query.isError) return <Alert>We could not load your team invites: {messageOf(query.error)}</Alert>;
  if (query.data.invites.length === 0) return null;
  return (
    <section aria-labelledby="invites-heading" className="space-y-3">
      <h2 id="invites-heading" className="text-lg font-semibold">
        Team invites
      </h2>
      <ul className="space-y-2">
        {query.data.invites.map((invite) => (
          <li
            key={invite.id}
            className="flex flex-wrap items-center justify-between gap-3 rounded-lg border border-zinc-200 bg-white p-4 text-sm shadow-sm dark:border-zinc-800 dark:bg-zinc-900"
          >
            <p>
              <Link href={`/teams/${invite.teamId}`} className="font-semibold underline-offset-2 hover:underline">
                {invite.teamName}
              </Link>{" "}
              <span className="text-zinc-600 dark:text-zinc-400">invited by {invite.invitedBy}</span>
            </p>
            <div className="flex gap-2">
              <Button type="button" disabled={respond.isPending} onClick={() => answer(invite.id, invite.teamName, "accept")}>
                Accept
              </Button>
              <Button
                type="button"
                variant="secondary"
                disabled={respond.isPending}
                onClick={() => answer(invite.id, invite.teamName, "decline")}
              >
                Decline
              </Button>
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
