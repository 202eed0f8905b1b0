import { confirmSet, reportSet } from "@/server/brackets/set-reports";
import { paymentGateway } from "@/server/payments/provider";
import { checkout } from "@/server/registration/service";
import { expect, test } from "./fixtures";
import { startedSemifinal, uniqueName } from "./match-helpers";
import { screenshots } from "./screenshots";

const PHONE = { width: 390, height: 844 };

test("a player's match day on a phone: a match with a countdown, an entry to pay for, and a result moving the list live", async ({
  database,
  makeUser,
  makeEvent,
  signedInPage,
}) => {
  const db = database.db;
  const {
    organizer,
    event,
    semifinal,
    first: me,
    second: rival,
  } = await startedSemifinal(db, makeUser, makeEvent, {
    eventName: uniqueName("Semis Cup"),
  });
  // A paid event in which my card payment is still pending.
  const paid = await makeEvent(organizer.id, { name: uniqueName("Paid Open"), entryFee: 1500 });
  const pending = await checkout(db, await paymentGateway(db), me, {
    eventId: paid.id,
    idempotencyKey: crypto.randomUUID(),
    walletAmount: 0,
  });
  expect(pending.status).toBe("pending_payment");

  const page = await signedInPage(me);
  await page.setViewportSize(PHONE);
  await page.goto("/matches");
  await expect(page.getByRole("heading", { name: "My matches", level: 1 })).toBeVisible();

  const inEvent = page.getByRole("article", { name: new RegExp(`in ${event.name}$`) });
  const card = inEvent.filter({ hasText: rival.name });
  await expect(card).toContainText(rival.name);
  await expect(card).toContainText("Ready");
  await expect(card.getByRole("timer")).toHaveAccessibleName(/^Report in \d+ minutes?/);
  const entry = page.getByRole("listitem").filter({ hasText: paid.name });
  await expect(entry).toContainText("Payment of");
  await expect(entry.getByRole("link", { name: "Finish payment" })).toHaveAttribute("href", /^\/wallet\/pay\//);
  await screenshots(page, "my-matches", { viewports: ["phone"] });

  await card.getByRole("link", { name: /^Report / }).click();
  await expect(page).toHaveURL(`/matches/${semifinal.uuid}`);
  await expect(page.getByRole("heading", { name: "Report", level: 2 })).toBeVisible();
  await page.goBack();
  await expect(card).toContainText("Ready");
  // Changes are heard from the moment the page follows its topics (the player's and each listed bracket's).
  await expect(page.locator("[data-live]")).not.toHaveCount(0);
  await expect(page.locator('[data-live]:not([data-live="live"])')).toHaveCount(0);

  // The result is reported and confirmed elsewhere: the semifinal leaves the list and the final arrives, without a reload.
  await reportSet(db, me, { matchId: semifinal.uuid, winners: [0] });
  await expect(card).toContainText("Awaiting confirmation");
  await confirmSet(db, rival, { matchId: semifinal.uuid, winners: [0] });
  await expect(card).toHaveCount(0);
  await expect(inEvent).toContainText("Waiting for opponent");
});
