import "server-only";
import type { SessionUser } from "./accounts/roles";
import { getCurrentUser } from "./accounts/session";
import { sessionUserFromRequest } from "./accounts/session-token";
import { getDb } from "./database";
import { clientIp } from "./http";
import { createInnerContext, type Context } from "./trpc";

/**
 * Context for a request from a browser: the session user is looked up from the auth cookie (read
 * directly for API requests, which pass their `url`; through Auth.js for server rendering).
 */
export async function createRequestContext(input: { headers: Headers; requestId: string; url?: string }): Promise<Context> {
  const db = await getDb();
  let user: SessionUser | null;
  if (input.url) {
    user = await sessionUserFromRequest(db, { headers: input.headers, url: input.url });
  } else {
    user = await getCurrentUser();
  }
  return createInnerContext({ db, user, requestId: input.requestId, ip: clientIp(input.headers) });
}
