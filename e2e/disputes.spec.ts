import { reportGame, startBracket } from "@/server/brackets/service";
import { bracketFixtures, reporterOf, rowsOf } from "@/server/brackets/testing";
import { expect, signIn, test } from "./fixtures";

test("the organizer's dispute queue lists a disputed game and leads to its match page", async ({ page, database }) => {
  const db = database.db;
  const f = await bracketFixtures(db);
  const event = (await f.openEvent({ format: "single_elimination", name: `Dispute Cup ${crypto.randomUUID().slice(0, 6)}` }))!;
  await f.soloEntries(event.id, 4);
  const { bracketId } = await startBracket(db, f.organizer, event.id, {
    seeding: "registration",
    settings: { thirdPlace: false, grandFinal: "reset", groups: 1, meetings: 1 },
    reportMinutes: 30,
  });
  const match = (await rowsOf(db, bracketId)).get("U-R1-M1")!;
  const [a, b] = [await reporterOf(db, bracketId, match.sides[0].entrant!), await reporterOf(db, bracketId, match.sides[1].entrant!)];
  await reportGame(db, a, { matchId: match.uuid, gameNumber: 1, winnerSide: 0 });
  await reportGame(db, b, { matchId: match.uuid, gameNumber: 1, winnerSide: 1 });

  await signIn(page, f.organizer.email);
  await page.goto("/organizer");
  await page.getByRole("link", { name: "Disputes" }).click();
  const item = page.getByRole("listitem").filter({ hasText: event.name });
  await expect(item).toContainText(`${a.name} vs ${b.name} · game 1`);
  await expect(item).toContainText("The reports disagree");
  await item.getByRole("link", { name: "Decide" }).click();
  await expect(page).toHaveURL(new RegExp(`/matches/${match.uuid}$`));
  await expect(page.getByText("Disputed — the organizer will decide.").first()).toBeVisible();
});
