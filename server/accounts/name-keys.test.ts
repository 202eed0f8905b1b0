import { eq, inArray, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { users } from "@/db/schema";
import { createTestDatabase } from "@/db/testing/database";
import { DomainError, fieldErrorsOf } from "@/server/errors";
import { createUser, insertPlayers } from "@/server/testing/factories";
import { trpcCodeOf } from "@/server/trpc";
import { displayNameKey } from "./display-names";
import { backfillNameKeys, claimNameKey, isNameAvailable, NAME_TAKEN_MESSAGE } from "./name-keys";
import { signUp, updateProfile } from "./service";

const { db } = await createTestDatabase();

async function outcome(promise: Promise<unknown>): Promise<{ code: string; fields: Record<string, string[]> | null }> {
  try {
    await promise;
    return { code: "OK", fields: null };
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return { code: trpcCodeOf(error), fields: fieldErrorsOf(error) };
  }
}

const unique = () => crypto.randomUUID().slice(0, 6).replace(/[01]/g, "x");
const email = () => `n-${crypto.randomUUID()}@example.test`;
const keyOf = async (id: string) => (await db.select({ key: users.nameKey }).from(users).where(eq(users.id, id)))[0]?.key;

describe("sign-up with a look-alike name", () => {
  it("stores the name's key", async () => {
    const name = `Kestrel ${unique()}`;
    const user = await signUp(db, { name, email: email(), password: "password-one" });
    expect(await keyOf(user.id)).toBe(displayNameKey(name));
  });

  it("refuses a second account whose name differs only by case, spaces or look-alike letters, on the name field", async () => {
    const tag = unique();
    await signUp(db, { name: `Vesper${tag}`, email: email(), password: "password-one" });
    for (const lookalike of [`VESPER${tag}`, `V e s p e r ${tag}`, `Vеsрer${tag}`, `V_esper.${tag}`]) {
      const result = await outcome(signUp(db, { name: lookalike, email: email(), password: "password-two" }));
      expect(result, lookalike).toEqual({ code: "BAD_REQUEST", fields: { name: [NAME_TAKEN_MESSAGE] } });
    }
    expect((await outcome(signUp(db, { name: `Vesper${tag}x`, email: email(), password: "password-three" }))).code).toBe("OK");
  });

  it("still names the email first when both are taken", async () => {
    const first = await createUser(db, { name: `Both ${unique()}` });
    const result = await outcome(signUp(db, { name: first.name.toUpperCase(), email: first.email, password: "password-two" }));
    expect(Object.keys(result.fields ?? {})).toEqual(["email"]);
  });

  it("lets exactly one of ten simultaneous look-alike sign-ups through; the others get the field error, not a 500", async () => {
    const tag = unique();
    const variants = [
      `Racer${tag}`,
      `RACER${tag}`,
      `racer${tag}`,
      `R a c e r${tag}`,
      `Rаcer${tag}`,
      `Racеr${tag}`,
      `R.acer${tag}`,
      `Ra_cer${tag}`,
      `RaCeR${tag}`,
      `r-acer${tag}`,
    ];
    const attempts = await Promise.all(variants.map((name) => outcome(signUp(db, { name, email: email(), password: "password-race" }))));
    expect(attempts.filter((a) => a.code === "OK")).toHaveLength(1);
    expect(attempts.filter((a) => a.code === "BAD_REQUEST" && a.fields?.name?.[0] === NAME_TAKEN_MESSAGE)).toHaveLength(9);
    const [row] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(users)
      .where(eq(users.nameKey, displayNameKey(`Racer${tag}`)));
    expect(row?.n).toBe(1);
  });
});

describe("profile name changes", () => {
  it("refuses a look-alike of someone else's name, changing nothing", async () => {
    const other = await createUser(db, { name: `Onyx ${unique()}` });
    const user = await createUser(db);
    const result = await outcome(
      updateProfile(db, user.id, { name: other.name.toUpperCase().replace("O", "0"), country: "SE", handles: {} }),
    );
    expect(result).toEqual({ code: "BAD_REQUEST", fields: { name: [NAME_TAKEN_MESSAGE] } });
    const [row] = await db.select({ name: users.name, country: users.country }).from(users).where(eq(users.id, user.id));
    expect(row).toEqual({ name: user.name, country: null });
  });

  it("allows a variant of your own name, and frees the old key when the name changes", async () => {
    const tag = unique();
    const user = await createUser(db, { name: `Glint ${tag}` });
    await updateProfile(db, user.id, { name: `GLINT_${tag}`, country: null, handles: {} });
    expect(await keyOf(user.id)).toBe(displayNameKey(`Glint ${tag}`));
    await updateProfile(db, user.id, { name: `Wisp ${tag}`, country: null, handles: {} });
    expect(await keyOf(user.id)).toBe(displayNameKey(`Wisp ${tag}`));
    expect((await outcome(signUp(db, { name: `Glint ${tag}`, email: email(), password: "password-one" }))).code).toBe("OK");
  });

  it("lets an account without a key (its look-alike is older) save its profile unrenamed, but not take another taken name", async () => {
    const tag = unique();
    const older = await createUser(db, { name: `Rune ${tag}` });
    const [legacy] = await insertPlayers(db, 1, { name: () => `RUNE ${tag}` });
    await updateProfile(db, legacy!.id, { name: `RUNE ${tag}`, country: "DE", handles: {} });
    expect(await keyOf(legacy!.id)).toBeNull();
    const result = await outcome(updateProfile(db, legacy!.id, { name: `rune ${tag}`, country: null, handles: {} }));
    expect(result.fields).toEqual({ name: [NAME_TAKEN_MESSAGE] });
    expect(await keyOf(older.id)).toBe(displayNameKey(`Rune ${tag}`));
  });

  it("lets one of two players racing to the same new look-alike name have it", async () => {
    const tag = unique();
    const [a, b] = await Promise.all([createUser(db), createUser(db)]);
    const results = await Promise.all([
      outcome(updateProfile(db, a.id, { name: `Cobalt ${tag}`, country: null, handles: {} })),
      outcome(updateProfile(db, b.id, { name: `C0BALT ${tag}`, country: null, handles: {} })),
    ]);
    expect(results.map((r) => r.code).sort()).toEqual(["BAD_REQUEST", "OK"]);
    expect(results.find((r) => r.code === "BAD_REQUEST")?.fields).toEqual({ name: [NAME_TAKEN_MESSAGE] });
  });
});

describe("availability", () => {
  it("says a look-alike of a taken name is not available, except to its holder", async () => {
    const user = await createUser(db, { name: `Halo ${unique()}` });
    expect(await isNameAvailable(db, user.name.toUpperCase())).toBe(false);
    expect(await isNameAvailable(db, user.name.toUpperCase(), user.id)).toBe(true);
    expect(await isNameAvailable(db, `${user.name}z`)).toBe(true);
  });
});

describe("accounts without a key", () => {
  it("fills keys oldest first, leaves a look-alike of an older account without one, and can run again", async () => {
    const tag = unique();
    // Straight inserts, as accounts from before keys stood: two look-alikes, one plain name.
    const rows = await db
      .insert(users)
      .values([
        { name: `Ember ${tag}`, email: email(), createdAt: new Date("2020-01-01T00:00:00.000123Z") },
        { name: `EMBER ${tag}`, email: email(), createdAt: new Date("2020-01-02T00:00:00Z") },
        { name: `Sable ${tag}`, email: email(), createdAt: new Date("2020-01-03T00:00:00Z") },
      ])
      .returning({ id: users.id });
    const first = await backfillNameKeys(db, { batchSize: 2 });
    expect(first.taken).toBeGreaterThanOrEqual(1);
    expect(await keyOf(rows[0]!.id)).toBe(displayNameKey(`Ember ${tag}`));
    expect(await keyOf(rows[1]!.id)).toBeNull();
    expect(await keyOf(rows[2]!.id)).toBe(displayNameKey(`Sable ${tag}`));
    const again = await backfillNameKeys(db);
    expect(again.filled).toBe(0);
    // A later sign-up cannot take a look-alike of the backfilled name.
    expect((await outcome(signUp(db, { name: `ember${tag}`, email: email(), password: "password-one" }))).fields).toEqual({
      name: [NAME_TAKEN_MESSAGE],
    });
  });

  it("fills many inserted players in batches, every one with a distinct name getting its key", async () => {
    const players = await insertPlayers(db, 250, { name: (i) => `Bulk ${unique()} ${i}` });
    await backfillNameKeys(db, { batchSize: 64 });
    const keyed = await db
      .select({ key: users.nameKey })
      .from(users)
      .where(
        inArray(
          users.id,
          players.map((p) => p.id),
        ),
      );
    expect(keyed.every((row) => row.key !== null)).toBe(true);
  });

  it("gives an OAuth-created account its key, renaming it when a look-alike is taken", async () => {
    const tag = unique();
    await createUser(db, { name: `Zephyr ${tag}` });
    const [oauth] = await insertPlayers(db, 1, { name: () => `ZEPHYR ${tag}` });
    expect(await claimNameKey(db, oauth!.id)).toEqual({ name: `ZEPHYR ${tag} 2`, renamed: true });
    expect(await keyOf(oauth!.id)).toBe(displayNameKey(`Zephyr ${tag} 2`));
    const [plain] = await insertPlayers(db, 1, { name: () => `Quill ${tag}` });
    expect(await claimNameKey(db, plain!.id)).toEqual({ name: `Quill ${tag}`, renamed: false });
    const [emoji] = await insertPlayers(db, 1, { name: () => "🔥🔥" });
    const claimed = await claimNameKey(db, emoji!.id);
    expect(claimed?.renamed).toBe(true);
    expect(claimed?.name).toMatch(/^Player \d+$/);
  });
});
