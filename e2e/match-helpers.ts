/** Matches for the specs: a started bracket through the services, and a match page opened live. */
import type { Page } from "@playwright/test";
import type { Db } from "@/db/client";
import type { SessionUser } from "@/server/accounts/roles";
import { startBracket } from "@/server/brackets/start";
import { rowsOf } from "@/server/brackets/testing";
import { addParticipant, checkIn } from "@/server/registration/service";
import { expect } from "./fixtures";

type MakeUser = (options?: { role?: "organizer"; name?: string }) => Promise<SessionUser>;
type MakeEvent = (organizerId: string, overrides?: Record<string, unknown>) => Promise<{ id: string; name: string }>;

/** A name no other test's account has: display names are unique by look. */
export const uniqueName = (base: string) => `${base} ${crypto.randomUUID().slice(0, 6)}`;

/**
 * Through the services: a free single elimination of four solo players (best of `bestOf`, 1 unless
 * told), added by the organizer and checked in by themselves, started by the organizer. Returns the
 * event, the first semifinal (its row: `uuid`, `sides`) and its two players (side 0, side 1).
 */
export async function startedSemifinal(
  db: Db,
  makeUser: MakeUser,
  makeEvent: MakeEvent,
  { bestOf = 1, eventName }: { bestOf?: number; eventName?: string } = {},
) {
  const organizer = await makeUser({ role: "organizer", name: uniqueName("Organizer") });
  const players: SessionUser[] = [];
  for (const name of ["Ada", "Bo", "Cy", "Di"]) players.push(await makeUser({ name: uniqueName(name) }));
  const now = Date.now();
  // Registration closed, check-in open: the organizer adds the players and they check in.
  const event = await makeEvent(organizer.id, {
    ...(eventName ? { name: eventName } : {}),
    entryFee: 0,
    capacity: 8,
    registrationOpensAt: new Date(now - 10 * 3_600_000),
    registrationClosesAt: new Date(now - 3 * 3_600_000),
    checkInOpensAt: new Date(now - 3 * 3_600_000),
    checkInClosesAt: new Date(now + 3_600_000),
    startsAt: new Date(now + 3_600_000),
  });
  const playerOfEntry = new Map<string, SessionUser>();
  for (const player of players) {
    const entry = await addParticipant(db, organizer, { eventId: event.id, email: player.email });
    await checkIn(db, player, entry.id);
    playerOfEntry.set(entry.id, player);
  }
  const { bracketId } = await startBracket(db, organizer, event.id, {
    seeding: "registration",
    settings: { thirdPlace: false, grandFinal: "reset", groups: 1, meetings: 1, ...(bestOf === 1 ? {} : { bestOf }) },
    reportMinutes: 30,
  });
  // Solo entrants are their registrations.
  const semifinal = (await rowsOf(db, bracketId)).get("U-R1-M1")!;
  const sideOf = (side: 0 | 1) => playerOfEntry.get(semifinal.sides[side].entrant!)!;
  return { organizer, event, bracketId, semifinal, matchId: semifinal.uuid, first: sideOf(0), second: sideOf(1) };
}

/** Opens the match page and waits until it follows the match live. */
export async function openMatch(page: Page, matchId: string) {
  await page.goto(`/matches/${matchId}`);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expect(page.locator("[data-live]").first()).toHaveAttribute("data-live", "live");
}
