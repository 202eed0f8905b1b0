"use client";

import { Pagination } from "@/app/_components/pagination";

import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { toast } from "sonner";
import { Avatar } from "@/app/_components/avatar";
import { messageOf } from "@/app/_components/errors";
import { Alert, Button, EmptyState, Spinner } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/react";
import { userRoles, type UserRole } from "@/server/accounts/roles";
import { SuspensionControl, SuspensionStatus } from "./suspension";

const PAGE_SIZE = 20;

interface Filters {
  search: string;
  role: UserRole | undefined;
  page: number;
}

export function UsersTable({ adminId, initial }: { adminId: string; initial: Filters }) {
  const trpc = useTRPC();
  const router = useRouter();
  const pathname = usePathname();
  const [filters, setFilters] = useState<Filters>(initial);
  const [searchText, setSearchText] = useState(initial.search);

  // Typing waits a moment before searching, so each keystroke is not a request.
  useEffect(() => {
    const timer = setTimeout(() => {
      setFilters((current) => (current.search === searchText.trim() ? current : { ...current, search: searchText.trim(), page: 1 }));
    }, 300);
    return () => clearTimeout(timer);
  }, [searchText]);

  useEffect(() => {
    const query = new URLSearchParams();
    if (filters.search) query.set("q", filters.search);
    if (filters.role) query.set("role", filters.role);
    if (filters.page > 1) query.set("page", String(filters.page));
    const next = query.size > 0 ? `${pathname}?${query}` : pathname;
    router.replace(next, { scroll: false });
  }, [filters, pathname, router]);

  const users = useQuery({
    ...trpc.admin.users.queryOptions({ ...filters, pageSize: PAGE_SIZE }),
    placeholderData: keepPreviousData,
  });

  return (
    <div className="space-y-4">
      <div className="flex flex-col gap-3 sm:flex-row sm:items-end">
        <div className="flex-1 space-y-1">
          <label htmlFor="user-search" className="block text-sm font-medium">
            Search by name or email
          </label>
          <input
            id="user-search"
            type="search"
            value={searchText}
            maxLength={100}
            onChange={(event) => setSearchText(event.target.value)}
            placeholder="e.g. nova or player3@"
            className="block w-full rounded-md border border-zinc-300 bg-white px-3 py-2 text-base sm:text-sm dark:border-zinc-700 dark:bg-zinc-900"
          />
        </div>
        <div className="space-y-1">
          <label htmlFor="role-filter" className="block text-sm font-medium">
            Role
          </label>
          <select
            id="role-filter"
            value={filters.role ?? ""}
            onChange={(event) => setFilters({ ...filters, role: (event.target.value || undefined) as UserRole | undefined, page: 1 })}
            className="block w-full rounded-md border border-zinc-300 bg-white px-3 py-2 text-base capitalize sm:text-sm dark:border-zinc-700 dark:bg-zinc-900"
          >
            <option value="">All roles</option>
            {userRoles.map((role) => (
              <option key={role} value={role}>
                {role}
              </option>
            ))}
          </select>
        </div>
      </div>

      {users.isError ? <Alert>{messageOf(users.error)}</Alert> : null}
      {users.isPending ? <Spinner label="Loading users…" /> : null}
      {users.data && users.data.users.length === 0 ? (
        <EmptyState title="No users match">Try another name or email, or clear the role filter.</EmptyState>
      ) : null}
      {users.data && users.data.users.length > 0 ? (
        <>
          <div
            className={`relative overflow-x-auto rounded-lg border border-zinc-200 dark:border-zinc-800 ${users.isFetching ? "opacity-70" : ""}`}
          >
            <table className="w-full text-left text-sm">
              <caption className="sr-only">
                Users, page {users.data.page} of {users.data.pageCount}
              </caption>
              <thead className="bg-zinc-100 text-xs uppercase text-zinc-700 dark:bg-zinc-900 dark:text-zinc-300">
                <tr>
                  <th scope="col" className="px-3 py-3 sm:px-4">
                    User
                  </th>
                  <th scope="col" className="hidden px-4 py-3 md:table-cell">
                    Joined
                  </th>
                  <th scope="col" className="px-3 py-3 sm:px-4">
                    Role
                  </th>
                  <th scope="col" className="px-3 py-3 sm:px-4">
                    Status
                  </th>
                  <th scope="col" className="px-3 py-3 sm:px-4">
                    <span className="sr-only">Suspension</span>
                  </th>
                  <th scope="col" className="px-3 py-3 sm:px-4">
                    <span className="sr-only">Wallet</span>
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-zinc-200 bg-white dark:divide-zinc-800 dark:bg-zinc-950">
                {users.data.users.map((user) => (
                  <tr key={user.id} data-testid={`user-row-${user.email}`}>
                    <td className="max-w-[11rem] px-3 py-3 sm:max-w-none sm:px-4">
                      <div className="flex items-center gap-3">
                        <Avatar name={user.name} image={user.image} />
                        <div className="min-w-0">
                          <p className="truncate font-medium">{user.name}</p>
                          <p className="truncate text-zinc-600 dark:text-zinc-400">{user.email}</p>
                        </div>
                      </div>
                    </td>
                    <td className="hidden px-4 py-3 text-zinc-600 md:table-cell dark:text-zinc-400">
                      {user.createdAt.toLocaleDateString(undefined, { dateStyle: "medium" })}
                    </td>
                    <td className="px-3 py-3 sm:px-4">
                      <RoleControl userId={user.id} name={user.name} role={user.role} isSelf={user.id === adminId} />
                    </td>
                    <td className="px-3 py-3 sm:px-4">
                      <SuspensionStatus state={user} />
                    </td>
                    <td className="px-3 py-3 sm:px-4">
                      <SuspensionControl user={user} canSuspend={user.id !== adminId && user.role !== "admin"} />
                    </td>
                    <td className="px-3 py-3 sm:px-4">
                      <Link
                        href={`/admin/users/${user.id}/wallet`}
                        className="whitespace-nowrap font-medium text-brand-700 underline dark:text-brand-300"
                      >
                        Wallet<span className="sr-only"> of {user.name}</span>
                      </Link>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pagination
            page={users.data.page}
            pageCount={users.data.pageCount}
            total={`${users.data.total} user${users.data.total === 1 ? "" : "s"}`}
            onPage={(page) => setFilters({ ...filters, page })}
          />
        </>
      ) : null}
    </div>
  );
}

function RoleControl({ userId, name, role, isSelf }: { userId: string; name: string; role: UserRole; isSelf: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [selected, setSelected] = useState<UserRole>(role);
  const setRole = useMutation(trpc.admin.setRole.mutationOptions());
  useEffect(() => setSelected(role), [role]);

  if (isSelf) return <span className="capitalize">{role} (you)</span>;
  return (
    <form
      className="flex flex-col items-start gap-2 sm:flex-row sm:items-center"
      onSubmit={async (event) => {
        event.preventDefault();
        try {
          await setRole.mutateAsync({ userId, role: selected });
          toast.success(`${name} is now ${/^[aeiou]/.test(selected) ? "an" : "a"} ${selected}.`);
          await queryClient.invalidateQueries({ queryKey: trpc.admin.users.queryKey() });
        } catch (error) {
          toast.error(messageOf(error));
          setSelected(role);
        }
      }}
    >
      <label htmlFor={`role-${userId}`} className="sr-only">
        Role for {name}
      </label>
      <select
        id={`role-${userId}`}
        value={selected}
        onChange={(event) => setSelected(event.target.value as UserRole)}
        className="rounded-md border border-zinc-300 bg-white px-2 py-1 capitalize dark:border-zinc-700 dark:bg-zinc-900"
      >
        {userRoles.map((option) => (
          <option key={option} value={option}>
            {option}
          </option>
        ))}
      </select>
      <Button type="submit" variant="secondary" className="whitespace-nowrap px-3 py-1" disabled={selected === role || setRole.isPending}>
        {setRole.isPending ? "Saving…" : "Change role"}
      </Button>
    </form>
  );
}
