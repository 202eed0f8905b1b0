import path from "node:path";
import { count } from "drizzle-orm";
import { PgTransaction } from "drizzle-orm/pg-core";
import { drizzle, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { env } from "@/server/env";
import { logger } from "@/server/logger";
import { failSpan, inSpan, SpanKind, startSpan, tracingEnabled } from "@/server/tracing";
import { startEmbeddedPostgres } from "./embedded";
import { migrateDatabase } from "./migrate";
import * as schema from "./schema";
import { seed, seedGames } from "./seed";
import { demoSeedPlan } from "./seed-policy";

export type Db = PostgresJsDatabase<typeof schema>;
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
/** Service functions take either and work alone or inside their caller's transaction. */
export type DbOrTx = Db | Tx;

export interface Database {
  db: Db;
  sql: postgres.Sql;
  url: string;
  close: () => Promise<void>;
}

/** Parameters above which a query is not kept prepared (an `IN` list of every length would be). */
const MAX_PREPARED_PARAMS = 64;

/**
 * The client Drizzle is given: every parameterised query is sent as a named prepared statement,
 * which the server parses and plans once per connection. Drizzle itself prepares only queries
 * given a name, so without this PostgreSQL parses and plans every query of every request again
 * (measured: a third of its CPU in bench:checkout). Transactions and savepoints hand their own
 * client to the callback; it is wrapped the same way.
 */
function preparing(client: postgres.Sql): postgres.Sql {
  return new Proxy(client, {
    get(target, property, receiver) {
      if (property === "unsafe") {
        return (query: string, args?: unknown[], options?: Record<string, unknown>) => {
          const pending = target.unsafe(
            query,
            args as postgres.ParameterOrJSON<never>[],
            args && args.length > 0 && args.length <= MAX_PREPARED_PARAMS ? { ...options, prepare: true } : options,
          );
          if (tracingEnabled()) traceStatement(pending, query);
          return pending;
        };
      }
      if (property === "begin" || property === "savepoint") {
        return (...args: unknown[]) => {
          const callback = args.pop() as (tx: postgres.Sql) => unknown;
          const method = (target as unknown as Record<string, (...a: unknown[]) => unknown>)[property]!;
          const run = () => method.call(target, ...args, (tx: postgres.Sql) => callback(preparing(tx)));
          return tracingEnabled() ? inSpan(`db ${property === "begin" ? "transaction" : "savepoint"}`, { kind: SpanKind.CLIENT, attributes: DB_ATTRIBUTES }, run) : run();
        };
      }
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

const DB_ATTRIBUTES = { "db.system.name": "postgresql" } as const;
const MAX_TRACED_QUERY_CHARS = 2_000;

/**
 * A span for one statement, from when it is asked for until its answer (time waiting for a pooled
 * connection included, as the caller waits it). The statement text has placeholders, never values.
 * postgres.js runs a query only when it is awaited, so the span ends through the query's own
 * resolve and reject rather than a `then` of ours, which would start it early.
 */
function traceStatement(pending: object, query: string) {
  const settle = pending as unknown as { resolve?: (value: unknown) => void; reject?: (error: unknown) => void };
  const { resolve, reject } = settle;
  if (typeof resolve !== "function" || typeof reject !== "function") return;
  const operation = /^\s*(\w+)/.exec(query)?.[1]?.toUpperCase() ?? "QUERY";
  const span = startSpan(`db ${operation}`, {
    kind: SpanKind.CLIENT,
    attributes: { ...DB_ATTRIBUTES, "db.operation.name": operation, "db.query.text": query.slice(0, MAX_TRACED_QUERY_CHARS) },
  });
  settle.resolve = (value) => {
    span.end();
    resolve(value);
  };
  settle.reject = (error) => {
    failSpan(span, error);
    span.end();
    reject(error);
  };
}

export function connect(url: string, options: { max?: number } = {}): Database {
  const sql = postgres(url, {
    max: options.max ?? 10,
    onnotice: () => {},
    connection: { application_name: "driftwood" },
  });
  const db = drizzle({ client: preparing(sql), schema, casing: "snake_case" });
  return { db, sql, url, close: () => sql.end({ timeout: 5 }) };
}

export function dataDir(): string {
  return path.resolve(/*turbopackIgnore: true*/ env.DATA_DIR ?? ".data");
}

async function open(): Promise<Database> {
  const log = logger.child({ component: "database" });
  let url = env.DATABASE_URL;
  let embedded = false;
  if (!url) {
    const pgDir = path.join(dataDir(), "postgres");
    const started = Date.now();
    const cluster = await startEmbeddedPostgres({
      dataDir: pgDir,
      log: (line) => log.debug({ postgres: line }),
    });
    url = cluster.url;
    embedded = true;
    log.info(
      { port: cluster.port, dataDir: pgDir, created: cluster.created, ms: Date.now() - started },
      cluster.owned ? "embedded PostgreSQL started" : "joined running embedded PostgreSQL",
    );
  }

  const database = connect(url);
  try {
    const applied = await migrateDatabase(database);
    if (applied.length > 0) log.info({ applied }, "migrations applied");
  } catch (error) {
    await database.close();
    throw error;
  }

  const plan = demoSeedPlan({ nodeEnv: env.NODE_ENV, autoSeed: env.AUTO_SEED, embedded });
  if (embedded && !plan.seed) await seedGames(database.db);
  if (plan.seed) {
    const [row] = await database.db.select({ users: count() }).from(schema.users);
    if (row?.users === 0) {
      await seed(database.db, { admin: plan.admin });
      log.info({ admin: plan.admin }, "fresh database: demo data seeded");
    }
  }
  return database;
}

const globalForDb = globalThis as unknown as { driftwoodDatabase?: Promise<Database> };

/**
 * The app's database, ready to use: started (embedded when DATABASE_URL is unset), migrated and,
 * when fresh and embedded, seeded. Cached on globalThis because Next.js may load this module more
 * than once per process.
 */
export function getDatabase(): Promise<Database> {
  if (!globalForDb.driftwoodDatabase) {
    globalForDb.driftwoodDatabase = open().catch((error: unknown) => {
      globalForDb.driftwoodDatabase = undefined;
      throw error;
    });
  }
  return globalForDb.driftwoodDatabase;
}

export async function getDb(): Promise<Db> {
  return (await getDatabase()).db;
}

/**
 * The postgres.js client under a Drizzle database or transaction, for what Drizzle cannot say (a
 * COPY, a set-returning function with array parameters). Inside a transaction it is the
 * transaction's own connection, so the statement joins the caller's transaction.
 */
export function postgresClient(db: DbOrTx): postgres.Sql {
  const client = (db as unknown as { session?: { client?: postgres.Sql } }).session?.client;
  if (!client) throw new Error("expected a postgres.js-backed Drizzle database");
  return client;
}

/** A query Drizzle can run with placeholder values, or prepare once. */
interface Buildable<R> {
  execute(placeholderValues?: Record<string, unknown>): Promise<R>;
  prepare(name: string): { execute(placeholderValues?: Record<string, unknown>): Promise<R> };
}

/**
 * A hot query (one run on nearly every request) built once per database instead of on every call:
 * Drizzle turns a query builder into SQL text anew each time, which is most of its cost (measured
 * by bench:checkout). `build` uses `sql.placeholder(name)` for the values; inside a transaction the
 * query is built there, since a prepared one belongs to the pool.
 */
export function reusableQuery<V extends Record<string, unknown>, R>(name: string, build: (db: DbOrTx) => Buildable<R>) {
  const prepared = new WeakMap<object, { execute(values?: Record<string, unknown>): Promise<R> }>();
  return (db: DbOrTx, values: V): Promise<R> => {
    if (db instanceof PgTransaction) return build(db).execute(values);
    let query = prepared.get(db);
    if (!query) prepared.set(db, (query = build(db).prepare(name)));
    return query.execute(values);
  };
}
