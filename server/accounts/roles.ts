// Browser-safe: loaded by client components; imports nothing server-only.
import type { UserRole } from "@/lib/user-roles";

// The list is the user_role enum's values (lib/, where the schema takes it from too); re-exported here for the code that works with roles.
export { userRoles, type UserRole } from "@/lib/user-roles";

export interface SessionUser {
  id: string;
  name: string;
  email: string;
  role: UserRole;
  image: string | null;
  /** Paying, topping up and withdrawing need a verified email; browsing, chat and free events do not. */
  emailVerified: boolean;
  /**
   * When this session last proved who it is (sign-in, or a password or second factor asked again);
   * set for a request's signed-in user, absent for users read for other reasons.
   */
  authenticatedAt?: Date | null;
  /** The sign-in this request's session belongs to (for session renewal tickets); absent like authenticatedAt. */
  sessionId?: string | null;
}

/** Admins may do everything organizers may; organizers everything players may. */
export function hasRole(user: Pick<SessionUser, "role"> | null, role: UserRole): boolean {
  if (!user) return false;
  if (user.role === "admin") return true;
  return role === "organizer" ? user.role === "organizer" : role === "player";
}
