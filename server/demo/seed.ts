/**
 * The demo data: the game catalogue, demo accounts and events in every state. Run on a fresh
 * embedded database at start (server/database.ts, as seed-policy.ts decides) and by
 * `npm run db:seed` (scripts/seed.ts). Money (prize funds and holds) and the live bracket go
 * through their services; accounts with their roles, events already in later states and free
 * entries are inserted as they would stand, since the services only move things on from now.
 */
import type { SessionUser } from "@/server/accounts/roles";
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import * as schema from "@/db/schema";
import { displayNameKey } from "@/server/accounts/display-names";
import { hashPassword } from "@/server/accounts/password";
import { setMatchResult, startBracket } from "@/server/brackets/service";
import { holdOrganizerPrize } from "@/server/events/prize-funding";
import { credit, platformAccount } from "@/server/ledger";

export const DEMO_PASSWORD = "driftwood";

export const demoGames = [
  { slug: "valorant", name: "Valorant", handleLabel: "Riot ID" },
  { slug: "league-of-legends", name: "League of Legends", handleLabel: "Riot ID" },
  { slug: "counter-strike-2", name: "Counter-Strike 2", handleLabel: "Steam name" },
  { slug: "street-fighter-6", name: "Street Fighter 6", handleLabel: "CFN name" },
  { slug: "rocket-league", name: "Rocket League", handleLabel: "Epic ID" },
  { slug: "tekken-8", name: "Tekken 8", handleLabel: "Tekken ID" },
] as const;

const playerNames = [
  "Nova",
  "Blitz",
  "Kestrel",
  "Mako",
  "Vesper",
  "Rook",
  "Jinx",
  "Talon",
  "Quill",
  "Ember",
  "Sable",
  "Onyx",
  "Pixel",
  "Drift",
  "Halo",
  "Zephyr",
  "Glint",
  "Rune",
  "Cobalt",
  "Wisp",
];
const countries = ["US", "GB", "DE", "FR", "BR", "KR", "JP", "SE", "CA", "AU"];

export const demoUsers = [
  { name: "Ada Admin", email: "admin@driftwood.gg", role: "admin" as const, country: "GB" },
  { name: "Olive Organizer", email: "organizer1@driftwood.gg", role: "organizer" as const, country: "US" },
  { name: "Otto Organizer", email: "organizer2@driftwood.gg", role: "organizer" as const, country: "DE" },
  ...playerNames.map((name, i) => ({
    name,
    email: `player${i + 1}@driftwood.gg`,
    role: "player" as const,
    country: countries[i % countries.length]!,
  })),
];

/** The game catalogue organizers choose from: reference data every database gets, demo or not. */
export async function seedGames(db: Db): Promise<void> {
  await db
    .insert(schema.games)
    .values([...demoGames])
    .onConflictDoNothing();
}

/**
 * Demo data; safe to run again (existing rows are left as they are). `admin: false` leaves out the
 * admin account, whose password the README publishes (production, see seed-policy.ts).
 */
export async function seed(db: Db, options: { admin?: boolean } = {}): Promise<void> {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const users = options.admin === false ? demoUsers.filter((user) => user.role !== "admin") : demoUsers;
  await db.transaction(async (tx) => {
    await tx
      .insert(schema.games)
      .values([...demoGames])
      .onConflictDoNothing();
    await tx
      .insert(schema.users)
      .values(users.map((user) => ({ ...user, nameKey: displayNameKey(user.name), passwordHash, emailVerified: new Date() })))
      .onConflictDoNothing();

    // A few players have handles filled in, so profiles and rosters look lived-in.
    await tx.execute(sql`
      insert into game_handles (user_id, game_id, handle)
      select u.id, g.id, u.name || '#' || upper(substr(md5(u.email || g.slug), 1, 4))
      from users u cross join games g
      where u.email like 'player%@driftwood.gg' and g.slug in ('valorant', 'rocket-league')
      on conflict do nothing`);
  });
  await seedEvents(db);
  await seedLiveBracket(db);
}

const hours = (n: number) => new Date(Date.now() + n * 3_600_000);

