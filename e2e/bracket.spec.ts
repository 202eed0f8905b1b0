import type { Page } from "@playwright/test";
import type { Db } from "@/db/client";
import { setMatchResult, startBracket } from "@/server/brackets/service";
import { bracketFixtures, rowsOf } from "@/server/brackets/testing";
import { expect, test } from "./fixtures";
import { screenshots } from "./screenshots";

/**
 * An organizer's free single-elimination event with 4 checked-in players and a started bracket,
 * made through the services. Returns the players' names in seed order and a way to decide a match.
 */
async function startedBracket(db: Db) {
  const f = await bracketFixtures(db);
  const event = (await f.openEvent({ format: "single_elimination", name: `Bracket Cup ${crypto.randomUUID().slice(0, 6)}` }))!;
  const field = await f.soloEntries(event.id, 4);
  const { bracketId } = await startBracket(db, f.organizer, event.id, {
    seeding: "registration",
    settings: { thirdPlace: false, grandFinal: "reset", groups: 1, meetings: 1 },
    reportMinutes: 30,
  });
  const rows = await rowsOf(db, bracketId);
  const nameOf = new Map(field.map((entry) => [entry.registrationId, entry.player.name]));
  /** The organizer decides `matchId` (engine id) for side `winner`; returns the winner's name. */
  const decide = async (matchId: string, winner: 0 | 1) => {
    const row = (await rowsOf(db, bracketId)).get(matchId)!;
    await setMatchResult(db, f.organizer, { matchId: row.uuid, outcome: { type: "played", winner } });
    return nameOf.get(row.sides[winner].entrant!)!;
  };
  return { event, names: field.map((entry) => entry.player.name), semis: [rows.get("U-R1-M1")!, rows.get("U-R1-M2")!], decide };
}

