/**
 * From what the bracket API sends to what the drawing takes. The drawing reads the engine's own
 * `Bracket`; the public read may send matches as a list, with the engine's id as `matchId` beside a
 * public uuid `id`, sides without their sources (sent apart as `sources`) and scores as null, and
 * entrants with their names. This puts the engine shape back together and keeps the uuids, so the
 * page can link a match card to its match page.
 */
import type {
  Bracket,
  BracketSettings,
  Entrant,
  EntrantId,
  Game,
  Match,
  MatchId,
  MatchSide,
  SideSource,
} from "@/server/brackets/engine/types";
import type { BracketNames } from "./types";

type SentSide = Pick<MatchSide, "entrant" | "bye"> & { source?: SideSource | null };
type SentGame = { winner: Game["winner"]; score?: [number, number] | null };

/** A match as the engine stores it, or as the public read sends it. */
export type SentMatch = Omit<Match, "id" | "sides" | "games" | "nextWin" | "nextLose" | "playedIf"> & {
  id: string;
  /** The engine's id when `id` is a public uuid. */
  matchId?: MatchId;
  sides: [SentSide, SentSide];
  sources?: [SideSource | null, SideSource | null];
  games: SentGame[];
  nextWin?: Match["nextWin"];
  nextLose?: Match["nextLose"];
  playedIf?: Match["playedIf"];
};

export interface SentBracket {
  settings: BracketSettings;
  entrants: (Entrant & { name?: string; image?: string | null; disqualified?: boolean })[];
  groups: EntrantId[][];
  disqualified?: EntrantId[];
  matches: SentMatch[] | Record<string, SentMatch>;
}

export interface AdaptedBracket {
  bracket: Bracket;
  names: BracketNames;
  /** Engine match id to public match id (the uuid), when the API sent one. */
  publicIds: Record<MatchId, string>;
}

export function fromSentBracket(sent: SentBracket): AdaptedBracket {
  const list = Array.isArray(sent.matches) ? sent.matches : Object.values(sent.matches);
  const matches: Record<MatchId, Match> = {};
  const publicIds: Record<MatchId, string> = {};
  for (const match of list) {
    const id = match.matchId ?? match.id;
    if (match.matchId) publicIds[id] = match.id;
    const side = (index: 0 | 1): MatchSide => ({
      source: match.sources?.[index] ?? match.sides[index].source ?? null,
      entrant: match.sides[index].entrant,
      bye: match.sides[index].bye,
    });
    matches[id] = {
      id,
      stage: match.stage,
      round: match.round,
      position: match.position,
      bestOf: match.bestOf,
      sides: [side(0), side(1)],
      nextWin: match.nextWin ?? null,
      nextLose: match.nextLose ?? null,
      playedIf: match.playedIf ?? null,
      status: match.status,
      games: match.games.map((game) => (game.score ? { winner: game.winner, score: game.score } : { winner: game.winner })),
      result: match.result,
    };
  }
  const names: BracketNames = {};
  for (const entrant of sent.entrants) names[entrant.id] = { name: entrant.name ?? `Seed ${entrant.seed}`, image: entrant.image ?? null };
  const disqualified = sent.disqualified ?? sent.entrants.filter((entrant) => entrant.disqualified).map((entrant) => entrant.id);
  return {
    bracket: {
      settings: sent.settings,
      entrants: sent.entrants.map((entrant) => ({ id: entrant.id, seed: entrant.seed })).sort((a, b) => a.seed - b.seed),
      groups: sent.groups,
      disqualified,
      matches,
    },
    names,
    publicIds,
  };
}
