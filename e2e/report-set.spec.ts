import type { Page } from "@playwright/test";
import type { SessionUser } from "@/server/accounts/roles";
import { startBracket } from "@/server/brackets/start";
import { rowsOf } from "@/server/brackets/testing";
import { addParticipant, checkIn } from "@/server/registration/service";
import { expect, test } from "./fixtures";

const unique = (base: string) => `${base} ${crypto.randomUUID().slice(0, 6)}`;

async function openMatch(page: Page, matchId: string) {
  await page.goto(`/matches/${matchId}`);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expect(page.locator("[data-live]").first()).toHaveAttribute("data-live", "live");
}

test("one side reports a 2–1 set at once, the other confirms it, and the winner advances", async ({
  database,
  makeUser,
  makeEvent,
  signedInPage,
}) => {
  const db = database.db;
  const organizer = await makeUser({ role: "organizer", name: unique("Organizer") });
  const now = Date.now();
  const event = await makeEvent(organizer.id, {
    entryFee: 0,
    capacity: 8,
    registrationOpensAt: new Date(now - 10 * 3_600_000),
    registrationClosesAt: new Date(now - 3 * 3_600_000),
    checkInOpensAt: new Date(now - 3 * 3_600_000),
    checkInClosesAt: new Date(now + 3_600_000),
    startsAt: new Date(now + 3_600_000),
  });
  const byEntry = new Map<string, SessionUser>();
  for (const name of ["Ada", "Bo", "Cy", "Di"]) {
    const player = await makeUser({ name: unique(name) });
    const entry = await addParticipant(db, organizer, { eventId: event.id, email: player.email });
    await checkIn(db, player, entry.id);
    byEntry.set(entry.id, player);
  }
  const { bracketId } = await startBracket(db, organizer, event.id, {
    seeding: "registration",
    settings: { thirdPlace: false, grandFinal: "reset", groups: 1, meetings: 1, bestOf: 3 },
    reportMinutes: 30,
  });
  const semifinal = (await rowsOf(db, bracketId)).get("U-R1-M1")!;
  const [first, second] = [byEntry.get(semifinal.sides[0].entrant!)!, byEntry.get(semifinal.sides[1].entrant!)!];
  const [a, b] = await Promise.all([signedInPage(first), signedInPage(second)]);
  await Promise.all([openMatch(a, semifinal.uuid), openMatch(b, semifinal.uuid)]);

  await a.getByText("Report the whole set at once").click();
  for (const [game, winner] of [first, second, first].entries()) {
    await a
      .getByRole("group", { name: `Winner of game ${game + 1}` })
      .getByRole("radio", { name: winner.name })
      .check();
  }
  await expect(a.getByText(`Series: ${first.name} 2–1 ${second.name}.`)).toBeVisible();
  await a.getByRole("button", { name: "Report set" }).click();
  await expect(a.getByText("You reported the whole set (2–1); waiting for the other side to confirm it.")).toBeVisible();

  // The other side sees the whole set live, with Confirm and Dispute.
  const theirs = b.getByRole("region", { name: "The other side reported the set" });
  await expect(theirs).toContainText(`${first.name} 2–1 ${second.name}`);
  await expect(theirs.getByRole("button", { name: "Dispute" })).toBeVisible();
  await theirs.getByRole("button", { name: "Confirm" }).click();

  for (const page of [a, b]) await expect(page.getByText(`Match confirmed: ${first.name} won.`)).toBeVisible();
  // The bracket advances: the winner is in the final.
  const final = (await rowsOf(db, bracketId)).get("U-R2-M1")!;
  expect(final.sides[0].entrant).toBe(semifinal.sides[0].entrant);
  await a.goto(`/matches/${final.uuid}`);
  await expect(a.getByRole("heading", { level: 1 })).toBeVisible();
  await expect(a.getByRole("main")).toContainText(first.name);
});
