import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { eventBanners, events, games } from "@/db/schema";
import { createTestDatabase } from "@/db/testing/database";
import { createOpenEvent, createUser } from "@/server/testing/factories";
import type { SessionUser } from "@/server/accounts/roles";
import { getEventBanner, removeEventBanner, setEventBanner } from "./banner";
import { codeOf } from "@/server/testing/trpc";

const { db } = await createTestDatabase();
const key = () => crypto.randomUUID();
let gameId: string;
let organizer: SessionUser;
let otherOrganizer: SessionUser;
let admin: SessionUser;
let player: SessionUser;

const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 4, 5, 6]);

beforeAll(async () => {
  const [game] = await db
    .insert(games)
    .values({ slug: `g-${key()}`, name: "Test Game", handleLabel: "Tag" })
    .returning();
  gameId = game!.id;
  [organizer, otherOrganizer, admin, player] = await Promise.all([
    createUser(db, { role: "organizer" }),
    createUser(db, { role: "organizer" }),
    createUser(db, { role: "admin" }),
    createUser(db),
  ]);
});

function createEvent(overrides: Parameters<typeof createOpenEvent>[2] = {}) {
  return createOpenEvent(db, { organizerId: organizer.id, gameId }, overrides);
}

/** has_banner and the banner row, which must always agree. */
async function stateOf(eventId: string) {
  const [event] = await db.select({ hasBanner: events.hasBanner }).from(events).where(eq(events.id, eventId));
  const [banner] = await db.select().from(eventBanners).where(eq(eventBanners.eventId, eventId));
  expect(event!.hasBanner).toBe(Boolean(banner));
  return { hasBanner: event!.hasBanner, contentType: banner?.contentType ?? null, data: banner?.data ?? null };
}

const anyone = async () => null;
const as = (user: SessionUser) => async () => user;

describe("event banners", () => {
  it("the organizer sets, replaces and removes the banner; has_banner follows", async () => {
    const event = await createEvent();
    expect(await stateOf(event.id)).toEqual({ hasBanner: false, contentType: null, data: null });

    const first = await setEventBanner(db, organizer, event.id, { type: "image/png", data: png });
    expect(first.hasBanner).toBe(true);
    expect(await stateOf(event.id)).toEqual({ hasBanner: true, contentType: "image/png", data: png });

    const second = await setEventBanner(db, organizer, event.id, { type: "image/jpeg", data: jpeg });
    expect(second.version).toBeGreaterThanOrEqual(first.version);
    expect(await stateOf(event.id)).toEqual({ hasBanner: true, contentType: "image/jpeg", data: jpeg });
    const served = await getEventBanner(db, anyone, event.id);
    expect(served).toMatchObject({ contentType: "image/jpeg", draft: false });
    expect(Buffer.from(served!.data).equals(jpeg)).toBe(true);

    expect((await removeEventBanner(db, organizer, event.id)).hasBanner).toBe(false);
    expect(await stateOf(event.id)).toEqual({ hasBanner: false, contentType: null, data: null });
    expect(await getEventBanner(db, anyone, event.id)).toBeNull();
    // Removing twice is harmless.
    await removeEventBanner(db, organizer, event.id);
    expect((await stateOf(event.id)).hasBanner).toBe(false);
  });

  it("another organizer or a player is FORBIDDEN and changes nothing; an admin may", async () => {
    const event = await createEvent();
    await setEventBanner(db, organizer, event.id, { type: "image/png", data: png });
    for (const stranger of [otherOrganizer, player]) {
      expect(await codeOf(setEventBanner(db, stranger, event.id, { type: "image/jpeg", data: jpeg }))).toBe("FORBIDDEN");
      expect(await codeOf(removeEventBanner(db, stranger, event.id))).toBe("FORBIDDEN");
    }
    expect(await stateOf(event.id)).toEqual({ hasBanner: true, contentType: "image/png", data: png });

    await setEventBanner(db, admin, event.id, { type: "image/jpeg", data: jpeg });
    expect((await stateOf(event.id)).contentType).toBe("image/jpeg");
    await removeEventBanner(db, admin, event.id);
    expect((await stateOf(event.id)).hasBanner).toBe(false);
  });

  it("a missing event is NOT_FOUND", async () => {
    expect(await codeOf(setEventBanner(db, organizer, key(), { type: "image/png", data: png }))).toBe("NOT_FOUND");
    expect(await codeOf(removeEventBanner(db, organizer, key()))).toBe("NOT_FOUND");
    expect(await getEventBanner(db, anyone, key())).toBeNull();
  });

  it("a draft's banner is shown only to its organizer and admins; a published one to anyone without asking who", async () => {
    const draft = await createEvent({ status: "draft" });
    await setEventBanner(db, organizer, draft.id, { type: "image/png", data: png });
    expect(await getEventBanner(db, anyone, draft.id)).toBeNull();
    expect(await getEventBanner(db, as(otherOrganizer), draft.id)).toBeNull();
    expect(await getEventBanner(db, as(organizer), draft.id)).toMatchObject({ contentType: "image/png", draft: true });
    expect(await getEventBanner(db, as(admin), draft.id)).toMatchObject({ draft: true });

    const published = await createEvent();
    await setEventBanner(db, organizer, published.id, { type: "image/png", data: png });
    let asked = false;
    const banner = await getEventBanner(
      db,
      async () => {
        asked = true;
        return null;
      },
      published.id,
    );
    expect(banner).toMatchObject({ contentType: "image/png", draft: false });
    expect(asked).toBe(false);
  });
});
