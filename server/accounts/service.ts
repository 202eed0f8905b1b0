import { and, asc, count, desc, eq, ilike, or, sql, type SQL } from "drizzle-orm";
import { reusableQuery, type Db, type DbOrTx } from "@/db/client";
import { isUniqueViolationOn } from "@/db/errors";
import { auditLog } from "@/db/schema/platform";
import { gameIds } from "@/server/games/service";
import { userAvatars, users, gameHandles } from "@/db/schema/accounts";
import type { UserRole } from "@/lib/user-roles";
import { Forbidden, Invalid, NotFound } from "@/server/errors";
import type { LimitRule } from "@/server/rate-limit";
import type { SessionUser } from "./roles";
import { isNameKeyViolation, nameKeyOf, nameKeyTaken, nameTaken } from "./name-keys";
import { hashPassword } from "./password";
import { EMAIL_TAKEN_MESSAGE, type SignUpInput } from "./schemas";

export const sessionColumns = {
  id: users.id,
  name: users.name,
  email: users.email,
  role: users.role,
  image: users.image,
  emailVerified: sql<boolean>`${users.emailVerified} is not null`.mapWith(Boolean),
};

const emailTaken = () => new Invalid(`${EMAIL_TAKEN_MESSAGE} Sign in instead?`, { field: "email" });

/** The key a valid display name is stored under (the schema lets no name without a letter through). */
function requiredNameKey(name: string): string {
  const key = nameKeyOf(name);
  if (key === null) throw new Invalid("Use at least one letter or number.", { field: "name" });
  return key;
}

export async function signUp(db: DbOrTx, input: SignUpInput): Promise<SessionUser> {
  const email = input.email.trim().toLowerCase();
  const nameKey = requiredNameKey(input.name);
  const [existing] = await db.select({ id: users.id }).from(users).where(sql`lower(${users.email}) = ${email}`);
  if (existing) throw emailTaken();
  // Asked first so the usual case answers before the slow hash; the unique index decides races.
  if (await nameKeyTaken(db, nameKey)) throw nameTaken();
  const passwordHash = await hashPassword(input.password);
  try {
    const [created] = await db.insert(users).values({ name: input.name, nameKey, email, passwordHash }).returning(sessionColumns);
    return created!;
  } catch (error) {
    // Two sign-ups with one email, or with look-alike names, at the same moment: the unique indexes decide.
    if (isUniqueViolationOn(error, "users_email_lower_idx")) throw emailTaken();
    if (isNameKeyViolation(error)) throw nameTaken();
    throw error;
  }
}

/** Account creation per address, against scripted sign-ups. */
export const signUpLimit: LimitRule = { name: "sign-up:ip", points: 20, durationSeconds: 60 * 60 };

const sessionUserById = reusableQuery<{ userId: string }, SessionUser[]>("session_user", (db) =>
  db
    .select(sessionColumns)
    .from(users)
    .where(eq(users.id, sql.placeholder("userId"))),
);

/** The signed-in user as stored now (role changes apply at once, deleted users are signed out). */
export async function getSessionUser(db: DbOrTx, userId: string): Promise<SessionUser | null> {
  if (!/^[0-9a-f-]{36}$/i.test(userId)) return null;
  const [user] = await sessionUserById(db, { userId });
  return user ?? null;
}

/** Every admin's id: private live documents list them among their readers. */
export async function adminIds(db: DbOrTx): Promise<string[]> {
  return (await db.select({ id: users.id }).from(users).where(eq(users.role, "admin"))).map((user) => user.id);
}

export async function getProfile(db: DbOrTx, userId: string) {
  const [user] = await db
    .select({ ...sessionColumns, country: users.country, createdAt: users.createdAt })
    .from(users)
    .where(eq(users.id, userId));
  if (!user) throw new NotFound("That account no longer exists.");
  const handles = await db
    .select({ gameId: gameHandles.gameId, handle: gameHandles.handle })
    .from(gameHandles)
    .where(eq(gameHandles.userId, userId));
  return { ...user, handles: Object.fromEntries(handles.map((h) => [h.gameId, h.handle])) };
}

