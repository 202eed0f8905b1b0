import { unstable_update } from "@/server/accounts/auth";

export const dynamic = "force-dynamic";

/**
 * Hands a session renewal ticket (from a procedure that changed the account's security or asked
 * who the user is again) to Auth.js, which rewrites this browser's session cookie when the ticket
 * verifies for this very session (the jwt callback in server/accounts/auth.ts); anything else
 * changes nothing. A route handler, not a server action: an action that sets a cookie answers
 * with the page drawn again under the OLD cookie, which showed it signed out for a moment. The
 * page refreshes itself afterwards (renewSession in app/_components/renew-session.ts).
 * Cross-site posts are refused by proxy.ts.
 */
export async function POST(request: Request) {
  let ticket: unknown;
  try {
    ticket = ((await request.json()) as { ticket?: unknown }).ticket;
  } catch {
    ticket = undefined;
  }
  if (typeof ticket !== "string" || ticket.length === 0 || ticket.length > 2_000) {
    return Response.json({ error: "Send the renewal ticket as { ticket }." }, { status: 400, headers: { "cache-control": "no-store" } });
  }
  await unstable_update({ renew: ticket } as never);
  return new Response(null, { status: 204, headers: { "cache-control": "no-store" } });
}
