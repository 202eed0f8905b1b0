import { describe, expect, it } from "vitest";
import { parseSuspendedCode, suspendedCode, suspensionEndInWords } from "./suspension-code";

describe("the suspended sign-in code", () => {
  it("carries an end (an ISO time, with its colons) and a reason with any characters back to the form", () => {
    const until = new Date("2026-12-14T18:00:00.000Z");
    expect(parseSuspendedCode(suspendedCode(until, "Spam: a lot, 100% sure"))).toEqual({ until, reason: "Spam: a lot, 100% sure" });
    expect(parseSuspendedCode(suspendedCode(null, "Ban"))).toEqual({ until: null, reason: "Ban" });
    expect(parseSuspendedCode(suspendedCode(until, ""))).toEqual({ until, reason: "" });
  });

  it("is nothing for other codes", () => {
    expect(parseSuspendedCode("rate_limited:30")).toBeNull();
    expect(parseSuspendedCode("suspended:tomorrow:x")).toBeNull();
    expect(parseSuspendedCode(undefined)).toBeNull();
  });

  it("says the end in words, in UTC", () => {
    expect(suspensionEndInWords(new Date("2026-12-14T18:00:00.000Z"))).toBe("until 14 December 2026 at 18:00 UTC");
    expect(suspensionEndInWords(null)).toBe("with no end date");
  });
});
