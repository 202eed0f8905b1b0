"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRef, useState } from "react";
import { toast } from "sonner";
import { Avatar } from "@/app/_components/avatar";
import { fieldErrorsOf, messageOf, zodFieldErrors } from "@/app/_components/errors";
import { TextField } from "@/app/_components/field";
import { Alert, Button, Card } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/react";
import { inviteInput } from "@/server/teams/schemas";
import { TeamLogo } from "../team-logo";
import type { Team } from "./team";
import { useTeamAction } from "./use-team-action";

const LOGO_MAX_BYTES = 1024 * 1024;

export function InviteForm({ team }: { team: Team }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const send = useMutation(trpc.teams.invite.mutationOptions());
  const [fieldErrors, setFieldErrors] = useState<Record<string, string[]>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const used = team.members.length + team.invites.length;

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const input = { teamId: team.id, handle: String(new FormData(form).get("handle") ?? "") };
    setFormError(null);
    const parsed = inviteInput.safeParse(input);
    if (!parsed.success) {
      setFieldErrors(zodFieldErrors(parsed.error));
      return;
    }
    setFieldErrors({});
    try {
      const sent = await send.mutateAsync(parsed.data);
      toast.success(`Invite sent to ${sent.name}.`);
      form.reset();
      await queryClient.invalidateQueries(trpc.teams.pathFilter());
    } catch (error) {
      const fields = fieldErrorsOf(error);
      if (Object.keys(fields).length > 0) setFieldErrors(fields);
      else setFormError(messageOf(error));
    }
  }

  return (
    <Card>
      <section aria-labelledby="invite-heading">
        <h2 id="invite-heading" className="text-lg font-semibold">
          Invite a player
        </h2>
        <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
          {used} of {team.maxMembers} places used, counting pending invites.
        </p>
        <form onSubmit={onSubmit} noValidate className="mt-4 space-y-4">
          {formError ? <Alert>{formError}</Alert> : null}
          <TextField
            id="invite-handle"
            name="handle"
            label="Display name or game handle"
            maxLength={40}
            required
            autoComplete="off"
            errors={fieldErrors.handle}
            hint="For example Nova, or a handle like Nova#A1B2."
          />
          <Button type="submit" className="w-full" disabled={send.isPending || used >= team.maxMembers}>
            {send.isPending ? "Sending…" : "Send invite"}
          </Button>
        </form>
      </section>
    </Card>
  );
}

export function PendingInvites({ team }: { team: Team }) {
  const trpc = useTRPC();
  const revoke = useMutation(trpc.teams.revoke.mutationOptions());
  const run = useTeamAction();
  return (
    <Card>
      <section aria-labelledby="pending-heading">
        <h2 id="pending-heading" className="text-lg font-semibold">
          Pending invites
        </h2>
        {team.invites.length === 0 ? (
          <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">No invites waiting for an answer.</p>
        ) : (
          <ul className="mt-2 divide-y divide-zinc-200 dark:divide-zinc-800">
            {team.invites.map((invite) => (
              <li key={invite.id} className="flex items-center gap-3 py-3">
                <Avatar name={invite.name} image={invite.image} size={32} />
                <span className="min-w-0 flex-1 truncate text-sm font-medium">{invite.name}</span>
                <Button
                  variant="ghost"
                  className="px-3 py-1.5"
                  disabled={revoke.isPending && revoke.variables?.inviteId === invite.id}
                  onClick={() => void run(() => revoke.mutateAsync({ inviteId: invite.id }), `Invite to ${invite.name} withdrawn.`)}
                >
                  Revoke<span className="sr-only"> invite to {invite.name}</span>
                </Button>
              </li>
            ))}
          </ul>
        )}
      </section>
    </Card>
  );
}

export function LogoCard({ team }: { team: Team }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const input = useRef<HTMLInputElement>(null);
  const [uploading, setUploading] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function upload(file: File) {
    setError(null);
    if (file.size > LOGO_MAX_BYTES) {
      setError("That image is larger than 1 MB. Choose a smaller one.");
      return;
    }
    setUploading(true);
    try {
      const body = new FormData();
      body.set("file", file);
      const response = await fetch(`/api/teams/${team.id}/logo`, { method: "POST", body });
      const result = (await response.json().catch(() => ({}))) as { error?: string };
      if (!response.ok) {
        setError(result.error ?? "The upload did not work. Please try again.");
        return;
      }
      toast.success("Team logo updated");
      await queryClient.invalidateQueries(trpc.teams.pathFilter());
    } catch {
      setError("We could not reach Driftwood. Check your connection and try again.");
    } finally {
      setUploading(false);
      if (input.current) input.current.value = "";
    }
  }

  return (
    <Card>
      <section aria-labelledby="logo-heading" className="space-y-3">
        <h2 id="logo-heading" className="text-lg font-semibold">
          Team logo
        </h2>
        <div className="flex items-center gap-3">
          <TeamLogo tag={team.tag} logo={team.logo} size={56} alt={team.logo ? `${team.name} logo` : ""} />
          <p className="text-sm text-zinc-600 dark:text-zinc-400">
            {team.logo ? "Upload a new image to replace it." : "No logo yet: your tag is shown instead."}
          </p>
        </div>
        <label htmlFor="logo-file" className="block text-sm font-medium">
          Logo image
        </label>
        <input
          ref={input}
          id="logo-file"
          type="file"
          accept="image/png,image/jpeg,image/webp,image/gif"
          aria-describedby="logo-help"
          className="block w-full text-sm file:mr-3 file:rounded-md file:border-0 file:bg-zinc-200 file:px-3 file:py-2 file:text-sm file:font-semibold dark:file:bg-zinc-800 dark:file:text-zinc-100"
          disabled={uploading}
          onChange={(event) => {
            const file = event.target.files?.[0];
            if (file) void upload(file);
          }}
        />
        <p id="logo-help" className="text-xs text-zinc-600 dark:text-zinc-400">
          {uploading ? "Uploading…" : "PNG, JPEG, WebP or GIF, up to 1 MB. Square images look best."}
        </p>
        {error ? <Alert>{error}</Alert> : null}
      </section>
    </Card>
  );
}
