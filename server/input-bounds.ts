/**
 * Bounds for inputs that zod cannot bound by itself. A zod record has no `.max`: this one refuses
 * more than `maxEntries` keys and records the bound as metadata, where the input-bounds test
 * (which checks that every procedure's strings, arrays and records are bounded) can read it.
 * Loaded by the browser too (input schemas are shared with forms).
 */
import { z } from "zod";

/**
 * The largest API request body read (1 MiB): the largest legitimate input, a manual seeding order
 * of 16,384 entrants, is about 650 KB; a form sends a few KB.
 */
export const MAX_API_BODY_BYTES = 1 << 20;
/** Calls in one tRPC batch: more than any page asks for at once; the browser's link batches no more. */
export const MAX_API_BATCH = 50;

export interface RecordBound {
  maxEntries: number;
}

export function boundedRecord<Key extends z.core.$ZodRecordKey, Value extends z.core.SomeType>(key: Key, value: Value, maxEntries: number, message: string) {
  return z
    .record(key, value)
    .refine((record) => Object.keys(record).length <= maxEntries, message)
    .meta({ maxEntries } satisfies RecordBound);
}
