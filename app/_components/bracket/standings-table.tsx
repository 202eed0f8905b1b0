import type { StandingRow } from "@/server/brackets/engine/types";
import { Avatar } from "../avatar";
import type { CardContext } from "./match-card";

type Kind = "group" | "swiss";

const explanations: Record<Kind, string> = {
  group: "Ranked by wins, then head-to-head wins among the players level on wins (H2H), game difference (GD), games won, seed.",
  swiss: "Ranked by wins, then Buchholz (Bu: the total wins of every opponent played), game difference (GD), games won, seed.",
};

function signed(value: number): string {
  return value > 0 ? `+${value}` : value < 0 ? `−${-value}` : "0";
}

/**
 * A round robin group's or the Swiss table, in the engine's standings order. Scrolls sideways on a
 * phone with the rank and name columns held in place.
 */
export function StandingsTable({
  rows,
  kind,
  context,
  caption,
  advance = 0,
  embed = false,
  entrantLabel = "Player",
}: {
  rows: StandingRow[];
  kind: Kind;
  context: Omit<CardContext, "numberOf">;
  caption: string;
  /** How many at the top go on to the playoffs (marked). */
  advance?: number;
  embed?: boolean;
  entrantLabel?: string;
}) {
  const text = embed ? "text-base" : "text-sm";
  const head = "px-2 py-2 font-semibold whitespace-nowrap";
  const number = `${head} text-right`;
  const cell = "px-2 py-1.5 tabular-nums whitespace-nowrap";
  const value = `${cell} text-right`;
  // Rank and name stay in place while a phone scrolls the table sideways (not in the embed, whose
  // translucent background an opaque sticky cell would show through as a block).
  const sticky = embed ? "" : "sticky z-[1] bg-white dark:bg-zinc-900";
  return (
    <div className={embed ? "" : "rounded-lg border border-zinc-200 bg-white shadow-sm dark:border-zinc-800 dark:bg-zinc-900"}>
      <div className="relative overflow-x-auto">
        <table className={`w-full border-collapse ${text}`}>
          <caption className="sr-only">{`${caption}. ${explanations[kind]}`}</caption>
          <thead className="border-b border-zinc-200 text-xs text-zinc-600 dark:border-zinc-800 dark:text-zinc-400">
            <tr>
              <th scope="col" className={`${head} ${sticky} left-0 w-9 text-left`}>
                <abbr title="Rank" className="no-underline">
                  #
                </abbr>
              </th>
              <th scope="col" className={`${head} ${sticky} left-9 text-left`}>
                {entrantLabel}
              </th>
              {kind === "group" ? (
                <>
                  <th scope="col" className={number}>
                    <abbr title="Matches played" className="no-underline">
                      P
                    </abbr>
                  </th>
                  <th scope="col" className={number}>
                    <abbr title="Wins" className="no-underline">
                      W
                    </abbr>
                  </th>
                  <th scope="col" className={number}>
                    <abbr title="Losses" className="no-underline">
                      L
                    </abbr>
                  </th>
                </>
              ) : (
                <>
                  <th scope="col" className={number}>
                    <abbr title="Wins–losses" className="no-underline">
                      W–L
                    </abbr>
                  </th>
                  <th scope="col" className={number}>
                    <abbr title="Buchholz: the total wins of every opponent played" className="no-underline">
                      Bu
                    </abbr>
                  </th>
                </>
              )}
              <th scope="col" className={number}>
                <abbr title="Games won–lost" className="no-underline">
                  Games
                </abbr>
              </th>
              <th scope="col" className={number}>
                <abbr title="Game difference" className="no-underline">
                  GD
                </abbr>
              </th>
              {kind === "group" ? (
                <th scope="col" className={number}>
                  <abbr title="Head-to-head wins among the players level on wins" className="no-underline">
                    H2H
                  </abbr>
                </th>
              ) : (
                <th scope="col" className={number}>
                  <abbr title="Matches played" className="no-underline">
                    P
                  </abbr>
                </th>
              )}
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
            {rows.map((row) => {
              const entry = context.names[row.entrant];
              const name = entry?.name ?? `Seed ${row.seed}`;
              const advances = row.rank <= advance && !row.disqualified;
              return (
                <tr
                  key={row.entrant}
                  data-ek={context.keys.get(row.entrant)}
                  className={row.disqualified ? "text-zinc-600 dark:text-zinc-400" : ""}
                >
                  <td
                    className={`${cell} ${sticky} left-0 w-9 text-left font-semibold ${advances ? "shadow-[inset_3px_0_0_var(--color-emerald-500)]" : ""}`}
                  >
                    {row.rank}
                    {advances ? <span className="sr-only">, advances</span> : null}
                  </td>
                  <th scope="row" className={`${sticky} left-9 max-w-[11rem] px-2 py-1.5 text-left font-medium sm:max-w-[16rem]`}>
                    <span className="flex min-w-0 items-center gap-2">
                      {embed ? null : <Avatar name={name} image={entry?.image ?? null} size={22} />}
                      <span className={`min-w-0 truncate ${row.disqualified ? "line-through" : ""}`} title={name}>
                        {name}
                      </span>
                      {row.disqualified ? (
                        <span className="shrink-0 rounded bg-red-100 px-1 text-[10px] font-bold text-red-800 dark:bg-red-950 dark:text-red-200">
                          DQ
                        </span>
                      ) : null}
                      {kind === "swiss" && row.byes > 0 ? (
                        <span
                          title="Had a BYE: counts as a win"
                          className="shrink-0 rounded bg-zinc-100 px-1 text-[10px] font-semibold text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300"
                        >
                          BYE
                        </span>
                      ) : null}
                    </span>
                  </th>
                  {kind === "group" ? (
                    <>
                      <td className={value}>{row.played}</td>
                      <td className={`${value} font-semibold`}>{row.wins}</td>
                      <td className={value}>{row.losses}</td>
                    </>
                  ) : (
                    <>
                      <td className={`${value} font-semibold`}>
                        {row.wins}–{row.losses}
                      </td>
                      <td className={value}>{row.buchholz}</td>
                    </>
                  )}
                  <td className={value}>
                    {row.gamesWon}–{row.gamesLost}
                  </td>
                  <td className={value}>{signed(row.gamesWon - row.gamesLost)}</td>
                  <td className={value}>{kind === "group" ? row.headToHead : row.played}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {embed ? null : (
        <p className="border-t border-zinc-100 px-3 py-2 text-xs text-zinc-600 dark:border-zinc-800 dark:text-zinc-400">
          {advance > 0 ? (
            <>
              <span aria-hidden className="mr-1 inline-block h-3 w-[3px] translate-y-0.5 bg-emerald-500" />
              Top {advance} advance to the playoffs.{" "}
            </>
          ) : null}
          {explanations[kind]}
        </p>
      )}
    </div>
  );
}
