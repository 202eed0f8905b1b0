import "server-only";
import { TRPCError } from "@trpc/server";
import { notFound } from "next/navigation";
import { getQueryClient, trpc } from "@/app/_trpc/server";
import { eventIdInput } from "@/server/events/schemas";

/**
 * Loads the bracket (and the event, for its start time) into the request's query client for the
 * client to hydrate, or a real 404 for a bad id, a missing event or someone else's draft.
 */
export async function loadBracket(eventId: string) {
  if (!eventIdInput.safeParse({ eventId }).success) notFound();
  try {
    const queryClient = getQueryClient();
    const [data] = await Promise.all([
      queryClient.fetchQuery({ ...trpc.brackets.get.queryOptions({ eventId }), retry: false }),
      queryClient.fetchQuery({ ...trpc.events.get.queryOptions({ eventId }), retry: false }),
    ]);
    return data;
  } catch (error) {
    if (error instanceof TRPCError && error.code === "NOT_FOUND") notFound();
    throw error;
  }
}
