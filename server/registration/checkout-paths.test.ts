import { eq, sql } from "drizzle-orm";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { events, games, promoCodes, teamMembers, teams } from "@/db/schema";
import { createTestDatabase } from "@/db/testing/database";
import type { SessionUser } from "@/server/accounts/roles";
import { DomainError } from "@/server/errors";
import { credit, eventEscrowAccount, platformAccount, walletAccounts } from "@/server/ledger";
import { LIVE_CHANNEL } from "@/server/live/topics-name";
import { createSimulatedGateway } from "@/server/payments/simulated-gateway";
import { createOpenEvent, insertPlayers } from "@/server/testing/factories";
import { checkout } from "./service";

/*
 * The wallet checkout has two implementations (see the header of
 * sql/registration_confirm_from_wallet.sql). checkout() sends a new entry paid in full from the
 * wallet, or free, to registration_confirm_from_wallet() (one SQL statement, through
 * confirmFromWallet), and a checkout with a card part or one paying a waitlist offer to
 * checkoutInTransaction(), which also handles an entry it confirms without a card. This test
 * drives the same random checkouts through both: two identical worlds (organizer, players, their
 * teams and wallets, the event, a promo code), the same steps in each, through checkout() itself,
 * with only its last step switched (vi.mock of confirmFromWallet below: "ts" runs
 * checkoutInTransaction in a transaction as checkout() does for a card). Each step's answer (the
 * result, or the domain error) and every row it wrote must be the same in both worlds once ids,
 * hashes and times are labelled: every public table (registrations, promo codes, events' seats,
 * ledger accounts, transfers, entries and holds, live topics and events, notifications, audit log
 * ...), graphile-worker's jobs (by task, payload, key, run time), and the NOTIFYs on the live
 * channel. A refused checkout must write nothing in either.
 *
 * "Rows written" are those whose xmin is at or after the scenario's first transaction, so earlier
 * scenarios' rows are not read again: a row older than the scenario that a step updated would show
 * as written whole, and a deleted one would not show (neither path deletes).
 *
 * A step may change the world between checkout()'s reads and the path ("meanwhile": the last seat
 * taken, registration closed, the bracket started, the promo code used up), so each path's own
 * checks are compared, not only checkout()'s early ones.
 *
 * Knobs: CHECKOUT_PATHS_RUNS (scenarios, default 20), CHECKOUT_PATHS_SEED / CHECKOUT_PATHS_PATH
 * (replay what fast-check printed).
 */

type Path = "ts" | "sql";
const control = vi.hoisted(() => ({
  path: "sql" as Path,
  /** Run just before the path, inside checkout(). */
  beforePath: undefined as undefined | (() => Promise<void>),
  calls: { ts: 0, sql: 0 },
}));

vi.mock("./confirm-from-wallet", async (importOriginal) => {
  const original = await importOriginal<typeof import("./confirm-from-wallet")>();
  const confirmFromWallet: typeof original.confirmFromWallet = async (db, event, values, wallet, escrow) => {
    await control.beforePath?.();
    control.calls[control.path]++;
    if (control.path === "sql") return original.confirmFromWallet(db, event, values, wallet, escrow);
    const { checkoutInTransaction } = await import("./service");
    const { promoCodes } = await import("@/db/schema");
    const { eq } = await import("drizzle-orm");
    const [promo] = values.promoCodeId ? await db.select().from(promoCodes).where(eq(promoCodes.id, values.promoCodeId)) : [];
    return db.transaction((tx) => checkoutInTransaction(tx, { event, values, offer: undefined, promo: promo ?? null, wallet, escrow }));
  };
  return { ...original, confirmFromWallet };
});

const { db, sql: client } = await createTestDatabase();
const gateway = createSimulatedGateway(db, "whsec_checkout_paths_test", async () => {});

// ---------------------------------------------------------------------------------------------
// The whole database as rows, keyed by table and primary key.

type Row = Record<string, unknown>;
type Snapshot = Map<string, { table: string; row: Row }>;
let snapshotSql = "";

