/**
 * The jobs part of the composition root: every task the code queues has a handler, every handler
 * checks its payload, and the payloads the code really queues (captured from graphile-worker's
 * table while each domain's flows run) are the ones their handlers accept.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { eq, sql } from "drizzle-orm";
import { type JobHelpers, parseCrontab } from "graphile-worker";
import { beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { games, payments } from "@/db/schema";
import { createTestDatabase } from "@/db/testing/database";
import { SEND_ACCOUNT_EMAIL_TASK } from "@/server/accounts/account-emails";
import type { SessionUser } from "@/server/accounts/roles";
import { BRACKET_STARTED_TASK, NOTIFY_PARTICIPANTS_TASK, PAY_PRIZES_TASK, REPORT_DEADLINE_TASK } from "@/server/brackets/job-specs";
import { announceToParticipants, setMatchResult, startBracket } from "@/server/brackets/service";
import { bracketFixtures, rowsOf } from "@/server/brackets/testing";
import { JobPayloadError } from "@/server/jobs/handlers";
import { credit, platformAccount } from "@/server/ledger";
import { firestorePublishJob, firestoreResyncJob } from "@/server/live/firestore-publisher";
import { SEND_NOTIFICATION_EMAIL_TASK, SEND_NOTIFICATION_TASK } from "@/server/notifications/service";
import { RECONCILE_TASK } from "@/server/payments/jobs";
import { createSimulatedGateway, DELIVER_EVENT_TASK, SETTLE_PAYOUT_TASK } from "@/server/payments/simulated-gateway";
import { CANCEL_EVENT_TASK, EXPIRE_CHECKOUT_TASK, EXPIRE_OFFER_TASK, REFUND_CARD_TASK } from "@/server/registration/lifecycle";
import { cancelEvent, checkout, withdraw } from "@/server/registration/service";
import { createCaller } from "@/server/root";
import { CLEAN_UNATTACHED_EVIDENCE_TASK, DELETE_EVIDENCE_FILES_TASK } from "@/server/storage/evidence-uploads";
import { createOpenEvent, createUser, insertPlayers } from "@/server/testing/factories";
import { createInnerContext } from "@/server/trpc";
import { requestWithdrawal, SEND_PAYOUT_TASK } from "@/server/withdrawals/requests";
import { givePayoutAccount } from "@/server/withdrawals/testing";
import { crontab, jobHandlers, jobTaskList } from "./composition";

const repository = path.resolve(import.meta.dirname, "..");
const handlers = jobHandlers.flatMap((domain) => domain.handlers);
const handlerOf = new Map(handlers.map((handler) => [handler.task, handler]));

/** The product code under server/ (tests and test support excluded), path and text. */
function sources(extension: ".ts" | ".sql"): { file: string; text: string }[] {
  const files: { file: string; text: string }[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(path.join(repository, dir), { withFileTypes: true })) {
      const file = `${dir}/${entry.name}`;
      if (entry.isDirectory()) {
        if (entry.name !== "testing") walk(file);
      } else if (entry.name.endsWith(extension) && !/\.(test|spec)\.ts$/.test(entry.name) && entry.name !== "testing.ts") {
        files.push({ file, text: readFileSync(path.join(repository, file), "utf8") });
      }
    }
  };
  walk("server");
  return files;
}

