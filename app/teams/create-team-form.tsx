"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { toast } from "sonner";
import { fieldErrorsOf, messageOf, zodFieldErrors } from "@/app/_components/errors";
import { TextField } from "@/app/_components/field";
import { Alert, Button, Card } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/react";
import { createTeamInput } from "@/server/teams/schemas";

export function CreateTeamForm() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const create = useMutation(trpc.teams.create.mutationOptions());
  const [fieldErrors, setFieldErrors] = useState<Record<string, string[]>>({});
  const [formError, setFormError] = useState<string | null>(null);

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const input = { name: String(form.get("name") ?? ""), tag: String(form.get("tag") ?? "") };
    setFormError(null);
    const parsed = createTeamInput.safeParse(input);
    if (!parsed.success) {
      setFieldErrors(zodFieldErrors(parsed.error));
      return;
    }
    setFieldErrors({});
    try {
      const team = await create.mutateAsync(parsed.data);
      toast.success(`${team.name} is ready. Invite your players.`);
      await queryClient.invalidateQueries(trpc.teams.pathFilter());
      router.push(`/teams/${team.id}`);
    } catch (error) {
      const fields = fieldErrorsOf(error);
      if (Object.keys(fields).length > 0) setFieldErrors(fields);
      else setFormError(messageOf(error));
    }
  }

  return (
    <Card>
      <section aria-labelledby="create-team-heading">
        <h2 id="create-team-heading" className="text-lg font-semibold">
          Create a team
        </h2>
        <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">You become its captain and can invite up to nine players.</p>
        <form onSubmit={onSubmit} noValidate className="mt-4 space-y-4">
          {formError ? <Alert>{formError}</Alert> : null}
          <TextField
            id="team-name"
            name="name"
            label="Team name"
            maxLength={32}
            required
            autoComplete="off"
            errors={fieldErrors.name}
            hint="2–32 characters."
          />
          <TextField
            id="team-tag"
            name="tag"
            label="Tag"
            maxLength={5}
            required
            autoComplete="off"
            autoCapitalize="characters"
            className="font-mono uppercase"
            errors={fieldErrors.tag}
            hint="2–5 letters or digits, shown beside your name, like DRFT."
          />
          <Button type="submit" className="w-full" disabled={create.isPending}>
            {create.isPending ? "Creating…" : "Create team"}
          </Button>
        </form>
      </section>
    </Card>
  );
}
