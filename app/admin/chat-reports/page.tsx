import type { Metadata } from "next";
import { PageHeader } from "@/app/_components/ui";
import { HydrateClient, prefetch, trpc } from "@/app/_trpc/server";
import { requireUser } from "@/server/accounts/session";
import { ChatReports } from "./reports";

export const metadata: Metadata = { title: "Chat reports · Admin" };

export default async function ChatReportsPage() {
  await requireUser("/admin/chat-reports", "admin");
  await prefetch(trpc.chat.reports.queryOptions({ status: "open" }));
  return (
    <HydrateClient>
      <PageHeader
        title="Chat reports"
        description="Messages players reported, newest first. Deleting a message hides its text from everyone; dismissing keeps it. Either closes every open report on that message."
      />
      <ChatReports />
    </HydrateClient>
  );
}
