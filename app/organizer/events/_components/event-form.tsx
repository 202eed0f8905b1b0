"use client";

import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useMemo, useRef, useState, useSyncExternalStore, type ChangeEvent, type ReactNode } from "react";
import { toast } from "sonner";
import { fieldErrorsOf, messageOf, zodFieldErrors } from "@/app/_components/errors";
import { SelectField, TextField } from "@/app/_components/field";
import { Alert, Button, buttonClass, Card, Spinner } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/react";
import {
  byFormField,
  defaultEventValues,
  eventInputOf,
  type EventFormField,
  type EventFormValues,
} from "@/app/events/_components/event-form-values";
import { RadioGroup, TextAreaField } from "@/app/events/_components/form-controls";
import { formatLabel } from "@/app/events/_components/labels";
import { PrizePreview } from "@/app/events/_components/prize-preview";
import { LocalTime } from "@/app/wallet/local-time";
import { eventFormats, type EventFormat } from "@/lib/event-values";
import { eventInput } from "@/server/events/schemas";
import { zonedLocalToUtc } from "@/server/events/time";
import type { FieldErrors } from "@/server/field-errors";

const never = () => () => {};
const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";

interface Props {
  /** Set when editing; absent for a new event. */
  eventId?: string;
  initial?: EventFormValues;
  /** Players have registered: the money terms only move in their favour, the fee and solo/team not at all. */
  locked?: boolean;
  /** The platform's cut of the organizer's share of the fees (the event's own, or what a new event gets). */
  platformFeePercent: number;
}

/**
 * Create and edit an event. It renders in the browser only: the defaults start "now", the
 * time zone list and the organizer's own zone come from the browser.
 */
export function EventForm(props: Props) {
  const inBrowser = useSyncExternalStore(
    never,
    () => true,
    () => false,
  );
  if (!inBrowser) {
    return (
      <Card>
        <Spinner label="Loading the form…" />
      </Card>
    );
  }
  return <EventFormBody {...props} initial={props.initial ?? defaultEventValues(new Date(), browserZone())} />;
}

