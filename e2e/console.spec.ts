import { bracketFixtures } from "@/server/brackets/testing";
import { expect, signIn, test } from "./fixtures";
import { screenshots } from "./screenshots";

test("the organizer seeds by hand, starts the bracket, calls a match and announces", async ({ page, database }) => {
  const f = await bracketFixtures(database.db);
  const event = (await f.openEvent({ format: "single_elimination", name: `Console Cup ${crypto.randomUUID().slice(0, 6)}` }))!;
  const field = await f.soloEntries(event.id, 4);
  const names = field.map((entry) => entry.player.name);

  await signIn(page, f.organizer.email);
  await page.goto(`/organizer/events/${event.id}`);
  await page.getByRole("link", { name: "Bracket console" }).click();
  await expect(page).toHaveURL(new RegExp(`/organizer/events/${event.id}/bracket$`));

  const seeds = page.getByRole("list", { name: "Seeds" }).getByRole("listitem");
  await expect(seeds).toHaveCount(4);
  await expect(seeds.first()).toContainText(names[0]!);

  await page.getByLabel("Seeding").selectOption("manual");
  await page.getByRole("button", { name: `Move ${names[1]} up` }).click();
  await expect(seeds.first()).toContainText(names[1]!);
  await expect(seeds.nth(1)).toContainText(names[0]!);
  await screenshots(page, "console-prestart");

  await page.getByRole("button", { name: "Start bracket" }).click();
  await page.getByRole("button", { name: "Yes, start the bracket" }).click();

  await expect(page.getByRole("tab", { name: "Ready (2)" })).toBeVisible();
  const ready = page.getByRole("tabpanel", { name: "Ready matches" }).getByRole("listitem");
  await expect(ready).toHaveCount(2);
  // Manual seed 1 (names[1]) meets seed 4 (names[3]).
  const top = ready.filter({ has: page.getByText(names[1]!, { exact: true }) });
  await expect(top).toHaveAccessibleName(new RegExp(`${names[1]} vs ${names[3]}`));

  // Calling sets a report deadline, so the row may move within the list: follow it by name.
  await top.getByRole("button", { name: "Call match" }).click();
  await expect(top.getByText(/^Called /)).toBeVisible();
  await expect(top.getByRole("link", { name: "Open match" })).toHaveAttribute("href", /^\/matches\/[0-9a-f-]{36}$/);

  await page.getByLabel("Message").fill("Round 1 starts now — join your lobbies.");
  await page.getByRole("button", { name: "Send announcement" }).click();
  await expect(page.getByText("Announcement sent to all participants.")).toBeVisible();
  await expect(page.getByLabel("Message")).toHaveValue("");
  await screenshots(page, "console-running");
});

test("the console explains a field too small, shows the random seed, and undoes a disqualification", async ({ page, database }) => {
  const f = await bracketFixtures(database.db);
  const lonely = (await f.openEvent({ format: "double_elimination" }))!;
  await f.soloEntries(lonely.id, 1);
  const event = (await f.openEvent({ format: "single_elimination" }))!;
  const field = await f.soloEntries(event.id, 3);

  await signIn(page, f.organizer.email);
  await page.goto(`/organizer/events/${lonely.id}/bracket`);
  await expect(page.getByText(/^At least two checked-in entries are needed to start the bracket; only one has checked in\./)).toBeVisible();
  await expect(page.getByRole("button", { name: "Start bracket" })).toBeDisabled();
  await expect(page.getByLabel("Grand final")).toHaveValue("reset");

  await page.goto(`/organizer/events/${event.id}/bracket`);
  await page.getByLabel("Seeding").selectOption("random");
  await expect(page.getByLabel("Random seed")).not.toHaveValue("");
  await page.getByLabel("Random seed").fill("driftwood");
  await expect(page.getByRole("list", { name: "Seeds" }).getByRole("listitem")).toHaveCount(3);
  await page.getByRole("button", { name: "Start bracket" }).click();
  await page.getByRole("button", { name: "Yes, start the bracket" }).click();
  await expect(page.getByRole("tab", { name: /^Ready/ })).toBeVisible();

  const names = field.map((entry) => entry.player.name);
  await page.getByLabel("Entrant", { exact: true }).selectOption({ index: 1 });
  await page.getByRole("button", { name: "Disqualify", exact: true }).click();
  await page.getByRole("button", { name: /^Yes, disqualify / }).click();
  await expect(page.getByText(new RegExp(`^(${names.join("|")}) was disqualified\\.$`))).toBeVisible();
  await page.getByRole("button", { name: "Undo: disqualified an entrant" }).click();
  await page.getByRole("button", { name: "Yes, undo" }).click();
  await expect(page.getByText("The last action was undone.")).toBeVisible();
  await expect(page.getByText("Nothing to undo.")).toBeVisible();
});
