/**
 * An event's money lifecycle, in one place: which money actions each phase of an event allows.
 *
 * Every service that moves an event's money (checkout, withdrawals, removals, cancellation, the
 * bracket's start, the payout) or changes its money terms asks `assertMoneyAction` first, with the
 * event row it has locked. The table is total (TypeScript checks every action × phase is written
 * down) and `money-lifecycle.test.ts` compares it, cell by cell, with what the services answer.
 *
 * The rules, in words:
 * - Entry fees come in only while registration is open.
 * - Money terms (fee, penalty, share of fees to prizes, payout split, organizer-funded prize) are
 *   free to change until someone has registered; after that only a change in the players' favour
 *   is allowed (lower penalty, larger share of fees to prizes, larger organizer-funded prize), and
 *   every registered player is told. Once the bracket starts nothing changes.
 * - Starting the bracket closes registration and check-in. From then on no refund leaves the
 *   escrow: a player who withdraws forfeits their remaining matches, an organizer removes a player
 *   by disqualifying them.
 * - Cancelling refunds every entry in full, up to the payout; after the payout it is refused.
 * - The payout (prizes, then the organizer's share less the platform fee) empties the escrow once.
 */
import type { EventStatus } from "@/db/schema/events";
import { Invalid } from "@/server/errors";

export const moneyPhases = [
  "draft",
  /** Published; registration has not opened yet. */
  "upcoming",
  /** Registration open (check-in may be open too). */
  "registration_open",
  /** Registration closed; check-in not closed yet (open, or about to open). */
  "check_in",
  /** Registration and check-in closed; the bracket has not started. */
  "registration_closed",
  "bracket_started",
  /** The bracket is complete; the payout has not run (or was refused and may be retried). */
  "completed",
  "paid_out",
  "cancelled",
] as const;
export type MoneyPhase = (typeof moneyPhases)[number];

export const moneyActions = [
  "publish",
  "checkout",
  "player_withdrawal",
  "organizer_removal",
  "drop_no_shows",
  "cancel",
  "edit_entry_fee",
  "edit_withdrawal_penalty",
  "edit_prize_share",
  "edit_payout_split",
  "edit_organizer_prize",
  "edit_dates",
  "capacity_below_confirmed",
  "start_bracket",
  "payout",
] as const;
export type MoneyAction = (typeof moneyActions)[number];

/**
 * What a phase does with an action:
 * - allowed: go ahead;
 * - refused: answered with the message, nothing changes;
 * - terms_frozen_once_registered: allowed while nobody has registered; afterwards only in the
 *   players' favour (see `favoursPlayers`), with a notice to every registered player;
 * - forfeit: a player's withdrawal after the start: disqualified from the bracket, no refund;
 * - disqualify: an organizer's removal after the start: a disqualification, no refund.
 */
export type MoneyRule =
  | { kind: "allowed" }
  | { kind: "refused"; message: string }
  | { kind: "terms_frozen_once_registered" }
  | { kind: "forfeit" }
  | { kind: "disqualify" };

const allowed: MoneyRule = { kind: "allowed" };
const refused = (message: string): MoneyRule => ({ kind: "refused", message });
const frozenOnceRegistered: MoneyRule = { kind: "terms_frozen_once_registered" };

const NOT_PUBLISHED = "This event has not been published yet.";
const NOT_OPEN_YET = "Registration for this event has not opened yet.";
const REGISTRATION_CLOSED = "Registration for this event has closed.";
const OVER = "This event is over: its prizes are being paid.";
const PAID_OUT = "This event's prizes have been paid: its money can no longer move.";
const CANCELLED = "This event was cancelled: every entry was refunded in full.";
const TERMS_STARTED = "The bracket has started: the event's money terms can no longer change.";