test("a spectator watches the bracket: names and rounds, then a semifinal result reaches the final without a refresh", async ({
  page,
  database,
}) => {
  const { event, names, decide } = await startedBracket(database.db);

  // Not signed in.
  await page.goto(`/events/${event.id}/bracket`);
  await expect(page.getByRole("heading", { level: 1, name: event.name })).toBeVisible();
  for (const name of names) await expect(page.getByText(name, { exact: true }).first()).toBeVisible();
  await expect(page.getByText("Semifinals", { exact: true }).filter({ visible: true }).first()).toBeVisible();
  await expect(page.getByText("Final", { exact: true }).filter({ visible: true }).first()).toBeVisible();
  const final = page.getByRole("link", { name: /Final: waiting for players/ });
  await expect(final).toBeVisible();
  await expect(page.locator("[data-live]")).toHaveAttribute("data-live", "live");
  await screenshots(page, "bracket-desktop-started", { viewports: "current" });

  const winner = await decide("U-R1-M1", 0);
  const finalCard = page.getByRole("link", { name: /^Match \d+ · Final:/ });
  await expect(finalCard).toContainText(winner, { timeout: 10_000 });
  await expect(page.getByRole("link", { name: new RegExp(`Semifinal: won by ${winner}`) })).toBeVisible();

  // The other semifinal and the final: the page shows the champion, still without a refresh.
  await decide("U-R1-M2", 1);
  const champion = await decide("U-R2-M1", 0);
  await expect(page.getByRole("heading", { name: "Final standings" })).toBeVisible({ timeout: 10_000 });
  await expect(page.getByRole("region", { name: "Final standings" })).toContainText(champion);
  await screenshots(page, "bracket-desktop-completed", { viewports: "current" });

  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  await expect(page.getByRole("heading", { level: 1, name: event.name })).toBeVisible();
  await screenshots(page, "bracket-phone-completed", { viewports: "current" });

  // The event page links to it.
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(`/events/${event.id}`);
  await page.getByRole("link", { name: "Bracket", exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/events/${event.id}/bracket$`));
});

test("the embed view has no site header and follows the bracket live", async ({ page, database }) => {
  const { event, decide } = await startedBracket(database.db);
  await page.goto(`/embed/events/${event.id}/bracket`);
  await expect(page.getByRole("group", { name: /Final: waiting for players/ })).toBeVisible();
  await expect(page.getByRole("banner")).toHaveCount(0);
  await expect(page.getByRole("link", { name: "Events" })).toHaveCount(0);
  await expect(page.locator("[data-live]")).toHaveAttribute("data-live", "live");
  const winner = await decide("U-R1-M2", 1);
  await expect(page.getByRole("group", { name: /^Match \d+ · Final:/ })).toContainText(winner, { timeout: 10_000 });
  await page.setViewportSize({ width: 1920, height: 1080 });
  await screenshots(page, "bracket-embed", { viewports: "current" });
});

test("before the start, the bracket page says when it appears; drafts are not found", async ({ page, database, makeUser, makeEvent }) => {
  const organizer = await makeUser({ role: "organizer" });
  const event = (await makeEvent(organizer.id, { format: "double_elimination", entryFee: 0 }))!;
  await page.goto(`/events/${event.id}/bracket`);
  await expect(page.getByText("The bracket appears here when the organizer starts it.")).toBeVisible();
  await screenshots(page, "bracket-desktop-empty", { viewports: "current" });
  await page.setViewportSize({ width: 390, height: 844 });
  await screenshots(page, "bracket-phone-empty", { viewports: "current" });

  // Started while the page is open: the bracket appears without a refresh (event:<id> announces the start).
  const f = await bracketFixtures(database.db);
  const soon = (await f.openEvent({ format: "single_elimination" }))!;
  const field = await f.soloEntries(soon.id, 2);
  await page.goto(`/events/${soon.id}/bracket`);
  await expect(page.getByText("The bracket appears here when the organizer starts it.")).toBeVisible();
  await page.waitForTimeout(1_000);
  await startBracket(database.db, f.organizer, soon.id, {
    seeding: "registration",
    settings: { thirdPlace: false, grandFinal: "reset", groups: 1, meetings: 1 },
    reportMinutes: 30,
  });
  for (const entry of field)
    await expect(page.getByText(entry.player.name, { exact: true }).filter({ visible: true }).first()).toBeVisible({ timeout: 10_000 });

  const draft = (await f.openEvent({ status: "draft" }))!;
  const response = await page.goto(`/events/${draft.id}/bracket`);
  expect(response?.status()).toBe(404);
});

test("a double-elimination final with a bracket reset: the reset is played only after the lower finalist wins, and the spectator sees it live", async ({
  page,
  database,
}) => {
  const db = database.db;
  const f = await bracketFixtures(db);
  const event = (await f.openEvent({ format: "double_elimination", name: `Reset Cup ${crypto.randomUUID().slice(0, 6)}` }))!;
  const field = await f.soloEntries(event.id, 4);
  const { bracketId } = await startBracket(db, f.organizer, event.id, {
    seeding: "registration",
    settings: { thirdPlace: false, grandFinal: "reset", groups: 1, meetings: 1 },
    reportMinutes: 30,
  });
  const nameOf = new Map(field.map((entry) => [entry.registrationId, entry.player.name]));
  const decide = async (matchId: string, winner: 0 | 1) => {
    const row = (await rowsOf(db, bracketId)).get(matchId)!;
    await setMatchResult(db, f.organizer, { matchId: row.uuid, outcome: { type: "played", winner } });
    return nameOf.get(row.sides[winner].entrant!)!;
  };

  await page.goto(`/events/${event.id}/bracket`);
  await expect(page.locator("[data-live]")).toHaveAttribute("data-live", "live");
  for (const id of ["U-R1-M1", "U-R1-M2", "U-R2-M1", "L-R1-M1", "L-R2-M1"]) await decide(id, 0);
  const rows = await rowsOf(db, bracketId);
  const grandFinal = rows.get("GF-1")!;
  const upperChampion = nameOf.get(grandFinal.sides[0].entrant!)!;
  const lowerChampion = nameOf.get(grandFinal.sides[1].entrant!)!;
  const reset = page.getByRole("link", { name: /Grand final reset:/ });

  // Until GF-1 is decided the reset waits.
  await expect(page.getByRole("link", { name: /Grand final: ready to play/ })).toBeVisible({ timeout: 10_000 });
  await expect(reset).toHaveAccessibleName(/waiting for players/);

  // The lower-bracket finalist wins GF-1: the reset is played, between the same two players.
  expect(await decide("GF-1", 1)).toBe(lowerChampion);
  await expect(page.getByRole("link", { name: new RegExp(`Grand final: won by ${lowerChampion}`) })).toBeVisible({ timeout: 10_000 });
  await expect(reset).toHaveAccessibleName(/ready to play/);
  await expect(reset).toContainText(upperChampion);
  await expect(reset).toContainText(lowerChampion);

  // The upper champion wins the reset and the tournament.
  expect(await decide("GF-2", 0)).toBe(upperChampion);
  await expect(reset).toHaveAccessibleName(new RegExp(`won by ${upperChampion}`), { timeout: 10_000 });
  await expect(page.getByText(/Final standings/i).first()).toBeVisible();
});

test("on a phone the bracket page opens on the signed-in player's own match; a visitor's stays at the top", async ({
  database,
  sessionPage,
  guestPage,
}) => {
  const db = database.db;
  const f = await bracketFixtures(db);
  const event = (await f.openEvent({ format: "single_elimination", name: `Big Cup ${crypto.randomUUID().slice(0, 6)}` }))!;
  const field = await f.soloEntries(event.id, 32);
  const { bracketId } = await startBracket(db, f.organizer, event.id, {
    seeding: "registration",
    settings: { thirdPlace: false, grandFinal: "reset", groups: 1, meetings: 1 },
    reportMinutes: 30,
  });
  // The last first-round match: far below the top of the page on a phone.
  const last = (await rowsOf(db, bracketId)).get("U-R1-M16")!;
  const player = field.find((entry) => entry.registrationId === last.sides[1].entrant)!.player;
  const card = (page: Page) => page.locator(`a[href="/matches/${last.uuid}"]`).first();

  const visitor = await guestPage();
  await visitor.setViewportSize({ width: 390, height: 844 });
  await visitor.goto(`/events/${event.id}/bracket`);
  await expect(card(visitor)).toBeAttached();
  await expect(card(visitor)).not.toBeInViewport();

  const mine = await sessionPage(player, { authenticatedAt: new Date() });
  await mine.setViewportSize({ width: 390, height: 844 });
  await mine.goto(`/events/${event.id}/bracket`);
  await expect(card(mine)).toBeInViewport();
});
