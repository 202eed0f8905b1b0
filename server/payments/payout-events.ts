import type { DbOrTx } from "@/db/client";
import { globalRegistry } from "@/server/registry";
import type { GatewayPayout } from "./gateway";

/**
 * What a payout's news (a `payout.*` webhook, reconciliation) does: contributed by the domain that
 * pays money out (withdrawals) through server/composition.ts, so payments never imports it.
 */
export type PayoutHandler = (tx: DbOrTx, payout: GatewayPayout) => Promise<"changed" | "unchanged" | "unknown">;

const handlers = globalRegistry<"payout", PayoutHandler>("driftwoodPayoutHandler", "payout handler");

/** Called by the composition root only. */
export function registerPayoutHandler(handler: PayoutHandler): void {
  handlers.register("payout", handler);
}

export function payoutHandler(): PayoutHandler {
  return handlers.get("payout");
}