beforeAll(async () => {
  const tables = await client<{ name: string; pk: string[] | null }[]>`
    select c.relname::text as name,
      (select array_agg(a.attname::text order by k.ord) from pg_index i
        cross join unnest(i.indkey) with ordinality k(attnum, ord)
        join pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.attnum
        where i.indrelid = c.oid and i.indisprimary) as pk
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind in ('r', 'p') order by 1`;
  const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;
  snapshotSql = [
    ...tables.map(({ name, pk }) => {
      const key = pk ? `jsonb_build_array(${pk.map((c) => `x.${quote(c)}`).join(", ")})` : "to_jsonb(x)";
      return `select '${name}' as t, ${key}::text as k, to_jsonb(x) as r from ${quote(name)} x where x.xmin::text::bigint >= $1::bigint`;
    }),
    // The job queue: the task by name (task ids are shared by both worlds, given on first use).
    `select 'graphile_worker.jobs', j.id::text, to_jsonb(j) - 'task_id' - 'job_queue_id'
       || jsonb_build_object('task', t.identifier, 'queue', q.queue_name)
     from graphile_worker._private_jobs j join graphile_worker._private_tasks t on t.id = j.task_id
     left join graphile_worker._private_job_queues q on q.id = j.job_queue_id where j.xmin::text::bigint >= $1::bigint`,
  ].join("\nunion all\n");
  await client.listen(LIVE_CHANNEL, (payload) => notices.push(payload));
});

/** The first transaction of the scenario: rows written before it (template, earlier scenarios) are left out. */
let since = "0";
async function snapshot(): Promise<Snapshot> {
  const rows = await client.unsafe<{ t: string; k: string; r: Row }[]>(snapshotSql, [since], { prepare: true });
  return new Map(rows.map(({ t, k, r }) => [`${t} ${k}`, { table: t, row: r }]));
}

interface Change {
  table: string;
  op: "insert" | "update" | "delete";
  row: Row;
  was?: Row;
}

/** What changed from one snapshot to the next; an update shows its key and the columns it changed. */
function changes(before: Snapshot, after: Snapshot): Change[] {
  const out: Change[] = [];
  for (const [key, { table, row }] of after) {
    const old = before.get(key)?.row;
    if (!old) out.push({ table, op: "insert", row });
    else if (JSON.stringify(old) !== JSON.stringify(row)) {
      const changed = Object.keys(row).filter((c) => JSON.stringify(row[c]) !== JSON.stringify(old[c]));
      const pick = (r: Row) => Object.fromEntries(changed.map((c) => [c, r[c]]));
      out.push({ table, op: "update", row: { key: key.slice(table.length + 1), ...pick(row) }, was: pick(old) });
    }
  }
  for (const [key, { table, row }] of before) if (!after.has(key)) out.push({ table, op: "delete", row });
  return out;
}

/** NOTIFYs on the live channel; a marker of our own, sent after a step, says all of its have arrived. */
const notices: string[] = [];
async function noticesSince(start: number): Promise<string[]> {
  const marker = `marker:${crypto.randomUUID()}`;
  await client`select pg_notify(${LIVE_CHANNEL}, ${marker})`;
  for (let i = 0; i < 500 && !notices.includes(marker); i++) await new Promise((resolve) => setTimeout(resolve, 2));
  expect(notices, "the marker NOTIFY arrived").toContain(marker);
  return notices.splice(start).filter((n) => n !== marker);
}

// ---------------------------------------------------------------------------------------------
// Labels: the same thing in both worlds gets the same name.

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
const SHA256 = /\b[0-9a-f]{64}\b/g;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
/** Tables whose primary key is a sequence number, which differs between worlds. */
const SERIAL_KEYS = new Set(["ledger_entries", "graphile_worker.jobs"]);

class Labels {
  private readonly names = new Map<string, string>();
  private readonly counts = new Map<string, number>();
  private readonly texts: [string, string][];

  /** `known`: label → value (ids, and texts such as a promo code that differ between worlds). */
  constructor(known: Record<string, string>) {
    for (const [label, value] of Object.entries(known)) this.names.set(value, label);
    this.texts = Object.entries(known)
      .filter(([, value]) => !/^[0-9a-f-]{36}$/.test(value))
      .sort((a, b) => b[1].length - a[1].length);
  }

  /** Names a value made during the scenario (an idempotency key) when it is made. */
  know(value: string, label: string) {
    this.names.set(value, label);
  }

  private name(value: string, kind: string, assign: boolean): string {
    let name = this.names.get(value);
    if (!name && !assign) return `<${kind}?>`;
    if (!name) {
      const n = (this.counts.get(kind) ?? 0) + 1;
      this.counts.set(kind, n);
      this.names.set(value, (name = `${kind}${n}`));
    }
    return `<${name}>`;
  }

