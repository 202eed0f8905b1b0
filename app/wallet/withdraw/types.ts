import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/root";

/** What the withdraw page shows, as the API answers it. */
export type WithdrawOverview = inferRouterOutputs<AppRouter>["withdrawals"]["overview"];
export type Withdrawal = WithdrawOverview["withdrawals"][number];
export type PayoutAccount = NonNullable<WithdrawOverview["account"]>;
