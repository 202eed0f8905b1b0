/**
 * The ledger domain: every money movement in Driftwood is a balanced transfer posted here, under an
 * idempotency key; balances are never written any other way. Other domains use what this file
 * publishes; the SQL that posts lives in sql/, one source per function.
 */
export * from "./accounts";
export * from "./balances";
export * from "./holds";
export * from "./movements";
export * from "./posting";
export * from "./refunds";
/** The kinds of transfer, for the domains that show a wallet's history. */
export type { TransferCategory, TransferOperation } from "@/db/schema/ledger";
export * from "./lookups";
