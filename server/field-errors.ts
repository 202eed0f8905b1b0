// Browser-safe: loaded by client components; imports nothing server-only.
import type { ZodError } from "zod";

/** Messages per input field, keyed by the field's path ("email", "handles.<id>"); "_form" for the whole. */
export type FieldErrors = Record<string, string[]>;

export function zodFieldErrors(error: ZodError): FieldErrors {
  const fields: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.length > 0 ? issue.path.map(String).join(".") : "_form";
    (fields[key] ??= []).push(issue.message);
  }
  return fields;
}
