import type { Metadata } from "next";
import { EmptyState, LinkButton, PageHeader } from "@/app/_components/ui";
import { getQueryClient, trpc } from "@/app/_trpc/server";
import { OrganizerEventList } from "@/app/events/_components/organizer-event-list";
import { requireUser } from "@/server/accounts/session";

export const metadata: Metadata = { title: "Organizer" };

export default async function OrganizerPage() {
  const user = await requireUser("/organizer", "organizer");
  const events = await getQueryClient().fetchQuery(trpc.events.mine.queryOptions());
  const create = <LinkButton href="/organizer/events/new">Create event</LinkButton>;
  const disputes = (
    <LinkButton href="/organizer/disputes" variant="secondary">
      Disputes
    </LinkButton>
  );
  return (
    <>
      <PageHeader
        title="Your events"
        description={`Signed in as ${user.name}. Drafts are visible only to you until you publish them.`}
        actions={
          events.length > 0 ? (
            <div className="flex gap-2">
              {disputes}
              {create}
            </div>
          ) : undefined
        }
      />
      {events.length === 0 ? (
        <EmptyState title="You have no events yet" action={create}>
          Create your first tournament: pick a game and format, set the entry fee, prize split and schedule, then publish it when it is
          ready.
        </EmptyState>
      ) : (
        <OrganizerEventList events={events} />
      )}
    </>
  );
}
