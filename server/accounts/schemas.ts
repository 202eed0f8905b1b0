// Browser-safe: loaded by client components; imports nothing server-only.
import { z } from "zod";
import { boundedRecord } from "@/server/input-bounds";
import { userRoles } from "./roles";
import { countryCodes } from "./countries";

export const emailSchema = z
  .string({ message: "Enter your email address." })
  .trim()
  .toLowerCase()
  .min(1, "Enter your email address.")
  .max(254, "That email address is too long.")
  .pipe(z.email({ message: "Enter a valid email address, like name@example.com." }));

/**
 * Letters of any script (with up to two combining marks each: Devanagari and Thai vowel signs,
 * accents typed as separate marks), numbers, spaces and _ . - '. Names are also unique by look
 * (server/accounts/display-names.ts), which the server checks.
 */
export const displayNameSchema = z
  .string({ message: "Enter a display name." })
  .trim()
  .overwrite((name) => name.normalize("NFC"))
  .min(2, "Display name must be at least 2 characters.")
  .max(32, "Display name must be at most 32 characters.")
  .regex(/^(?:[\p{L}\p{N}]\p{M}{0,2}|[ _.\-'])+$/u, "Use letters, numbers, spaces and _ . - ' only.")
  .regex(/[\p{L}\p{N}]/u, "Use at least one letter or number.");

export const passwordSchema = z
  .string({ message: "Enter a password." })
  .min(8, "Password must be at least 8 characters.")
  .max(128, "Password must be at most 128 characters.");

export const signUpInput = z.object({
  name: displayNameSchema,
  email: emailSchema,
  password: passwordSchema,
});
export type SignUpInput = z.infer<typeof signUpInput>;

/** Said next to the name field when another account has the name, or one that looks the same. */
/** Said next to the sign-up form's email field, which turns "Sign in instead" into a link to the sign-in page. */
export const EMAIL_TAKEN_MESSAGE = "An account with this email already exists.";

export const NAME_TAKEN_MESSAGE = "That name is taken, or looks too much like one that is. Choose another.";

export const nameAvailableInput = z.object({ name: displayNameSchema });

export const signInInput = z.object({
  email: emailSchema,
  password: z.string({ message: "Enter your password." }).min(1, "Enter your password.").max(128),
});

export const gameHandleSchema = z
  .string()
  .trim()
  .max(40, "Handles are at most 40 characters.")
  .refine((value) => value === "" || value.length >= 2, "Handles are at least 2 characters.")
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refuses control characters in handles on purpose
  .refine((value) => !/[\u0000-\u001f<>]/.test(value), "Handles cannot contain < > or control characters.");

/** More games than the platform lists: a profile form sends one handle per game. */
export const MAX_GAME_HANDLES = 200;

export const updateProfileInput = z.object({
  name: displayNameSchema,
  country: z
    .string()
    .trim()
    .max(2, "Choose a country from the list.")
    .toUpperCase()
    .refine((code) => code === "" || countryCodes.includes(code), "Choose a country from the list.")
    .transform((code) => (code === "" ? null : code)),
  /** Game id to handle; an empty handle removes it. */
  handles: boundedRecord(
    z.uuid({ message: "Unknown game." }),
    gameHandleSchema,
    MAX_GAME_HANDLES,
    `At most ${MAX_GAME_HANDLES} game handles.`,
  ),
});
export type UpdateProfileInput = z.input<typeof updateProfileInput>;

export const listUsersInput = z.object({
  search: z.string().trim().max(100, "Search is at most 100 characters.").default(""),
  role: z.enum(userRoles).optional(),
  page: z.number().int().min(1, "Pages start at 1.").max(10_000).default(1),
  pageSize: z.number().int().min(1).max(100).default(20),
});

export const setRoleInput = z.object({
  userId: z.uuid({ message: "Unknown user." }),
  role: z.enum(userRoles, { message: "Choose player, organizer or admin." }),
});
