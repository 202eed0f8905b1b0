import type { Metadata } from "next";
import { PageHeader } from "@/app/_components/ui";
import { HydrateClient, prefetch, trpc } from "@/app/_trpc/server";
import { requireUser } from "@/server/accounts/session";
import { withdrawalQueueInput } from "@/server/withdrawals/admin-schemas";
import { filtersFromParams, queueQueryInput } from "./filters";
import { WithdrawalQueue } from "./withdrawal-queue";

export const metadata: Metadata = { title: "Withdrawals · Admin" };

export default async function AdminWithdrawalsPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const admin = await requireUser("/admin/withdrawals", "admin");
  const filters = filtersFromParams(await searchParams);
  const input = queueQueryInput(filters);
  // A URL with impossible filters (an end before the start) renders the page, which says so, instead of failing.
  if (withdrawalQueueInput.safeParse(input).success) await prefetch(trpc.admin.withdrawals.queryOptions(input));
  return (
    <HydrateClient>
      <PageHeader
        title="Withdrawals"
        description="Requests flagged for review wait here, oldest first: approve them to send the money, or reject them with a reason the player is told (the amount and the fee go back to their wallet). Times in UTC."
      />
      <WithdrawalQueue initial={filters} adminId={admin.id} />
    </HydrateClient>
  );
}
