// Views that show changing state follow their live topics: in each test one browser context acts
// (or a service acts, where the UI path is tested elsewhere) and another watches without a reload.
import type { Page } from "@playwright/test";
import type { SessionUser } from "@/server/accounts/roles";
import { eq } from "drizzle-orm";
import { events } from "@/db/schema";
import { startBracket } from "@/server/brackets/service";
import { bracketFixtures, reporterOf, rowsOf } from "@/server/brackets/testing";
import { addParticipant, checkIn } from "@/server/registration/service";
import { createCaller } from "@/server/root";
import { createTeam } from "@/server/teams/service";
import { createInnerContext } from "@/server/trpc";
import { expect, test } from "./fixtures";

/** A page signed in as `user` by a minted session cookie: no sign-in form, so the test stays lean. */
function pageAs(sessionPage: (user: SessionUser, options: { authenticatedAt: Date }) => Promise<Page>) {
  return async (user: SessionUser) => sessionPage(user, { authenticatedAt: new Date() });
}

/** The view's live connection is open, so a change made now is heard. */
async function expectLive(page: Page) {
  await expect(page.locator("[data-live]").first()).toHaveAttribute("data-live", "live");
}

async function fillCard(page: Page, number: string) {
  await page.getByLabel("Card number").fill(number);
  await page.getByLabel("Expiry (MM/YY)").fill("12/34");
  await page.getByLabel("CVC").fill("123");
  await page.getByLabel("Name on card").fill("Test Player");
}

