import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { deflateSync } from "node:zlib";
import type { Page } from "@playwright/test";
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { registrations } from "@/db/schema";
import type { SessionUser } from "@/server/accounts/roles";
import { startBracket } from "@/server/brackets/start";
import { expect, test } from "./fixtures";

const SHOTS = "/tmp/mpage-shots";

function uniqueName(base: string) {
  return `${base} ${crypto.randomUUID().slice(0, 6)}`;
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buffer: Buffer) {
  let c = 0xffffffff;
  for (const byte of buffer) c = crcTable[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type: string, data: Buffer) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}
/** A small, valid PNG (a 48×32 gradient), written to a temp file for the file input. */
function tinyPng(): string {
  const width = 48;
  const height = 32;
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  const rows = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    const row = y * (width * 3 + 1);
    for (let x = 0; x < width; x++) rows.set([x * 5, 80 + y * 4, 200], row + 1 + x * 3);
  }
  const png = Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk("IHDR", header), chunk("IDAT", deflateSync(rows)), chunk("IEND", Buffer.alloc(0))]);
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), "evidence-")), "scoreboard.png");
  writeFileSync(file, png);
  return file;
}

/**
 * Through the services: a free single elimination (best-of-1) of four checked-in solo players,
 * started by its organizer. Returns the first semifinal and its two players (side 0, side 1).
 */
async function startedSemifinal(db: Db, makeUser: (o: { role?: "organizer"; name?: string }) => Promise<SessionUser>, makeEvent: (organizerId: string, overrides?: Record<string, unknown>) => Promise<{ id: string }>) {
  const organizer = await makeUser({ role: "organizer", name: uniqueName("Organizer") });
  const players: SessionUser[] = [];
  for (const name of ["Ada", "Bo", "Cy", "Di"]) players.push(await makeUser({ name: uniqueName(name) }));
  const now = Date.now();
  const event = await makeEvent(organizer.id, {
    entryFee: 0,
    capacity: 8,
    registrationOpensAt: new Date(now - 10 * 3_600_000),
    registrationClosesAt: new Date(now - 3 * 3_600_000),
    checkInOpensAt: new Date(now - 3 * 3_600_000),
    checkInClosesAt: new Date(now - 3_600_000),
    startsAt: new Date(now - 60_000),
  });
  await db.insert(registrations).values(
    players.map((player, i) => ({
      eventId: event.id,
      userId: player.id,
      status: "confirmed" as const,
      idempotencyKey: crypto.randomUUID(),
      fee: 0,
      walletAmount: 0,
      createdAt: new Date(now - 1_000_000 + i * 10),
      confirmedAt: new Date(now - 1_000_000 + i * 10),
      checkedInAt: new Date(),
    })),
  );
  const { bracketId } = await startBracket(db, organizer, event.id, {
    seeding: "registration",
    settings: { thirdPlace: false, grandFinal: "reset", groups: 1, meetings: 1 },
    reportMinutes: 30,
  });
  const [semifinal] = await db.execute<{ id: string; side0: string; side1: string }>(sql`
    select m.id,
      (select be.user_id from bracket_entrants be where be.bracket_id = m.bracket_id and be.entrant_id = m.sides->0->>'entrant' and be.captain) as side0,
      (select be.user_id from bracket_entrants be where be.bracket_id = m.bracket_id and be.entrant_id = m.sides->1->>'entrant' and be.captain) as side1
    from bracket_matches m where m.bracket_id = ${bracketId} and m.stage = 'upper' and m.round = 1 order by m.position limit 1`);
  const byId = (id: string) => players.find((player) => player.id === id)!;
  return { organizer, matchId: semifinal!.id, first: byId(semifinal!.side0), second: byId(semifinal!.side1) };
}

/** Opens the match page and waits until it follows the match live. */
async function openMatch(page: Page, matchId: string) {
  await page.goto(`/matches/${matchId}`);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expect(page.locator("[data-live]").first()).toHaveAttribute("data-live", "live");
}

async function report(page: Page, winnerName: string) {
  const question = page.getByRole("group", { name: "Who won game 1?" });
  await question.getByRole("button", { name: winnerName }).click();
}

/** Desktop and phone, light and dark. */
async function screenshots(page: Page, name: string) {
  mkdirSync(SHOTS, { recursive: true });
  const original = page.viewportSize();
  for (const scheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.screenshot({ path: path.join(SHOTS, `${name}-desktop-${scheme}.png`), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: path.join(SHOTS, `${name}-phone-${scheme}.png`), fullPage: true });
  }
  await page.emulateMedia({ colorScheme: "light" });
  if (original) await page.setViewportSize(original);
}

test("both players report the same winner: confirmed for both, and a spectator sees it live", async ({ database, makeUser, makeEvent, signedInPage, guestPage }) => {
  const { organizer, matchId, first, second } = await startedSemifinal(database.db, makeUser, makeEvent);
  const [a, b, spectator] = await Promise.all([signedInPage(first), signedInPage(second), guestPage()]);
  await Promise.all([openMatch(a, matchId), openMatch(b, matchId), openMatch(spectator, matchId)]);

  await expect(a.getByText(/Report by .* left/)).toBeVisible();
  await expect(spectator.getByRole("group", { name: "Who won game 1?" })).toHaveCount(0);

  await report(a, first.name);
  await expect(a.getByText(`You reported ${first.name} won game 1; waiting for the other side.`)).toBeVisible();
  // The other side sees the report without a refresh.
  await expect(b.getByText(`They reported ${first.name} won game 1.`)).toBeVisible();
  await screenshots(b, "reporting");

  await report(b, first.name);
  for (const page of [a, b, spectator]) {
    await expect(page.getByText(`${first.name} won the match 1–0`)).toBeVisible();
    await expect(page.getByText("Completed", { exact: true })).toBeVisible();
  }
  await expect(a.getByText(`Match confirmed: ${first.name} won.`)).toBeVisible();
  await expect(spectator.getByRole("list", { name: `Games of ${first.name}` }).getByText("Game 1: won")).toBeAttached();
  await expect(spectator.getByRole("list", { name: "Audit trail" })).toContainText("both sides agree, confirmed");
  await screenshots(spectator, "confirmed-spectator");

  // The organizer changes the result: the preview names the later match it resets, with its players.
  const o = await signedInPage(organizer);
  await openMatch(o, matchId);
  await o.getByRole("button", { name: "Change result…" }).click();
  const change = o.getByRole("form", { name: "Change result" });
  await change.getByLabel("New result").selectOption({ label: `${second.name} wins` });
  await change.getByRole("button", { name: "Preview the change" }).click();
  const reset = change.getByRole("list", { name: "Matches that would be reset" });
  await expect(reset).toContainText("Round 2, match 1");
  await expect(reset).toContainText(first.name);
  await screenshots(o, "correction-preview");
  await change.getByRole("button", { name: "Apply the change" }).click();
  for (const page of [o, spectator, a]) await expect(page.getByText(new RegExp(`${second.name} won the match`))).toBeVisible();
});

test("players disagree, one disputes with an image, the organizer resolves it; both see the result live", async ({ database, makeUser, makeEvent, signedInPage }) => {
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
  await form.getByLabel("Evidence (optional)").setInputFiles(tinyPng());
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
  await screenshots(o, "dispute-organizer");

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
  await screenshots(a, "resolved-player");
});
