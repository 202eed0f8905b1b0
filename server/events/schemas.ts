// Browser-safe: loaded by client components; imports nothing server-only.
import { z } from "zod";
import { eventFormats, eventVisibilities, participantTypes } from "@/lib/event-values";
import { isValidTimeZone } from "./time";

const cents = (max: number, label: string) =>
  z
    .number({ message: `Enter the ${label}.` })
    .int("Amounts are in whole cents.")
    .min(0, `The ${label} cannot be negative.`)
    .max(max);

const instant = (label: string) => z.coerce.date({ message: `Enter the ${label}.` });

export const eventInput = z
  .object({
    name: z.string().trim().min(3, "Give the event a name of at least 3 characters.").max(80, "Keep the name under 80 characters."),
    gameId: z.uuid({ message: "Choose a game." }),
    format: z.enum(eventFormats, { message: "Choose a format." }),
    participantType: z.enum(participantTypes, { message: "Choose solo or team." }),
    teamSize: z.number().int().min(1).max(10, "Teams have at most 10 players."),
    substitutes: z.number().int().min(0).max(5, "At most 5 substitutes."),
    capacity: z
      .number({ message: "Enter how many can take part." })
      .int()
      .min(2, "At least 2 entrants.")
      .max(4096, "At most 4,096 entrants."),
    entryFee: cents(100_000, "entry fee").refine((v) => v === 0 || v >= 50, "A paid entry is at least $0.50."),
    prizeFromFeesPercent: z.number().int().min(0, "0 to 100 percent.").max(100, "0 to 100 percent."),
    organizerPrize: cents(100_000_000, "organizer-funded prize"),
    payoutSplit: z
      .array(z.number().int().min(1, "Each place gets at least 1%."), { message: "Enter the payout split." })
      .min(1, "Pay at least one place.")
      .max(16, "At most 16 paid places.")
      .refine((split) => split.reduce((a, b) => a + b, 0) === 100, "The payout split must add up to 100%.")
      .refine((split) => split.every((p, i) => i === 0 || p <= split[i - 1]!), "Later places cannot get more than earlier ones."),
    withdrawalPenaltyPercent: z.number().int().min(0, "0 to 100 percent.").max(100, "0 to 100 percent."),
    /** Team events: the whole prize to the captain instead of split evenly over the checked-in roster. */
    teamPrizeToCaptain: z.boolean().default(false),
    registrationOpensAt: instant("registration opening time"),
    registrationClosesAt: instant("registration closing time"),
    checkInOpensAt: instant("check-in opening time"),
    checkInClosesAt: instant("check-in closing time"),
    startsAt: instant("start time"),
    timeZone: z.string().max(64, "Choose a time zone from the list.").refine(isValidTimeZone, "Choose a time zone from the list."),
    rules: z.string().max(20_000, "Keep the rules under 20,000 characters.").default(""),
    visibility: z.enum(eventVisibilities).default("public"),
  })
  .superRefine((e, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
    if (e.participantType === "solo" && (e.teamSize !== 1 || e.substitutes !== 0)) issue("teamSize", "Solo events have teams of one.");
    if (e.participantType === "team" && e.teamSize < 2) issue("teamSize", "Team events need teams of at least 2.");
    if (e.registrationClosesAt <= e.registrationOpensAt) issue("registrationClosesAt", "Registration must close after it opens.");
    if (e.checkInClosesAt <= e.checkInOpensAt) issue("checkInClosesAt", "Check-in must close after it opens.");
    if (e.startsAt < e.registrationClosesAt) issue("startsAt", "The event cannot start before registration closes.");
    if (e.checkInClosesAt < e.registrationClosesAt) issue("checkInClosesAt", "Check-in cannot close before registration closes.");
    if (e.startsAt < e.checkInClosesAt) issue("startsAt", "The event cannot start before check-in closes.");
    if (e.payoutSplit.length > e.capacity) issue("payoutSplit", "More paid places than entrants.");
  });
export type EventInput = z.input<typeof eventInput>;

export const eventIdInput = z.object({ eventId: z.uuid({ message: "That event does not exist." }) });

export const listEventsInput = z.object({
  search: z.string().trim().max(80).default(""),
  gameId: z.uuid().optional(),
  format: z.enum(eventFormats).optional(),
  price: z.enum(["free", "paid"]).optional(),
  from: z.coerce.date().optional(),
  to: z.coerce.date().optional(),
  phase: z.enum(["upcoming", "registration_open", "check_in", "live", "completed", "cancelled"]).optional(),
  sort: z.enum(["soonest", "newest", "prize", "fee"]).default("soonest"),
  page: z.number().int().min(1).max(10_000).default(1),
  pageSize: z.number().int().min(1).max(50).default(12),
});
export type ListEventsInput = z.infer<typeof listEventsInput>;

export const cancelEventInput = eventIdInput.extend({
  reason: z.string().trim().min(5, "Tell players why, in at least 5 characters.").max(500),
});
