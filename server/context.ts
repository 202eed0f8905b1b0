import "server-only";
import { getDb } from "@/db/client";
import { getCurrentUser } from "./accounts/session";
import { clientIp } from "./http";
import { createInnerContext, type Context } from "./trpc";

/** Context for a request from a browser: the session user is looked up from the auth cookie. */
export async function createRequestContext(input: { headers: Headers; requestId: string }): Promise<Context> {
  const db = await getDb();
  const user = await getCurrentUser();
  return createInnerContext({ db, user, requestId: input.requestId, ip: clientIp(input.headers) });
}
