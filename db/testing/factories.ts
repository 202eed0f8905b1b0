import { eq } from "drizzle-orm";
import type { Db } from "../client";
import { users, type UserRole } from "../schema";
import { signUp } from "@/server/accounts/service";
import type { SessionUser } from "@/server/accounts/roles";

export const TEST_PASSWORD = "correct horse battery";

/** A real account made through the sign-up service, then given `role`. */
export async function createUser(
  db: Db,
  options: { role?: UserRole; name?: string; email?: string; password?: string } = {},
): Promise<SessionUser> {
  const suffix = crypto.randomUUID().slice(0, 8);
  const user = await signUp(db, {
    name: options.name ?? `Tester ${suffix}`,
    email: options.email ?? `tester-${suffix}@example.test`,
    password: options.password ?? TEST_PASSWORD,
  });
  const role = options.role ?? "player";
  if (role !== "player") await db.update(users).set({ role }).where(eq(users.id, user.id));
  return { ...user, role };
}
