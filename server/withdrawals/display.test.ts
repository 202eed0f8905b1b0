import { describe, expect, it } from "vitest";
import {
  accountIsNew,
  amountSummary,
  arrivalWords,
  isOnTheWay,
  isSecondFactorRefusal,
  outcomeWords,
  SECOND_FACTOR_NEEDED,
  timelineSteps,
} from "./display";

const at = (minute: number) => new Date(Date.UTC(2026, 11, 7, 12, minute));
const base = { requestedAt: at(0), approvedAt: null, sentAt: null, paidAt: null, failedAt: null, closedAt: null };

function states(steps: ReturnType<typeof timelineSteps>) {
  return steps.map((step) => `${step.id}:${step.state}`);
}

describe("withdrawal display", () => {
  it("says what arrives, the fee and what leaves the wallet", () => {
    expect(amountSummary(50_00, 1_00)).toBe("You receive $50.00 · fee $1.00 · $51.00 leaves your wallet");
  });

  it("recognises the server's second-factor refusal by its exact message", () => {
    expect(isSecondFactorRefusal(new Error(SECOND_FACTOR_NEEDED))).toBe(true);
    expect(isSecondFactorRefusal(new Error("Something else."))).toBe(false);
    expect(isSecondFactorRefusal(SECOND_FACTOR_NEEDED)).toBe(false);
  });

  it("marks the next step current while a withdrawal goes well", () => {
    expect(states(timelineSteps({ ...base, status: "requested" }))).toEqual([
      "requested:done",
      "approved:current",
      "sent:upcoming",
      "paid:upcoming",
    ]);
    expect(timelineSteps({ ...base, status: "requested" })[1]?.label).toBe("Review");
    expect(states(timelineSteps({ ...base, status: "approved", approvedAt: at(1) }))).toEqual([
      "requested:done",
      "approved:done",
      "sent:current",
      "paid:upcoming",
    ]);
    const paid = timelineSteps({ ...base, status: "paid", approvedAt: at(1), sentAt: at(2), paidAt: at(3) });
    expect(states(paid)).toEqual(["requested:done", "approved:done", "sent:done", "paid:done"]);
    expect(paid.map((step) => step.at)).toEqual([at(0), at(1), at(2), at(3)]);
  });

  it("shows the steps taken and how it ended for a cancelled, rejected or failed one", () => {
    expect(states(timelineSteps({ ...base, status: "canceled", closedAt: at(5) }))).toEqual(["requested:done", "canceled:ended"]);
    expect(states(timelineSteps({ ...base, status: "rejected", closedAt: at(5) }))).toEqual(["requested:done", "rejected:ended"]);
    const failed = timelineSteps({ ...base, status: "failed", approvedAt: at(1), sentAt: at(2), failedAt: at(9), closedAt: at(9) });
    expect(states(failed)).toEqual(["requested:done", "approved:done", "sent:done", "failed:ended"]);
    expect(failed.at(-1)?.at).toEqual(at(9));
    // Refused by the gateway at once: never sent.
    expect(states(timelineSteps({ ...base, status: "failed", approvedAt: at(1), failedAt: at(2) }))).toEqual([
      "requested:done",
      "approved:done",
      "failed:ended",
    ]);
  });

  it("tells why it ended and that the money came back", () => {
    const money = { amount: 50_00, fee: 1_00, failureMessage: null, decisionReason: null };
    expect(outcomeWords({ ...money, status: "sent" })).toBeNull();
    expect(outcomeWords({ ...money, status: "canceled" })).toBe("You cancelled this request. $51.00 went back to your wallet.");
    expect(outcomeWords({ ...money, status: "rejected", decisionReason: "The holder name does not match" })).toBe(
      "Not approved: The holder name does not match. $51.00 went back to your wallet.",
    );
    expect(outcomeWords({ ...money, status: "failed", failureMessage: "The account is closed." })).toBe(
      "The payout failed: The account is closed. $51.00 went back to your wallet.",
    );
    expect(outcomeWords({ ...money, status: "failed" })).toContain("Your bank could not accept the payout.");
  });

  it("knows which are on their way and when a bank account is new", () => {
    expect(["requested", "approved", "sent", "paid", "failed", "rejected", "canceled"].filter((s) => isOnTheWay(s as never))).toEqual([
      "requested",
      "approved",
      "sent",
    ]);
    const now = at(0);
    expect(accountIsNew(new Date(now.getTime() - 23 * 3_600_000), 24, now)).toBe(true);
    expect(accountIsNew(new Date(now.getTime() - 25 * 3_600_000), 24, now)).toBe(false);
    expect(arrivalWords(true)).toContain("after a quick review");
    expect(arrivalWords(false)).toContain("usually arrives 1–3 business days after it is sent");
  });
});
