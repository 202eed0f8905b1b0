import type { Metadata } from "next";
import { PageHeader } from "@/app/_components/ui";
import { HydrateClient, prefetch, trpc } from "@/app/_trpc/server";
import { requireUser } from "@/server/accounts/session";
import { AuditLog } from "./audit-log";
import { auditQueryInput, filtersFromParams } from "./filters";

export const metadata: Metadata = { title: "Audit log · Admin" };

export default async function AuditLogPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  await requireUser("/admin/audit", "admin");
  const filters = filtersFromParams(await searchParams);
  await prefetch(trpc.admin.auditLog.queryOptions(auditQueryInput(filters)));
  return (
    <HydrateClient>
      <PageHeader
        title="Audit log"
        description="Who did what to whom with elevated rights: role changes, suspensions, wallet adjustments, and players signing out everywhere. Newest first; times in UTC."
      />
      <AuditLog initial={filters} />
    </HydrateClient>
  );
}