/** Events in every state, once: open, upcoming, in check-in, live, completed, cancelled, draft. */
async function seedEvents(db: Db) {
  const [existing] = await db.execute<{ n: number }>(sql`select count(*)::int as n from events`);
  if ((existing?.n ?? 0) > 0) return;
  const gameIds = Object.fromEntries(
    (await db.select({ id: schema.games.id, slug: schema.games.slug }).from(schema.games)).map((g) => [g.slug, g.id]),
  );
  const organizers = await db.execute<{ id: string; email: string }>(
    sql`select id, email from users where email like 'organizer%@driftwood.gg' order by email`,
  );
  const [olive, otto] = [organizers[0]!.id, organizers[1]!.id];
  const window = (opensIn: number, closesIn: number, checkInIn: number, startsIn: number) => ({
    registrationOpensAt: hours(opensIn),
    registrationClosesAt: hours(closesIn),
    checkInOpensAt: hours(checkInIn),
    checkInClosesAt: hours(startsIn),
    startsAt: hours(startsIn),
  });
  const base = {
    format: "single_elimination" as const,
    timeZone: "Europe/London",
    rules: "Best of 3 until the final (best of 5). Be ready 15 minutes before your match.\nReport scores within 10 minutes of finishing.",
  };
  const rows: (typeof schema.events.$inferInsert)[] = [
    {
      ...base,
      ...window(-24, 96, 118, 120),
      organizerId: olive,
      gameId: gameIds["street-fighter-6"]!,
      name: "Friday Fights: Street Fighter 6",
      capacity: 32,
      entryFee: 500,
      prizeFromFeesPercent: 80,
      organizerPrize: 5_000,
      payoutSplit: [60, 30, 10],
      withdrawalPenaltyPercent: 10,
      status: "published",
      publishedAt: hours(-24),
    },
    {
      ...base,
      ...window(-12, 72, 94, 96),
      organizerId: otto,
      gameId: gameIds["rocket-league"]!,
      name: "Driftwood Weekly: Rocket League 2v2",
      participantType: "team",
      teamSize: 2,
      substitutes: 1,
      capacity: 16,
      format: "double_elimination",
      status: "published",
      publishedAt: hours(-12),
    },
    {
      ...base,
      ...window(48, 160, 166, 168),
      organizerId: olive,
      gameId: gameIds["tekken-8"]!,
      name: "Tekken 8 Open",
      capacity: 64,
      entryFee: 1_000,
      prizeFromFeesPercent: 100,
      payoutSplit: [50, 30, 20],
      status: "published",
      publishedAt: hours(-2),
    },
    {
      ...base,
      ...window(-72, -1, -1, 2),
      organizerId: otto,
      gameId: gameIds["counter-strike-2"]!,
      name: "CS2 Night Cup (check-in open)",
      capacity: 8,
      format: "round_robin",
      status: "published",
      publishedAt: hours(-72),
    },
    {
      ...base,
      ...window(-200, -30, -26, -24),
      organizerId: olive,
      gameId: gameIds["league-of-legends"]!,
      name: "League Clash: Autumn",
      capacity: 16,
      format: "swiss",
      status: "live",
      publishedAt: hours(-200),
    },
    {
      ...base,
      ...window(-500, -340, -338, -336),
      organizerId: otto,
      gameId: gameIds.valorant!,
      name: "Valorant Spring Showdown",
      capacity: 16,
      status: "completed",
      publishedAt: hours(-500),
    },
    {
      ...base,
      ...window(-50, 20, 44, 48),
      organizerId: olive,
      gameId: gameIds["street-fighter-6"]!,
      name: "SF6 Meetup (cancelled)",
      capacity: 16,
      status: "cancelled",
      publishedAt: hours(-50),
      cancelledAt: hours(-3),
    },
    {
      ...base,
      ...window(24, 120, 142, 144),
      organizerId: olive,
      gameId: gameIds["rocket-league"]!,
      name: "Draft: Rocket League Winter Cup",
      capacity: 32,
      status: "draft",
    },
  ];
  const created = await db.insert(schema.events).values(rows).returning({ id: schema.events.id, name: schema.events.name });
  await guaranteeOrganizerPrizes(db);
  // Free entries for the check-in, live and completed events, so participant lists and seat counts
  // are not empty: a completed event keeps the seats its players took (every one checked in, as
  // the bracket's start drops whoever did not).
  const players = await db.execute<{ id: string }>(
    sql`select id from users where email like 'player%@driftwood.gg' order by email limit 8`,
  );
  const entered = created.filter((e) => e.name.startsWith("CS2") || e.name.startsWith("League") || e.name.startsWith("Valorant"));
  for (const event of entered) {
    const completed = event.name.startsWith("Valorant");
    await db.insert(schema.registrations).values(
      players.map((p, i) => ({
        eventId: event.id,
        userId: p.id,
        status: "confirmed" as const,
        idempotencyKey: `seed:${event.id}:${p.id}`,
        fee: 0,
        createdAt: completed ? hours(-400) : undefined,
        confirmedAt: completed ? hours(-400) : hours(-30),
        checkedInAt: completed ? hours(-337) : i % 3 === 0 ? null : hours(-1),
      })),
    );
    await db.update(schema.events).set({ seatsTaken: players.length }).where(sql`${schema.events.id} = ${event.id}`);
  }
}

