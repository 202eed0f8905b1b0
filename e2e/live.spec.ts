import { eq } from "drizzle-orm";
import { events } from "@/db/schema";
import { updateEvent } from "@/server/events/service";
import { expect, signIn, test } from "./fixtures";

test("a spectator's event page updates when the organizer changes the event, without a refresh", async ({
  page,
  makeUser,
  makeEvent,
  database,
}) => {
  const organizer = await makeUser({ role: "organizer" });
  const event = await makeEvent(organizer.id, { format: "swiss", capacity: 16, entryFee: 0 });

  // A signed-out spectator.
  await page.goto(`/events/${event!.id}`);
  await expect(page.getByRole("heading", { name: event!.name })).toBeVisible();
  // Let the page's live connection open before the change is made.
  await page.waitForTimeout(1_000);

  const {
    id,
    organizerId: _o,
    seatsTaken: _s,
    status: _st,
    publishedAt: _p,
    cancelledAt: _c,
    createdAt: _cr,
    updatedAt: _u,
    hasBanner: _b,
    ...fields
  } = event!;
  const renamed = `${event!.name} (moved to Sunday)`;
  await updateEvent(database.db, organizer, id, { ...fields, name: renamed, capacity: 24 });

  await expect(page.getByRole("heading", { name: renamed })).toBeVisible({ timeout: 10_000 });
  await expect(page.getByText(/0\/24/)).toBeVisible();
  const [stored] = await database.db.select({ name: events.name }).from(events).where(eq(events.id, id));
  expect(stored?.name).toBe(renamed);
});

test("a signed-in page follows all its live topics (header bell and event) on one connection", async ({
  page,
  makeUser,
  makeEvent,
  database,
}) => {
  const organizer = await makeUser({ role: "organizer" });
  const player = await makeUser();
  const event = await makeEvent(organizer.id, { format: "swiss", capacity: 16, entryFee: 0 });

  // Browsers allow six connections per origin across all tabs: a page must hold one, not one per topic.
  const open = new Map<object, string>();
  page.on("request", (request) => {
    if (request.resourceType() === "eventsource") open.set(request, request.url());
  });
  page.on("requestfailed", (request) => open.delete(request));
  page.on("requestfinished", (request) => open.delete(request));

  await signIn(page, player.email);
  await page.goto(`/events/${event!.id}`);
  await expect(page.getByRole("heading", { name: event!.name })).toBeVisible();
  await expect
    .poll(() => [...open.values()].map((url) => new URL(url).searchParams.get("topics")?.split(",").sort()))
    .toEqual([[`event:${event!.id}`, `user:${player.id}`].sort()]);
  // Let the server start following both topics before the change is made.
  await page.waitForTimeout(1_000);

  const {
    id,
    organizerId: _o,
    seatsTaken: _s,
    status: _st,
    publishedAt: _p,
    cancelledAt: _c,
    createdAt: _cr,
    updatedAt: _u,
    hasBanner: _b,
    ...fields
  } = event!;
  const renamed = `${event!.name} (final)`;
  await updateEvent(database.db, organizer, id, { ...fields, name: renamed });
  await expect(page.getByRole("heading", { name: renamed })).toBeVisible({ timeout: 10_000 });
  expect(open.size).toBe(1);
});
