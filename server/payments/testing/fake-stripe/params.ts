/**
 * Request parameters as Stripe reads them: form-encoded with bracket notation, checked before the
 * endpoint does anything. A request that fails here is refused with a 400 that Stripe never
 * remembers under its idempotency key (see `refused` in replies.ts).
 */

export type Params = { [name: string]: ParamValue };
export type ParamValue = string | Params;

/** A request Stripe would refuse before doing anything: answered 400 and never remembered. */
export class ParamError extends Error {
  constructor(
    message: string,
    readonly param: string,
    readonly code = "parameter_invalid",
  ) {
    super(message);
  }
}

/** `a=1&metadata[x]=2&created[gte]=3` → `{ a: "1", metadata: { x: "2" }, created: { gte: "3" } }`. */
export function parseForm(text: string): Params {
  const root = emptyParams();
  for (const [name, value] of new URLSearchParams(text)) {
    const match = /^([^[\]]+)((?:\[[^[\]]+\])*)$/.exec(name);
    if (!match) throw new ParamError(`Invalid parameter name: ${name}`, name);
    const path = [match[1]!, ...[...match[2]!.matchAll(/\[([^[\]]+)\]/g)].map((part) => part[1]!)];
    const last = path.pop()!;
    let node = root;
    for (const part of path) {
      const child: ParamValue = node[part] ?? (node[part] = emptyParams());
      if (typeof child === "string") throw new ParamError(`Invalid object: ${part}`, name);
      node = child;
    }
    if (node[last] !== undefined) throw new ParamError(`Received the parameter ${name} more than once.`, name);
    node[last] = value;
  }
  return root;
}

/** No prototype, so a parameter named `__proto__` or `constructor` is just a name. */
function emptyParams(): Params {
  return Object.create(null) as Params;
}

export function allowOnly(params: Params, names: readonly string[], parent?: string) {
  for (const name of Object.keys(params)) {
    if (!names.includes(name)) {
      const full = parent ? `${parent}[${name}]` : name;
      throw new ParamError(`Received unknown parameter: ${full}`, full, "parameter_unknown");
    }
  }
}

export function required<T>(value: T | undefined, param: string): T {
  if (value === undefined) throw new ParamError(`Missing required param: ${param}.`, param, "parameter_missing");
  return value;
}

export function stringParam(params: Params, name: string, label = name): string | undefined {
  const value = params[name];
  if (value !== undefined && typeof value !== "string") throw new ParamError(`Invalid string: ${label}`, label);
  return value;
}

export function integerParam(params: Params, name: string, min: number, max: number, label = name): number | undefined {
  const text = stringParam(params, name, label);
  if (text === undefined) return undefined;
  const value = /^-?\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(value)) throw new ParamError(`Invalid integer: ${text}`, label, "parameter_invalid_integer");
  if (value < min || value > max) throw new ParamError(`${label} must be between ${min} and ${max}.`, label);
  return value;
}

export function booleanParam(params: Params, name: string, label = name): boolean | undefined {
  const text = stringParam(params, name, label);
  if (text === undefined) return undefined;
  if (text !== "true" && text !== "false") throw new ParamError(`Invalid boolean: ${text}`, label);
  return text === "true";
}

export function enumParam(params: Params, name: string, allowed: readonly string[]): string | undefined {
  const text = stringParam(params, name);
  if (text !== undefined && !allowed.includes(text)) {
    throw new ParamError(`Invalid ${name}: must be one of ${allowed.join(", ")}`, name);
  }
  return text;
}

export function currencyParam(params: Params): string {
  const currency = required(stringParam(params, "currency"), "currency").toLowerCase();
  if (!/^[a-z]{3}$/.test(currency)) throw new ParamError(`Invalid currency: ${currency}.`, "currency");
  return currency;
}

export function metadataParam(params: Params): Record<string, string> {
  const value = params.metadata;
  // The SDK sends `metadata=` to clear metadata; on create that simply means none.
  if (value === undefined || value === "") return {};
  if (typeof value === "string") throw new ParamError("Invalid object", "metadata");
  const entries = Object.entries(value);
  if (entries.length > 50) throw new ParamError("Metadata can have at most 50 keys.", "metadata");
  for (const [key, item] of entries) {
    if (typeof item !== "string") throw new ParamError(`Invalid string: metadata[${key}]`, `metadata[${key}]`);
    if (key.length > 40 || item.length > 500) {
      throw new ParamError("Metadata keys are at most 40 characters and values at most 500.", `metadata[${key}]`);
    }
  }
  return Object.fromEntries(entries) as Record<string, string>;
}

export function createdFilter(params: Params): (created: number) => boolean {
  const value = params.created;
  if (value === undefined) return () => true;
  if (typeof value === "string") {
    const exact = required(integerParam(params, "created", 0, Number.MAX_SAFE_INTEGER), "created");
    return (created) => created === exact;
  }
  allowOnly(value, ["gt", "gte", "lt", "lte"], "created");
  const bound = (name: string) => integerParam(value, name, 0, Number.MAX_SAFE_INTEGER, `created[${name}]`);
  const [gt, gte, lt, lte] = [bound("gt"), bound("gte"), bound("lt"), bound("lte")];
  return (created) =>
    (gt === undefined || created > gt) &&
    (gte === undefined || created >= gte) &&
    (lt === undefined || created < lt) &&
    (lte === undefined || created <= lte);
}
