"use client";

import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useRef, useState } from "react";
import { toast } from "sonner";
import { Avatar } from "@/app/_components/avatar";
import { fieldErrorsOf, messageOf, zodFieldErrors } from "@/app/_components/errors";
import { SelectField, TextField } from "@/app/_components/field";
import { Alert, Button, Card } from "@/app/_components/ui";
import { useFocusFirstInvalid } from "@/app/_components/use-focus-first-invalid";
import { useNameAvailability } from "@/app/_components/use-name-availability";
import { useTRPC } from "@/app/_trpc/react";
import { NAME_TAKEN_MESSAGE, updateProfileInput } from "@/server/accounts/schemas";

export function ProfileForm({ countries }: { countries: { code: string; name: string }[] }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const { data: profile } = useSuspenseQuery(trpc.account.me.queryOptions());
  const { data: games } = useSuspenseQuery(trpc.games.list.queryOptions());
  const [fieldErrors, setFieldErrors] = useState<Record<string, string[]>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const update = useMutation(trpc.account.updateProfile.mutationOptions());
  const form = useRef<HTMLFormElement>(null);
  useFocusFirstInvalid(form, fieldErrors);
  const [name, setName] = useState(profile.name);
  const availability = useNameAvailability(name, { unchanged: profile.name });

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const input = {
      name: String(form.get("name") ?? ""),
      country: String(form.get("country") ?? ""),
      handles: Object.fromEntries(games.map((game) => [game.id, String(form.get(`handle-${game.id}`) ?? "")])),
    };
    setFormError(null);
    const parsed = updateProfileInput.safeParse(input);
    if (!parsed.success) {
      setFieldErrors(zodFieldErrors(parsed.error));
      return;
    }
    setFieldErrors({});
    try {
      const saved = await update.mutateAsync(input);
      queryClient.setQueryData(trpc.account.me.queryKey(), saved);
      toast.success("Profile saved");
      router.refresh();
    } catch (error) {
      const fields = fieldErrorsOf(error);
      if (Object.keys(fields).length > 0) setFieldErrors(fields);
      else setFormError(messageOf(error));
    }
  }

  return (
    <div className="grid gap-6 lg:grid-cols-[18rem_1fr]">
      <AvatarCard name={profile.name} image={profile.image} />
      <Card>
        <form ref={form} onSubmit={onSubmit} noValidate className="space-y-5">
          {formError ? <Alert>{formError}</Alert> : null}
          <TextField
            id="name"
            name="name"
            label="Display name"
            value={name}
            onChange={(event) => {
              setName(event.target.value);
              if (fieldErrors.name) setFieldErrors(({ name: _stale, ...others }) => others);
            }}
            maxLength={32}
            required
            hint={availability === "available" ? "That name is free." : undefined}
            errors={fieldErrors.name ?? (availability === "taken" ? [NAME_TAKEN_MESSAGE] : undefined)}
          />
          <p className="sr-only" aria-live="polite">
            {availability === "taken" ? NAME_TAKEN_MESSAGE : availability === "available" ? "That name is free." : ""}
          </p>
          <TextField id="email" label="Email" value={profile.email} readOnly disabled hint="Your sign-in email cannot be changed here." />
          <SelectField id="country" name="country" label="Country" defaultValue={profile.country ?? ""} errors={fieldErrors.country}>
            <option value="">Prefer not to say</option>
            {countries.map((country) => (
              <option key={country.code} value={country.code}>
                {country.name}
              </option>
            ))}
          </SelectField>
          <fieldset className="space-y-4">
            <legend className="text-base font-semibold">Game handles</legend>
            <p className="text-sm text-zinc-600 dark:text-zinc-400">
              Your in-game names, so opponents can invite you. Leave a game empty if you don&apos;t play it.
            </p>
            <div className="grid gap-4 sm:grid-cols-2">
              {games.map((game) => (
                <TextField
                  key={game.id}
                  id={`handle-${game.id}`}
                  name={`handle-${game.id}`}
                  label={`${game.name} (${game.handleLabel})`}
                  defaultValue={profile.handles[game.id] ?? ""}
                  maxLength={40}
                  errors={fieldErrors[`handles.${game.id}`]}
                />
              ))}
            </div>
          </fieldset>
          <div className="flex justify-end">
            <Button type="submit" disabled={update.isPending}>
              {update.isPending ? "Saving…" : "Save profile"}
            </Button>
          </div>
        </form>
      </Card>
    </div>
  );
}

function AvatarCard({ name, image }: { name: string; image: string | null }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const input = useRef<HTMLInputElement>(null);
  const [uploading, setUploading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const remove = useMutation(trpc.account.removeAvatar.mutationOptions());

  async function refresh() {
    await queryClient.invalidateQueries({ queryKey: trpc.account.me.queryKey() });
    router.refresh();
  }

  async function upload(file: File) {
    setError(null);
    if (file.size > 1024 * 1024) {
      setError("That image is larger than 1 MB. Choose a smaller one.");
      return;
    }
    setUploading(true);
    try {
      const body = new FormData();
      body.set("file", file);
      const response = await fetch("/api/avatar", { method: "POST", body });
      const result = (await response.json().catch(() => ({}))) as { error?: string };
      if (!response.ok) {
        setError(result.error ?? "The upload did not work. Please try again.");
        return;
      }
      toast.success("Avatar updated");
      await refresh();
    } catch {
      setError("We could not reach Driftwood. Check your connection and try again.");
    } finally {
      setUploading(false);
      if (input.current) input.current.value = "";
    }
  }

  return (
    <Card className="flex flex-col items-center gap-4 self-start text-center">
      <Avatar name={name} image={image} size={96} />
      <p className="font-semibold">{name}</p>
      <label htmlFor="avatar-file" className="text-sm font-medium">
        Avatar image
      </label>
      <input
        ref={input}
        id="avatar-file"
        type="file"
        accept="image/png,image/jpeg,image/webp,image/gif"
        aria-describedby="avatar-help"
        className="block w-full text-sm file:mr-3 file:rounded-md file:border-0 file:bg-zinc-200 file:px-3 file:py-2 file:text-sm file:font-semibold dark:file:bg-zinc-800 dark:file:text-zinc-100"
        disabled={uploading}
        onChange={(event) => {
          const file = event.target.files?.[0];
          if (file) void upload(file);
        }}
      />
      <p id="avatar-help" className="text-xs text-zinc-600 dark:text-zinc-400">
        {uploading ? "Uploading…" : "PNG, JPEG, WebP or GIF, up to 1 MB."}
      </p>
      {error ? <Alert>{error}</Alert> : null}
      {image ? (
        <Button
          type="button"
          variant="ghost"
          disabled={remove.isPending}
          onClick={async () => {
            try {
              await remove.mutateAsync();
              toast.success("Avatar removed");
              await refresh();
            } catch (err) {
              setError(messageOf(err));
            }
          }}
        >
          Remove avatar
        </Button>
      ) : null}
    </Card>
  );
}
