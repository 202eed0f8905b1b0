/**
 * Stripe's Idempotency-Key semantics: the first answer under a key is replayed for every later
 * request with the same key and the same parameters; other parameters under the key are an error.
 */
import type { Params } from "./params";
import { failure, type Reply } from "./replies";

export interface Answer {
  status: number;
  body: string;
  headers?: Record<string, string>;
}

export function idempotencyKeys() {
  const saved = new Map<string, { fingerprint: string; reply: Reply }>();

  /**
   * Runs `run` once per key: keys are scoped to the account, as Stripe scopes them: the API key's
   * (the platform), or the connected account a Stripe-Account header names. Synchronous on
   * purpose: see `handle` in fake-stripe-server.ts.
   */
  function answer(
    request: { apiKey: string; account: string | null; key: string; method: string; path: string; params: Params },
    run: () => Reply,
  ): Answer {
    const { apiKey, account, key, method, path, params } = request;
    const keyHeader = { "Idempotency-Key": key };
    const scope = `${apiKey}\n${account ?? ""}\n${key}`;
    const fingerprint = canonicalJson([method, path, params]);
    const earlier = saved.get(scope);
    if (earlier) {
      if (earlier.fingerprint !== fingerprint) {
        return failure(400, {
          type: "idempotency_error",
          message:
            "Keys for idempotent requests can only be used with the same parameters they were first used with. " +
            `Try using a key other than '${key}' if you meant to execute a different request.`,
        });
      }
      return { status: earlier.reply.status, body: earlier.reply.body, headers: { ...keyHeader, "Idempotent-Replayed": "true" } };
    }
    const reply = run();
    if (reply.remember) saved.set(scope, { fingerprint, reply });
    return { status: reply.status, body: reply.body, headers: keyHeader };
  }

  return { answer };
}

function canonicalJson(value: unknown): string {
  if (typeof value !== "object" || value === null) return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}
