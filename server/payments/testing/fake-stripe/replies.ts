/** Stripe's answers: JSON objects, and its error envelope `{ error: { type, code, param, message } }`. */
import type { ParamError } from "./params";

export interface Reply {
  status: number;
  body: string;
  /**
   * Whether Stripe would store this answer under the idempotency key. It does not when the request
   * failed parameter validation (the endpoint never started), so a corrected retry may reuse the key.
   */
  remember: boolean;
}

export interface StripeErrorBody {
  type: "invalid_request_error" | "idempotency_error" | "api_error";
  message: string;
  code?: string;
  param?: string;
}

export function ok(object: unknown): Reply {
  return { status: 200, body: JSON.stringify(object), remember: true };
}

export function failure(status: number, error: StripeErrorBody): Reply {
  return { status, body: JSON.stringify({ error }), remember: true };
}

export function refused(error: ParamError): Reply {
  const body: StripeErrorBody = { type: "invalid_request_error", code: error.code, param: error.param, message: error.message };
  return { status: 400, body: JSON.stringify({ error: body }), remember: false };
}

export function noSuchIntent(id: string, param: string): Reply {
  const status = param === "intent" ? 404 : 400;
  return failure(status, { type: "invalid_request_error", code: "resource_missing", param, message: `No such payment_intent: '${id}'` });
}