/** Every action × phase. A new action or phase does not compile until each cell is decided. */
export const moneyRules: Record<MoneyAction, Record<MoneyPhase, MoneyRule>> = {
  publish: {
    draft: allowed,
    upcoming: refused("Only a draft can be published."),
    registration_open: refused("Only a draft can be published."),
    check_in: refused("Only a draft can be published."),
    registration_closed: refused("Only a draft can be published."),
    bracket_started: refused("Only a draft can be published."),
    completed: refused("Only a draft can be published."),
    paid_out: refused("Only a draft can be published."),
    cancelled: refused("Only a draft can be published."),
  },
  checkout: {
    // Drafts are private: to a player a draft does not exist.
    draft: refused("We could not find that event."),
    upcoming: refused(NOT_OPEN_YET),
    registration_open: allowed,
    check_in: refused(REGISTRATION_CLOSED),
    registration_closed: refused(REGISTRATION_CLOSED),
    bracket_started: refused("This event has started: registration is closed."),
    completed: refused("This event is over."),
    paid_out: refused("This event is over."),
    cancelled: refused("This event was cancelled."),
  },
  player_withdrawal: {
    draft: refused(NOT_PUBLISHED),
    upcoming: allowed,
    registration_open: allowed,
    check_in: refused("Registration has closed: entries can no longer be withdrawn. Ask the organizer."),
    registration_closed: refused("Registration has closed: entries can no longer be withdrawn. Ask the organizer."),
    bracket_started: { kind: "forfeit" },
    completed: refused("This event is over: your results stand."),
    paid_out: refused(PAID_OUT),
    cancelled: refused(CANCELLED),
  },
  organizer_removal: {
    draft: refused(NOT_PUBLISHED),
    upcoming: allowed,
    registration_open: allowed,
    check_in: allowed,
    registration_closed: allowed,
    bracket_started: { kind: "disqualify" },
    completed: { kind: "disqualify" },
    paid_out: refused(PAID_OUT),
    cancelled: refused(CANCELLED),
  },
  drop_no_shows: {
    draft: refused(NOT_PUBLISHED),
    upcoming: refused("Check-in has not closed yet: wait until it closes."),
    registration_open: refused("Registration is still open: no-shows can be dropped once registration and check-in have closed."),
    check_in: refused("Check-in has not closed yet: wait until it closes."),
    registration_closed: allowed,
    bracket_started: refused("The bracket has started: no-shows were dropped when it started."),
    completed: refused(OVER),
    paid_out: refused(PAID_OUT),
    cancelled: refused(CANCELLED),
  },
  cancel: {
    draft: allowed,
    upcoming: allowed,
    registration_open: allowed,
    check_in: allowed,
    registration_closed: allowed,
    bracket_started: allowed,
    completed: allowed,
    paid_out: refused("The prizes have been paid: a paid-out event can no longer be cancelled."),
    cancelled: allowed,
  },
  edit_entry_fee: termsRow(),
  edit_withdrawal_penalty: termsRow(),
  edit_prize_share: termsRow(),
  edit_payout_split: termsRow(),
  edit_organizer_prize: termsRow(),
  edit_dates: {
    draft: allowed,
    upcoming: allowed,
    registration_open: allowed,
    check_in: allowed,
    registration_closed: allowed,
    bracket_started: refused("The bracket has started: the event's dates can no longer change."),
    completed: refused(OVER),
    paid_out: refused(PAID_OUT),
    cancelled: refused(CANCELLED),
  },
  capacity_below_confirmed: Object.fromEntries(
    moneyPhases.map((phase) => [phase, refused("Players hold those seats: the capacity cannot go below the seats taken.")]),
  ) as Record<MoneyPhase, MoneyRule>,
  start_bracket: {
    draft: refused("Publish the event before starting its bracket."),
    upcoming: refused(NOT_OPEN_YET),
    registration_open: allowed,
    check_in: allowed,
    registration_closed: allowed,
    bracket_started: refused("The bracket has already been started."),
    completed: refused("The bracket has already been started."),
    paid_out: refused("The bracket has already been started."),
    cancelled: refused("This event was cancelled."),
  },
  payout: {
    draft: refused("The bracket is not finished yet: prizes are paid when it completes."),
    upcoming: refused("The bracket is not finished yet: prizes are paid when it completes."),
    registration_open: refused("The bracket is not finished yet: prizes are paid when it completes."),
    check_in: refused("The bracket is not finished yet: prizes are paid when it completes."),
    registration_closed: refused("The bracket is not finished yet: prizes are paid when it completes."),
    bracket_started: refused("The bracket is not finished yet: prizes are paid when it completes."),
    completed: allowed,
    // A replay answers with what was paid.
    paid_out: allowed,
    cancelled: refused("This event was cancelled: its entry fees were refunded instead."),
  },
};

function termsRow(): Record<MoneyPhase, MoneyRule> {
  return {
    draft: allowed,
    upcoming: frozenOnceRegistered,
    registration_open: frozenOnceRegistered,
    check_in: frozenOnceRegistered,
    registration_closed: frozenOnceRegistered,
    bracket_started: refused(TERMS_STARTED),
    completed: refused(OVER),
    paid_out: refused(PAID_OUT),
    cancelled: refused(CANCELLED),
  };
}

