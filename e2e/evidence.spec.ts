import { readFileSync } from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import { reportGame } from "@/server/brackets/service";
import { expect, test } from "./fixtures";
import { startedSemifinal } from "./match-helpers";

const SCOREBOARD_PNG = path.join(__dirname, "fixtures", "scoreboard.png");

test("a statement waits for its evidence: a failed upload is named, nothing is posted, and after a retry both files go out with it", async ({
  database,
  makeUser,
  makeEvent,
  signedInPage,
}) => {
  const db = database.db;
  const { semifinal: match, first: a, second: b } = await startedSemifinal(db, makeUser, makeEvent);
  // The reports disagree: the game is disputed.
  await reportGame(db, a, { matchId: match.uuid, gameNumber: 1, winnerSide: 0 });
  await reportGame(db, b, { matchId: match.uuid, gameNumber: 1, winnerSide: 1 });

  const player = await signedInPage(b);
  // The second file's upload drops its connection; the first goes through.
  let dropReplay = true;
  await player.route("**/api/evidence", (route) =>
    dropReplay && route.request().headers()["x-file-name"] === "replay.png" ? route.abort("connectionreset") : route.continue(),
  );
  await player.goto(`/matches/${match.uuid}`);
  const form = player.getByRole("form", { name: "Add a statement" });
  const statement = "The scoreboard and the replay both show I won.";
  await form.getByLabel("Your statement").fill(statement);
  await form
    .getByLabel("Evidence (optional)")
    .setInputFiles(["scoreboard.png", "replay.png"].map((name) => ({ name, mimeType: "image/png", buffer: readFileSync(SCOREBOARD_PNG) })));

  await expect(form.getByText("replay.png did not upload (the connection failed).")).toBeVisible();
  const submit = form.getByRole("button", { name: "Waiting on replay.png (retry or remove it)" });
  await submit.click();
  await expect(form.getByRole("alert")).toContainText("Nothing was posted");
  // The text is kept, the good file stays uploaded, and nothing reached the dispute.
  await expect(form.getByLabel("Your statement")).toHaveValue(statement);
  const files = form.getByRole("list", { name: "Evidence files" }).getByRole("listitem");
  await expect(files.filter({ hasText: "scoreboard.png" })).toContainText("uploaded");
  const posted = async () =>
    Number((await db.execute<{ n: number }>(sql`select count(*)::int as n from dispute_statements where body = ${statement}`))[0]!.n);
  expect(await posted()).toBe(0);

  // The connection is back: retry, and the statement goes out with both files.
  dropReplay = false;
  await form.getByRole("button", { name: "Retry replay.png" }).click();
  await expect(files.filter({ hasText: "uploaded" })).toHaveCount(2);
  await form.getByRole("button", { name: "Add statement" }).click();
  const dispute = player.getByRole("article", { name: "Dispute on game 1" });
  await expect(dispute.getByText(statement)).toBeVisible();
  await expect(dispute.getByRole("img", { name: "Evidence scoreboard.png" })).toBeVisible();
  await expect(dispute.getByRole("img", { name: "Evidence replay.png" })).toBeVisible();
  expect(await posted()).toBe(1);
});