function EventFormBody({ eventId, initial, locked = false, platformFeePercent }: Props & { initial: EventFormValues }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const { data: games } = useSuspenseQuery(trpc.games.list.queryOptions());
  const [values, setValues] = useState(initial);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  const form = useRef<HTMLFormElement>(null);
  const create = useMutation(trpc.events.create.mutationOptions());
  const update = useMutation(trpc.events.update.mutationOptions());
  const pending = create.isPending || update.isPending;
  const team = values.participantType === "team";
  const zones = useMemo(() => {
    const all = Intl.supportedValuesOf("timeZone");
    return all.includes(values.timeZone) ? all : [values.timeZone, ...all];
  }, [values.timeZone]);

  // After a failed submit, take keyboard and screen reader users to the first problem.
  useEffect(() => {
    if (attempt > 0) form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [attempt]);

  function set<F extends EventFormField>(field: F, value: EventFormValues[F]) {
    setValues((current) => ({ ...current, [field]: value }));
    setErrors((current) => (current[field] ? { ...current, [field]: [] } : current));
  }
  const bind = (field: EventFormField) => ({
    id: field,
    name: field,
    value: values[field],
    errors: errors[field],
    onChange: (event: ChangeEvent<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>) => set(field, event.target.value as never),
  });

  /** Messages per visible field; the rest (and team-size messages on a solo event) go on top. */
  function show(all: FieldErrors) {
    const grouped = byFormField(all);
    if (!team) {
      grouped.participantType = [...(grouped.participantType ?? []), ...(grouped.teamSize ?? []), ...(grouped.substitutes ?? [])];
      delete grouped.teamSize;
      delete grouped.substitutes;
    }
    const loose = Object.entries(grouped).filter(([field]) => !(field in values));
    setErrors(grouped);
    setFormError(loose.length > 0 ? loose.flatMap(([, messages]) => messages).join(" ") : null);
    setAttempt((n) => n + 1);
  }

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setFormError(null);
    const { input, errors: textErrors } = eventInputOf(values);
    const parsed = eventInput.safeParse(input);
    if (!parsed.success || Object.keys(textErrors).length > 0) {
      show({ ...(parsed.success ? {} : zodFieldErrors(parsed.error)), ...textErrors });
      return;
    }
    setErrors({});
    try {
      if (eventId) {
        await update.mutateAsync({ eventId, ...parsed.data });
        await queryClient.invalidateQueries({ queryKey: trpc.events.get.queryKey({ eventId }) });
        toast.success("Changes saved");
        router.push(`/events/${eventId}`);
      } else {
        const created = await create.mutateAsync(parsed.data);
        toast.success("Draft created. Check it over, then publish it from its page.");
        router.push(`/events/${created.id}`);
      }
      void queryClient.invalidateQueries({ queryKey: trpc.events.mine.queryKey() });
    } catch (error) {
      const fields = fieldErrorsOf(error);
      if (Object.keys(fields).length > 0) show(fields);
      else setFormError(messageOf(error));
    }
  }

  const startsAt = zonedLocalToUtc(values.startsAt, values.timeZone);
  return (
    <form ref={form} onSubmit={onSubmit} noValidate className="space-y-6">
      {formError ? <Alert>{formError}</Alert> : null}
      <Section title="Basics">
        <TextField {...bind("name")} label="Event name" maxLength={80} required autoComplete="off" />
        <div className="grid gap-4 sm:grid-cols-2">
          <SelectField {...bind("gameId")} label="Game" required>
            <option value="">Choose a game</option>
            {games.map((game) => (
              <option key={game.id} value={game.id}>
                {game.name}
              </option>
            ))}
          </SelectField>
          <SelectField {...bind("format")} label="Format">
            {eventFormats.map((format: EventFormat) => (
              <option key={format} value={format}>
                {formatLabel[format]}
              </option>
            ))}
          </SelectField>
        </div>
        <SelectField
          {...bind("visibility")}
          label="Visibility"
          hint="Public events are listed on the events page; unlisted ones only open from their link."
        >
          <option value="public">Public</option>
          <option value="unlisted">Unlisted (link only)</option>
        </SelectField>
      </Section>

      <Section title="Players">
        <RadioGroup
          id="participantType"
          name="participantType"
          legend="Who enters"
          value={values.participantType}
          onChange={(value) => set("participantType", value)}
          errors={errors.participantType}
          disabled={locked}
          hint={locked ? "Players have registered, so solo or team and the team size can no longer change." : undefined}
          options={[
            { value: "solo", label: "Solo", description: "Players enter on their own." },
            { value: "team", label: "Team", description: "Captains enter a team." },
          ]}
        />
        <div className="grid gap-4 sm:grid-cols-3">
          {team ? (
            <>
              <TextField {...bind("teamSize")} label="Team size" inputMode="numeric" disabled={locked} hint="Players per team, 2 to 10." />
              <TextField {...bind("substitutes")} label="Substitutes" inputMode="numeric" hint="Extra players per team, 0 to 5." />
            </>
          ) : null}
          <TextField
            {...bind("capacity")}
            label={team ? "Capacity (teams)" : "Capacity (players)"}
            inputMode="numeric"
            hint="2 to 4,096."
          />
        </div>
      </Section>

      <Section title="Entry fee and prizes">
        <div className="grid gap-4 sm:grid-cols-2">
          <TextField
            {...bind("entryFee")}
            label="Entry fee (USD)"
            inputMode="decimal"
            disabled={locked}
            hint={locked ? "Locked: players have registered." : "0 or empty for a free event."}
          />
          <TextField
            {...bind("organizerPrize")}
            label="Organizer-funded prize (USD)"
            inputMode="decimal"
            hint={
              locked
                ? "Players have registered: it can only go up, and they are told."
                : "Money you add to the pool yourself. It is held from your wallet when you publish, so players see it guaranteed, and goes into the pool when the bracket starts."
            }
          />
          <TextField
            {...bind("prizeFromFeesPercent")}
            label="Share of entry fees to the prize pool (%)"
            inputMode="numeric"
            hint={
              locked
                ? "Players have registered: it can only go up, and they are told."
                : "0 to 100. The rest of the fees is yours, less the platform fee."
            }
          />
          <TextField
            {...bind("payoutSplit")}
            label="Payout split (%)"
            placeholder="50/30/20"
            disabled={locked}
            hint={locked ? "Locked: players have registered." : "Per place, from 1st down, adding up to 100. E.g. 50/30/20."}
          />
          <TextField
            {...bind("withdrawalPenaltyPercent")}
            label="Withdrawal penalty (%)"
            inputMode="numeric"
            hint={
              locked
                ? "Players have registered: it can only go down, and they are told."
                : "Part of the fee kept when a player withdraws before registration closes. After the bracket starts, withdrawing forfeits the whole fee."
            }
          />
        </div>
        {team ? (
          <RadioGroup
            id="teamPrizeToCaptain"
            name="teamPrize"
            legend="A team's prize goes to"
            value={values.teamPrize}
            onChange={(value) => set("teamPrize", value)}
            errors={errors.teamPrizeToCaptain}
            disabled={locked}
            hint={locked ? "Players have registered, so this can no longer change." : undefined}
            options={[
              { value: "roster", label: "Every player", description: "Split evenly over the roster checked in; odd cents to the captain." },
              { value: "captain", label: "The captain", description: "The whole prize to the captain's wallet, to share with the team." },
            ]}
          />
        ) : null}
        <PrizePreview values={values} platformFeePercent={platformFeePercent} />
      </Section>

      <Section
        title="Schedule"
        description={`Enter times on the clock of ${values.timeZone.replaceAll("_", " ")}; players see them in their own time zone.`}
      >
        <SelectField {...bind("timeZone")} label="Time zone">
          {zones.map((zone) => (
            <option key={zone} value={zone}>
              {zone.replaceAll("_", " ")}
            </option>
          ))}
        </SelectField>
        <div className="grid gap-4 sm:grid-cols-2">
          <TextField {...bind("registrationOpensAt")} type="datetime-local" label="Registration opens" />
          <TextField {...bind("registrationClosesAt")} type="datetime-local" label="Registration closes" />
          <TextField {...bind("checkInOpensAt")} type="datetime-local" label="Check-in opens" />
          <TextField {...bind("checkInClosesAt")} type="datetime-local" label="Check-in closes" />
          <TextField
            {...bind("startsAt")}
            type="datetime-local"
            label="Starts"
            hint={
              startsAt && values.timeZone !== browserZone() ? (
                <>
                  That is <LocalTime date={startsAt} /> your time.
                </>
              ) : undefined
            }
          />
        </div>
      </Section>

      <Section title="Rules">
        <TextAreaField
          {...bind("rules")}
          label="Rules for players"
          rows={8}
          maxLength={20_000}
          hint="Plain text; line breaks are kept. Match format, check-in, disputes, conduct."
        />
      </Section>

      <div className="flex flex-col-reverse gap-3 sm:flex-row sm:justify-end">
        <Link href={eventId ? `/events/${eventId}` : "/organizer"} className={buttonClass("secondary")}>
          Cancel
        </Link>
        <Button type="submit" disabled={pending}>
          {pending ? "Saving…" : eventId ? "Save changes" : "Create draft"}
        </Button>
      </div>
    </form>
  );
}

function Section({ title, description, children }: { title: string; description?: string; children: ReactNode }) {
  return (
    <Card>
      <fieldset className="space-y-4">
        <legend className="text-lg font-semibold">{title}</legend>
        {description ? <p className="-mt-2 text-sm text-zinc-600 dark:text-zinc-400">{description}</p> : null}
        {children}
      </fieldset>
    </Card>
  );
}
