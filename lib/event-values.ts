/**
 * An event's value lists, the values of the event_format, event_participant_type, event_status
 * and event_visibility enums. Plain lists with no imports, so the forms and filters in the browser
 * load them without the table definitions (drizzle's pg-core); db/schema/events.ts builds its enums
 * from them and re-exports them.
 */

export const eventFormats = ["single_elimination", "double_elimination", "round_robin", "swiss"] as const;
export type EventFormat = (typeof eventFormats)[number];

export const participantTypes = ["solo", "team"] as const;

/** Stored lifecycle; "registration open", "check-in" and so on are derived from it and the clock. */
export const eventStatuses = ["draft", "published", "live", "completed", "cancelled"] as const;
export type EventStatus = (typeof eventStatuses)[number];

export const eventVisibilities = ["public", "unlisted"] as const;
