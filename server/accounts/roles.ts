export const userRoles = ["player", "organizer", "admin"] as const;
export type UserRole = (typeof userRoles)[number];

export interface SessionUser {
  id: string;
  name: string;
  email: string;
  role: UserRole;
  image: string | null;
}

/** Admins may do everything organizers may; organizers everything players may. */
export function hasRole(user: Pick<SessionUser, "role"> | null, role: UserRole): boolean {
  if (!user) return false;
  if (user.role === "admin") return true;
  return role === "organizer" ? user.role === "organizer" : role === "player";
}
