import { describe, expect, it, vi } from "vitest";
import { paymentPurposes } from "@/db/schema";
import "./composition";
import { registeredTopicKinds } from "./live/topics";
import { LIVE_TOPIC_KINDS } from "./live/topics-name";
import { purposeHooks, registeredPaymentPurposes } from "./payments/purposes";
import { bracketRegistrationHooks } from "./brackets/registration-hooks";
import { bracketHooks } from "./registration/bracket-hooks";
import { registrationTeamEntries } from "./registration/team-entries";
import { teamEntries } from "./teams/entries";
import { eventEntries } from "./events/entries";
import { registrationEventEntries } from "./registration/event-entries";
import { disputeEvidenceAttachments } from "./disputes/evidence-access";
import { evidenceAttachments } from "./storage/evidence-access";

describe("the composition root", () => {
  it("registers hooks for every payment purpose of the schema's enum, and nothing else", () => {
    expect([...registeredPaymentPurposes()].sort()).toEqual([...paymentPurposes].sort());
    for (const purpose of paymentPurposes) {
      const hooks = purposeHooks(purpose);
      expect(typeof hooks.onSucceeded, purpose).toBe("function");
      expect(typeof hooks.onRefundRequested, purpose).toBe("function");
      expect(typeof hooks.onRefundFailed, purpose).toBe("function");
    }
  });

  it("registers an access rule for every live topic kind of topics-name.ts, and nothing else", () => {
    expect([...registeredTopicKinds()].sort()).toEqual([...LIVE_TOPIC_KINDS].sort());
  });

  it("registers what a domain below asks of a domain above: teams' and events' questions about entries, registration's bracket hooks, storage's evidence question", () => {
    expect(teamEntries()).toBe(registrationTeamEntries);
    expect(eventEntries()).toBe(registrationEventEntries);
    expect(bracketHooks()).toBe(bracketRegistrationHooks);
    expect(evidenceAttachments()).toBe(disputeEvidenceAttachments);
  });

  it("may be loaded again (another chunk, a hot reload): the same registrations, no error", async () => {
    vi.resetModules();
    await import("./composition");
    expect([...registeredPaymentPurposes()].sort()).toEqual([...paymentPurposes].sort());
    expect([...registeredTopicKinds()].sort()).toEqual([...LIVE_TOPIC_KINDS].sort());
    expect(Object.keys(teamEntries()).sort()).toEqual(["activeEntries", "entryCount", "rosterLock"]);
    expect(Object.keys(eventEntries()).sort()).toEqual(["feesPaid", "hasMoneyTerms", "registrantIds"]);
    expect(Object.keys(bracketHooks()).sort()).toEqual([
      "closeForCancelledEvent",
      "disqualifyEntry",
      "forfeitEntry",
      "isDisqualified",
      "lockForCancellation",
    ]);
    expect(Object.keys(evidenceAttachments())).toEqual(["mayView"]);
  });
});
