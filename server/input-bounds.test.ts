/**
 * Every input a procedure takes is bounded: each string has a maximum length, each array a
 * maximum size and each record a maximum number of entries (boundedRecord), so no request can
 * make the server hold, parse or loop over more than a form could send. The router is walked
 * schema by schema; a new unbounded input, or a zod type this walker does not know, fails here.
 */
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { promoCodeInput } from "./registration/schemas";
import type { RecordBound } from "./input-bounds";
import { appRouter } from "./root";

type Schema = z.core.$ZodType;
type Def = z.core.$ZodTypeDef & Record<string, unknown>;

/** String formats whose grammar fixes their length. */
const fixedLengthFormats = new Set(["uuid", "guid", "ulid"]);
/** Types that carry no text or list of their own. */
const scalars = new Set(["number", "int", "boolean", "bigint", "date", "enum", "literal", "null", "undefined", "nan", "void"]);
/** Wrappers whose input is their inner type's. */
const wrappers = new Set(["optional", "nullable", "default", "prefault", "nonoptional", "readonly", "catch"]);

const hasMaximum = (def: Def) =>
  ((def.checks ?? []) as { _zod: { def: { check: string } } }[]).some((check) =>
    ["max_length", "length_equals"].includes(check._zod.def.check),
  );

/** Paths (with what is wrong) of every unbounded part of `schema`. */
function unboundedInputs(schema: Schema, path = "input"): string[] {
  const def = schema._zod.def as Def;
  const walk = (inner: unknown, at: string) => unboundedInputs(inner as Schema, at);
  if (scalars.has(def.type)) return [];
  if (wrappers.has(def.type)) return walk(def.innerType, path);
  switch (def.type) {
    case "string":
      return fixedLengthFormats.has(def.format as string) || hasMaximum(def) ? [] : [`${path}: a string without a maximum length`];
    case "array":
      return [...(hasMaximum(def) ? [] : [`${path}: an array without a maximum size`]), ...walk(def.element, `${path}[]`)];
    case "record": {
      const bound = z.globalRegistry.get(schema as z.ZodType) as Partial<RecordBound> | undefined;
      const own = bound?.maxEntries ? [] : [`${path}: a record without a maximum number of entries (use boundedRecord)`];
      return [...own, ...walk(def.keyType, `${path}{key}`), ...walk(def.valueType, `${path}{value}`)];
    }
    case "object":
      return Object.entries(def.shape as Record<string, Schema>).flatMap(([key, value]) => walk(value, `${path}.${key}`));
    case "union":
      return (def.options as Schema[]).flatMap((option, i) => walk(option, `${path}|${i}`));
    case "intersection":
      return [...walk(def.left, path), ...walk(def.right, path)];
    case "tuple":
      return [
        ...(def.items as Schema[]).flatMap((item, i) => walk(item, `${path}[${i}]`)),
        ...(def.rest ? walk(def.rest, `${path}[...]`) : []),
      ];
    case "pipe":
      // The output side only ever sees what the input side let through, unless that is a transform.
      return (def.in as Schema)._zod.def.type === "transform" ? walk(def.out, path) : walk(def.in, path);
    default:
      return [`${path}: a ${def.type} input this test cannot bound; bound it, or teach the test`];
  }
}

const procedures = Object.entries(appRouter._def.procedures as unknown as Record<string, { _def: { inputs: Schema[] } }>).sort(([a], [b]) =>
  a.localeCompare(b),
);

describe("every procedure's input is bounded", () => {
  it("finds the procedures", () => {
    expect(procedures.length).toBeGreaterThan(90);
  });

  it.each(procedures)("%s", (_path, procedure) => {
    expect(procedure._def.inputs.flatMap((input) => unboundedInputs(input))).toEqual([]);
  });

  it("the walker finds what it must", () => {
    const unbounded = z.object({
      name: z.string().trim(),
      email: z.email(),
      tags: z.array(z.uuid()),
      scores: z.record(z.string(), z.number()),
      card: z
        .string()
        .transform((value) => value.trim())
        .pipe(z.string().max(19)),
      anything: z.unknown(),
    });
    expect(unboundedInputs(unbounded)).toEqual([
      "input.name: a string without a maximum length",
      "input.email: a string without a maximum length",
      "input.tags: an array without a maximum size",
      "input.scores: a record without a maximum number of entries (use boundedRecord)",
      "input.scores{key}: a string without a maximum length",
      "input.card: a string without a maximum length",
      "input.anything: a unknown input this test cannot bound; bound it, or teach the test",
    ]);
    const bounded = z.object({
      id: z.uuid(),
      email: z.string().max(254).pipe(z.email()),
      list: z.array(z.string().max(5)).max(3).optional(),
      when: z.coerce.date(),
    });
    expect(unboundedInputs(bounded)).toEqual([]);
  });
});

describe("numbers that reach integer columns are bounded too", () => {
  it("a promo code's value and uses fit their columns: a bad value is a field message, not a database error", () => {
    const code = { code: "SAVE", kind: "fixed" as const };
    const errors = (input: object) => promoCodeInput.safeParse({ ...code, ...input }).error?.issues.map((issue) => issue.path.join("."));
    expect(errors({ value: 3_000_000_000 })).toEqual(["value"]);
    expect(errors({ value: 500, maxUses: 3_000_000_000 })).toEqual(["maxUses"]);
    expect(errors({ value: 500, maxUses: 10 })).toBeUndefined();
  });
});
