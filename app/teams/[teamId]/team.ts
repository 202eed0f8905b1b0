import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/root";

/** What the page shows, as the API answers it (its own file, so the components that take it do not import the page back). */
export type Team = inferRouterOutputs<AppRouter>["teams"]["get"];