  /** Ids, hashes and texts of this world replaced by labels (new ones numbered in order when `assign`), times by <time>. */
  normalize(value: unknown, assign = true): unknown {
    if (typeof value === "string") {
      if (ISO_TIME.test(value)) return "<time>";
      let text = value;
      for (const [label, known] of this.texts) text = text.replaceAll(known, `<${label}>`);
      return text.replace(UUID, (id) => this.name(id, "id", assign)).replace(SHA256, (h) => this.name(h, "hash", assign));
    }
    if (Array.isArray(value)) return value.map((v) => this.normalize(v, assign));
    if (value && typeof value === "object") {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.normalize(v, assign)]));
    }
    return value;
  }

  /** Changes in an order that does not depend on the ids (sorted by their content, unknown ids masked), then labelled. */
  changes(list: Change[]): unknown[] {
    const bare = list.map((c) => (SERIAL_KEYS.has(c.table) && c.op === "insert" ? { ...c, row: { ...c.row, id: "<serial>" } } : c));
    const masked = bare.map((c) => ({ c, order: JSON.stringify(this.normalize(c, false)) }));
    masked.sort((a, b) => (a.order < b.order ? -1 : a.order > b.order ? 1 : 0));
    return masked.map(({ c }) => this.normalize(c));
  }
}

// ---------------------------------------------------------------------------------------------
// Scenarios: one event's settings, two players' wallets, then 1–3 checkouts.

type Wallet = "empty" | "short" | "exact" | "plenty";
type Meanwhile = "none" | "lastSeatTaken" | "registrationClosed" | "bracketStarted" | "promoUsedUp";
interface Step {
  player: 0 | 1;
  promo: boolean;
  /** A new key, the previous step's key again (a retry, or someone else's key), or the same checkout twice at once. */
  key: "new" | "previous" | "twiceAtOnce";
  /** Asks the wallet for more than the total (it pays the total). */
  overpay: boolean;
  meanwhile: Meanwhile;
}
interface Scenario {
  fee: number;
  team: boolean;
  capacity: number;
  seatsFree: number;
  promo: { kind: "percent" | "fixed"; value: number; maxUses: number | null } | null;
  wallets: [Wallet, Wallet];
  steps: Step[];
}

const weighted = <T>(...pairs: [number, T][]) => fc.oneof(...pairs.map(([weight, v]) => ({ weight, arbitrary: fc.constant(v) })));
const scenarioArb: fc.Arbitrary<Scenario> = fc.record({
  fee: fc.oneof({ weight: 1, arbitrary: fc.constant(0) }, { weight: 4, arbitrary: fc.integer({ min: 1, max: 5_000 }) }),
  team: fc.boolean(),
  capacity: fc.integer({ min: 2, max: 4 }),
  seatsFree: weighted([1, 0], [2, 1], [3, 2], [2, 4]),
  promo: fc.option(
    fc.oneof(
      fc.record({
        kind: fc.constant("percent" as const),
        value: fc.integer({ min: 1, max: 100 }),
        maxUses: fc.option(fc.integer({ min: 1, max: 2 })),
      }),
      fc.record({
        kind: fc.constant("fixed" as const),
        value: fc.integer({ min: 1, max: 6_000 }),
        maxUses: fc.option(fc.integer({ min: 1, max: 2 })),
      }),
    ),
    { freq: 2 },
  ),
  wallets: fc.tuple(
    weighted<Wallet>([1, "empty"], [1, "short"], [2, "exact"], [3, "plenty"]),
    weighted<Wallet>([1, "empty"], [1, "short"], [2, "exact"], [3, "plenty"]),
  ),
  steps: fc.array(
    fc.record({
      player: fc.constantFrom(0 as const, 1 as const),
      promo: fc.boolean(),
      key: weighted<Step["key"]>([5, "new"], [2, "previous"], [1, "twiceAtOnce"]),
      overpay: fc.boolean(),
      meanwhile: weighted<Meanwhile>(
        [8, "none"],
        [1, "lastSeatTaken"],
        [1, "registrationClosed"],
        [1, "bracketStarted"],
        [1, "promoUsedUp"],
      ),
    }),
    { minLength: 1, maxLength: 3 },
  ),
});

// ---------------------------------------------------------------------------------------------
// A world, and one checkout step in it.

