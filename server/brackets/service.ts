/**
 * The brackets domain's service API: start, results, reporting, corrections and undo, payouts and
 * reads. Each function takes (db | tx, actor, input) like the other domains; the pure engine is in
 * ./engine, persistence in ./repository and ./changes.
 */
export { previewSeeding, startBracket, afterBracketStart, notifyParticipants, bracketSettings, seedField } from "./start";
export {
  setMatchResult,
  recordGameByOrganizer,
  clearMatchResult,
  previewCorrection,
  applyCorrection,
  disqualifyEntrant,
  forfeitEntrant,
  reinstateEntrant,
  undoLastAction,
  callMatch,
  announceToParticipants,
} from "./results";
export { reportGame, runReportDeadline, openDispute, resolveGameByAuthority, sideOfUser, evaluateReports } from "./reports";
export { reportSet, confirmSet, setProblem } from "./set-reports";
export { currentMatches } from "./mine";
export { payPrizes, retryPayout, splitPrizes } from "./payouts";
export { getBracket, consoleMatches, myMatches, bracketHistory } from "./read";
export { canFollowBracketTopic, closeBracketOfCancelledEvent, draftTopicReaders, lockBracketForCancellation } from "./access";
