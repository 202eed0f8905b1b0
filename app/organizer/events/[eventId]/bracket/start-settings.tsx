"use client";

import { messageOf } from "@/app/_components/errors";
import { SelectField, TextField } from "@/app/_components/field";
import { Alert, Button, Card } from "@/app/_components/ui";
import { FORMAT_LABEL } from "./labels";
import type { BracketStart } from "./use-bracket-start";

/** The format's settings, best-of, the report time, and the start (asked twice: it cannot be undone). */
export function StartSettings({ form }: { form: BracketStart }) {
  const { format, values, set, errors, start, preview, confirming, setConfirming } = form;
  return (
    <section aria-labelledby="settings-heading">
      <Card className="space-y-4">
        <h2 id="settings-heading" className="text-lg font-semibold">
          Settings · {FORMAT_LABEL[format]}
        </h2>
        {format === "single_elimination" ? (
          <label className="flex items-center gap-2 text-sm font-medium">
            <input type="checkbox" checked={values.thirdPlace} onChange={(e) => set.setThirdPlace(e.target.checked)} className="size-4" />
            Third-place match
          </label>
        ) : null}
        {format === "double_elimination" ? (
          <SelectField
            id="grand-final"
            label="Grand final"
            value={values.grandFinal}
            onChange={(e) => set.setGrandFinal(e.target.value as typeof values.grandFinal)}
            hint="With a reset, a second final is played only if the lower-bracket finalist wins the first."
          >
            <option value="reset">With bracket reset</option>
            <option value="single">Single match</option>
            <option value="none">None</option>
          </SelectField>
        ) : null}
        {format === "round_robin" ? (
          <div className="grid grid-cols-2 gap-3">
            <TextField
              id="groups"
              label="Groups"
              type="number"
              min={1}
              value={values.groups}
              onChange={(e) => set.setGroups(e.target.value)}
              errors={errors["settings.groups"]}
            />
            <SelectField
              id="meetings"
              label="Each pair meets"
              value={values.meetings}
              onChange={(e) => set.setMeetings(e.target.value as "1" | "2")}
            >
              <option value="1">Once</option>
              <option value="2">Twice</option>
            </SelectField>
          </div>
        ) : null}
        {format === "swiss" ? (
          <TextField
            id="swiss-rounds"
            label="Rounds"
            type="number"
            min={1}
            max={99}
            value={values.swissRounds}
            placeholder={form.entries.length ? String(Math.max(1, Math.ceil(Math.log2(form.entries.length)))) : "Automatic"}
            onChange={(e) => set.setSwissRounds(e.target.value)}
            hint="Empty: enough rounds to find a winner."
            errors={errors["settings.swissRounds"]}
          />
        ) : null}
        <div className="grid grid-cols-2 gap-3">
          <SelectField id="best-of" label="Best of" value={values.bestOf} onChange={(e) => set.setBestOf(e.target.value)}>
            {[1, 3, 5, 7].map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </SelectField>
          <SelectField
            id="finals-best-of"
            label="Finals best of"
            value={values.finalsBestOf}
            onChange={(e) => set.setFinalsBestOf(e.target.value)}
          >
            <option value="">Same</option>
            {[1, 3, 5, 7].map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </SelectField>
        </div>
        <TextField
          id="report-minutes"
          label="Minutes to report a result"
          type="number"
          min={5}
          max={10080}
          value={values.reportMinutes}
          onChange={(e) => set.setReportMinutes(e.target.value)}
          errors={errors.reportMinutes}
        />
        {start.isError && !Object.keys(errors).length ? <Alert>{messageOf(start.error)}</Alert> : null}
        {start.isError && Object.keys(errors).length ? <Alert>Check the settings above.</Alert> : null}
        {confirming ? (
          <fieldset
            aria-labelledby="confirm-start"
            className="min-w-0 space-y-3 rounded-md border border-amber-300 bg-amber-50 p-3 dark:border-amber-800 dark:bg-amber-950"
          >
            <p id="confirm-start" className="text-sm">
              Start the bracket with {form.shown.length} entrants? The seeds and settings cannot be changed afterwards.
            </p>
            <div className="flex flex-wrap gap-2">
              <Button type="button" onClick={form.submit} disabled={start.isPending}>
                {start.isPending ? "Starting…" : "Yes, start the bracket"}
              </Button>
              <Button type="button" variant="secondary" onClick={() => setConfirming(false)}>
                Cancel
              </Button>
            </div>
          </fieldset>
        ) : (
          <Button type="button" className="w-full" onClick={() => setConfirming(true)} disabled={preview.isError || preview.isPending}>
            Start bracket
          </Button>
        )}
        {preview.isError ? (
          <p className="text-sm text-zinc-600 dark:text-zinc-400">The bracket can start once the problem above is solved.</p>
        ) : null}
      </Card>
    </section>
  );
}
