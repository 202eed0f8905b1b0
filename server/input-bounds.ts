// Browser-safe: loaded by client components; imports nothing server-only.
/**
 * Bounds for inputs that zod cannot bound by itself. A zod record has no `.max`: this one refuses
 * more than `maxEntries` keys and records the bound as metadata, where the input-bounds test
 * (which checks that every procedure's strings, arrays and records are bounded) can read it.
 * Loaded by the browser too (input schemas are shared with forms).
 */
import { z } from "zod";

export interface RecordBound {
  maxEntries: number;
}

export function boundedRecord<Key extends z.core.$ZodRecordKey, Value extends z.core.SomeType>(
  key: Key,
  value: Value,
  maxEntries: number,
  message: string,
) {
  return z
    .record(key, value)
    .refine((record) => Object.keys(record).length <= maxEntries, message)
    .meta({ maxEntries } satisfies RecordBound);
}
