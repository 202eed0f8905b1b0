import { PgTransaction } from "drizzle-orm/pg-core";
import { drizzle, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import * as schema from "./schema";

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

/**
 * What the app may watch of its database (statement and transaction tracing: server/database-tracing.ts).
 * `active()` is asked before each statement, transaction and savepoint, so an observer that is off
 * costs one call, and a database without one nothing.
 */
export interface DatabaseObserver {
  active(): boolean;
  /** A statement was asked for (its text has placeholders, never values); told once how it settled. */
  statement(query: string): StatementWatch;
  /** Runs a transaction or savepoint (its callback and its commit) inside whatever the observer wraps around it. */
  transaction<T>(kind: "transaction" | "savepoint", run: () => T): T;
}

export interface StatementWatch {
  succeeded(): void;
  failed(error: unknown): void;
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
function preparing(client: postgres.Sql, observer: DatabaseObserver | undefined): postgres.Sql {
  return new Proxy(client, {
    get(target, property, receiver) {
      if (property === "unsafe") {
        return (query: string, args?: unknown[], options?: Record<string, unknown>) => {
          const pending = target.unsafe(
            query,
            args as postgres.ParameterOrJSON<never>[],
            args && args.length > 0 && args.length <= MAX_PREPARED_PARAMS ? { ...options, prepare: true } : options,
          );
          if (observer?.active()) watchStatement(pending, query, observer);
          return pending;
        };
      }
      if (property === "begin" || property === "savepoint") {
        return (...args: unknown[]) => {
          const callback = args.pop() as (tx: postgres.Sql) => unknown;
          const method = (target as unknown as Record<string, (...a: unknown[]) => unknown>)[property]!;
          const run = () => method.call(target, ...args, (tx: postgres.Sql) => callback(preparing(tx, observer)));
          return observer?.active() ? observer.transaction(property === "begin" ? "transaction" : "savepoint", run) : run();
        };
      }
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/**
 * Tells the observer about one statement, from when it is asked for until its answer (time waiting
 * for a pooled connection included, as the caller waits it). postgres.js runs a query only when it
 * is awaited, so the watch ends through the query's own resolve and reject rather than a `then` of
 * ours, which would start it early.
 */
function watchStatement(pending: object, query: string, observer: DatabaseObserver) {
  const settle = pending as unknown as { resolve?: (value: unknown) => void; reject?: (error: unknown) => void };
  const { resolve, reject } = settle;
  if (typeof resolve !== "function" || typeof reject !== "function") return;
  const watch = observer.statement(query);
  settle.resolve = (value) => {
    watch.succeeded();
    resolve(value);
  };
  settle.reject = (error) => {
    watch.failed(error);
    reject(error);
  };
}

export interface ConnectOptions {
  /** Pool size (10). */
  max?: number;
  /** Watches statements and transactions (the app's tracing); none: nothing is watched. */
  observer?: DatabaseObserver;
}

/** A pool on `url` with Drizzle over it; connecting is all it does (start-up, migrations and seeding are the app's). */
export function connect(url: string, options: ConnectOptions = {}): Database {
  const sql = postgres(url, {
    max: options.max ?? 10,
    onnotice: () => {},
    connection: { application_name: "driftwood" },
  });
  const db = drizzle({ client: preparing(sql, options.observer), schema, casing: "snake_case" });
  return { db, sql, url, close: () => sql.end({ timeout: 5 }) };
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
