"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useTRPC } from "@/app/_trpc/react";

const sections = [
  { href: "/admin/users", label: "Users and wallets" },
  { href: "/admin/withdrawals", label: "Withdrawals" },
  { href: "/admin/reconciliation", label: "Reconciliation" },
  { href: "/admin/jobs", label: "Failed jobs" },
  { href: "/admin/chat-reports", label: "Chat reports" },
  { href: "/admin/audit", label: "Audit log" },
];

export function AdminNav() {
  const pathname = usePathname();
  const trpc = useTRPC();
  // The withdrawals waiting for review, on the nav's badge; refreshed each minute and after each decision.
  const counts = useQuery({ ...trpc.admin.withdrawalCounts.queryOptions(), refetchInterval: 60_000, retry: false });
  const waiting = counts.data?.waiting ?? 0;
  return (
    <nav aria-label="Administration" className="flex gap-1 relative overflow-x-auto border-b border-zinc-200 dark:border-zinc-800">
      {sections.map((section) => {
        const active = pathname.startsWith(section.href);
        const badge = section.href === "/admin/withdrawals" && waiting > 0 ? waiting : null;
        return (
          <Link
            key={section.href}
            href={section.href}
            aria-current={active ? "page" : undefined}
            className={`-mb-px inline-flex items-center gap-1.5 whitespace-nowrap border-b-2 px-3 py-2 text-sm font-medium ${
              active
                ? "border-brand-500 text-zinc-950 dark:text-white"
                : "border-transparent text-zinc-600 hover:text-zinc-950 dark:text-zinc-400 dark:hover:text-white"
            }`}
          >
            {section.label}
            {badge !== null ? (
              <span
                data-testid="withdrawals-waiting-badge"
                className="rounded-full bg-amber-500 px-1.5 py-0.5 text-xs font-semibold leading-none text-zinc-950"
              >
                {badge}
                <span className="sr-only"> waiting for review</span>
              </span>
            ) : null}
          </Link>
        );
      })}
    </nav>
  );
}
