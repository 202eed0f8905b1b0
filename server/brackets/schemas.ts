import { z } from "zod";
import { boundedRecord } from "@/server/input-bounds";
import {
  MAX_BEST_OF,
  MAX_BEST_OF_OVERRIDES,
  MAX_BRACKET_ENTRANTS,
  MAX_GROUPS,
  MAX_PLAYOFF_ADVANCE,
  MAX_SWISS_ROUNDS,
} from "./engine/limits";

const eventId = z.uuid({ message: "That event does not exist." });
const matchId = z.uuid({ message: "That match does not exist." });
const side = z.union([z.literal(0), z.literal(1)], { message: "Choose side 0 or side 1." });
const score = z.tuple([z.number().int().min(0).max(999_999), z.number().int().min(0).max(999_999)], {
  message: "A score is two whole numbers of zero or more.",
});
const games = (value: number) => value >= 1 && value <= MAX_BEST_OF && value % 2 === 1;
const bestOfCount = z.number().int().refine(games, `Best-of is an odd number of games from 1 to ${MAX_BEST_OF}.`);

export const bestOfInput = z.union([
  bestOfCount,
  z.object({
    default: bestOfCount,
    /** e.g. { finals: 5, semifinals: 3, "upper:1": 1, "lower:3": 3 } */
    overrides: boundedRecord(
      z
        .string()
        .max(20, "Unknown round name.")
        .regex(/^(finals|semifinals|third_place|upper_final|lower_final|(upper|lower|group|swiss):[1-9]\d*)$/, "Unknown round name."),
      bestOfCount,
      MAX_BEST_OF_OVERRIDES,
      `At most ${MAX_BEST_OF_OVERRIDES} best-of overrides.`,
    ).optional(),
  }),
]);

/** The organizer's options; the format itself is the event's. */
export const bracketOptions = z.object({
  /** Single elimination. */
  thirdPlace: z.boolean().default(false),
  /** Double elimination. */
  grandFinal: z.enum(["none", "single", "reset"]).default("reset"),
  /** Round robin: groups, and whether each pair meets once or twice. */
  groups: z.number().int().min(1, "At least one group.").max(MAX_GROUPS, `At most ${MAX_GROUPS} groups.`).default(1),
  meetings: z.union([z.literal(1), z.literal(2)]).default(1),
  /** Round robin into playoffs: the top `advance` of each group play an elimination bracket. */
  playoff: z
    .object({
      advance: z
        .number()
        .int()
        .min(1, "At least one entrant per group advances.")
        .max(MAX_PLAYOFF_ADVANCE, `At most ${MAX_PLAYOFF_ADVANCE} per group advance.`),
      format: z.enum(["single_elimination", "double_elimination"]),
      thirdPlace: z.boolean().default(false),
      grandFinal: z.enum(["none", "single", "reset"]).default("reset"),
    })
    .optional(),
  /** Swiss: rounds (default: enough to find a winner, ceil(log2 n)). */
  swissRounds: z
    .number()
    .int()
    .min(1, "At least one round.")
    .max(MAX_SWISS_ROUNDS, `A Swiss may have at most ${MAX_SWISS_ROUNDS} rounds.`)
    .optional(),
  bestOf: bestOfInput.optional(),
});
export type BracketOptions = z.infer<typeof bracketOptions>;

export const seedingInput = z.object({
  seeding: z.enum(["registration", "random", "rating", "manual"]).default("registration"),
  /** Random: the same seed gives the same draw (the preview returns the one it used). */
  randomSeed: z.string().trim().min(1).max(100).optional(),
  /** Manual: every checked-in registration id, best seed first. */
  order: z
    .array(z.uuid())
    .max(MAX_BRACKET_ENTRANTS, `A bracket may have at most ${MAX_BRACKET_ENTRANTS.toLocaleString("en-US")} entrants.`)
    .optional(),
  /** Rating: higher is better, by registration id (default: the imported seeds). */
  ratings: boundedRecord(
    z.uuid(),
    z.number().finite(),
    MAX_BRACKET_ENTRANTS,
    `Rate at most ${MAX_BRACKET_ENTRANTS.toLocaleString("en-US")} entries.`,
  ).optional(),
});
export type SeedingInput = z.infer<typeof seedingInput>;

export const previewSeedingInput = seedingInput.extend({ eventId });

export const startBracketInput = seedingInput.extend({
  eventId,
  settings: bracketOptions.default({ thirdPlace: false, grandFinal: "reset", groups: 1, meetings: 1 }),
  reportMinutes: z.number().int().min(5, "At least 5 minutes.").max(10_080, "At most a week.").default(30),
});

export const eventIdInput = z.object({ eventId });
export const matchIdInput = z.object({ matchId });

const gameInput = z.object({ winner: side, score: score.optional() });

export const outcomeInput = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("played"),
    winner: side,
    games: z.array(gameInput).max(MAX_BEST_OF, `A match has at most ${MAX_BEST_OF} games.`).optional(),
  }),
  z.object({ type: z.literal("forfeit"), winner: side }),
  z.object({ type: z.literal("double_forfeit") }),
]);

export const setResultInput = z.object({ matchId, outcome: outcomeInput });
export const forfeitInput = z.object({ matchId, winnerSide: side });
export const recordGameInput = z.object({ matchId, winnerSide: side, score: score.optional() });
export const entrantInput = z.object({ eventId, entrantId: z.uuid({ message: "That entrant does not exist." }) });
export const announceInput = z.object({
  eventId,
  message: z.string().trim().min(1, "Write a message.").max(1_000, "Keep the message under 1,000 characters."),
});

export const consoleStates = ["ready", "in_progress", "awaiting_reports", "disputed", "overdue"] as const;
export const consoleMatchesInput = z.object({ eventId, state: z.enum(consoleStates) });
export const historyInput = z.object({ eventId, limit: z.number().int().min(1).max(200).default(50) });

export const reportGameInput = z.object({
  matchId,
  gameNumber: z.number().int().min(1, "Games are numbered from 1.").max(MAX_BEST_OF, `A match has at most ${MAX_BEST_OF} games.`),
  winnerSide: side,
  score: score.optional(),
});

/** A whole set at once: the winner of each game from game 1, in order (see set-reports.ts). */
export const reportSetInput = z.object({
  matchId,
  winners: z.array(side).min(1, "Choose the winner of each game.").max(MAX_BEST_OF, `A match has at most ${MAX_BEST_OF} games.`),
});