interface World {
  path: Path;
  eventId: string;
  players: SessionUser[];
  teamIds: string[];
  promoId: string | null;
  promoCode: string | null;
  labels: Labels;
  lastKey: string | null;
  keys: number;
}

let gameId: string;
beforeAll(async () => {
  const [game] = await db
    .insert(games)
    .values({ slug: `g-${crypto.randomUUID()}`, name: "Paths Game", handleLabel: "Tag" })
    .returning();
  gameId = game!.id;
});

/** One world: everything made in the same order with the same settings; only ids, names and the code differ. */
async function makeWorld(path: Path, s: Scenario, at: number): Promise<World> {
  const [organizer, p0, p1, m0, m1] = await insertPlayers(db, 5);
  const players = [p0!, p1!];
  const event = await createOpenEvent(
    db,
    { organizerId: organizer!.id, gameId },
    {
      name: "Paths Cup",
      entryFee: s.fee,
      capacity: s.capacity,
      seatsTaken: Math.max(0, s.capacity - s.seatsFree),
      participantType: s.team ? "team" : "solo",
      teamSize: s.team ? 2 : 1,
      registrationOpensAt: new Date(at - 3_600_000),
      registrationClosesAt: new Date(at + 86_400_000),
      checkInOpensAt: new Date(at + 86_401_000),
      checkInClosesAt: new Date(at + 90_000_000),
      startsAt: new Date(at + 90_000_000),
    },
  );
  const teamRows = await db
    .insert(teams)
    .values(players.map((p, i) => ({ name: `T${i}-${crypto.randomUUID()}`, tag: `T${i}`, captainId: p.id })))
    .returning();
  await db.insert(teamMembers).values(
    teamRows.flatMap((t, i) => [
      { teamId: t.id, userId: players[i]!.id, role: "captain" as const },
      { teamId: t.id, userId: (i === 0 ? m0 : m1)!.id, role: "member" as const },
    ]),
  );
  const code = s.promo ? `P${crypto.randomUUID().slice(0, 8).toUpperCase()}` : null;
  const [promo] = s.promo
    ? await db
        .insert(promoCodes)
        .values({ code: code!, eventId: event.id, createdBy: organizer!.id, ...s.promo })
        .returning()
    : [];
  const escrow = await eventEscrowAccount(db, event.id);
  const clearing = await platformAccount(db, "card_clearing");
  const known: Record<string, string> = {
    organizer: organizer!.id,
    m0: m0!.id,
    m1: m1!.id,
    event: event.id,
    escrow,
    clearing,
    game: gameId,
  };
  for (const [i, p] of players.entries()) {
    const wallet = await walletAccounts(db, p.id);
    Object.assign(known, { [`p${i}`]: p.id, [`p${i}.available`]: wallet.available, [`p${i}.held`]: wallet.held });
    Object.assign(known, { [`team${i}`]: teamRows[i]!.id, [`team${i}.name`]: teamRows[i]!.name });
    const cents = { empty: 0, short: Math.max(0, s.fee - 1), exact: s.fee, plenty: 3 * s.fee + 100 }[s.wallets[i]!];
    if (cents > 0) {
      const idempotencyKey = crypto.randomUUID();
      await credit(db, { userId: p.id, amount: cents, fromAccountId: clearing, category: "topup", description: "Funds", idempotencyKey });
    }
  }
  for (const u of [organizer!, p0!, p1!, m0!, m1!]) Object.assign(known, { [`name:${u.id}`]: u.name, [`email:${u.id}`]: u.email });
  if (promo) Object.assign(known, { promo: promo.id, promoCode: code! });
  return {
    path,
    eventId: event.id,
    players,
    teamIds: teamRows.map((t) => t.id),
    promoId: promo?.id ?? null,
    promoCode: code,
    labels: new Labels(known),
    lastKey: null,
    keys: 0,
  };
}

async function meanwhile(world: World, what: Meanwhile) {
  const event = eq(events.id, world.eventId);
  if (what === "lastSeatTaken")
    await db
      .update(events)
      .set({ seatsTaken: sql`${events.capacity}` })
      .where(event);
  if (what === "registrationClosed") await db.update(events).set({ registrationClosesAt: sql`now() - interval '1 second'` }).where(event);
  if (what === "bracketStarted") await db.update(events).set({ status: "live" }).where(event);
  if (what === "promoUsedUp" && world.promoId) {
    await db
      .update(promoCodes)
      .set({ maxUses: sql`greatest(${promoCodes.uses}, 1)`, uses: sql`greatest(${promoCodes.uses}, 1)` })
      .where(eq(promoCodes.id, world.promoId));
  }
}

