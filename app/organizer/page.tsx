import type { Metadata } from "next";
import { EmptyState, PageHeader } from "@/app/_components/ui";
import { requireUser } from "@/server/accounts/session";

export const metadata: Metadata = { title: "Organizer" };

export default async function OrganizerPage() {
  const user = await requireUser("/organizer", "organizer");
  return (
    <>
      <PageHeader title="Organizer dashboard" description={`Signed in as ${user.name}.`} />
      <EmptyState title="You have no events yet">
        Tournament creation is on its way: you will create, publish and run events from here.
      </EmptyState>
    </>
  );
}
