/**
 * The events domain's published read of its events for the domains above it: join
 * `eventDirectory` (a view: id, name, organizer, status, start) to show an event or ask who runs it.
 * Nobody outside events imports the `events` table (the dependency rule domain-owns-its-tables).
 */
export { eventDirectory } from "@/db/schema/events";
