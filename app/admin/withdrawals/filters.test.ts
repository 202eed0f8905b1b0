import { describe, expect, it } from "vitest";
import { withdrawalQueueInput } from "@/server/withdrawals/admin-schemas";
import { decisionInWords, draftErrors, EMPTY_FILTERS, filtersFromParams, filtersToQuery, queueQueryInput } from "./filters";

describe("the withdrawal queue's filters", () => {
  it("go to the URL and back, and become the procedure's input in cents", () => {
    const filters = filtersFromParams({
      status: "all",
      from: "2026-12-01",
      to: "2026-12-07",
      min: "25",
      max: "1,000.50",
      flagged: "1",
      user: " Lena ",
      page: "2",
    });
    expect(filters).toEqual({
      status: "all",
      from: "2026-12-01",
      to: "2026-12-07",
      min: "25",
      max: "1,000.50",
      flagged: true,
      user: "Lena",
      page: 2,
    });
    expect(filtersFromParams(Object.fromEntries(new URLSearchParams(filtersToQuery(filters))))).toEqual(filters);
    expect(withdrawalQueueInput.parse(queueQueryInput(filters))).toMatchObject({
      minAmount: 2_500,
      maxAmount: 100_050,
      flagged: true,
      user: "Lena",
    });
    expect(filtersToQuery(EMPTY_FILTERS)).toBe("");
    // Nonsense in the URL falls back to the defaults.
    expect(filtersFromParams({ status: "lost", from: "2026-13-45", min: "abc", page: "-3" })).toEqual(EMPTY_FILTERS);
  });

  it("say what is wrong with a draft", () => {
    expect(draftErrors({ ...EMPTY_FILTERS, from: "2026-12-08", to: "2026-12-07", min: "20", max: "10" })).toEqual({
      to: "The end date is before the start date.",
      max: "The largest amount is below $20.00.",
    });
    expect(draftErrors({ ...EMPTY_FILTERS, min: "12.345" })).toEqual({ min: "Enter an amount in dollars, like 25 or 25.50." });
  });

  it("put a decision's result in words", () => {
    expect(decisionInWords("approve", { decided: ["a", "b", "c"], skipped: [{ reason: "It is already approved." }] })).toBe(
      "3 approved; 1 skipped: It is already approved.",
    );
    expect(decisionInWords("reject", { decided: ["a"], skipped: [] })).toBe("1 rejected.");
  });
});
