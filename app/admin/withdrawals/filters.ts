import { formatMoney, parseMoney } from "@/lib/money";
import { WITHDRAWAL_STATUS_FILTERS, type WithdrawalQueueInput, type WithdrawalStatusFilter } from "@/server/withdrawals/admin-schemas";

/** The withdrawal queue's filters as its URL carries them (dates are UTC days, both included; amounts in dollars as typed). */
export interface QueueFilters {
  status: WithdrawalStatusFilter;
  /** YYYY-MM-DD or "". */
  from: string;
  to: string;
  /** Dollars as text ("25", "25.50") or "". */
  min: string;
  max: string;
  flagged: boolean;
  user: string;
  page: number;
}

export const EMPTY_FILTERS: QueueFilters = { status: "requested", from: "", to: "", min: "", max: "", flagged: false, user: "", page: 1 };

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function day(value: string | undefined): string {
  if (!value || !DAY.test(value)) return "";
  return Number.isNaN(new Date(`${value}T00:00:00Z`).getTime()) ? "" : value;
}

function amount(value: string | undefined): string {
  const text = (value ?? "").trim().slice(0, 16);
  return text && parseMoney(text) !== null ? text : "";
}

export function filtersFromParams(params: Record<string, string | undefined>): QueueFilters {
  const status = WITHDRAWAL_STATUS_FILTERS.includes(params.status as WithdrawalStatusFilter)
    ? (params.status as WithdrawalStatusFilter)
    : "requested";
  return {
    status,
    from: day(params.from),
    to: day(params.to),
    min: amount(params.min),
    max: amount(params.max),
    flagged: params.flagged === "1",
    user: (params.user ?? "").trim().slice(0, 100),
    page: Math.min(10_000, Math.max(1, Number.parseInt(params.page ?? "1", 10) || 1)),
  };
}

export function filtersToQuery(filters: QueueFilters): string {
  const query = new URLSearchParams();
  if (filters.status !== "requested") query.set("status", filters.status);
  for (const key of ["from", "to", "min", "max", "user"] as const) if (filters[key]) query.set(key, filters[key]);
  if (filters.flagged) query.set("flagged", "1");
  if (filters.page > 1) query.set("page", String(filters.page));
  return query.toString();
}

export function isFiltered(filters: QueueFilters): boolean {
  return Boolean(filters.from || filters.to || filters.min || filters.max || filters.flagged || filters.user);
}

/** The procedure's input: dollars become cents (a malformed amount is left out; the form refuses it first). */
export function queueQueryInput(filters: QueueFilters): WithdrawalQueueInput {
  const min = filters.min ? parseMoney(filters.min) : null;
  const max = filters.max ? parseMoney(filters.max) : null;
  return {
    status: filters.status,
    from: filters.from || undefined,
    to: filters.to || undefined,
    minAmount: min ?? undefined,
    maxAmount: max ?? undefined,
    flagged: filters.flagged,
    user: filters.user || undefined,
    page: filters.page,
  };
}

/** Field errors of a draft, before it is applied. */
export function draftErrors(filters: QueueFilters): Partial<Record<"to" | "min" | "max", string>> {
  const errors: Partial<Record<"to" | "min" | "max", string>> = {};
  if (filters.from && filters.to && filters.from > filters.to) errors.to = "The end date is before the start date.";
  const min = filters.min.trim() ? parseMoney(filters.min) : null;
  const max = filters.max.trim() ? parseMoney(filters.max) : null;
  if (filters.min.trim() && min === null) errors.min = "Enter an amount in dollars, like 25 or 25.50.";
  if (filters.max.trim() && max === null) errors.max = "Enter an amount in dollars, like 25 or 25.50.";
  else if (min !== null && max !== null && min > max) errors.max = `The largest amount is below ${formatMoney(min)}.`;
  return errors;
}

/** "3 approved; 1 skipped: It is already approved." */
export function decisionInWords(decision: "approve" | "reject", result: { decided: string[]; skipped: { reason: string }[] }): string {
  const done = `${result.decided.length} ${decision === "approve" ? "approved" : "rejected"}`;
  if (result.skipped.length === 0) return `${done}.`;
  const reasons = [...new Set(result.skipped.map((skip) => skip.reason))].join(" ");
  return `${done}; ${result.skipped.length} skipped: ${reasons}`;
}