type Answer = { result: unknown } | { refused: { name: string; kind: string; message: string; fields: unknown } };
const tally = new Map<string, number>();
const count = (key: string) => tally.set(key, (tally.get(key) ?? 0) + 1);

/** One step in one world: its answers, every row it wrote, the NOTIFYs it sent (labelled). */
async function runStep(world: World, s: Scenario, step: Step) {
  const player = world.players[step.player]!;
  let key = step.key === "previous" && world.lastKey ? world.lastKey : null;
  if (!key) {
    key = crypto.randomUUID();
    world.labels.know(key, `key${++world.keys}`);
  }
  world.lastKey = key;
  control.path = world.path;
  let mid: Snapshot | undefined;
  control.beforePath =
    step.key === "twiceAtOnce"
      ? undefined
      : async () => {
          await meanwhile(world, step.meanwhile);
          mid = await snapshot();
        };
  const firstNotice = notices.length;
  const before = await snapshot();
  const input = {
    eventId: world.eventId,
    idempotencyKey: key,
    walletAmount: s.fee + (step.overpay ? 1_000 : 0),
    promoCode: step.promo && world.promoCode ? world.promoCode.toLowerCase() : undefined,
    teamId: s.team ? world.teamIds[step.player] : undefined,
  };
  const attempt = async (): Promise<Answer> => {
    try {
      return { result: await checkout(db, gateway, player, input) };
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      const fields = "fieldErrors" in error ? error.fieldErrors : null;
      return { refused: { name: error.name, kind: error.kind, message: error.message, fields } };
    }
  };
  const answers = await Promise.all(step.key === "twiceAtOnce" ? [attempt(), attempt()] : [attempt()]);
  control.beforePath = undefined;
  const after = await snapshot();
  const notified = await noticesSince(firstNotice);
  const refused = answers.every((a) => "refused" in a);
  if (refused) {
    // Nothing written by the checkout (only what `meanwhile` did before the path, in both worlds).
    const written = changes(mid ?? before, after);
    expect({ written: world.labels.changes(written), notified }, `a refused checkout (${world.path} path) writes nothing`).toEqual({
      written: [],
      notified: [],
    });
  }
  if (world.path === "sql") {
    for (const a of answers) count("refused" in a ? `refused: ${a.refused.message}` : `answered: ${(a.result as { next: string }).next}`);
  }
  const written = world.labels.changes(changes(before, after));
  return { answers: world.labels.normalize(answers), written, notified: world.labels.normalize(notified) };
}

async function compare(s: Scenario) {
  const at = Math.floor(Date.now() / 1000) * 1000;
  since = (await client<{ since: string }[]>`select txid_current()::text as since`)[0]!.since;
  const ts = await makeWorld("ts", s, at);
  const sqlWorld = await makeWorld("sql", s, at);
  for (const [i, step] of s.steps.entries()) {
    const viaTs = await runStep(ts, s, step);
    const viaSql = await runStep(sqlWorld, s, step);
    expect(
      viaSql,
      `step ${i} ${JSON.stringify(step)}: - checkoutInTransaction (TS path), + registration_confirm_from_wallet (SQL path)`,
    ).toEqual(viaTs);
  }
}

const RUNS = Number(process.env.CHECKOUT_PATHS_RUNS ?? 20);

describe("the wallet checkout's two paths", () => {
  afterAll(() => {
    console.info(
      `checkout paths: ${RUNS} scenarios; paths run: TS ${control.calls.ts}, SQL ${control.calls.sql}\n` +
        [...tally]
          .sort()
          .map(([k, n]) => `  ${k}: ${n}`)
          .join("\n"),
    );
  });

  it("the same checkouts through checkoutInTransaction and registration_confirm_from_wallet answer alike and write the same rows", async () => {
    await fc.assert(fc.asyncProperty(scenarioArb, compare), {
      numRuns: RUNS,
      ...(process.env.CHECKOUT_PATHS_SEED ? { seed: Number(process.env.CHECKOUT_PATHS_SEED), path: process.env.CHECKOUT_PATHS_PATH } : {}),
    });
    expect(control.calls.ts, "the TS path ran").toBeGreaterThan(0);
    expect(control.calls.sql, "the SQL path ran").toBeGreaterThan(0);
  }, 120_000);
});
