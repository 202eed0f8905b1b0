import type { Db } from "@/db/client";
import type { SessionUser } from "@/server/accounts/roles";
import { confirmSet, reportSet } from "@/server/brackets/set-reports";
import { startBracket } from "@/server/brackets/start";
import { rowsOf } from "@/server/brackets/testing";
import { paymentGateway } from "@/server/payments/provider";
import { addParticipant, checkIn, checkout } from "@/server/registration/service";
import { expect, test } from "./fixtures";
import { screenshots } from "./screenshots";

const PHONE = { width: 390, height: 844 };
const unique = (base: string) => `${base} ${crypto.randomUUID().slice(0, 6)}`;

/** A started single elimination of four (best of 1); the first semifinal and its players. */
async function startedEvent(
  db: Db,
  organizer: SessionUser,
  players: SessionUser[],
  makeEvent: (organizerId: string, overrides?: Record<string, unknown>) => Promise<{ id: string; name: string }>,
) {
  const now = Date.now();
  const event = await makeEvent(organizer.id, {
    name: unique("Semis Cup"),
    entryFee: 0,
    capacity: 8,
    registrationOpensAt: new Date(now - 10 * 3_600_000),
    registrationClosesAt: new Date(now - 3 * 3_600_000),
    checkInOpensAt: new Date(now - 3 * 3_600_000),
    checkInClosesAt: new Date(now + 3_600_000),
    startsAt: new Date(now + 3_600_000),
  });
  const byEntry = new Map<string, SessionUser>();
  for (const player of players) {
    const entry = await addParticipant(db, organizer, { eventId: event.id, email: player.email });
    await checkIn(db, player, entry.id);
    byEntry.set(entry.id, player);
  }
  const { bracketId } = await startBracket(db, organizer, event.id, {
    seeding: "registration",
    settings: { thirdPlace: false, grandFinal: "reset", groups: 1, meetings: 1 },
    reportMinutes: 30,
  });
  const semifinal = (await rowsOf(db, bracketId)).get("U-R1-M1")!;
  return { event, semifinal, sides: [byEntry.get(semifinal.sides[0].entrant!)!, byEntry.get(semifinal.sides[1].entrant!)!] as const };
}

test("a player's match day on a phone: a match with a countdown, an entry to pay for, and a result moving the list live", async ({
  database,
  makeUser,
  makeEvent,
  signedInPage,
}) => {
  const db = database.db;
  const organizer = await makeUser({ role: "organizer", name: unique("Organizer") });
  const players = [];
  for (const name of ["Ada", "Bo", "Cy", "Di"]) players.push(await makeUser({ name: unique(name) }));
  const { event, semifinal, sides } = await startedEvent(db, organizer, players, makeEvent);
  const [me, rival] = sides;
  // A paid event in which my card payment is still pending.
  const paid = await makeEvent(organizer.id, { name: unique("Paid Open"), entryFee: 1500 });
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

  // The result is reported and confirmed elsewhere: the semifinal leaves the list and the final arrives, without a reload.
  await reportSet(db, me, { matchId: semifinal.uuid, winners: [0] });
  await expect(card).toContainText("Awaiting confirmation");
  await confirmSet(db, rival, { matchId: semifinal.uuid, winners: [0] });
  await expect(card).toHaveCount(0);
  await expect(inEvent).toContainText("Waiting for opponent");
});
