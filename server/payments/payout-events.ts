import type { Db, DbOrTx } from "@/db/client";
import { globalRegistry } from "@/server/registry";
import type { GatewayPayout } from "./gateway";

/** A payout as the domain that pays out recorded it, for reconciliation. */
export interface RecordedPayout {
  withdrawalId: string;
  gatewayPayoutId: string | null;
  connectedAccountId: string | null;
  status: "approved" | "sent" | "paid" | "failed";
  amount: number;
}

/**
 * What the domain that pays money out (withdrawals) tells payments, contributed through
 * server/composition.ts so payments never imports it: what a payout's news (a `payout.*` webhook,
 * reconciliation) does, and which payouts it recorded since a date.
 */
export interface PayoutBook {
  apply(tx: DbOrTx, payout: GatewayPayout): Promise<"changed" | "unchanged" | "unknown">;
  recordedSince(db: Db, gateway: string, since: Date): Promise<RecordedPayout[]>;
}

const books = globalRegistry<"payouts", PayoutBook>("driftwoodPayoutBook", "payout book");

/** Called by the composition root only. */
export function registerPayoutBook(book: PayoutBook): void {
  books.register("payouts", book);
}

export function payoutBook(): PayoutBook {
  return books.get("payouts");
}
