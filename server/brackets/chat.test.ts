import { beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "@/db/testing/database";
import { createUser } from "@/server/testing/factories";
import { codeOf } from "@/server/testing/trpc";
import { roomAccess } from "@/server/chat/service";
import { matchChatRoom } from "./chat";
import { applyCorrection, setMatchResult, startBracket } from "./service";
import { bracketFixtures, rowsOf, type Fixtures } from "./testing";

const { db } = await createTestDatabase();
let f: Fixtures;

beforeAll(async () => {
  f = await bracketFixtures(db);
});

describe("a match's chat room", () => {
  it("is for the players of its two sides and the organizer, and follows a correction", async () => {
    const event = await f.openEvent({ format: "single_elimination" });
    const field = await f.soloEntries(event.id, 4);
    const { bracketId } = await startBracket(db, f.organizer, event.id, {
      seeding: "registration",
      settings: { thirdPlace: false, grandFinal: "reset", groups: 1, meetings: 1 },
      reportMinutes: 30,
    });
    const byUser = new Map(field.map((entry) => [entry.registrationId, entry.player]));
    const rows = await rowsOf(db, bracketId);
    const [semi1, semi2, final] = [rows.get("U-R1-M1")!, rows.get("U-R1-M2")!, rows.get("U-R2-M1")!];
    const playerOf = (entrant: string | null) => byUser.get(entrant!)!;
    const [a, b] = semi1.sides.map((side) => playerOf(side.entrant));
    const [c] = semi2.sides.map((side) => playerOf(side.entrant));

    const { roomId } = await matchChatRoom(db, a!, { matchId: semi1.uuid });
    expect((await matchChatRoom(db, f.organizer, { matchId: semi1.uuid })).roomId).toBe(roomId);
    expect(await roomAccess(db, b!, roomId)).not.toBeNull();
    expect(await codeOf(matchChatRoom(db, c!, { matchId: semi1.uuid }))).toBe("FORBIDDEN");
    expect(await roomAccess(db, c!, roomId)).toBeNull();
    const stranger = await createUser(db);
    expect(await codeOf(matchChatRoom(db, stranger, { matchId: semi1.uuid }))).toBe("FORBIDDEN");
    expect(await codeOf(matchChatRoom(db, stranger, { matchId: crypto.randomUUID() }))).toBe("NOT_FOUND");

    // a wins the semifinal and meets the other semifinal's winner in the final's room...
    await setMatchResult(db, f.organizer, { matchId: semi1.uuid, outcome: { type: "played", winner: 0 } });
    await setMatchResult(db, f.organizer, { matchId: semi2.uuid, outcome: { type: "played", winner: 0 } });
    const { roomId: finalRoom } = await matchChatRoom(db, a!, { matchId: final.uuid });
    expect(await roomAccess(db, b!, finalRoom)).toBeNull();
    // ...until the organizer corrects the semifinal: b takes a's place in the room at once.
    await applyCorrection(db, f.organizer, { matchId: semi1.uuid, outcome: { type: "played", winner: 1 } });
    expect(await roomAccess(db, a!, finalRoom)).toBeNull();
    expect(await roomAccess(db, b!, finalRoom)).not.toBeNull();
    expect((await matchChatRoom(db, b!, { matchId: final.uuid })).roomId).toBe(finalRoom);
  });
});