/**
 * Published events with an organizer-funded prize hold it from the organizer's wallet, as
 * publishing does (the demo organizers get the demo money for it from the adjustments account).
 */
async function guaranteeOrganizerPrizes(db: Db) {
  const prized = await db
    .select()
    .from(schema.events)
    .where(sql`${schema.events.status} = 'published' and ${schema.events.organizerPrize} > 0 and ${schema.events.prizeHoldId} is null`);
  for (const event of prized) {
    await db.transaction(async (tx) => {
      await credit(tx, {
        userId: event.organizerId,
        amount: event.organizerPrize,
        fromAccountId: await platformAccount(tx, "adjustments"),
        category: "adjustment",
        description: `Demo funds for the prize of ${event.name}`,
        idempotencyKey: `seed:prize-funds:${event.id}`,
      });
      await holdOrganizerPrize(tx, event);
    });
  }
}

export const DEMO_BRACKET_EVENT = "Driftwood Masters: Tekken 8 (live bracket)";

/**
 * A live event with a started 8-player double elimination bracket and a few results, made through
 * the brackets service so it is real (rows, history, live topics). Once: an existing event of that
 * name is left as it is, also on a database seeded before this demo existed.
 */
async function seedLiveBracket(db: Db) {
  const [existing] = await db.execute<{ n: number }>(sql`select count(*)::int as n from events where name = ${DEMO_BRACKET_EVENT}`);
  if ((existing?.n ?? 0) > 0) return;
  const [organizer] = await db.execute<SessionUser & Record<string, unknown>>(
    sql`select id, name, email, role, image, email_verified is not null as "emailVerified" from users where email = 'organizer1@driftwood.gg'`,
  );
  const [game] = await db.select({ id: schema.games.id }).from(schema.games).where(sql`${schema.games.slug} = 'tekken-8'`);
  const players = await db.execute<{ id: string }>(
    sql`select id from users where email like 'player%@driftwood.gg' order by email desc limit 8`,
  );
  if (!organizer || !game || players.length < 8) return;

  const bracketId = await db.transaction(async (tx) => {
    const [event] = await tx
      .insert(schema.events)
      .values({
        organizerId: organizer.id,
        gameId: game.id,
        name: DEMO_BRACKET_EVENT,
        format: "double_elimination",
        timeZone: "Europe/London",
        rules: "Double elimination, best of 3; grand final best of 5 with a bracket reset.",
        capacity: 8,
        seatsTaken: 8,
        registrationOpensAt: hours(-96),
        registrationClosesAt: hours(-4),
        checkInOpensAt: hours(-3),
        checkInClosesAt: hours(-1),
        startsAt: hours(-1),
        status: "published",
        publishedAt: hours(-96),
      })
      .returning({ id: schema.events.id });
    await tx.insert(schema.registrations).values(
      players.map((player, i) => ({
        eventId: event!.id,
        userId: player.id,
        status: "confirmed" as const,
        idempotencyKey: `seed:${event!.id}:${player.id}`,
        fee: 0,
        createdAt: hours(-90 + i),
        confirmedAt: hours(-90 + i),
        checkedInAt: hours(-2),
      })),
    );
    // Starting makes the event live; in the same transaction, so a failed start leaves no half-made event.
    const started = await startBracket(tx, organizer, event!.id, {
      seeding: "registration",
      settings: { thirdPlace: false, grandFinal: "reset", groups: 1, meetings: 1, bestOf: { default: 3, overrides: { finals: 5 } } },
      reportMinutes: 30,
    });
    return started.bracketId;
  });

  // The first round of the upper bracket, one lower-bracket match and one upper semifinal are played.
  const results: [string, 0 | 1][] = [
    ["U-R1-M1", 0],
    ["U-R1-M2", 1],
    ["U-R1-M3", 0],
    ["U-R1-M4", 0],
    ["L-R1-M1", 1],
    ["U-R2-M1", 0],
  ];
  for (const [matchId, winner] of results) {
    const [row] = await db.execute<{ id: string }>(
      sql`select id from bracket_matches where bracket_id = ${bracketId} and match_id = ${matchId}`,
    );
    if (row) await setMatchResult(db, organizer, { matchId: row.id, outcome: { type: "played", winner } });
  }
}
