import type { Params } from "./params";
import type { Reply } from "./replies";

/** Who is asking: `account` is the connected account named by the Stripe-Account header, or null for the platform. */
export interface RequestContext {
  account: string | null;
}

/** One endpoint: `id` is the path's captured object id, or "" when it has none. */
export interface Route {
  method: "GET" | "POST";
  path: RegExp;
  handler: (params: Params, id: string, context: RequestContext) => Reply;
}
