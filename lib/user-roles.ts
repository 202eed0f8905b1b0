/**
 * The roles an account can have: the `user_role` enum's values. A plain list with no imports, so
 * the browser can load it (the admin's role picker) without the table definitions; db/schema/accounts.ts
 * builds its enum from it and re-exports it.
 */
export const userRoles = ["player", "organizer", "admin"] as const;
export type UserRole = (typeof userRoles)[number];
