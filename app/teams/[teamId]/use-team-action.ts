"use client";

import { useQueryClient } from "@tanstack/react-query";
import { toast } from "sonner";
import { messageOf } from "@/app/_components/errors";
import { useTRPC } from "@/app/_trpc/react";

/**
 * Runs a team change, says how it went in a toast and reloads what the team pages show.
 * Resolves to whether it worked; on failure the reload shows the team as it now is.
 */
export function useTeamAction() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return async function run(action: () => Promise<unknown>, success: string): Promise<boolean> {
    try {
      await action();
      toast.success(success);
      return true;
    } catch (error) {
      toast.error(messageOf(error));
      return false;
    } finally {
      await queryClient.invalidateQueries(trpc.teams.pathFilter());
    }
  };
}
