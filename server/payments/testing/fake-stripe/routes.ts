import type { Params } from "./params";
import type { Reply } from "./replies";

/** One endpoint: `id` is the path's captured object id, or "" when it has none. */
export interface Route {
  method: "GET" | "POST";
  path: RegExp;
  handler: (params: Params, id: string) => Reply;
}
