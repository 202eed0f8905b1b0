"use client";

import type { EventFormat } from "@/lib/event-values";
import { CheckedInField } from "./checked-in-field";
import { StartSettings } from "./start-settings";
import { useBracketStart } from "./use-bracket-start";

/** Before the start: the checked-in field with its seeds, and the settings the bracket starts with. */
export function PreStart({ eventId, format }: { eventId: string; format: EventFormat }) {
  const form = useBracketStart(eventId, format);
  return (
    <div className="grid gap-6 lg:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
      <CheckedInField form={form} />
      <StartSettings form={form} />
    </div>
  );
}
