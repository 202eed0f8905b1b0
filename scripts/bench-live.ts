/**
 * `npm run bench:live`: live updates fanned out to 1,000 Server-Sent Events clients.
 *
 * The production build (`next start`, built first when `.next/BUILD_ID` is missing) on loopback,
 * against a throwaway PostgreSQL (embedded in the OS temp folder, or a fresh database on
 * DATABASE_URL's loopback server). 1,000 clients follow one published event's topic through
 * `GET /api/live?topics=event:<id>`, held by child processes (raw node:http, a minimal SSE parser).
 * This process then edits the event 200 times through the service layer (`updateEvent`, which
 * announces in its transaction) at a steady pace, one call every 100 ms. A call's commit time is
 * when its promise resolves; seqs on one topic follow commit order and the calls run one after
 * another, so call i committed seq base + i. Latency = arrival of the event's chunk at a client −
 * that commit time, for every client and event.
 *
 * A warm-up (50 clients, 20 edits of another event) runs first and is not counted. The server's RSS
 * (the Next.js server process, found under `next start`) is sampled every 100 ms from before the
 * clients connect until they are closed, with its CPU time per event and how long its main thread
 * waited for a CPU (other work on the machine inflates every latency). The client processes report
 * their CPU and event loop delay, so a client-side backlog shows, and their clocks are compared with
 * this process's.
 *
 * Human-readable figures first, then one line of JSON last. Exit 1 when an event is missed,
 * duplicated, out of order or malformed, or a client fails to connect; missed latency or memory
 * targets alone exit 0. BENCH_CLIENTS, BENCH_EVENTS, BENCH_INTERVAL_MS and BENCH_CLIENT_PROCS
 * (client processes, 2) override the defaults; BENCH_SERVER_NODE_ARGS passes Node options to the
 * server (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof", which NODE_OPTIONS does not allow).
 */
// An entry point: what the services reach through the composition root is registered first.
import "@/server/composition";
import { fork, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { rmSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { percentile, round, sleep, Teardown, runBenchmark } from "./bench/common";
import { openThrowawayDatabase } from "./bench/database";
import { cpuWaitMs, ensureProductionBuild, processTree, startProductionServer, type ProcessInfo } from "./bench/server";
import type { ClientCommand, ClientReply } from "./bench/sse-clients";

// Must be set before anything in this process creates the app's pino logger (imports below are lazy).
process.env.LOG_LEVEL = "silent";

const CLIENTS = 1_000;
const EVENTS = 200;
const INTERVAL_MS = 100;
const CLIENT_PROCS = 2;
const P99_TARGET_MS = 150;
const RSS_TARGET_MB = 600;
const WARMUP_CLIENTS = 50;
const WARMUP_EVENTS = 20;
const CONNECT_TIMEOUT_MS = 60_000;
/** How long after the last commit the clients may take to receive everything. */
const DRAIN_TIMEOUT_MS = 15_000;

function setting(name: string, fallback: number, min: number): number {
  const raw = process.env[name];
  if (!raw) return fallback;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < min) throw new Error(`${name} must be a whole number of at least ${min}, not ${raw}`);
  if (n !== fallback) console.warn(`note: ${name}=${n}; a reportable run has ${fallback}`);
  return n;
}
const clients = setting("BENCH_CLIENTS", CLIENTS, 1);
const events = setting("BENCH_EVENTS", EVENTS, 1);
const intervalMs = setting("BENCH_INTERVAL_MS", INTERVAL_MS, 0);
const clientProcs = Math.min(clients, setting("BENCH_CLIENT_PROCS", CLIENT_PROCS, 1));

const now = () => performance.timeOrigin + performance.now();
const sorted = (values: ArrayLike<number>) => Float64Array.from(values).sort();
const ms = (value: number) => (Number.isFinite(value) ? value.toFixed(1) : String(value));
const summary = (values: Float64Array) =>
  `p50 ${ms(percentile(values, 50))}  p90 ${ms(percentile(values, 90))}  p99 ${ms(percentile(values, 99))}  max ${ms(values.at(-1) ?? NaN)} ms`;

/** One forked client process and a queue of its replies. */
class ClientProcess {
  private readonly waiting: Array<{ type: ClientReply["type"]; resolve: (reply: ClientReply) => void }> = [];
  private readonly exited: Promise<string>;

  constructor(private readonly child: ChildProcess) {
    child.on("message", (reply: ClientReply) => {
      const index = this.waiting.findIndex((w) => w.type === reply.type);
      if (index >= 0) this.waiting.splice(index, 1)[0]!.resolve(reply);
    });
    this.exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve(`a client process exited (${signal ?? code})`)));
  }

  static start(teardown: Teardown): ClientProcess {
    const child = fork(path.resolve("scripts/bench/sse-clients.ts"), [], {
      execArgv: ["--import", "tsx"],
      serialization: "advanced",
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    const kill = () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    };
    teardown.add(kill, kill);
    return new ClientProcess(child);
  }

  ask<T extends ClientReply["type"]>(command: ClientCommand, replyType: T): Promise<Extract<ClientReply, { type: T }>> {
    const reply = new Promise<ClientReply>((resolve) => this.waiting.push({ type: replyType, resolve }));
    this.child.send(command);
    return Promise.race([reply, this.exited.then((why) => Promise.reject(new Error(why)))]) as Promise<Extract<ClientReply, { type: T }>>;
  }
}

