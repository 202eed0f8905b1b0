import type { Metadata } from "next";
import { PageHeader } from "@/app/_components/ui";
import { HydrateClient, prefetch, trpc } from "@/app/_trpc/server";
import { userRoles, type UserRole } from "@/server/accounts/roles";
import { requireUser } from "@/server/accounts/session";
import { UsersTable } from "./users-table";

export const metadata: Metadata = { title: "Users · Admin" };

export default async function AdminUsersPage({ searchParams }: { searchParams: Promise<{ q?: string; role?: string; page?: string }> }) {
  const admin = await requireUser("/admin/users", "admin");
  const params = await searchParams;
  const search = (params.q ?? "").slice(0, 100);
  const role = userRoles.includes(params.role as UserRole) ? (params.role as UserRole) : undefined;
  const page = Math.min(10_000, Math.max(1, Number.parseInt(params.page ?? "1", 10) || 1));
  await prefetch(trpc.admin.users.queryOptions({ search, role, page, pageSize: 20 }));
  return (
    <HydrateClient>
      <PageHeader title="Users" description="Find any account and change what it may do." />
      <UsersTable adminId={admin.id} initial={{ search, role, page }} />
    </HydrateClient>
  );
}
