"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { messageOf } from "@/app/_components/errors";
import { Button, LinkButton } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/react";
import type { EventDetail } from "./types";

/** For the event's organizer (and admins): edit, and publish a draft. */
export function ManageActions({ event }: { event: EventDetail }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const publish = useMutation(trpc.events.publish.mutationOptions());
  const editable = event.status !== "completed" && event.status !== "cancelled";

  async function onPublish() {
    try {
      await publish.mutateAsync({ eventId: event.id });
      toast.success(`${event.name} is published. Players can now find it and register.`);
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: trpc.events.get.queryKey({ eventId: event.id }) }),
        queryClient.invalidateQueries({ queryKey: trpc.events.list.queryKey() }),
        queryClient.invalidateQueries({ queryKey: trpc.events.mine.queryKey() }),
      ]);
      router.refresh();
    } catch (error) {
      toast.error(messageOf(error));
    }
  }

  return (
    <div className="flex shrink-0 flex-wrap gap-2">
      {editable ? (
        <LinkButton href={`/organizer/events/${event.id}/edit`} variant="secondary">
          Edit<span className="sr-only"> {event.name}</span>
        </LinkButton>
      ) : null}
      {event.status === "draft" ? (
        <Button type="button" onClick={onPublish} disabled={publish.isPending}>
          {publish.isPending ? "Publishing…" : "Publish"}
        </Button>
      ) : null}
    </div>
  );
}