export async function updateProfile(
  db: Db,
  userId: string,
  input: { name: string; country: string | null; handles: Record<string, string> },
) {
  const known = await gameIds(db);
  for (const gameId of Object.keys(input.handles)) {
    if (!known.has(gameId)) throw new Invalid("Unknown game.", { field: `handles.${gameId}` });
  }
  const [current] = await db.select({ name: users.name, nameKey: users.nameKey }).from(users).where(eq(users.id, userId));
  if (!current) throw new NotFound("That account no longer exists.");
  // An account from before name keys whose key an older account holds keeps its name (and no key)
  // until it changes it; any other change of name takes the new name's key, or is refused.
  const nameKey = input.name === current.name && current.nameKey === null ? null : requiredNameKey(input.name);
  if (nameKey !== null && nameKey !== current.nameKey && (await nameKeyTaken(db, nameKey, userId))) throw nameTaken();
  try {
    await db.transaction(async (tx) => {
      await tx
        .update(users)
        .set({ name: input.name, ...(nameKey === null ? {} : { nameKey }), country: input.country, updatedAt: new Date() })
        .where(eq(users.id, userId));
      for (const [gameId, handle] of Object.entries(input.handles)) {
        if (handle === "") {
          await tx.delete(gameHandles).where(and(eq(gameHandles.userId, userId), eq(gameHandles.gameId, gameId)));
        } else {
          await tx
            .insert(gameHandles)
            .values({ userId, gameId, handle })
            .onConflictDoUpdate({
              target: [gameHandles.userId, gameHandles.gameId],
              set: { handle, updatedAt: new Date() },
            });
        }
      }
    });
  } catch (error) {
    if (isNameKeyViolation(error)) throw nameTaken();
    throw error;
  }
  return getProfile(db, userId);
}

export async function setAvatar(db: Db, userId: string, file: { type: string; data: Buffer }) {
  const updatedAt = new Date();
  const image = `/api/avatars/${userId}?v=${updatedAt.getTime()}`;
  await db.transaction(async (tx) => {
    await tx
      .insert(userAvatars)
      .values({ userId, contentType: file.type, data: file.data, updatedAt })
      .onConflictDoUpdate({ target: userAvatars.userId, set: { contentType: file.type, data: file.data, updatedAt } });
    await tx.update(users).set({ image, updatedAt }).where(eq(users.id, userId));
  });
  return image;
}

export async function removeAvatar(db: Db, userId: string) {
  await db.transaction(async (tx) => {
    await tx.delete(userAvatars).where(eq(userAvatars.userId, userId));
    await tx.update(users).set({ image: null, updatedAt: new Date() }).where(eq(users.id, userId));
  });
}

export async function getAvatar(db: DbOrTx, userId: string) {
  const [avatar] = await db.select().from(userAvatars).where(eq(userAvatars.userId, userId));
  return avatar ?? null;
}

export async function listUsers(db: DbOrTx, input: { search: string; role?: UserRole; page: number; pageSize: number }) {
  const filters: SQL[] = [];
  if (input.search) {
    const pattern = `%${input.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    filters.push(or(ilike(users.name, pattern), ilike(users.email, pattern))!);
  }
  if (input.role) filters.push(eq(users.role, input.role));
  const where = filters.length > 0 ? and(...filters) : undefined;
  const [rows, [total]] = await Promise.all([
    db
      .select({
        ...sessionColumns,
        country: users.country,
        createdAt: users.createdAt,
        suspendedAt: users.suspendedAt,
        suspendedUntil: users.suspendedUntil,
        suspensionReason: users.suspensionReason,
      })
      .from(users)
      .where(where)
      .orderBy(desc(users.createdAt), asc(users.id))
      .limit(input.pageSize)
      .offset((input.page - 1) * input.pageSize),
    db.select({ value: count() }).from(users).where(where),
  ]);
  const totalCount = total?.value ?? 0;
  return {
    users: rows,
    total: totalCount,
    page: input.page,
    pageCount: Math.max(1, Math.ceil(totalCount / input.pageSize)),
  };
}

export async function setRole(db: Db, actor: SessionUser, input: { userId: string; role: UserRole }) {
  if (input.userId === actor.id) {
    throw new Forbidden("You cannot change your own role; ask another administrator.");
  }
  return db.transaction(async (tx) => {
    const [target] = await tx.select({ id: users.id, role: users.role }).from(users).where(eq(users.id, input.userId)).for("update");
    if (!target) throw new NotFound("That user does not exist.");
    if (target.role === input.role) return { userId: target.id, role: target.role, changed: false };
    await tx.update(users).set({ role: input.role, updatedAt: new Date() }).where(eq(users.id, target.id));
    await tx.insert(auditLog).values({
      actorId: actor.id,
      action: "user.role_changed",
      targetUserId: target.id,
      details: { from: target.role, to: input.role },
    });
    return { userId: target.id, role: input.role, changed: true };
  });
}
