// Browser-safe: loaded by client components; imports nothing server-only.
/**
 * How a withdrawal reads on the player's pages: what leaves the wallet, the status in words, the
 * steps of its timeline and when the money arrives. Pure functions over the view the server sends.
 */
import { formatMoney } from "@/lib/money";
import type { WithdrawalFlag, WithdrawalStatus } from "@/db/schema/withdrawals";

/**
 * The answer a request over the second-factor threshold gets without one (or with a wrong one); the
 * page then asks for it. requests.ts should import it from here so the two cannot drift apart.
 */
export const SECOND_FACTOR_NEEDED =
  "Withdrawals over this amount need your second factor: enter a code from your authenticator app, a recovery code or use a passkey.";

/** A withdrawal as the player's pages and the API show it (never the bank number). */
export interface WithdrawalView {
  id: string;
  amount: number;
  fee: number;
  status: WithdrawalStatus;
  flags: WithdrawalFlag[];
  bank: { last4: string; bankName: string | null; holderName: string };
  failureMessage: string | null;
  /** An admin's reason for a rejection, told to the player. */
  decisionReason: string | null;
  requestedAt: Date;
  approvedAt: Date | null;
  sentAt: Date | null;
  paidAt: Date | null;
  failedAt: Date | null;
  closedAt: Date | null;
}

/** Whether a refusal (a tRPC error on the client) asks for the second factor. */
export function isSecondFactorRefusal(error: unknown): boolean {
  return error instanceof Error && error.message === SECOND_FACTOR_NEEDED;
}

export type WithdrawalStatusName = WithdrawalView["status"];

/** "You receive $50.00 · fee $1.00 · $51.00 leaves your wallet". */
export function amountSummary(amount: number, fee: number): string {
  return `You receive ${formatMoney(amount)} · fee ${formatMoney(fee)} · ${formatMoney(amount + fee)} leaves your wallet`;
}

/** The status as a short badge. */
export const statusLabel: Record<WithdrawalStatusName, string> = {
  requested: "Waiting for review",
  approved: "Approved",
  sent: "On its way",
  paid: "Arrived",
  failed: "Failed",
  rejected: "Rejected",
  canceled: "Cancelled",
};

export type StatusTone = "waiting" | "moving" | "done" | "returned" | "closed";

export const statusTone: Record<WithdrawalStatusName, StatusTone> = {
  requested: "waiting",
  approved: "moving",
  sent: "moving",
  paid: "done",
  failed: "returned",
  rejected: "returned",
  canceled: "closed",
};

/** Requested, approved or sent: the money has left the available balance and not yet arrived or come back. */
export function isOnTheWay(status: WithdrawalStatusName): boolean {
  return status === "requested" || status === "approved" || status === "sent";
}

export type StepState = "done" | "current" | "upcoming" | "ended";

export interface TimelineStep {
  id: "requested" | "approved" | "sent" | "paid" | "failed" | "rejected" | "canceled";
  label: string;
  at: Date | null;
  state: StepState;
}

type TimelineInput = Pick<WithdrawalView, "status" | "requestedAt" | "approvedAt" | "sentAt" | "paidAt" | "failedAt" | "closedAt">;

/**
 * The steps to show for one withdrawal: requested → approved → sent → arrived while it goes well
 * (the next step to happen marked current), or the steps it took and then how it ended.
 */
export function timelineSteps(w: TimelineInput): TimelineStep[] {
  const requested: TimelineStep = { id: "requested", label: "Requested", at: w.requestedAt, state: "done" };
  switch (w.status) {
    case "canceled":
      return [requested, { id: "canceled", label: "Cancelled by you", at: w.closedAt, state: "ended" }];
    case "rejected":
      return [requested, { id: "rejected", label: "Not approved", at: w.closedAt, state: "ended" }];
    case "failed":
      return [
        requested,
        ...(w.approvedAt ? [{ id: "approved", label: "Approved", at: w.approvedAt, state: "done" } as const] : []),
        ...(w.sentAt ? [{ id: "sent", label: "Sent to your bank", at: w.sentAt, state: "done" } as const] : []),
        { id: "failed", label: "Failed", at: w.failedAt ?? w.closedAt, state: "ended" },
      ];
    default: {
      const order = ["requested", "approved", "sent", "paid"] as const;
      const reached = order.indexOf(w.status);
      const steps: TimelineStep[] = [
        requested,
        { id: "approved", label: w.status === "requested" ? "Review" : "Approved", at: w.approvedAt, state: "upcoming" },
        { id: "sent", label: "Sent to your bank", at: w.sentAt, state: "upcoming" },
        { id: "paid", label: "Arrived", at: w.paidAt, state: "upcoming" },
      ];
      return steps.map((step, index) => ({
        ...step,
        state: index <= reached ? "done" : index === reached + 1 ? "current" : "upcoming",
      }));
    }
  }
}

/** Why it ended, in words, and where the money is now; null while it goes well. */
export function outcomeWords(w: Pick<WithdrawalView, "status" | "amount" | "fee" | "failureMessage" | "decisionReason">): string | null {
  const back = `${formatMoney(w.amount + w.fee)} went back to your wallet.`;
  switch (w.status) {
    case "canceled":
      return `You cancelled this request. ${back}`;
    case "rejected":
      return `${w.decisionReason ? `Not approved: ${sentence(w.decisionReason)}` : "Driftwood staff did not approve this withdrawal."} ${back}`;
    case "failed":
      return `${w.failureMessage ? `The payout failed: ${sentence(w.failureMessage)}` : "Your bank could not accept the payout."} ${back}`;
    default:
      return null;
  }
}

function sentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

/** What happens next for a withdrawal that is on its way; null once it ended. */
export function nextWords(status: WithdrawalStatusName): string | null {
  switch (status) {
    case "requested":
      return "Driftwood staff review it before it is sent. You can cancel it until then.";
    case "approved":
      return "Approved: it is sent to your bank shortly.";
    case "sent":
      return "Sent: it usually arrives 1–3 business days after it is sent.";
    default:
      return null;
  }
}

/** Whether a bank account added at `createdAt` still sends its withdrawals to review. */
export function accountIsNew(createdAt: Date, reviewHours: number, now: Date = new Date()): boolean {
  return now.getTime() - createdAt.getTime() < reviewHours * 3_600_000;
}

/** When a new withdrawal arrives, for the form. */
export function arrivalWords(isNew: boolean): string {
  return isNew
    ? "Your bank account is new, so it is sent after a quick review by Driftwood staff; it usually arrives 1–3 business days after it is sent."
    : "It is sent within minutes and usually arrives 1–3 business days after it is sent.";
}
