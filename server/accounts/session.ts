import "server-only";
import { cache } from "react";
import { getDb } from "@/server/database";
import { auth } from "./auth";
import { forbidden, redirect } from "next/navigation";
import { hasRole, type SessionUser, type UserRole } from "./roles";
import { claimsOfToken, userOfSession } from "./sessions";

/** The signed-in user for this request, read fresh from the database once per render. */
export const getCurrentUser = cache(async (): Promise<SessionUser | null> => {
  const session = await auth();
  if (!session?.user?.id) return null;
  return userOfSession(await getDb(), claimsOfToken({ sub: session.user.id, sid: session.sid, sv: session.sv, authAt: session.authAt }));
});

/**
 * For pages: the signed-in user with at least `role`. Guests go to sign-in and come back to
 * `from`; signed-in users without the role get the 403 page.
 */
export async function requireUser(from: string, role: UserRole = "player"): Promise<SessionUser> {
  const user = await getCurrentUser();
  if (!user) redirect(`/sign-in?callbackUrl=${encodeURIComponent(from)}`);
  if (!hasRole(user, role)) forbidden();
  return user;
}
