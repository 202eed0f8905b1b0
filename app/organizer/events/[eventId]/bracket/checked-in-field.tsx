"use client";

import { messageOf } from "@/app/_components/errors";
import { SelectField, TextField } from "@/app/_components/field";
import { Alert, Button, Card, Spinner } from "@/app/_components/ui";
import type { Seeding } from "./labels";
import { SeedList } from "./seed-list";
import type { BracketStart } from "./use-bracket-start";

/** The checked-in entries as they would be seeded, and how: registration order, random, rating or by hand. */
export function CheckedInField({ form }: { form: BracketStart }) {
  const { seeding, seedText, setSeedText, preview, entries, errors } = form;
  return (
    <section aria-labelledby="field-heading" className="space-y-4">
      <Card className="space-y-4">
        <h2 id="field-heading" className="text-lg font-semibold">
          Checked-in field
        </h2>
        <SelectField id="seeding" label="Seeding" value={seeding} onChange={(e) => form.chooseSeeding(e.target.value as Seeding)}>
          <option value="registration">Registration order</option>
          <option value="random">Random</option>
          <option value="rating">Rating</option>
          <option value="manual">Manual (drag or move)</option>
        </SelectField>
        {seeding === "random" ? (
          <div className="flex flex-wrap items-end gap-2">
            <div className="min-w-48 flex-1">
              <TextField
                id="random-seed"
                label="Random seed"
                value={seedText}
                onChange={(e) => setSeedText(e.target.value)}
                hint="The same seed always gives the same draw."
                errors={errors.randomSeed}
              />
            </div>
            <Button type="button" variant="secondary" onClick={() => setSeedText("")}>
              New draw
            </Button>
          </div>
        ) : null}
        {preview.isError ? (
          <Alert>{messageOf(preview.error)}</Alert>
        ) : preview.isPending ? (
          <Spinner label="Loading the field" />
        ) : (
          <>
            <p className="text-sm text-zinc-600 dark:text-zinc-400">
              {entries.length} checked in. {seeding === "manual" ? "Drag a row, or use Move up and Move down, to change the seeds." : null}
            </p>
            <p className="sr-only" role="status" aria-live="polite">
              {form.moved}
            </p>
            <SeedList entries={form.shown} manual={seeding === "manual"} move={form.move} />
          </>
        )}
      </Card>
    </section>
  );
}
