import type { Metadata } from "next";
import { PageHeader } from "@/app/_components/ui";
import { HydrateClient, prefetch, trpc } from "@/app/_trpc/server";
import { requireUser } from "@/server/accounts/session";
import { ReconciliationRuns } from "./runs";

export const metadata: Metadata = { title: "Reconciliation · Admin" };

export default async function ReconciliationPage() {
  await requireUser("/admin/reconciliation", "admin");
  await prefetch(trpc.admin.reconciliationRuns.queryOptions());
  return (
    <HydrateClient>
      <PageHeader
        title="Payment reconciliation"
        description="Compares the card processor's payments and refunds with Driftwood's ledger. Runs every day at 04:00 UTC; paid-but-not-credited top-ups are repaired automatically."
      />
      <ReconciliationRuns />
    </HydrateClient>
  );
}