/** Samples the server's process tree; the server is the `next-server` process (else the largest). */
class RssSampler {
  peakServerKb = 0;
  peakTreeKb = 0;
  server: ProcessInfo | undefined;
  tree: ProcessInfo[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly rootPid: number) {}

  sample(): void {
    const tree = processTree(this.rootPid);
    if (tree.length === 0) return;
    this.tree = tree;
    const server = tree.find((p) => p.name.startsWith("next-server")) ?? tree.reduce((a, b) => (b.rssKb > a.rssKb ? b : a));
    this.server = server;
    this.peakServerKb = Math.max(this.peakServerKb, server.rssKb);
    this.peakTreeKb = Math.max(
      this.peakTreeKb,
      tree.reduce((sum, p) => sum + p.rssKb, 0),
    );
  }

  start(): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), 100);
  }

  stop(): void {
    clearInterval(this.timer);
    this.sample();
  }

  /** CPU ticks of the server process now. */
  serverCpuTicks(): number {
    const pid = this.server?.pid;
    return processTree(this.rootPid).find((p) => p.pid === pid)?.cpuTicks ?? NaN;
  }
}

async function main() {
  const { migrateDatabase } = await import("@/server/database");
  const schema = await import("@/db/schema");
  const { eventInput } = await import("@/server/events/schemas");
  const eventsService = await import("@/server/events/service");

  ensureProductionBuild();
  const teardown = new Teardown();
  try {
    const tempDir = await mkdtemp(path.join(os.tmpdir(), "driftwood-bench-live-"));
    teardown.add(
      () => rm(tempDir, { recursive: true, force: true }),
      () => rmSync(tempDir, { recursive: true, force: true }),
    );
    const throwaway = await openThrowawayDatabase(teardown, { name: "live", max: 4 });
    const { db, sql } = throwaway.database;
    await migrateDatabase(throwaway.database);
    console.log(
      `live benchmark: Node ${process.version}, PostgreSQL ${throwaway.version} (${throwaway.kind}), ${clients} SSE clients in ${clientProcs} processes, ` +
        `${events} announcements one every ${intervalMs} ms, ${os.cpus().length} CPUs, load average ${os
          .loadavg()
          .map((l) => l.toFixed(2))
          .join(" ")}`,
    );

    // ---- Setup through the services: an organizer's events, created and published. ----
    const [game] = await db
      .insert(schema.games)
      .values({ slug: `bench-${randomUUID().slice(0, 8)}`, name: "Bench Game", handleLabel: "Tag" })
      .returning({ id: schema.games.id });
    const [organizerRow] = await db
      .insert(schema.users)
      .values({ name: "Bench Organizer", email: `bench-organizer-${randomUUID()}@example.test`, role: "organizer" })
      .returning();
    const organizer = {
      id: organizerRow!.id,
      name: organizerRow!.name,
      email: organizerRow!.email,
      role: "organizer" as const,
      image: null,
      emailVerified: true,
    };
    const day = 86_400_000;
    const start = Date.now();
    const inputFor = (name: string) =>
      eventInput.parse({
        name,
        gameId: game!.id,
        format: "single_elimination",
        participantType: "solo",
        teamSize: 1,
        substitutes: 0,
        capacity: 1024,
        entryFee: 0,
        prizeFromFeesPercent: 0,
        organizerPrize: 0,
        payoutSplit: [60, 30, 10],
        withdrawalPenaltyPercent: 0,
        registrationOpensAt: new Date(start - day),
        registrationClosesAt: new Date(start + 7 * day),
        checkInOpensAt: new Date(start + 7 * day),
        checkInClosesAt: new Date(start + 7 * day + 3_600_000),
        startsAt: new Date(start + 7 * day + 3_600_000),
        timeZone: "UTC",
        rules: "",
        visibility: "public",
      });
    const openEvent = async (name: string) => {
      const created = await eventsService.createEvent(db, organizer, inputFor(name));
      await eventsService.publishEvent(db, organizer, created.id);
      return created.id;
    };
    const eventId = await openEvent("Bench Live Cup");
    const warmupEventId = await openEvent("Bench Live Warm-up");
    const topicSeq = async (topic: string) => {
      const [row] = await sql<{ seq: string }[]>`select seq::text from live_topics where topic = ${topic}`;
      return Number(row?.seq ?? 0);
    };
    /** One edit of the event through the service: commits and announces `event.updated`. */
    const edit = (id: string, n: number) => eventsService.updateEvent(db, organizer, id, inputFor(`Bench Live Cup #${n}`));

    // ---- The production server and the client processes. ----
    const server = await startProductionServer(teardown, {
      databaseUrl: throwaway.url,
      dataDir: path.join(tempDir, "data"),
      authSecret: randomUUID() + randomUUID(),
      // For profiling the server, e.g. BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof".
      nodeArgs: process.env.BENCH_SERVER_NODE_ARGS?.split(" ").filter(Boolean),
    });
    console.log(`server: next start on ${server.baseUrl}, healthy after ${server.healthySeconds.toFixed(1)} s`);
    const rss = new RssSampler(server.child.pid!);
    rss.start();
    teardown.add(() => rss.stop());

    const procs = Array.from({ length: clientProcs }, () => ClientProcess.start(teardown));
    // Clock check: each process's clock against this one's, from the middle of a round trip.
    const skews: number[] = [];
    for (const proc of procs) {
      let best = { rtt: Infinity, skew: NaN };
      for (let i = 0; i < 20; i++) {
        const sent = now();
        const { now: theirs } = await proc.ask({ type: "clock" }, "clock");
        const back = now();
        if (back - sent < best.rtt) best = { rtt: back - sent, skew: theirs - (sent + back) / 2 };
      }
      skews.push(best.skew);
    }

    const shares = (total: number) => procs.map((_, k) => Math.floor(total / procs.length) + (k < total % procs.length ? 1 : 0));
    const connectAll = async (group: string, topicEventId: string, total: number) => {
      const url = `${server.baseUrl}/api/live?topics=${encodeURIComponent(`event:${topicEventId}`)}`;
      const started = performance.now();
      const replies = await Promise.all(
        procs.map((proc, k) => {
          const share = shares(total);
          const firstClient = share.slice(0, k).reduce((sum, n) => sum + n, 0);
          return proc.ask({ type: "connect", group, url, count: share[k]!, timeoutMs: CONNECT_TIMEOUT_MS, firstClient }, "connected");
        }),
      );
      const seconds = (performance.now() - started) / 1000;
      const failed = replies.reduce((sum, r) => sum + r.failed, 0);
      if (failed)
        throw new Error(`${failed} of ${total} SSE clients did not connect; first: ${replies.find((r) => r.firstError)?.firstError}`);
      const readyMs = sorted(Float64Array.from(replies.flatMap((r) => [...r.readyMs])));
      return { seconds, readyMs };
    };
    const progress = async (group: string) =>
      (await Promise.all(procs.map((proc) => proc.ask({ type: "progress", group }, "progress")))).reduce((sum, r) => sum + r.received, 0);
    const waitForAll = async (group: string, expected: number) => {
      let last = -1;
      let lastChange = performance.now();
      for (;;) {
        const received = await progress(group);
        if (received >= expected) return received;
        if (received !== last) {
          last = received;
          lastChange = performance.now();
        } else if (performance.now() - lastChange > DRAIN_TIMEOUT_MS) return received;
        await sleep(50);
      }
    };
    const closeAll = (group: string) => Promise.all(procs.map((proc) => proc.ask({ type: "close", group }, "closed")));

    // ---- Warm-up on its own event: loads the route and the hub, not counted. ----
    {
      const warm = await connectAll("warmup", warmupEventId, WARMUP_CLIENTS);
      for (let i = 0; i < WARMUP_EVENTS; i++) {
        await edit(warmupEventId, i);
        await sleep(20);
      }
      const received = await waitForAll("warmup", WARMUP_CLIENTS * WARMUP_EVENTS);
      await closeAll("warmup");
      console.log(
        `warm-up: ${WARMUP_CLIENTS} clients connected in ${warm.seconds.toFixed(2)} s, ${received}/${WARMUP_CLIENTS * WARMUP_EVENTS} events received (not counted below)`,
      );
    }

    // ---- The run. ----
    const rssBeforeConnect = rss.server?.rssKb ?? NaN;
    const connected = await connectAll("run", eventId, clients);
    rss.sample();
    const rssConnected = rss.server?.rssKb ?? NaN;
    console.log(
      `connect: ${clients} clients ready in ${connected.seconds.toFixed(2)} s (each from request to its ready event: ${summary(connected.readyMs)}); ` +
        `server RSS ${(rssBeforeConnect / 1024).toFixed(0)} → ${(rssConnected / 1024).toFixed(0)} MB`,
    );
    const topic = `event:${eventId}`;
    const base = await topicSeq(topic);
    await Promise.all(procs.map((proc) => proc.ask({ type: "mark" }, "marked")));
    const serverCpuBefore = rss.serverCpuTicks();
    const serverWaitBefore = cpuWaitMs(rss.server?.pid ?? NaN);
    const loadBefore = os.loadavg();

    const commits = new Float64Array(events);
    const callMs = new Float64Array(events);
    let slips = 0;
    const runStarted = performance.now();
    for (let i = 0; i < events; i++) {
      const due = runStarted + i * intervalMs;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      else if (i > 0 && wait < -intervalMs / 2) slips++;
      const called = performance.now();
      await edit(eventId, i + 1);
      commits[i] = now();
      callMs[i] = performance.now() - called;
    }
    const runSeconds = (performance.now() - runStarted) / 1000;
    const expected = clients * events;
    await waitForAll("run", expected);
    const deliverySeconds = (performance.now() - runStarted) / 1000;
    const serverCpuAfter = rss.serverCpuTicks();
    const serverWaitMs = cpuWaitMs(rss.server?.pid ?? NaN) - serverWaitBefore;
    const loadAfter = os.loadavg();
    const reports = await Promise.all(procs.map((proc) => proc.ask({ type: "report", group: "run" }, "report")));
    rss.sample();
    const rssAfter = rss.server?.rssKb ?? NaN;
    await closeAll("run");
    rss.stop();
    const finalSeq = await topicSeq(topic);
    const [stored] = await sql<{ n: number }[]>`select count(*)::int as n from live_events where topic = ${topic} and seq > ${base}`;
    const serverInfo = rss.server;
    const treeInfo = rss.tree.map((p) => `${p.name}[${p.pid}] ${(p.rssKb / 1024).toFixed(0)} MB`).join(", ");
    await server.stop();

    // ---- What the clients received. ----
    const problems: string[] = [];
    if (finalSeq !== base + events) problems.push(`the topic's seq went from ${base} to ${finalSeq}, not by ${events}`);
    if (stored!.n !== events) problems.push(`${stored!.n} live_events rows after seq ${base}, expected ${events}`);
    const latencies: number[] = [];
    const firstArrival = new Float64Array(events).fill(Infinity);
    const lastArrival = new Float64Array(events).fill(-Infinity);
    let delivered = 0;
    let duplicates = 0;
    let outOfOrder = 0;
    let unexpected = 0;
    let malformed = 0;
    let dropped = 0;
    reports.forEach((report, k) => {
      malformed += report.malformed;
      dropped += report.dropped;
      const count = shares(clients)[k]!;
      const seen = new Uint8Array(count * events);
      const lastSeq = new Float64Array(count).fill(base);
      for (let j = 0; j < report.seq.length; j++) {
        const c = report.connection[j]!;
        const seq = report.seq[j]!;
        const i = seq - base - 1;
        if (!Number.isInteger(i) || i < 0 || i >= events) {
          unexpected++;
          continue;
        }
        if (seq <= lastSeq[c]!) outOfOrder++;
        lastSeq[c] = Math.max(lastSeq[c]!, seq);
        if (seen[c * events + i]) {
          duplicates++;
          continue;
        }
        seen[c * events + i] = 1;
        delivered++;
        const arrived = report.arrived[j]! - skews[k]!;
        latencies.push(arrived - commits[i]!);
        firstArrival[i] = Math.min(firstArrival[i]!, arrived);
        lastArrival[i] = Math.max(lastArrival[i]!, arrived);
      }
    });
    const missed = expected - delivered;
    if (missed) problems.push(`${missed} of ${expected} events never reached their client`);
    if (duplicates) problems.push(`${duplicates} events delivered twice`);
    if (outOfOrder) problems.push(`${outOfOrder} events arrived out of seq order`);
    if (unexpected) problems.push(`${unexpected} events with a seq outside this run`);
    if (malformed) problems.push(`${malformed} malformed events`);
    if (dropped) problems.push(`${dropped} connections dropped during the run`);

    const latency = sorted(latencies);
    const firstLatency = sorted(Array.from(firstArrival, (t, i) => t - commits[i]!).filter(Number.isFinite));
    const spread = sorted(Array.from(lastArrival, (t, i) => t - firstArrival[i]!).filter(Number.isFinite));
    const serverCpuSeconds = (serverCpuAfter - serverCpuBefore) / 100; // clock ticks
    const serverCpuPercent = (serverCpuSeconds / deliverySeconds) * 100;
    const p50 = percentile(latency, 50);
    const p99 = percentile(latency, 99);
    const serverRssMb = rss.peakServerKb / 1024;

    console.log(
      `\nrun: ${events} edits through updateEvent in ${runSeconds.toFixed(2)} s (${slips} behind schedule), all received ${deliverySeconds.toFixed(2)} s after the first; ` +
        `service call ${summary(sorted(callMs))}`,
    );
    console.log(
      `delivery: ${delivered}/${expected} delivered, ${missed} missed, ${duplicates} duplicates, ${outOfOrder} out of order, ` +
        `${unexpected} unexpected, ${malformed} malformed, ${dropped} connections dropped`,
    );
    console.log(`latency, commit → arrival at each client:   ${summary(latency)}  (min ${ms(latency[0] ?? NaN)} ms)`);
    console.log(`  commit → first client of each event:      ${summary(firstLatency)}`);
    console.log(`  first → last client of each event:        ${summary(spread)}`);
    const buckets = [25, 50, 100, 150, 250, 500, 1000];
    console.log(
      `  distribution: ${buckets.map((b) => `≤${b} ms ${((100 * latency.filter((l) => l <= b).length) / latency.length).toFixed(1)}%`).join(", ")}`,
    );
    console.log(
      `server: ${serverInfo?.name ?? "?"} pid ${serverInfo?.pid ?? "?"}, RSS peak ${serverRssMb.toFixed(0)} MB ` +
        `(after the run ${(rssAfter / 1024).toFixed(0)} MB; whole tree peak ${(rss.peakTreeKb / 1024).toFixed(0)} MB: ${treeInfo}); ` +
        `CPU ${serverCpuPercent.toFixed(0)}% of a core while delivering (${((1000 * serverCpuSeconds) / events).toFixed(1)} ms an event); ` +
        `its main thread waited ${(serverWaitMs / 1000).toFixed(1)} s for a CPU (${((100 * serverWaitMs) / 1000 / deliverySeconds).toFixed(0)}% of the time: other work on the machine)`,
    );
    console.log(
      `clients: ${reports
        .map(
          (r, k) =>
            `process ${k + 1}: CPU ${((100 * r.cpuMs) / r.wallMs).toFixed(0)}% of a core, event loop busy ${(100 * r.utilization).toFixed(0)}%, ` +
            `loop delay p99 ${r.loopDelayP99Ms.toFixed(1)} ms max ${r.loopDelayMaxMs.toFixed(1)} ms, ${r.chunks} chunks, clock ${skews[k]! >= 0 ? "+" : ""}${skews[k]!.toFixed(2)} ms`,
        )
        .join("; ")}`,
    );
    console.log(
      `load average before/after the run: ${loadBefore.map((l) => l.toFixed(2)).join(" ")} / ${loadAfter.map((l) => l.toFixed(2)).join(" ")}`,
    );
    console.log(
      problems.length === 0
        ? "delivery: every client received every event once, in order"
        : `delivery FAILED:\n  - ${problems.join("\n  - ")}`,
    );
    console.log(`p99 ${ms(p99)} ms: ${p99 <= P99_TARGET_MS ? "within" : "OVER"} the ${P99_TARGET_MS} ms target`);
    console.log(
      `server RSS peak ${serverRssMb.toFixed(0)} MB: ${serverRssMb <= RSS_TARGET_MB ? "within" : "OVER"} the ${RSS_TARGET_MB} MB target`,
    );

    await teardown.run();
    console.log(
      JSON.stringify({
        clients,
        events,
        delivered,
        missed,
        p50_ms: round(p50, 1),
        p99_ms: round(p99, 1),
        server_rss_mb: Math.round(serverRssMb),
      }),
    );
    return problems.length === 0 ? 0 : 1;
  } finally {
    await teardown.run();
  }
}

runBenchmark("bench:live", main);
