"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { messageOf } from "@/app/_components/errors";
import { Card } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/react";
import { ConfirmButton } from "./confirm-button";
import type { Team } from "./team";

export function LeaveCard({ team }: { team: Team }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const leave = useMutation(trpc.teams.leave.mutationOptions());
  const isCaptain = team.viewerRole === "captain";
  const alone = team.members.length === 1;

  async function onLeave(): Promise<boolean> {
    try {
      const result = await leave.mutateAsync({ teamId: team.id });
      toast.success(result.teamDeleted ? `${team.name} was deleted.` : `You left ${team.name}.`);
      router.push("/teams");
      // This page's own query is only marked stale: refetching a deleted team would show an error.
      await queryClient.invalidateQueries({ ...trpc.teams.get.queryFilter({ teamId: team.id }), refetchType: "none" });
      await queryClient.invalidateQueries(trpc.teams.mine.queryFilter());
      return true;
    } catch (error) {
      toast.error(messageOf(error));
      await queryClient.invalidateQueries(trpc.teams.pathFilter());
      return false;
    }
  }

  let explanation: string;
  if (team.lockedBy) explanation = `You can't leave while the roster is locked for ${team.lockedBy}.`;
  else if (isCaptain && !alone) explanation = "You're the captain. Make another member captain before you leave.";
  else if (isCaptain) explanation = "You're the only member, so leaving deletes the team, its invites and its logo.";
  else explanation = "You'll need a new invite from the captain to come back.";

  return (
    <Card>
      <section aria-labelledby="leave-heading" className="space-y-3">
        <h2 id="leave-heading" className="text-lg font-semibold">
          Leave team
        </h2>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">{explanation}</p>
        {isCaptain && !alone ? null : (
          <ConfirmButton
            label={isCaptain ? "Leave and delete team" : "Leave team"}
            question={isCaptain ? `Delete ${team.name} for good?` : `Leave ${team.name}?`}
            confirmLabel={isCaptain ? "Yes, delete team" : "Yes, leave"}
            pendingLabel="Leaving…"
            disabled={team.lockedBy !== null}
            onConfirm={onLeave}
          />
        )}
      </section>
    </Card>
  );
}
