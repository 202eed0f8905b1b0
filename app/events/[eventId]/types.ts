import type { getEvent } from "@/server/events/service";

/** What events.get returns, as the event page's components read it. */
export type EventDetail = Awaited<ReturnType<typeof getEvent>>;
