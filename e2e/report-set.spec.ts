import { rowsOf } from "@/server/brackets/testing";
import { expect, test } from "./fixtures";
import { openMatch, startedSemifinal } from "./match-helpers";

test("one side reports a 2–1 set at once, the other confirms it, and the winner advances", async ({
  database,
  makeUser,
  makeEvent,
  signedInPage,
}) => {
  const db = database.db;
  const { bracketId, semifinal, first, second } = await startedSemifinal(db, makeUser, makeEvent, { bestOf: 3 });
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
