import type { Metadata } from "next";
import { PageHeader } from "@/app/_components/ui";
import { HydrateClient, prefetch, trpc } from "@/app/_trpc/server";
import { requireUser } from "@/server/accounts/session";
import { DisputeQueue } from "./queue";

export const metadata: Metadata = { title: "Disputes · Organizer" };

export default async function DisputesPage() {
  const user = await requireUser("/organizer/disputes", "organizer");
  await prefetch(trpc.disputes.queue.queryOptions({ status: "open" }));
  return (
    <HydrateClient>
      <PageHeader
        title="Disputes"
        description="Disputed games in your events, oldest first. Open one to see both sides' statements and evidence and decide it on the match page."
      />
      <DisputeQueue viewerId={user.id} />
    </HydrateClient>
  );
}
