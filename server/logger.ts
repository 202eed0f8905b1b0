import { AsyncLocalStorage } from "node:async_hooks";
import pino from "pino";

interface RequestScope {
  requestId: string;
}

const requestScope = new AsyncLocalStorage<RequestScope>();

function defaultLevel(): pino.Level | "silent" {
  const level = process.env.LOG_LEVEL;
  if (level) return level as pino.Level | "silent";
  if (process.env.NODE_ENV === "test" || process.env.VITEST) return "silent";
  return "info";
}

/** JSON logs; every line written while handling a request carries that request's id. */
export const logger = pino({
  level: defaultLevel(),
  base: { app: "driftwood" },
  timestamp: pino.stdTimeFunctions.isoTime,
  mixin: () => {
    const scope = requestScope.getStore();
    return scope ? { requestId: scope.requestId } : {};
  },
});

export function runWithRequestId<T>(requestId: string, fn: () => T): T {
  return requestScope.run({ requestId }, fn);
}

export function currentRequestId(): string | undefined {
  return requestScope.getStore()?.requestId;
}