export interface MoneyTimeline {
  status: EventStatus;
  registrationOpensAt: Date;
  registrationClosesAt: Date;
  checkInClosesAt: Date;
  paidOutAt: Date | null;
}

/** The event's money phase: its stored status refined by the clock and the payout. */
export function moneyPhase(event: MoneyTimeline, now = new Date()): MoneyPhase {
  switch (event.status) {
    case "draft":
      return "draft";
    case "cancelled":
      return "cancelled";
    case "live":
      return "bracket_started";
    case "completed":
      return event.paidOutAt ? "paid_out" : "completed";
    case "published":
      if (now < event.registrationOpensAt) return "upcoming";
      if (now < event.registrationClosesAt) return "registration_open";
      if (now < event.checkInClosesAt) return "check_in";
      return "registration_closed";
  }
}

export function moneyRule(action: MoneyAction, phase: MoneyPhase): MoneyRule {
  return moneyRules[action][phase];
}

/** The refusal for a refused cell: BAD_REQUEST with the cell's words. */
export const moneyRefusal = (message: string) => new Invalid(message);

/**
 * The rule for `action` on the event as locked by the caller; a refused cell throws its message.
 * Returns the rule so callers can branch on forfeit, disqualify and frozen terms.
 */
export function assertMoneyAction(action: MoneyAction, event: MoneyTimeline, now = new Date()): Exclude<MoneyRule, { kind: "refused" }> {
  const rule = moneyRule(action, moneyPhase(event, now));
  if (rule.kind === "refused") throw moneyRefusal(rule.message);
  return rule;
}

/** The money terms an organizer edits, as stored on the event. */
export interface MoneyTerms {
  entryFee: number;
  withdrawalPenaltyPercent: number;
  prizeFromFeesPercent: number;
  payoutSplit: number[];
  organizerPrize: number;
}

export const termActions: Record<keyof MoneyTerms, MoneyAction> = {
  entryFee: "edit_entry_fee",
  withdrawalPenaltyPercent: "edit_withdrawal_penalty",
  prizeFromFeesPercent: "edit_prize_share",
  payoutSplit: "edit_payout_split",
  organizerPrize: "edit_organizer_prize",
};

const sameSplit = (a: number[], b: number[]) => a.length === b.length && a.every((value, i) => value === b[i]);

/** Whether a change of one term only helps the players who have already paid. */
export function favoursPlayers(term: keyof MoneyTerms, before: MoneyTerms, after: MoneyTerms): boolean {
  switch (term) {
    case "withdrawalPenaltyPercent":
      return after.withdrawalPenaltyPercent < before.withdrawalPenaltyPercent;
    case "prizeFromFeesPercent":
      return after.prizeFromFeesPercent > before.prizeFromFeesPercent;
    case "organizerPrize":
      return after.organizerPrize > before.organizerPrize;
    case "entryFee":
    case "payoutSplit":
      return false;
  }
}

const frozenMessages: Record<keyof MoneyTerms, string> = {
  entryFee: "Players have registered: the entry fee can no longer change.",
  withdrawalPenaltyPercent: "Players have registered: the withdrawal penalty can only go down.",
  prizeFromFeesPercent: "Players have registered: the share of fees going to prizes can only go up.",
  payoutSplit: "Players have registered: the payout split can no longer change.",
  organizerPrize: "Players have registered: the prize you put up can only go up.",
};

export interface TermChange {
  term: keyof MoneyTerms;
  /** Changed in the players' favour after they registered: they are told. */
  notify: boolean;
}

/**
 * Checks an edit of the money terms against the lifecycle. Returns the terms that changed; throws
 * a field error (the form shows it beside the field) for a change the phase refuses.
 */
export function checkTermChanges(event: MoneyTimeline & MoneyTerms, next: MoneyTerms, registered: boolean, now = new Date()): TermChange[] {
  const changes: TermChange[] = [];
  for (const term of Object.keys(termActions) as (keyof MoneyTerms)[]) {
    const changed = term === "payoutSplit" ? !sameSplit(event.payoutSplit, next.payoutSplit) : event[term] !== next[term];
    if (!changed) continue;
    const rule = moneyRule(termActions[term], moneyPhase(event, now));
    if (rule.kind === "refused") throw new Invalid(rule.message, { field: term });
    if (rule.kind === "terms_frozen_once_registered" && registered) {
      if (!favoursPlayers(term, event, next)) throw new Invalid(frozenMessages[term], { field: term });
      changes.push({ term, notify: true });
    } else changes.push({ term, notify: false });
  }
  return changes;
}
