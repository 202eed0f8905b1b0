import { eventFormats, type EventFormat } from "@/lib/event-values";
import type { ListEventsInput } from "@/server/events/schemas";

/** Shared by the /events page (prefetch) and the browser (state), so both build the same query key. */
export const EVENTS_PAGE_SIZE = 12;

export const phaseFilters = ["upcoming", "registration_open", "check_in", "live", "completed", "cancelled"] as const;
export type PhaseFilter = (typeof phaseFilters)[number];
export const sorts = ["soonest", "newest", "prize", "fee"] as const;
export type Sort = (typeof sorts)[number];

export const sortLabel: Record<Sort, string> = {
  soonest: "Starting soonest",
  newest: "Newest",
  prize: "Biggest prize",
  fee: "Lowest entry fee",
};

export interface EventFilters {
  search: string;
  /** A game's slug, readable in the address bar. */
  game: string;
  format: EventFormat | undefined;
  price: "free" | "paid" | undefined;
  /** Dates as "2026-12-01", in the viewer's calendar. */
  from: string;
  to: string;
  phase: PhaseFilter | undefined;
  sort: Sort;
  page: number;
}

type Params = Record<string, string | string[] | undefined>;

const one = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value) ?? "";
const oneOf = <T extends string>(options: readonly T[], value: string): T | undefined =>
  options.includes(value as T) ? (value as T) : undefined;
const isDate = (value: string) => /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value));

export function filtersFromParams(params: Params): EventFilters {
  const from = one(params.from);
  const to = one(params.to);
  return {
    search: one(params.q).trim().slice(0, 80),
    game: one(params.game).slice(0, 80),
    format: oneOf(eventFormats, one(params.format)),
    price: oneOf(["free", "paid"] as const, one(params.price)),
    from: isDate(from) ? from : "",
    to: isDate(to) ? to : "",
    phase: oneOf(phaseFilters, one(params.phase)),
    sort: oneOf(sorts, one(params.sort)) ?? "soonest",
    page: Math.min(10_000, Math.max(1, Number.parseInt(one(params.page), 10) || 1)),
  };
}

export function filtersToQuery(filters: EventFilters): URLSearchParams {
  const query = new URLSearchParams();
  if (filters.search) query.set("q", filters.search);
  if (filters.game) query.set("game", filters.game);
  if (filters.format) query.set("format", filters.format);
  if (filters.price) query.set("price", filters.price);
  if (filters.from) query.set("from", filters.from);
  if (filters.to) query.set("to", filters.to);
  if (filters.phase) query.set("phase", filters.phase);
  if (filters.sort !== "soonest") query.set("sort", filters.sort);
  if (filters.page > 1) query.set("page", String(filters.page));
  return query;
}

export function hasNarrowingFilters(filters: EventFilters): boolean {
  return Boolean(filters.search || filters.game || filters.format || filters.price || filters.from || filters.to || filters.phase);
}

/** Midnight at the start of a calendar day in this runtime's zone; `endOfDay` gives its last millisecond. */
function localDay(date: string, endOfDay = false): Date {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  return endOfDay ? new Date(new Date(y, m - 1, d + 1).getTime() - 1) : new Date(y, m - 1, d);
}

/**
 * The events.list input. Dates are only meaningful in the viewer's zone, so the server (which
 * does not know it) leaves them out and does not prefetch when they are set.
 */
export function listInputOf(filters: EventFilters, games: { id: string; slug: string }[]): ListEventsInput {
  return {
    search: filters.search,
    gameId: games.find((game) => game.slug === filters.game)?.id,
    format: filters.format,
    price: filters.price,
    from: filters.from ? localDay(filters.from) : undefined,
    to: filters.to ? localDay(filters.to, true) : undefined,
    phase: filters.phase,
    sort: filters.sort,
    page: filters.page,
    pageSize: EVENTS_PAGE_SIZE,
  };
}
