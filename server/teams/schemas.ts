// Browser-safe: loaded by client components; imports nothing server-only.
import { z } from "zod";

/** Members plus pending invites; a roster of ten covers every team format Driftwood runs. */
export const MAX_TEAM_MEMBERS = 10;

const teamId = z.uuid({ message: "That team does not exist." });
const inviteId = z.uuid({ message: "That invite does not exist." });
const userId = z.uuid({ message: "That player is not on this team." });

export const teamNameSchema = z
  .string({ message: "Enter a team name." })
  .trim()
  .min(2, "Team name must be at least 2 characters.")
  .max(32, "Team name must be at most 32 characters.")
  .regex(/^[\p{L}\p{N} _.\-'!&]+$/u, "Use letters, numbers, spaces and _ . - ' ! & only.");

export const teamTagSchema = z
  .string({ message: "Enter a tag." })
  .trim()
  .max(5, "Tag must be 2–5 letters or digits, like DRFT.")
  .toUpperCase()
  .regex(/^[A-Z0-9]{2,5}$/, "Tag must be 2–5 letters or digits, like DRFT.");

export const createTeamInput = z.object({ name: teamNameSchema, tag: teamTagSchema });
export type CreateTeamInput = z.infer<typeof createTeamInput>;

export const teamIdInput = z.object({ teamId });

export const inviteInput = z.object({
  teamId,
  handle: z
    .string({ message: "Enter a display name or game handle." })
    .trim()
    .min(2, "Enter a display name or game handle (at least 2 characters).")
    .max(40, "Names and handles are at most 40 characters."),
});
export type InviteInput = z.infer<typeof inviteInput>;

export const respondInput = z.object({
  inviteId,
  response: z.enum(["accept", "decline"], { message: "Choose accept or decline." }),
});
export type RespondInput = z.infer<typeof respondInput>;

export const inviteIdInput = z.object({ inviteId });

export const memberInput = z.object({ teamId, userId });
export type MemberInput = z.infer<typeof memberInput>;
