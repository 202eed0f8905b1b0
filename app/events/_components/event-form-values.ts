import type { FieldErrors } from "@/server/field-errors";
import type { EventInput } from "@/server/events/schemas";
import { isValidTimeZone, utcToZonedLocal, zonedLocalToUtc } from "@/server/events/time";
import { formatMoney, parseMoney } from "@/lib/money";
import type { EventFormat } from "@/lib/event-values";

/** The event form as the organizer types it: text everywhere, times on the event zone's wall clock. */
export interface EventFormValues {
  name: string;
  gameId: string;
  format: EventFormat;
  participantType: "solo" | "team";
  teamSize: string;
  substitutes: string;
  capacity: string;
  entryFee: string;
  organizerPrize: string;
  prizeFromFeesPercent: string;
  payoutSplit: string;
  withdrawalPenaltyPercent: string;
  /** Team events: who receives a team's prize. */
  teamPrize: "roster" | "captain";
  timeZone: string;
  registrationOpensAt: string;
  registrationClosesAt: string;
  checkInOpensAt: string;
  checkInClosesAt: string;
  startsAt: string;
  rules: string;
  visibility: "public" | "unlisted";
}

export type EventFormField = keyof EventFormValues;
export const timeFields = ["registrationOpensAt", "registrationClosesAt", "checkInOpensAt", "checkInClosesAt", "startsAt"] as const;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** "$1,000.00" → "1,000.00", and 0 → "0", for a dollars input. */
export function dollarsText(cents: number): string {
  return cents === 0 ? "0" : formatMoney(cents).replace(/^\$/, "");
}

/** A new event: registration opens now and runs a week; check-in is the hour before a start on the hour. */
export function defaultEventValues(now: Date, timeZone: string): EventFormValues {
  const startsAt = new Date(Math.ceil((now.getTime() + 7 * DAY + 2 * HOUR) / HOUR) * HOUR);
  const local = (date: Date) => utcToZonedLocal(date, timeZone);
  return {
    name: "",
    gameId: "",
    format: "single_elimination",
    participantType: "solo",
    teamSize: "5",
    substitutes: "1",
    capacity: "32",
    entryFee: "0",
    organizerPrize: "0",
    prizeFromFeesPercent: "0",
    payoutSplit: "100",
    withdrawalPenaltyPercent: "0",
    teamPrize: "roster",
    timeZone,
    registrationOpensAt: local(now),
    registrationClosesAt: local(new Date(startsAt.getTime() - 2 * HOUR)),
    checkInOpensAt: local(new Date(startsAt.getTime() - HOUR)),
    checkInClosesAt: local(startsAt),
    startsAt: local(startsAt),
    rules: "",
    visibility: "public",
  };
}

type StoredEvent = Omit<
  EventFormValues,
  | "teamPrize"
  | "teamSize"
  | "substitutes"
  | "capacity"
  | "entryFee"
  | "organizerPrize"
  | "prizeFromFeesPercent"
  | "payoutSplit"
  | "withdrawalPenaltyPercent"
  | (typeof timeFields)[number]
> & {
  teamSize: number;
  substitutes: number;
  capacity: number;
  entryFee: number;
  organizerPrize: number;
  prizeFromFeesPercent: number;
  payoutSplit: number[];
  withdrawalPenaltyPercent: number;
  teamPrizeToCaptain: boolean;
} & Record<(typeof timeFields)[number], Date>;

/** An existing event back into the form, its times on the clock of its own zone. */
export function eventFormValuesOf(event: StoredEvent): EventFormValues {
  return {
    name: event.name,
    gameId: event.gameId,
    format: event.format,
    participantType: event.participantType,
    teamSize: String(event.participantType === "team" ? event.teamSize : 5),
    substitutes: String(event.participantType === "team" ? event.substitutes : 1),
    capacity: String(event.capacity),
    entryFee: dollarsText(event.entryFee),
    organizerPrize: dollarsText(event.organizerPrize),
    prizeFromFeesPercent: String(event.prizeFromFeesPercent),
    payoutSplit: event.payoutSplit.join("/"),
    withdrawalPenaltyPercent: String(event.withdrawalPenaltyPercent),
    teamPrize: event.teamPrizeToCaptain ? "captain" : "roster",
    timeZone: event.timeZone,
    ...(Object.fromEntries(timeFields.map((field) => [field, utcToZonedLocal(event[field], event.timeZone)])) as Record<
      (typeof timeFields)[number],
      string
    >),
    rules: event.rules,
    visibility: event.visibility,
  };
}

/**
 * The form's text as an events.create input, plus messages for text that is not even a number
 * or an amount (eventInput itself then checks ranges, the split and the timeline).
 */
export function eventInputOf(values: EventFormValues): { input: EventInput; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const fail = (field: EventFormField, message: string) => {
    (errors[field] ??= []).push(message);
    return Number.NaN;
  };
  const whole = (field: EventFormField, emptyIsZero = false) => {
    const text = values[field].trim();
    if (text === "" && emptyIsZero) return 0;
    return /^\d{1,9}$/.test(text) ? Number(text) : fail(field, text === "" ? "Enter a number." : "Enter a whole number, like 5.");
  };
  const dollars = (field: EventFormField) => {
    const text = values[field].trim();
    if (text === "") return 0;
    return parseMoney(text) ?? fail(field, "Enter an amount in dollars, like 5 or 12.50.");
  };
  const splitText = values.payoutSplit.replaceAll("%", "").trim();
  const split = splitText === "" ? [] : splitText.split(/[\s/,;]+/).filter(Boolean);
  if (split.some((part) => !/^\d{1,3}$/.test(part)))
    fail("payoutSplit", "Write whole percentages per place, separated by slashes, like 50/30/20.");
  const zoneOk = isValidTimeZone(values.timeZone);
  const instant = (field: (typeof timeFields)[number]) =>
    zoneOk ? (zonedLocalToUtc(values[field], values.timeZone) ?? undefined) : undefined;
  const team = values.participantType === "team";

  const input: EventInput = {
    name: values.name,
    gameId: values.gameId,
    format: values.format,
    participantType: values.participantType,
    teamSize: team ? whole("teamSize") : 1,
    substitutes: team ? whole("substitutes", true) : 0,
    capacity: whole("capacity"),
    entryFee: dollars("entryFee"),
    prizeFromFeesPercent: whole("prizeFromFeesPercent", true),
    organizerPrize: dollars("organizerPrize"),
    payoutSplit: split.map(Number),
    withdrawalPenaltyPercent: whole("withdrawalPenaltyPercent", true),
    teamPrizeToCaptain: team && values.teamPrize === "captain",
    registrationOpensAt: instant("registrationOpensAt"),
    registrationClosesAt: instant("registrationClosesAt"),
    checkInOpensAt: instant("checkInOpensAt"),
    checkInClosesAt: instant("checkInClosesAt"),
    startsAt: instant("startsAt"),
    timeZone: values.timeZone,
    rules: values.rules,
    visibility: values.visibility,
  };
  return { input, errors };
}

/** Messages keyed by the form's field: "payoutSplit.0" belongs to "payoutSplit". */
export function byFormField(errors: FieldErrors): FieldErrors {
  const grouped: FieldErrors = {};
  for (const [path, messages] of Object.entries(errors)) {
    const field = path.split(".")[0]!;
    grouped[field] = [...new Set([...(grouped[field] ?? []), ...messages])];
  }
  return grouped;
}
