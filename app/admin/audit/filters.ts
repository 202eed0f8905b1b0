/** The audit page's filters as its URL carries them (dates are UTC days, `to` included). */
export interface AuditFilters {
  actor: string;
  target: string;
  action: string;
  /** YYYY-MM-DD or "". */
  from: string;
  to: string;
  page: number;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function day(value: string | undefined): string {
  if (!value || !DAY.test(value)) return "";
  return Number.isNaN(new Date(`${value}T00:00:00Z`).getTime()) ? "" : value;
}

export function filtersFromParams(params: Record<string, string | undefined>): AuditFilters {
  return {
    actor: (params.actor ?? "").trim().slice(0, 100),
    target: (params.target ?? "").trim().slice(0, 100),
    action: /^[a-z0-9_.]{1,100}$/.test(params.action ?? "") ? params.action! : "",
    from: day(params.from),
    to: day(params.to),
    page: Math.min(10_000, Math.max(1, Number.parseInt(params.page ?? "1", 10) || 1)),
  };
}

export function filtersToQuery(filters: AuditFilters): string {
  const query = new URLSearchParams();
  for (const key of ["actor", "target", "action", "from", "to"] as const) if (filters[key]) query.set(key, filters[key]);
  if (filters.page > 1) query.set("page", String(filters.page));
  return query.toString();
}

/** The procedure's input: `to` is the end of that UTC day (the next day's midnight, excluded). */
export function auditQueryInput(filters: AuditFilters) {
  return {
    actor: filters.actor || undefined,
    target: filters.target || undefined,
    action: filters.action || undefined,
    from: filters.from ? new Date(`${filters.from}T00:00:00Z`) : undefined,
    to: filters.to ? new Date(new Date(`${filters.to}T00:00:00Z`).getTime() + 86_400_000) : undefined,
    page: filters.page,
  };
}
