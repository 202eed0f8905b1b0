import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { PageHeader } from "@/app/_components/ui";
import { HydrateClient, prefetch, trpc } from "@/app/_trpc/server";
import { requireUser } from "@/server/accounts/session";
import { AdminWallet } from "./admin-wallet";

export const metadata: Metadata = { title: "Wallet · Admin" };

export default async function AdminWalletPage({ params }: { params: Promise<{ userId: string }> }) {
  const { userId } = await params;
  await requireUser(`/admin/users/${userId}/wallet`, "admin");
  if (!/^[0-9a-f-]{36}$/i.test(userId)) notFound();
  await prefetch(trpc.admin.wallet.queryOptions({ userId }));
  return (
    <HydrateClient>
      <PageHeader title="Wallet" description="Balances, every movement, and manual adjustments with their reasons." />
      <AdminWallet userId={userId} />
    </HydrateClient>
  );
}
