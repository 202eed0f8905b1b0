import type { Metadata } from "next";
import { Suspense } from "react";
import { Card, PageHeader, Spinner } from "@/app/_components/ui";
import { HydrateClient, prefetch, trpc } from "@/app/_trpc/server";
import { requireUser } from "@/server/accounts/session";
import { CreateTeamForm } from "./create-team-form";
import { MyTeams } from "./my-teams";

export const metadata: Metadata = { title: "Teams" };

export default async function TeamsPage() {
  const user = await requireUser("/teams");
  await prefetch(trpc.teams.mine.queryOptions());
  return (
    <HydrateClient>
      <PageHeader title="Teams" description="Your teams, invites waiting for your answer, and a team of your own." />
      <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_22rem] lg:items-start">
        <Suspense
          fallback={
            <Card>
              <Spinner label="Loading your teams…" />
            </Card>
          }
        >
          <MyTeams viewerId={user.id} />
        </Suspense>
        <CreateTeamForm />
      </div>
    </HydrateClient>
  );
}
