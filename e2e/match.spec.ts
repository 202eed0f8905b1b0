import path from "node:path";
import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { screenshots } from "./screenshots";
import { openMatch, startedSemifinal } from "./match-helpers";

/** A small, valid PNG (48×32) for the evidence upload. */
const SCOREBOARD_PNG = path.join(__dirname, "fixtures", "scoreboard.png");

async function report(page: Page, winnerName: string) {
  const question = page.getByRole("group", { name: "Who won game 1?" });
  await question.getByRole("button", { name: winnerName }).click();
}

test("both players report the same winner: confirmed for both, and a spectator sees it live", async ({
  database,
  makeUser,
  makeEvent,
  signedInPage,
  guestPage,
}) => {
  const { organizer, matchId, first, second } = await startedSemifinal(database.db, makeUser, makeEvent);
  const [a, b, spectator] = await Promise.all([signedInPage(first), signedInPage(second), guestPage()]);
  await Promise.all([openMatch(a, matchId), openMatch(b, matchId), openMatch(spectator, matchId)]);

  await expect(a.getByText(/Report by .* left/)).toBeVisible();
  await expect(spectator.getByRole("group", { name: "Who won game 1?" })).toHaveCount(0);

  await report(a, first.name);
  await expect(a.getByText(`You reported ${first.name} won game 1; waiting for the other side.`)).toBeVisible();
  // The other side sees the report without a refresh.
  await expect(b.getByText(`They reported ${first.name} won game 1.`)).toBeVisible();
  await screenshots(b, "match-reporting");

  await report(b, first.name);
  for (const page of [a, b, spectator]) {
    await expect(page.getByText(`${first.name} won the match 1–0`)).toBeVisible();
    await expect(page.getByText("Completed", { exact: true })).toBeVisible();
  }
  await expect(a.getByText(`Match confirmed: ${first.name} won.`)).toBeVisible();
  await expect(spectator.getByRole("list", { name: `Games of ${first.name}` }).getByText("Game 1: won")).toBeAttached();
  await expect(spectator.getByRole("list", { name: "Audit trail" })).toContainText("both sides agree, confirmed");
  await screenshots(spectator, "match-confirmed-spectator");

  // The organizer changes the result: the preview names the later match it resets, with its players.
  const o = await signedInPage(organizer);
  await openMatch(o, matchId);
  await o.getByRole("button", { name: "Change result…" }).click();
  const change = o.getByRole("form", { name: "Change result" });
  await change.getByLabel("New result").selectOption({ label: `${second.name} wins` });
  await change.getByRole("button", { name: "Preview the change" }).click();
  const reset = change.getByRole("list", { name: "Matches that would be reset" });
  await expect(reset).toContainText(/Match \d+ · Final/);
  await expect(reset).toContainText(first.name);
  await screenshots(o, "match-correction-preview");
  await change.getByRole("button", { name: "Apply the change" }).click();
  for (const page of [o, spectator, a]) await expect(page.getByText(new RegExp(`${second.name} won the match`))).toBeVisible();
});

test("players disagree, one disputes with an image, the organizer resolves it; both see the result live", async ({
  database,
  makeUser,
  makeEvent,
  signedInPage,
}) => {
  const { organizer, matchId, first, second } = await startedSemifinal(database.db, makeUser, makeEvent);
  const [a, b] = await Promise.all([signedInPage(first), signedInPage(second)]);
  await Promise.all([openMatch(a, matchId), openMatch(b, matchId)]);

  await report(a, first.name);
  await expect(b.getByText(`They reported ${first.name} won game 1.`)).toBeVisible();
  await report(b, second.name);
  for (const page of [a, b]) await expect(page.getByText("Disputed — the organizer will decide.", { exact: false }).first()).toBeVisible();

  // The second player disputes with a screenshot. A file of the wrong type is refused in the browser first.
  await b.getByRole("button", { name: "Dispute this game" }).click();
  const form = b.getByRole("form", { name: "Dispute this game" });
  await form.getByLabel("Reason").selectOption("wrong_winner");
  await form.getByLabel("What happened?").fill("I won 3-1, the scoreboard screenshot shows it clearly.");
  await form.getByLabel("Evidence (optional)").setInputFiles({ name: "notes.txt", mimeType: "text/plain", buffer: Buffer.from("hello") });
  await expect(form.getByText("That file is not a PNG, JPEG, WebP, MP4 or WebM image or video.")).toBeVisible();
  await form.getByRole("button", { name: "Remove notes.txt" }).click();
  await form.getByLabel("Evidence (optional)").setInputFiles(SCOREBOARD_PNG);
  await expect(form.getByText(/uploaded$/)).toBeVisible();
  await form.getByRole("button", { name: "Dispute game 1" }).click();
  await expect(form).toHaveCount(0);

  // Both players see the statement with the image, live.
  for (const page of [a, b]) {
    const dispute = page.getByRole("article", { name: "Dispute on game 1" });
    await expect(dispute.getByText("I won 3-1, the scoreboard screenshot shows it clearly.")).toBeVisible();
    await expect(dispute.getByRole("img", { name: "Evidence scoreboard.png" })).toBeVisible();
  }

  // The organizer opens the match and sees the dispute with the image.
  const o = await signedInPage(organizer);
  await openMatch(o, matchId);
  const dispute = o.getByRole("article", { name: "Dispute on game 1" });
  const image = dispute.getByRole("img", { name: "Evidence scoreboard.png" });
  await expect(image).toBeVisible();
  await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(48);
  await expect(o.getByRole("heading", { name: "Organizer tools" })).toBeVisible();
  await screenshots(o, "match-dispute-organizer");

  await dispute.getByRole("radio", { name: first.name }).check();
  await dispute.getByLabel("Explanation for both sides").fill("The replay shows the first side winning the deciding round.");
  await dispute.getByRole("button", { name: "Resolve dispute" }).click();
  await expect(o.getByText(`${first.name} won the match 1–0`)).toBeVisible();

  for (const page of [a, b]) {
    await expect(page.getByText(`${first.name} won the match 1–0`)).toBeVisible();
    await expect(page.getByText(`Resolved: ${first.name} won game 1.`)).toBeVisible();
    await expect(page.getByText("The replay shows the first side winning the deciding round.")).toBeVisible();
  }
  await expect(a.getByRole("list", { name: "Audit trail" })).toContainText(`Resolved the dispute on game 1: ${first.name} won`);
  await screenshots(a, "match-resolved-player");
});
