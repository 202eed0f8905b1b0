import { describe, expect, it } from "vitest";
import { createBracket } from "@/server/brackets/engine";
import { field } from "@/server/brackets/engine/testing";
import { fromSentBracket, type SentMatch } from "./adapter";

describe("fromSentBracket", () => {
  const bracket = createBracket(field(4), { format: "single_elimination", thirdPlace: false });

  it("takes the engine's JSON as it is", () => {
    const sent = JSON.parse(JSON.stringify(bracket));
    const { bracket: adapted, names, publicIds } = fromSentBracket(sent);
    expect(adapted).toEqual(bracket);
    expect(names.p1).toEqual({ name: "Seed 1", image: null });
    expect(publicIds).toEqual({});
  });

  it("rebuilds engine matches from the public read's list: uuids, sources apart, null scores", () => {
    const matches: SentMatch[] = Object.values(bracket.matches).map((match, index) => ({
      ...match,
      id: `uuid-${index}`,
      matchId: match.id,
      sides: [
        { entrant: match.sides[0].entrant, bye: match.sides[0].bye },
        { entrant: match.sides[1].entrant, bye: match.sides[1].bye },
      ],
      sources: [match.sides[0].source, match.sides[1].source],
      games:
        index === 0
          ? [
              { winner: 0, score: null },
              { winner: 0, score: [13, 4] },
            ]
          : [],
    }));
    const {
      bracket: adapted,
      names,
      publicIds,
    } = fromSentBracket({
      settings: bracket.settings,
      entrants: bracket.entrants.map((entrant) => ({ ...entrant, name: `Player ${entrant.seed}`, disqualified: entrant.id === "p4" })),
      groups: [],
      matches,
    });
    expect(Object.keys(adapted.matches)).toEqual(Object.keys(bracket.matches));
    expect(adapted.matches["U-R1-M1"]!.sides).toEqual(bracket.matches["U-R1-M1"]!.sides);
    expect(adapted.matches["U-R1-M1"]!.games).toEqual([{ winner: 0 }, { winner: 0, score: [13, 4] }]);
    expect(adapted.matches["U-R1-M1"]!.nextWin).toEqual(bracket.matches["U-R1-M1"]!.nextWin);
    expect(adapted.disqualified).toEqual(["p4"]);
    expect(names.p2!.name).toBe("Player 2");
    expect(publicIds["U-R2-M1"]).toBe("uuid-2");
  });
});
