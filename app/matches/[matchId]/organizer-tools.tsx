"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { messageOf } from "@/app/_components/errors";
import { SelectField } from "@/app/_components/field";
import { Alert, Button } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/react";
import { nextGame } from "./report-panel";
import { isPlayable, sideName, type MatchData } from "./types";

type Outcome = { type: "played"; winner: 0 | 1 } | { type: "forfeit"; winner: 0 | 1 } | { type: "double_forfeit" };
type Choice = "played:0" | "played:1" | "forfeit:0" | "forfeit:1" | "double_forfeit";

function outcomeOf(choice: Choice): Outcome {
  if (choice === "double_forfeit") return { type: "double_forfeit" };
  const [type, side] = choice.split(":") as ["played" | "forfeit", string];
  return { type, winner: Number(side) as 0 | 1 };
}

/** The organizer on the match page: record a game, forfeit, and change the result with a preview of what it resets. */
export function OrganizerTools({ match }: { match: MatchData }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const id = useId();
  const refresh = () => void queryClient.invalidateQueries({ queryKey: trpc.matches.get.queryKey({ matchId: match.id }) });
  const record = useMutation(trpc.brackets.recordGame.mutationOptions({ onSuccess: refresh }));
  const forfeit = useMutation(trpc.brackets.forfeit.mutationOptions({ onSuccess: refresh }));
  const [forfeitSide, setForfeitSide] = useState<0 | 1 | null>(null);
  const [correcting, setCorrecting] = useState(false);
  const [choice, setChoice] = useState<Choice>("played:0");
  const preview = useMutation({
    mutationFn: (outcome: Outcome) =>
      queryClient.fetchQuery({ ...trpc.brackets.previewCorrection.queryOptions({ matchId: match.id, outcome }), staleTime: 0 }),
  });
  const apply = useMutation(
    trpc.brackets.applyCorrection.mutationOptions({
      onSuccess: () => {
        setCorrecting(false);
        preview.reset();
        refresh();
      },
    }),
  );
  const game = nextGame(match);
  const playable = isPlayable(match.status);
  const bothKnown = match.sides.every((side) => side.entrant !== null);
  const error = record.error ?? forfeit.error;

  return (
    <section
      aria-labelledby={`${id}-h`}
      className="rounded-lg border border-zinc-200 bg-white p-5 shadow-sm sm:p-6 dark:border-zinc-800 dark:bg-zinc-900"
    >
      <h2 id={`${id}-h`} className="text-lg font-semibold">
        Organizer tools
      </h2>
      <div className="mt-3 space-y-5">
        {playable && game !== null ? (
          <div>
            <p className="text-sm font-medium">Record game {game}</p>
            <div className="mt-2 flex flex-wrap gap-2">
              {([0, 1] as const).map((side) => (
                <Button
                  key={side}
                  type="button"
                  variant="secondary"
                  disabled={record.isPending}
                  onClick={() => record.mutate({ matchId: match.id, winnerSide: side })}
                >
                  {sideName(match, side)} won game {game}
                </Button>
              ))}
            </div>
          </div>
        ) : null}
        {playable && bothKnown ? (
          <div>
            <p className="text-sm font-medium">Forfeit</p>
            {forfeitSide === null ? (
              <div className="mt-2 flex flex-wrap gap-2">
                {([0, 1] as const).map((side) => (
                  <Button
                    key={side}
                    type="button"
                    variant="ghost"
                    className="border border-zinc-300 dark:border-zinc-700"
                    onClick={() => setForfeitSide(side)}
                  >
                    {sideName(match, side === 0 ? 1 : 0)} forfeits
                  </Button>
                ))}
              </div>
            ) : (
              <div className="mt-2 flex flex-wrap items-center gap-2 text-sm">
                <span>
                  {sideName(match, forfeitSide === 0 ? 1 : 0)} forfeits; {sideName(match, forfeitSide)} advances.
                </span>
                <Button
                  type="button"
                  variant="danger"
                  disabled={forfeit.isPending}
                  onClick={() => forfeit.mutate({ matchId: match.id, winnerSide: forfeitSide }, { onSuccess: () => setForfeitSide(null) })}
                >
                  Confirm forfeit
                </Button>
                <Button type="button" variant="ghost" onClick={() => setForfeitSide(null)}>
                  Cancel
                </Button>
              </div>
            )}
          </div>
        ) : null}
        {error ? <Alert>{messageOf(error)}</Alert> : null}

        {bothKnown || match.result ? (
          <div>
            {!correcting ? (
              <Button type="button" variant="secondary" onClick={() => setCorrecting(true)}>
                Change result…
              </Button>
            ) : (
              <form
                className="space-y-3 rounded-md border border-zinc-200 p-4 dark:border-zinc-800"
                aria-label="Change result"
                onSubmit={(event) => {
                  event.preventDefault();
                  preview.mutate(outcomeOf(choice));
                }}
              >
                <SelectField
                  id={`${id}-outcome`}
                  label="New result"
                  value={choice}
                  onChange={(event) => {
                    setChoice(event.target.value as Choice);
                    preview.reset();
                  }}
                >
                  <option value="played:0">{sideName(match, 0)} wins</option>
                  <option value="played:1">{sideName(match, 1)} wins</option>
                  <option value="forfeit:0">{sideName(match, 0)} wins by forfeit</option>
                  <option value="forfeit:1">{sideName(match, 1)} wins by forfeit</option>
                  <option value="double_forfeit">Double forfeit (nobody advances)</option>
                </SelectField>
                {!preview.data ? (
                  <div className="flex flex-wrap gap-2">
                    <Button type="submit" variant="secondary" disabled={preview.isPending}>
                      {preview.isPending ? "Checking…" : "Preview the change"}
                    </Button>
                    <Button type="button" variant="ghost" onClick={() => setCorrecting(false)}>
                      Cancel
                    </Button>
                  </div>
                ) : (
                  <div className="space-y-3">
                    {preview.data.reset.length === 0 ? (
                      <p className="text-sm">No later match is affected.</p>
                    ) : (
                      <div className="text-sm">
                        <p className="font-medium">These later matches would be reset:</p>
                        <ul className="mt-1 list-disc space-y-1 pl-5" aria-label="Matches that would be reset">
                          {preview.data.reset.map((row) => (
                            <li key={row.id}>
                              {row.label}
                              {row.entrants.length > 0 ? `: ${row.entrants.map((e) => e.name).join(" vs ")}` : ""}
                              {row.hadResult ? " (its result is cleared)" : ""}
                            </li>
                          ))}
                        </ul>
                      </div>
                    )}
                    <div className="flex flex-wrap gap-2">
                      <Button
                        type="button"
                        variant="danger"
                        disabled={apply.isPending}
                        onClick={() => apply.mutate({ matchId: match.id, outcome: outcomeOf(choice) })}
                      >
                        Apply the change
                      </Button>
                      <Button
                        type="button"
                        variant="ghost"
                        onClick={() => {
                          setCorrecting(false);
                          preview.reset();
                        }}
                      >
                        Cancel
                      </Button>
                    </div>
                  </div>
                )}
                {preview.error ? <Alert>{messageOf(preview.error)}</Alert> : null}
                {apply.error ? <Alert>{messageOf(apply.error)}</Alert> : null}
              </form>
            )}
          </div>
        ) : null}
      </div>
    </section>
  );
}
