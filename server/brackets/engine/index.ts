// Browser-safe: loaded by client components; imports nothing server-only.
/** The pure bracket engine: no database, no React, no Next. See types.ts for the data model. */
export * from "./types";
export { createBracket } from "./create";
export { bestOfFor, gamesToWin } from "./best-of";
export { bracketSize, createRandom, seedByRating, seedByRegistration, seedManually, seedRandomly, standardOrder } from "./seeding";
export { applyUpdate } from "./progression";
export { clearResult, disqualify, previewResult, recordGame, reinstate, setResult } from "./results";
export { groupStandings, isGroupComplete } from "./round-robin";
export { nextSwissRound, swissRoundsCreated, swissStandings } from "./swiss";
export { finalStandings, isComplete } from "./placements";
export * from "./limits";
export { matchNames, matchLabelIn, type MatchName, type LabelledMatch } from "./labels";
