/**
 * Display names are unique by look (display-names.ts): each account's `users.name_key` holds its
 * name's key under a UNIQUE index, which decides every race. This module stores keys, says whether a
 * name is free, turns the index's refusal into a message for the name field, and fills the keys of
 * accounts that have none (accounts from before the key existed, and OAuth sign-ups, whose name
 * Auth.js's adapter writes without one).
 */
import { and, asc, eq, inArray, isNull, ne, sql } from "drizzle-orm";
import type { Db, DbOrTx } from "@/db/client";
import { isUniqueViolationOn } from "@/db/errors";
import { users } from "@/db/schema/accounts";
import { Invalid } from "@/server/errors";
import type { LimitRule } from "@/server/rate-limit";
import { displayNameKey } from "./display-names";
import { NAME_TAKEN_MESSAGE } from "./schemas";

export const NAME_KEY_INDEX = "users_name_key_idx";

export { NAME_TAKEN_MESSAGE };

export const nameTaken = () => new Invalid(NAME_TAKEN_MESSAGE, { field: "name" });

/** The unique index on name keys refused a write (not the one on emails). */
export const isNameKeyViolation = (error: unknown) => isUniqueViolationOn(error, NAME_KEY_INDEX);

/** The key to store for `name`; null when nothing of it is a letter or a number (nothing to compare). */
export function nameKeyOf(name: string): string | null {
  return displayNameKey(name) || null;
}

/** Whether another account (not `exceptUserId`) holds `name`'s key. */
export async function nameKeyTaken(db: DbOrTx, key: string, exceptUserId?: string): Promise<boolean> {
  const [row] = await db
    .select({ id: users.id })
    .from(users)
    .where(exceptUserId ? and(eq(users.nameKey, key), ne(users.id, exceptUserId)) : eq(users.nameKey, key))
    .limit(1);
  return Boolean(row);
}

/** Asked while a player types a name: whether they could take it now (the index decides at save). */
export async function isNameAvailable(db: DbOrTx, name: string, exceptUserId?: string): Promise<boolean> {
  const key = nameKeyOf(name);
  return key !== null && !(await nameKeyTaken(db, key, exceptUserId));
}

/** Availability checks per address: a form asks once per pause in typing, a script asks far more. */
export const nameCheckLimit: LimitRule = { name: "name-check:ip", points: 120, durationSeconds: 10 * 60 };

const MAX_NAME_LENGTH = 32;

/** "Kestrel", "Kestrel 2" … "Kestrel 9", then "Kestrel 4821": names to try for an account whose name is taken. */
function* fallbackNames(name: string): Generator<string> {
  // Cut by code points, not UTF-16 units, so an emoji is never split in half.
  const cut = (text: string, length: number) => [...text].slice(0, length).join("").trimEnd();
  const base = cut(name.trim(), MAX_NAME_LENGTH);
  if (nameKeyOf(base)) yield base;
  const stem = (suffix: string) => `${cut(nameKeyOf(base) ? base : "Player", MAX_NAME_LENGTH - suffix.length - 1)} ${suffix}`;
  for (let n = 2; n <= 9; n++) yield stem(String(n));
  for (;;) yield stem(String(1000 + Math.floor(Math.random() * 9000)));
}

/**
 * Gives an account without a key one, renaming it when its name's key is taken ("Kestrel 2"): for
 * accounts an OAuth provider named (Auth.js's adapter inserts the provider's name, keyless), so no
 * account keeps a look-alike of another's name. Call it right after such an account is created.
 * Returns the account's name as it is now.
 */
