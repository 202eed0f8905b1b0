import { beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "@/db/testing/database";
import { updateProfile } from "@/server/accounts/service";
import { myUpcomingRegistrations } from "@/server/registration/mine";
import { checkIn } from "@/server/registration/service";
import { createCaller } from "@/server/root";
import { createUser } from "@/server/testing/factories";
import { createInnerContext } from "@/server/trpc";
import { confirmSet, currentMatches, reportSet, startBracket } from "./service";
import { bracketFixtures, rowsOf, type Fixtures } from "./testing";

const { db } = await createTestDatabase();
let f: Fixtures;

beforeAll(async () => {
  f = await bracketFixtures(db);
});

const settings = { thirdPlace: false, grandFinal: "reset" as const, groups: 1, meetings: 1 as const, bestOf: 3 };

describe("a player's current matches", () => {
  it("lists only the viewer's matches, with the opponent's handle; a finished match is no longer current", async () => {
    const event = await f.openEvent({ name: "Night Cup" });
    const [a, b, c, d] = await f.soloEntries(event.id, 4);
    const { bracketId } = await startBracket(db, f.organizer, event.id, { seeding: "registration", settings, reportMinutes: 30 });
    const rows = [...(await rowsOf(db, bracketId)).values()];
    const mineRow = rows.find((row) => row.sides.some((side) => side.entrant === a!.registrationId))!;
    const opponentEntry = [b, c, d].find((entry) => mineRow.sides.some((side) => side.entrant === entry!.registrationId))!;
    await updateProfile(db, opponentEntry.player.id, {
      name: opponentEntry.player.name,
      country: null,
      handles: { [f.game.id]: "Rival#EUW" },
    });

    const list = await currentMatches(db, a!.player);
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({
      id: mineRow.uuid,
      eventName: "Night Cup",
      label: expect.any(String),
      state: "ready",
      captain: true,
      opponent: { name: opponentEntry.player.name, isTeam: false, handle: "Rival#EUW" },
      reportDeadline: expect.any(String),
    });
    expect(await currentMatches(db, await createUser(db))).toEqual([]);
    // Of the other players, only the opponent's list holds this match.
    for (const entry of [b, c, d]) {
      const ids = (await currentMatches(db, entry!.player)).map((match) => match.id);
      expect(ids.includes(mineRow.uuid)).toBe(entry === opponentEntry);
    }

    const mySide = mineRow.sides.findIndex((side) => side.entrant === a!.registrationId) as 0 | 1;
    await reportSet(db, a!.player, { matchId: mineRow.uuid, winners: [mySide, mySide] });
    expect((await currentMatches(db, a!.player))[0]).toMatchObject({ id: mineRow.uuid, state: "awaiting_confirmation" });
    await confirmSet(db, opponentEntry.player, { matchId: mineRow.uuid, winners: [mySide, mySide] });
    const after = await currentMatches(db, a!.player);
    expect(after.map((match) => match.id)).not.toContain(mineRow.uuid);
    expect(after[0]).toMatchObject({ state: "waiting_for_opponent", opponent: null });
    expect((await currentMatches(db, opponentEntry.player)).map((match) => match.id)).not.toContain(mineRow.uuid);
  });

  it("a team member sees the team's match (not as its reporter); the opponent's handle is its captain's", async () => {
    const event = await f.openEvent({ participantType: "team", teamSize: 2 });
    const red = await f.teamEntry(event.id, 2);
    const blue = await f.teamEntry(event.id, 2);
    await updateProfile(db, blue.captain.id, { name: blue.captain.name, country: null, handles: { [f.game.id]: "BlueCaptain" } });
    await updateProfile(db, blue.members[1]!.id, { name: blue.members[1]!.name, country: null, handles: { [f.game.id]: "BlueMember" } });
    await startBracket(db, f.organizer, event.id, { seeding: "registration", settings, reportMinutes: 30 });
    const [match] = await currentMatches(db, red.members[1]!);
    expect(match).toMatchObject({ captain: false, state: "ready", opponent: { isTeam: true, handle: "BlueCaptain" } });
    // Through the router, as the page asks.
    const caller = createCaller(createInnerContext({ db, user: blue.members[1]! }));
    expect((await caller.matches.current()).map((row) => row.id)).toEqual([match!.id]);
  });
});

describe("a player's upcoming registrations", () => {
  it("lists the viewer's entries with check-in state; a started event's check-in is closed", async () => {
    const now = Date.now();
    const open = await f.openEvent({
      name: "Check-in Open",
      registrationClosesAt: new Date(now - 3_600_000),
      checkInOpensAt: new Date(now - 3_600_000),
      checkInClosesAt: new Date(now + 3_600_000),
      startsAt: new Date(now + 2 * 3_600_000),
    });
    const [entry, other] = await f.soloEntries(open.id, 2, { checkedIn: false });
    let mine = await myUpcomingRegistrations(db, entry!.player);
    expect(mine).toEqual([
      expect.objectContaining({
        id: entry!.registrationId,
        eventName: "Check-in Open",
        status: "confirmed",
        checkIn: "open",
        paymentStatus: null,
      }),
    ]);
    await checkIn(db, entry!.player, entry!.registrationId);
    mine = await myUpcomingRegistrations(db, entry!.player);
    expect(mine[0]).toMatchObject({ checkIn: "done" });
    expect((await myUpcomingRegistrations(db, other!.player)).map((row) => row.id)).toEqual([other!.registrationId]);
    expect(await myUpcomingRegistrations(db, await createUser(db))).toEqual([]);
    expect(await myUpcomingRegistrations(db, entry!.player, new Date(now + 90 * 60_000))).toMatchObject([{ checkIn: "done" }]);
    expect(await myUpcomingRegistrations(db, other!.player, new Date(now + 90 * 60_000))).toMatchObject([{ checkIn: "closed" }]);
    expect(await myUpcomingRegistrations(db, other!.player, new Date(now - 2 * 3_600_000))).toMatchObject([{ checkIn: "not_open" }]);
  });
});
