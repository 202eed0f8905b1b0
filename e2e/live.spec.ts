import { eq } from "drizzle-orm";
import { events, games } from "@/db/schema";
import { updateEvent } from "@/server/events/service";
import { expect, test } from "./fixtures";

test("a spectator's event page updates when the organizer changes the event, without a refresh", async ({ page, makeUser, database }) => {
  const organizer = await makeUser({ role: "organizer" });
  const [game] = await database.db.select().from(games).limit(1);
  const now = Date.now();
  const [event] = await database.db
    .insert(events)
    .values({
      organizerId: organizer.id,
      gameId: game!.id,
      name: `Live Cup ${crypto.randomUUID().slice(0, 6)}`,
      format: "swiss",
      capacity: 16,
      registrationOpensAt: new Date(now - 3_600_000),
      registrationClosesAt: new Date(now + 86_400_000),
      checkInOpensAt: new Date(now + 86_400_000),
      checkInClosesAt: new Date(now + 90_000_000),
      startsAt: new Date(now + 90_000_000),
      status: "published",
      publishedAt: new Date(),
    })
    .returning();

  // A signed-out spectator.
  await page.goto(`/events/${event!.id}`);
  await expect(page.getByRole("heading", { name: event!.name })).toBeVisible();
  // Let the page's live connection open before the change is made.
  await page.waitForTimeout(1_000);

  const { id, organizerId: _o, seatsTaken: _s, status: _st, publishedAt: _p, cancelledAt: _c, createdAt: _cr, updatedAt: _u, hasBanner: _b, ...fields } = event!;
  const renamed = `${event!.name} (moved to Sunday)`;
  await updateEvent(database.db, organizer, id, { ...fields, name: renamed, capacity: 24 });

  await expect(page.getByRole("heading", { name: renamed })).toBeVisible({ timeout: 10_000 });
  await expect(page.getByText(/0\/24/)).toBeVisible();
  const [stored] = await database.db.select({ name: events.name }).from(events).where(eq(events.id, id));
  expect(stored?.name).toBe(renamed);
});
