import type { Metadata } from "next";
import { EmptyState, PageHeader } from "@/app/_components/ui";

export const metadata: Metadata = { title: "Events" };

export default function EventsPage() {
  return (
    <>
      <PageHeader title="Events" description="Upcoming and live tournaments." />
      <EmptyState title="No tournaments are open yet">
        When organizers publish tournaments they will appear here, with their games, formats, entry fees and
        start times.
      </EmptyState>
    </>
  );
}
