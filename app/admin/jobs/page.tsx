import type { Metadata } from "next";
import { PageHeader } from "@/app/_components/ui";
import { HydrateClient, prefetch, trpc } from "@/app/_trpc/server";
import { requireUser } from "@/server/accounts/session";
import { FailedJobs } from "./failed-jobs";

export const metadata: Metadata = { title: "Failed jobs · Admin" };

export default async function FailedJobsPage() {
  await requireUser("/admin/jobs", "admin");
  await prefetch(trpc.admin.failedJobs.queryOptions());
  return (
    <HydrateClient>
      <PageHeader
        title="Failed jobs"
        description="Background jobs whose last attempt failed (refunds to cards, notifications, deadlines, payouts…). Failed jobs are retried automatically with growing delays; a job that used all its attempts runs again only if you retry it. Fix the cause first: see docs/runbook.md."
      />
      <FailedJobs />
    </HydrateClient>
  );
}