describe("the composed job handlers", () => {
  it("handle every task the code queues (task constants, enqueueJob/enqueueJobs, job specs, SQL)", () => {
    const code = sources(".ts");
    const constants = new Map<string, string>();
    for (const { text } of code) {
      for (const [, name, value] of text.matchAll(/export const (\w+_TASK) = "([^"]+)"/g)) constants.set(name!, value!);
    }
    // What names a task where a job is queued: enqueueJob's second argument, a job spec's `task:`.
    const queued: { file: string; expression: string }[] = [];
    for (const { file, text } of code) {
      // The worker machinery speaks of tasks without queueing any; defineJob's `task:` is a handler.
      if (file.startsWith("server/jobs/") || file === "server/worker.ts" || /\/jobs\.ts$/.test(file)) continue;
      for (const [, expression] of text.matchAll(/\benqueueJob\(\s*[\w.]+\s*,\s*([^,\s]+)/g))
        queued.push({ file, expression: expression! });
      if (/@\/server\/jobs\/queue"/.test(text)) {
        for (const [, expression] of text.matchAll(/\btask:\s*([^,\s}]+)/g)) queued.push({ file, expression: expression! });
      }
    }
    const sqlQueued = sources(".sql").flatMap(({ file, text }) =>
      [...text.matchAll(/add_job\(\s*'([^']+)'/g)].map(([, name]) => ({ file, expression: JSON.stringify(name) })),
    );
    const taskOf = ({ expression }: { expression: string }) =>
      /^["'`]/.test(expression) ? expression.slice(1, -1) : (constants.get(expression) ?? `(not a task constant: ${expression})`);

    // The scan finds what it looks for (a broken pattern would find nothing and pass).
    expect(constants.size).toBeGreaterThanOrEqual(15);
    expect(queued.length).toBeGreaterThanOrEqual(15);
    const unhandled = [...queued, ...sqlQueued]
      .filter((site) => !handlerOf.has(taskOf(site)))
      .map((site) => `${site.file}: ${site.expression}`);
    expect(unhandled, "queued without a handler").toEqual([]);
    const constantsWithoutHandler = [...constants].filter(([, task]) => !handlerOf.has(task)).map(([name]) => name);
    expect(constantsWithoutHandler, "task constants without a handler").toEqual([]);
  });

  it("have one handler per task, each with a zod schema of its payload", () => {
    expect(new Set(handlers.map((handler) => handler.task)).size).toBe(handlers.length);
    for (const handler of handlers) expect(handler.payload, handler.task).toBeInstanceOf(z.ZodType);
  });

  it("keep the schedules they had: reconciliation daily at 04:00 with a day's catch-up, hourly pruning of live events and evidence", () => {
    const before = [
      `0 4 * * * ${RECONCILE_TASK} ?fill=1d&max=3 {trigger:"schedule"}`,
      "17 * * * * prune-live-events",
      "47 * * * * clean-unattached-evidence",
    ].join("\n");
    const patterns = (text: string) => text.split("\n").map((line) => line.split(" ").slice(0, 6).join(" "));
    expect(patterns(crontab)).toEqual(patterns(before));
    expect(JSON.parse(JSON.stringify(parseCrontab(crontab)))).toEqual(JSON.parse(JSON.stringify(parseCrontab(before))));
    for (const item of parseCrontab(crontab)) expect(handlerOf.has(item.task), item.task).toBe(true);
  });
});

// ---- Against a database: the payloads the code queues ----

const database = await createTestDatabase();
const { db } = database;
const gateway = createSimulatedGateway(db, "whsec_composition_jobs_test");
const tasks = jobTaskList({ db, gateway });
const helpers = { job: { id: "0", attempts: 1 } } as unknown as JobHelpers;
const key = () => crypto.randomUUID();
let organizer: SessionUser;
let gameId: string;

interface Captured {
  id: number;
  task: string;
  payload: unknown;
}

/** Every job written to graphile-worker's table (added, or replaced by its key) since `after`. */
async function capturedSince(after: number): Promise<Captured[]> {
  const rows = await db.execute<{ id: string; task: string; payload: unknown }>(
    sql`select id::text as id, task, payload from captured_jobs where captured_jobs.id > ${after} order by captured_jobs.id`,
  );
  return rows.map((row) => ({ id: Number(row.id), task: row.task, payload: row.payload }));
}

let performedUpTo = 0;
/** Runs the captured jobs of `names` not run yet through the composed task list (as the worker would). */
async function perform(...names: string[]) {
  const jobs = (await capturedSince(performedUpTo)).filter((job) => names.includes(job.task));
  for (const job of jobs) await tasks[job.task]!(job.payload, helpers);
  return jobs.length;
}

beforeAll(async () => {
  await db.execute(sql`
    create table captured_jobs (id bigserial primary key, task text not null, payload json not null);
    create function capture_job() returns trigger language plpgsql as $$
    begin
      insert into captured_jobs (task, payload) select t.identifier, new.payload from graphile_worker._private_tasks t where t.id = new.task_id;
      return new;
    end $$;
    create trigger capture_job after insert or update of payload on graphile_worker._private_jobs
      for each row execute function capture_job();`);
  const [game] = await db
    .insert(games)
    .values({ slug: `g-${key()}`, name: "Jobs Game", handleLabel: "Tag" })
    .returning();
  gameId = game!.id;
  organizer = await createUser(db, { role: "organizer" });
});

async function fundedPlayers(count: number, cents: number): Promise<SessionUser[]> {
  const players = await insertPlayers(db, count);
  const clearing = await platformAccount(db, "card_clearing");
  for (const player of players) {
    await credit(db, {
      userId: player.id,
      amount: cents,
      fromAccountId: clearing,
      category: "topup",
      description: "Test funds",
      idempotencyKey: key(),
    });
  }
  return players;
}

async function payCard(paymentId: string) {
  const [payment] = await db.select().from(payments).where(eq(payments.id, paymentId));
  await gateway.confirmCard({
    intentId: payment!.gatewayPaymentId!,
    clientSecret: payment!.clientSecret!,
    cardNumber: "4242424242424242",
    cardLast4: "4242",
  });
  await perform(DELIVER_EVENT_TASK);
}

const seen = new Set<string>();

/**
 * Each domain's flows that queue jobs, run as the app runs them; the jobs they queue that are the
 * next step's work are run through the composed task list, so what those queue is checked too.
 */
const flows: { domain: string; flow: string; queues: string[]; run: () => Promise<void> }[] = [
  {
    domain: "registration, payments",
    flow: "a wallet and card checkout, paid, then withdrawn: the card part refunded through the provider",
    queues: [EXPIRE_CHECKOUT_TASK, DELIVER_EVENT_TASK, SEND_NOTIFICATION_TASK, REFUND_CARD_TASK],
    run: async () => {
      const event = await createOpenEvent(db, { organizerId: organizer.id, gameId }, { entryFee: 2_000 });
      const [player] = await fundedPlayers(1, 600);
      const entry = await checkout(db, gateway, player!, { eventId: event.id, idempotencyKey: key(), walletAmount: 600 });
      expect(entry.next).toBe("pay_card");
      await payCard(entry.paymentId!);
      await withdraw(db, player!, entry.registrationId);
      expect(await perform(REFUND_CARD_TASK)).toBe(1);
      await perform(DELIVER_EVENT_TASK);
    },
  },
  {
    domain: "payments",
    flow: "a payout on the simulated gateway: sent, then arriving at the bank, each with its event",
    queues: [SETTLE_PAYOUT_TASK, DELIVER_EVENT_TASK],
    run: async () => {
      const bank = await gateway.registerBankAccount({
        userId: key(),
        email: "payout@example.test",
        connectedAccountId: null,
        details: { holderName: "Jobs Payout", country: "DE", currency: "eur", iban: "DE89370400440532013000" },
        idempotencyKey: key(),
      });
      await gateway.createPayout({
        amount: 1_000,
        currency: "usd",
        connectedAccountId: null,
        externalAccountId: bank.externalAccountId,
        idempotencyKey: key(),
        metadata: {},
      });
      expect(await perform(SETTLE_PAYOUT_TASK)).toBe(1);
    },
  },
  {
    domain: "registration, notifications",
    flow: "wallet checkouts in one SQL statement, a waitlist offer, the event cancelled and refunded",
    queues: [SEND_NOTIFICATION_TASK, SEND_NOTIFICATION_EMAIL_TASK, EXPIRE_OFFER_TASK, CANCEL_EVENT_TASK],
    run: async () => {
      const event = await createOpenEvent(db, { organizerId: organizer.id, gameId }, { entryFee: 500, capacity: 2 });
      const [first, second, third] = await fundedPlayers(3, 500);
      const confirmed = await checkout(db, gateway, first!, { eventId: event.id, idempotencyKey: key(), walletAmount: 500 });
      expect(confirmed.next).toBe("confirmed");
      await checkout(db, gateway, second!, { eventId: event.id, idempotencyKey: key(), walletAmount: 500 });
      expect((await checkout(db, gateway, third!, { eventId: event.id, idempotencyKey: key(), walletAmount: 500 })).next).toBe(
        "waitlisted",
      );
      await withdraw(db, first!, confirmed.registrationId);
      await cancelEvent(db, organizer, event.id, "Venue flooded");
      expect(await perform(CANCEL_EVENT_TASK)).toBe(1);
      expect(await perform(SEND_NOTIFICATION_TASK)).toBeGreaterThan(0);
    },
  },
  {
    domain: "brackets, notifications",
    flow: "a bracket started, an announcement, every match played: deadlines, notifications and the prize payout",
    queues: [BRACKET_STARTED_TASK, REPORT_DEADLINE_TASK, NOTIFY_PARTICIPANTS_TASK, SEND_NOTIFICATION_TASK, PAY_PRIZES_TASK],
    run: async () => {
      const f = await bracketFixtures(db);
      const event = await f.openEvent();
      await f.soloEntries(event.id, 4);
      const { bracketId } = await startBracket(db, f.organizer, event.id, {
        seeding: "registration",
        settings: { thirdPlace: false, grandFinal: "reset", groups: 1, meetings: 1 },
        reportMinutes: 30,
      });
      expect(await perform(BRACKET_STARTED_TASK)).toBe(1);
      await announceToParticipants(db, f.organizer, { eventId: event.id, message: "Round one starts now." });
      expect(await perform(NOTIFY_PARTICIPANTS_TASK)).toBe(1);
      for (const match of ["U-R1-M1", "U-R1-M2", "U-R2-M1"]) {
        const row = (await rowsOf(db, bracketId)).get(match)!;
        await setMatchResult(db, f.organizer, { matchId: row.uuid, outcome: { type: "played", winner: 0 } });
      }
      expect(await perform(PAY_PRIZES_TASK, REPORT_DEADLINE_TASK)).toBeGreaterThan(1);
    },
  },
  {
    domain: "storage",
    flow: "uploads never attached, cleaned up: their files deleted by a job",
    queues: [DELETE_EVIDENCE_FILES_TASK],
    run: async () => {
      const user = await createUser(db);
      await db.execute(sql`insert into evidence_uploads (evidence_id, uploader_id, size, created_at)
        select ${user.id} || '_' || gen_random_uuid(), ${user.id}, 1, now() - interval '25 hours' from generate_series(1, 2)`);
      await tasks[CLEAN_UNATTACHED_EVIDENCE_TASK]!({}, helpers);
    },
  },
  {
    domain: "accounts",
    flow: "sign-up, a password reset, a password change and an email change: links and notices by email",
    queues: [SEND_ACCOUNT_EMAIL_TASK],
    run: async () => {
      const anonymous = createCaller(createInnerContext({ db, user: null, ip: "203.0.113.77" }));
      const email = `jobs-${key().slice(0, 8)}@example.test`;
      await anonymous.account.signUp({ name: `Jobs ${key().slice(0, 6)}`, email, password: "correct horse battery" });
      await anonymous.account.requestPasswordReset({ email });
      const user = await createUser(db);
      const caller = createCaller(createInnerContext({ db, user: { ...user, sessionId: key() } }));
      await caller.account.changePassword({ currentPassword: "correct horse battery", newPassword: "another long password" });
      await caller.account.requestEmailChange({ newEmail: `moved-${key().slice(0, 8)}@example.test`, password: "another long password" });
    },
  },
  {
    domain: "withdrawals, payments, notifications",
    flow: "a withdrawal asked for, approved at once, paid out by its job, arriving at the bank",
    queues: [SEND_PAYOUT_TASK, SEND_NOTIFICATION_TASK, SETTLE_PAYOUT_TASK, DELIVER_EVENT_TASK],
    run: async () => {
      const [player] = await fundedPlayers(1, 5_000);
      const bank = await gateway.registerBankAccount({
        userId: player!.id,
        email: player!.email,
        connectedAccountId: null,
        details: { holderName: "Jobs Payout", country: "DE", currency: "usd", iban: "DE89370400440532013000" },
        idempotencyKey: key(),
      });
      await givePayoutAccount(db, player!.id, { externalAccountId: bank.externalAccountId, last4: bank.last4 });
      await requestWithdrawal(db, { userId: player!.id, amount: 2_000, idempotencyKey: key(), requestIp: null });
      expect(await perform(SEND_PAYOUT_TASK)).toBe(1);
      expect(await perform(SETTLE_PAYOUT_TASK)).toBe(1);
      await perform(DELIVER_EVENT_TASK);
    },
  },
  {
    domain: "payments (admin)",
    flow: "an admin's reconciliation now",
    queues: [RECONCILE_TASK],
    run: async () => {
      const admin = await createUser(db, { role: "admin" });
      await createCaller(createInnerContext({ db, user: admin })).admin.runReconciliation();
    },
  },
];

describe("each domain's handlers accept the payloads its code queues", () => {
  it.each(flows)("$domain: $flow", async ({ queues, run }) => {
    const [row] = await db.execute<{ last: number }>(sql`select coalesce(max(id), 0)::int as last from captured_jobs`);
    const before = row!.last;
    performedUpTo = before;
    await run();
    const captured = await capturedSince(before);
    for (const task of queues) expect(captured.map((job) => job.task)).toContain(task);
    const refused = captured
      .map((job) => ({ job, result: handlerOf.get(job.task)?.payload.safeParse(job.payload) }))
      .filter(({ result }) => !result?.success)
      .map(({ job, result }) => `${job.task} ${JSON.stringify(job.payload)}: ${result ? result.error?.message : "no handler"}`);
    expect(refused).toEqual([]);
    for (const job of captured) seen.add(job.task);
  });

  it("live: the Firestore publish and resync jobs queued with announcements and redactions", () => {
    const topic = `event:${crypto.randomUUID()}`;
    for (const spec of [firestorePublishJob(topic), firestoreResyncJob(topic)]) {
      expect(handlerOf.get(spec.task)!.payload.safeParse(spec.payload).success, spec.task).toBe(true);
      seen.add(spec.task);
    }
  });

  it("the schedules: each crontab payload, with graphile-worker's _cron, is accepted", () => {
    for (const item of parseCrontab(crontab)) {
      const payload = { _cron: { ts: new Date().toISOString(), backfilled: false }, ...item.payload };
      expect(handlerOf.get(item.task)!.payload.safeParse(payload).success, item.task).toBe(true);
      seen.add(item.task);
    }
  });

  it("older shapes still in queues: a card refund queued before refunds were recorded first", () => {
    // As registration queued it then: { registrationId, amount, reason }, keyed by registration.
    const payload = { registrationId: crypto.randomUUID(), amount: 900, reason: "withdrew" };
    expect(handlerOf.get(REFUND_CARD_TASK)!.payload.safeParse(payload).success).toBe(true);
  });

  it("together cover every handler", () => {
    expect(handlers.map((handler) => handler.task).filter((task) => !seen.has(task))).toEqual([]);
  });
});

describe("a bad payload on the composed task list", () => {
  it("fails the job naming the task and the fields, and changes nothing", async () => {
    const [before] = await db.execute<{ n: number }>(sql`select count(*)::int as n from payment_refunds`);
    const failure = await Promise.resolve(tasks[REFUND_CARD_TASK]!({ refund: "r_1" }, helpers)).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(JobPayloadError);
    expect((failure as Error).message).toMatch(
      /^job refund-registration-card: bad payload \(none of its shapes: \(refundId: .*\) or \(registrationId: .*; amount: .*\)\)$/,
    );
    await expect(tasks[EXPIRE_OFFER_TASK]!({ registrationId: 7 }, helpers)).rejects.toThrow(
      /^job expire-offer: bad payload \(registrationId: /,
    );
    const [after] = await db.execute<{ n: number }>(sql`select count(*)::int as n from payment_refunds`);
    expect(after!.n).toBe(before!.n);
  });
});
