/** The SQLSTATE of a database error, whether or not the ORM wrapped it. */
export function pgErrorCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return undefined;
}

export const isUniqueViolation = (error: unknown) => pgErrorCode(error) === "23505";

/** The constraint (or unique index) a database error names, whether or not the ORM wrapped it. */
export function pgConstraintOf(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const name = (e as { constraint_name?: unknown }).constraint_name;
    if (typeof name === "string") return name;
  }
  return undefined;
}

/** A unique violation on the index or constraint `name`: which of a table's unique keys was hit. */
export const isUniqueViolationOn = (error: unknown, name: string) => isUniqueViolation(error) && pgConstraintOf(error) === name;