test("the organizer's dashboard follows registrations, a card payment, the waitlist and check-in without a reload", async ({
  makeUser,
  makeEvent,
  sessionPage,
  database,
}) => {
  test.setTimeout(90_000); // a card payment lands through the gateway's webhook
  const organizer = await makeUser({ role: "organizer" });
  const [added, payer, waiting] = [await makeUser(), await makeUser(), await makeUser()];
  const event = (await makeEvent(organizer.id, { capacity: 2, entryFee: 1_500 }))!;

  const dashboard = await pageAs(sessionPage)(organizer);
  await dashboard.goto(`/organizer/events/${event.id}`);
  const counter = dashboard.getByTestId("seat-counter");
  await expect(counter).toHaveText("Confirmed 0 / 2 · 0 paying · 0 on the waitlist");
  await expectLive(dashboard);

  // A registration appears (added here by the organizer's service, tested elsewhere).
  await addParticipant(database.db, organizer, { eventId: event.id, email: added.email });
  await expect(counter).toHaveText("Confirmed 1 / 2 · 0 paying · 0 on the waitlist");
  await expect(dashboard.getByRole("row").filter({ hasText: added.name })).toContainText("Confirmed");

  // A player starts paying by card: the seat is held while they pay.
  const player = await pageAs(sessionPage)(payer);
  await player.goto(`/events/${event.id}`);
  await player.getByRole("button", { name: "Continue to card payment" }).click();
  await expect(player).toHaveURL(/\/wallet\/pay\//);
  await expect(counter).toHaveText("Confirmed 1 / 2 · 1 paying · 0 on the waitlist");
  await expect(dashboard.getByRole("row").filter({ hasText: payer.name })).toContainText("Paying");

  // The card is paid: the entry is confirmed on the dashboard once the payment lands.
  await fillCard(player, "4242 4242 4242 4242");
  await player.getByRole("button", { name: "Pay $15.00" }).click();
  await expect(counter).toHaveText("Confirmed 2 / 2 · 0 paying · 0 on the waitlist", { timeout: 20_000 });
  await expect(dashboard.getByRole("row").filter({ hasText: payer.name })).toContainText("Confirmed");

  // Another player finds the event full and joins the waitlist.
  const other = await pageAs(sessionPage)(waiting);
  await other.goto(`/events/${event.id}`);
  await other.getByRole("button", { name: "Continue to card payment" }).click();
  await expect(other.getByText("The event is full: you are on the waitlist. Nothing was charged.")).toBeVisible();
  await expect(counter).toHaveText("Confirmed 2 / 2 · 0 paying · 1 on the waitlist");
  await expect(dashboard.getByRole("region", { name: /^Waitlist/ })).toContainText(waiting.name);

  // Check-in opens and the player checks in (the check-in button is tested on the event page below).
  await database.db
    .update(events)
    .set({ checkInOpensAt: new Date(Date.now() - 60_000) })
    .where(eq(events.id, event.id));
  const [entry] = await database.sql<{ id: string }[]>`select id from registrations where event_id = ${event.id} and user_id = ${payer.id}`;
  await checkIn(database.db, payer, entry!.id);
  await expect(dashboard.locator("dl > div").filter({ hasText: "Checked in" })).toContainText("1 / 2");
});

test("check-ins show on the public event page without a reload", async ({ makeUser, makeEvent, sessionPage, guestPage, database }) => {
  const organizer = await makeUser({ role: "organizer" });
  const player = await makeUser();
  const event = (await makeEvent(organizer.id, { capacity: 8, entryFee: 0, checkInOpensAt: new Date(Date.now() - 60_000) }))!;
  await addParticipant(database.db, organizer, { eventId: event.id, email: player.email });

  const spectator = await guestPage();
  await spectator.goto(`/events/${event.id}`);
  const participants = spectator.getByRole("region", { name: /Participants/ });
  await expect(participants).toContainText("0 of 1 checked in");
  await expectLive(spectator);

  const playerPage = await pageAs(sessionPage)(player);
  await playerPage.goto(`/events/${event.id}`);
  await playerPage.getByRole("button", { name: "Check in" }).click();
  await expect(playerPage.getByText(/You are checked in\./)).toBeVisible();
  await expect(participants).toContainText("1 of 1 checked in");
});

test("the organizer's dispute queue shows a new dispute and drops a resolved one without a reload", async ({ sessionPage, database }) => {
  const db = database.db;
  const f = await bracketFixtures(db);
  const event = (await f.openEvent({ format: "single_elimination", name: `Live Dispute Cup ${crypto.randomUUID().slice(0, 6)}` }))!;
  await f.soloEntries(event.id, 4);
  const { bracketId } = await startBracket(db, f.organizer, event.id, {
    seeding: "registration",
    settings: { thirdPlace: false, grandFinal: "reset", groups: 1, meetings: 1 },
    reportMinutes: 30,
  });
  const match = (await rowsOf(db, bracketId)).get("U-R1-M1")!;
  const [a, b] = [await reporterOf(db, bracketId, match.sides[0].entrant!), await reporterOf(db, bracketId, match.sides[1].entrant!)];

  const queue = await pageAs(sessionPage)(f.organizer);
  await queue.goto("/organizer/disputes");
  await expect(queue.getByText("No open disputes")).toBeVisible();
  await expectLive(queue);

  // A player raises a dispute (the form is tested on the match page): it appears in the queue.
  const as = (user: typeof a) => createCaller(createInnerContext({ db, user }));
  const { disputeId } = await as(a).disputes.raise({
    matchId: match.uuid,
    gameNumber: 1,
    reason: "wrong_winner",
    description: "They reported the wrong winner.",
    evidenceIds: [],
  });
  const item = queue.getByRole("listitem").filter({ hasText: event.name });
  await expect(item).toContainText(`${a.name} vs ${b.name} · game 1`);

  // The organizer decides it (from the match page, in another tab): it leaves the open queue.
  await as(f.organizer).disputes.resolve({ disputeId, winnerSide: 0, explanation: "The replay shows side 1 won." });
  await expect(item).toHaveCount(0);
  await expect(queue.getByText("No open disputes")).toBeVisible();
});

test("a team invite reaches the invitee, and their answer reaches the captain's team page, without a reload", async ({
  makeUser,
  sessionPage,
  database,
}) => {
  const captain = await makeUser();
  const invitee = await makeUser();
  const team = await createTeam(database.db, captain, { name: `Live ${crypto.randomUUID().slice(0, 6)}`, tag: "LIVE" });

  const teamPage = await pageAs(sessionPage)(captain);
  await teamPage.goto(`/teams/${team.id}`);
  await expectLive(teamPage);
  const inbox = await pageAs(sessionPage)(invitee);
  await inbox.goto("/teams");
  await expect(inbox.getByText("You're not on a team yet")).toBeVisible();
  await expectLive(inbox);

  await teamPage.getByLabel("Display name or game handle").fill(invitee.name);
  await teamPage.getByRole("button", { name: "Send invite" }).click();
  await expect(teamPage.getByRole("region", { name: "Pending invites" })).toContainText(invitee.name);
  await expect(inbox.getByRole("heading", { name: /Invites/ })).toBeVisible();

  await inbox.getByRole("button", { name: "Accept" }).click();
  await expect(teamPage.getByTestId("team-member").filter({ hasText: invitee.name })).toBeVisible();
  await expect(teamPage.getByRole("region", { name: "Pending invites" })).toContainText("No invites waiting for an answer.");
});
