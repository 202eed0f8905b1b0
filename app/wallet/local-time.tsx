"use client";

import { useSyncExternalStore } from "react";

const never = () => () => {};

const DEFAULT: Intl.DateTimeFormatOptions = { dateStyle: "medium", timeStyle: "short" };

/**
 * A time in the player's own time zone. The server cannot know that zone, so it renders UTC
 * (labelled) and the browser swaps in local time right after hydration, without a mismatch.
 */
export function LocalTime({ date, options = DEFAULT }: { date: Date; options?: Intl.DateTimeFormatOptions }) {
  const inBrowser = useSyncExternalStore(
    never,
    () => true,
    () => false,
  );
  const text = inBrowser ? date.toLocaleString(undefined, options) : `${date.toLocaleString("en-US", { ...options, timeZone: "UTC" })} UTC`;
  return <time dateTime={date.toISOString()}>{text}</time>;
}
