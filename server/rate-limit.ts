import { RateLimiterDrizzle, RateLimiterRes } from "rate-limiter-flexible";
import type { Db } from "@/db/client";
import { rateLimits } from "@/db/schema/platform";

export interface LimitRule {
  /** Distinguishes one limit's keys from another's in the shared table. */
  name: string;
  points: number;
  durationSeconds: number;
}

/** `used`: the points taken in the current window, this one included. */
export type LimitOutcome = { allowed: true; used: number } | { allowed: false; retryAfterSeconds: number };

const limiters = new WeakMap<Db, Map<string, RateLimiterDrizzle>>();

function limiterFor(db: Db, rule: LimitRule): RateLimiterDrizzle {
  let byName = limiters.get(db);
  if (!byName) limiters.set(db, (byName = new Map()));
  let limiter = byName.get(rule.name);
  if (!limiter) {
    limiter = new RateLimiterDrizzle({
      storeClient: db,
      schema: rateLimits,
      keyPrefix: rule.name,
      points: rule.points,
      duration: rule.durationSeconds,
    });
    byName.set(rule.name, limiter);
  }
  return limiter;
}

/** Takes one point for `key`; refuses once the rule's points are used up within its window. */
export async function consumeLimit(db: Db, rule: LimitRule, key: string): Promise<LimitOutcome> {
  try {
    const taken = await limiterFor(db, rule).consume(key);
    return { allowed: true, used: taken.consumedPoints };
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) {
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)) };
    }
    throw rejection;
  }
}

export async function refundLimit(db: Db, rule: LimitRule, key: string): Promise<void> {
  await limiterFor(db, rule).reward(key, 1);
}

/** "in 42 seconds", "in 5 minutes", "in 2 hours": the wait in the unit a person would use. */
export function waitPhrase(seconds: number): string {
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? "" : "s"}`;
  if (seconds < 90) return `in ${plural(seconds, "second")}`;
  if (seconds < 90 * 60) return `in ${plural(Math.ceil(seconds / 60), "minute")}`;
  return `in ${plural(Math.ceil(seconds / 3600), "hour")}`;
}

export function retryMessage(seconds: number): string {
  return `Too many attempts. Please try again ${waitPhrase(seconds)}.`;
}
