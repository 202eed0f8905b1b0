"use client";

import { eventFormats, type EventFormat } from "@/lib/event-values";
import { phaseLabel } from "@/server/events/phase";
import { formatLabel } from "./labels";
import { phaseFilters, sortLabel, sorts, type EventFilters, type PhaseFilter, type Sort } from "./search-params";

const control =
  "block w-full rounded-md border border-zinc-300 bg-white px-3 py-2 text-base text-zinc-900 shadow-sm sm:text-sm dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100";
const labelClass = "block text-sm font-medium";

interface Props {
  filters: EventFilters;
  searchText: string;
  games: { slug: string; name: string }[];
  onSearchText: (text: string) => void;
  /** Changes a filter; the page goes back to 1. */
  onChange: (change: Partial<EventFilters>) => void;
}

export function EventFiltersBar({ filters, searchText, games, onSearchText, onChange }: Props) {
  const badRange = Boolean(filters.from && filters.to && filters.to < filters.from);
  return (
    <search aria-label="Find events" className="block">
      <form onSubmit={(event) => event.preventDefault()} className="space-y-3">
        <div className="grid gap-3 sm:grid-cols-[1fr_14rem]">
          <div className="space-y-1">
            <label htmlFor="event-search" className={labelClass}>
              Search by name
            </label>
            <input
              id="event-search"
              type="search"
              value={searchText}
              maxLength={80}
              placeholder="e.g. Friday Night Fights"
              onChange={(event) => onSearchText(event.target.value)}
              className={control}
            />
          </div>
          <div className="space-y-1">
            <label htmlFor="event-sort" className={labelClass}>
              Sort by
            </label>
            <select
              id="event-sort"
              value={filters.sort}
              onChange={(event) => onChange({ sort: event.target.value as Sort })}
              className={control}
            >
              {sorts.map((sort) => (
                <option key={sort} value={sort}>
                  {sortLabel[sort]}
                </option>
              ))}
            </select>
          </div>
        </div>
        <div className="grid grid-cols-2 gap-3 md:grid-cols-3 lg:grid-cols-6">
          <div className="space-y-1">
            <label htmlFor="event-game" className={labelClass}>
              Game
            </label>
            <select id="event-game" value={filters.game} onChange={(event) => onChange({ game: event.target.value })} className={control}>
              <option value="">All games</option>
              {games.map((game) => (
                <option key={game.slug} value={game.slug}>
                  {game.name}
                </option>
              ))}
            </select>
          </div>
          <div className="space-y-1">
            <label htmlFor="event-format" className={labelClass}>
              Format
            </label>
            <select
              id="event-format"
              value={filters.format ?? ""}
              onChange={(event) => onChange({ format: (event.target.value || undefined) as EventFormat | undefined })}
              className={control}
            >
              <option value="">All formats</option>
              {eventFormats.map((format) => (
                <option key={format} value={format}>
                  {formatLabel[format]}
                </option>
              ))}
            </select>
          </div>
          <div className="space-y-1">
            <label htmlFor="event-price" className={labelClass}>
              Entry
            </label>
            <select
              id="event-price"
              value={filters.price ?? ""}
              onChange={(event) => onChange({ price: (event.target.value || undefined) as "free" | "paid" | undefined })}
              className={control}
            >
              <option value="">Free or paid</option>
              <option value="free">Free</option>
              <option value="paid">Paid</option>
            </select>
          </div>
          <div className="space-y-1">
            <label htmlFor="event-phase" className={labelClass}>
              Status
            </label>
            <select
              id="event-phase"
              value={filters.phase ?? ""}
              onChange={(event) => onChange({ phase: (event.target.value || undefined) as PhaseFilter | undefined })}
              className={control}
            >
              <option value="">Upcoming/live</option>
              {phaseFilters.map((phase) => (
                <option key={phase} value={phase}>
                  {phaseLabel[phase]}
                </option>
              ))}
            </select>
          </div>
          <div className="space-y-1">
            <label htmlFor="event-from" className={labelClass}>
              Starts from
            </label>
            <input
              id="event-from"
              type="date"
              value={filters.from}
              max={filters.to || undefined}
              onChange={(event) => onChange({ from: event.target.value })}
              className={control}
            />
          </div>
          <div className="space-y-1">
            <label htmlFor="event-to" className={labelClass}>
              Starts until
            </label>
            <input
              id="event-to"
              type="date"
              value={filters.to}
              min={filters.from || undefined}
              aria-invalid={badRange || undefined}
              aria-describedby={badRange ? "event-range-error" : undefined}
              onChange={(event) => onChange({ to: event.target.value })}
              className={control}
            />
          </div>
        </div>
        {badRange ? (
          <p id="event-range-error" className="text-sm font-medium text-red-700 dark:text-red-400">
            The end date is before the start date, so nothing can match.
          </p>
        ) : null}
      </form>
    </search>
  );
}