export async function claimNameKey(db: Db, userId: string): Promise<{ name: string; renamed: boolean } | null> {
  const [account] = await db.select({ name: users.name, nameKey: users.nameKey }).from(users).where(eq(users.id, userId));
  if (!account) return null;
  if (account.nameKey !== null) return { name: account.name, renamed: false };
  let attempts = 0;
  for (const candidate of fallbackNames(account.name)) {
    const key = nameKeyOf(candidate)!;
    if (++attempts > 50) break;
    if (await nameKeyTaken(db, key)) continue;
    try {
      const [updated] = await db
        .update(users)
        .set({ name: candidate, nameKey: key, updatedAt: new Date() })
        .where(and(eq(users.id, userId), isNull(users.nameKey)))
        .returning({ name: users.name });
      if (!updated) return claimNameKey(db, userId); // keyed meanwhile
      return { name: candidate, renamed: candidate !== account.name };
    } catch (error) {
      if (!isNameKeyViolation(error)) throw error;
    }
  }
  return { name: account.name, renamed: false };
}

export interface BackfillOutcome {
  /** Accounts given their name's key. */
  filled: number;
  /** Accounts left without one: an older account (or a newer one that already has it) holds the key. */
  taken: number;
  /** Accounts left without one: their name has no letter or number. */
  empty: number;
}

/**
 * Fills the key of every account that has none, oldest account first, in batches: where two
 * accounts from before share a key, the older one gets it and the newer one stays without (it
 * keeps its name; later sign-ups still cannot take a look-alike of the older one). Safe to run
 * again and alongside sign-ups (the index decides; a refused batch is retried row by row).
 */
export async function backfillNameKeys(db: Db, options: { batchSize?: number } = {}): Promise<BackfillOutcome> {
  const batchSize = options.batchSize ?? 1_000;
  const outcome: BackfillOutcome = { filled: 0, taken: 0, empty: 0 };
  // The cursor keeps created_at as PostgreSQL's text: a JS Date would drop its microseconds.
  let after: { createdAt: string; id: string } | null = null;
  for (;;) {
    const rows: { id: string; name: string; createdAt: string }[] = await db
      .select({ id: users.id, name: users.name, createdAt: sql<string>`${users.createdAt}::text` })
      .from(users)
      .where(
        after
          ? and(isNull(users.nameKey), sql`(${users.createdAt}, ${users.id}) > (${after.createdAt}::timestamptz, ${after.id}::uuid)`)
          : isNull(users.nameKey),
      )
      .orderBy(asc(users.createdAt), asc(users.id))
      .limit(batchSize);
    if (rows.length === 0) return outcome;
    after = rows.at(-1)!;

    const keyed = new Map<string, string>(); // key -> the oldest account in the batch that has it
    for (const row of rows) {
      const key = nameKeyOf(row.name);
      if (key === null) outcome.empty++;
      else if (keyed.has(key)) outcome.taken++;
      else keyed.set(key, row.id);
    }
    if (keyed.size === 0) continue;
    const held = await db
      .select({ key: users.nameKey })
      .from(users)
      .where(inArray(users.nameKey, [...keyed.keys()]));
    for (const { key } of held) {
      if (key !== null && keyed.delete(key)) outcome.taken++;
    }
    if (keyed.size === 0) continue;
    const pairs = [...keyed].map(([key, id]) => sql`(${id}::uuid, ${key})`);
    try {
      const updated = await db.execute<{ id: string }>(sql`
        update users set name_key = pairs.key
        from (values ${sql.join(pairs, sql`, `)}) as pairs(id, key)
        where users.id = pairs.id and users.name_key is null
        returning users.id`);
      outcome.filled += updated.length;
    } catch (error) {
      if (!isNameKeyViolation(error)) throw error;
      // A sign-up took one of these keys meanwhile: one by one, so the others still get theirs.
      for (const [key, id] of keyed) {
        try {
          const done = await db
            .update(users)
            .set({ nameKey: key })
            .where(and(eq(users.id, id), isNull(users.nameKey)))
            .returning({ id: users.id });
          outcome.filled += done.length;
        } catch (rowError) {
          if (!isNameKeyViolation(rowError)) throw rowError;
          outcome.taken++;
        }
      }
    }
  }
}
