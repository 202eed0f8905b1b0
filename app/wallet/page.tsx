import type { Metadata } from "next";
import { EmptyState, PageHeader } from "@/app/_components/ui";
import { requireUser } from "@/server/accounts/session";

export const metadata: Metadata = { title: "Wallet" };

export default async function WalletPage() {
  await requireUser("/wallet");
  return (
    <>
      <PageHeader title="Wallet" description="Entry fees, refunds, prizes and withdrawals." />
      <EmptyState title="Wallets are not open yet">
        Soon you will be able to add funds by card, pay entry fees and receive prizes here. Nothing has been charged
        to you.
      </EmptyState>
    </>
  );
}
