import type { DatabaseObserver } from "@/db/client";
import { failSpan, inSpan, SpanKind, startSpan, tracingEnabled } from "./tracing";

const DB_ATTRIBUTES = { "db.system.name": "postgresql" } as const;
const MAX_TRACED_QUERY_CHARS = 2_000;

/**
 * Spans for the app's database (server/database.ts gives it to `connect`): one per transaction and
 * savepoint, and one per statement from when it is asked for until its answer, named after its
 * operation (`db SELECT`), with its text (placeholders, never values). While tracing is off the
 * client asks `active()` and does nothing more.
 */
export const databaseTracing: DatabaseObserver = {
  active: tracingEnabled,

  statement(query) {
    const operation = /^\s*(\w+)/.exec(query)?.[1]?.toUpperCase() ?? "QUERY";
    const span = startSpan(`db ${operation}`, {
      kind: SpanKind.CLIENT,
      attributes: { ...DB_ATTRIBUTES, "db.operation.name": operation, "db.query.text": query.slice(0, MAX_TRACED_QUERY_CHARS) },
    });
    return {
      succeeded: () => span.end(),
      failed: (error) => {
        failSpan(span, error);
        span.end();
      },
    };
  },

  transaction(kind, run) {
    return inSpan(`db ${kind}`, { kind: SpanKind.CLIENT, attributes: DB_ATTRIBUTES }, run);
  },
};
