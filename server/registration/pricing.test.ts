import { describe, expect, it } from "vitest";
import { applyDiscount, withdrawalRefund } from "./pricing";

describe("promo arithmetic", () => {
  it("percentages round down to whole cents and never exceed the fee", () => {
    expect(applyDiscount(1_000, { kind: "percent", percent: 25 })).toEqual({ discount: 250, total: 750 });
    expect(applyDiscount(999, { kind: "percent", percent: 33 })).toEqual({ discount: 329, total: 670 });
    expect(applyDiscount(1_000, { kind: "percent", percent: 100 })).toEqual({ discount: 1_000, total: 0 });
  });

  it("a fixed code larger than the fee makes the entry free, not negative", () => {
    expect(applyDiscount(500, { kind: "fixed", cents: 200 })).toEqual({ discount: 200, total: 300 });
    expect(applyDiscount(500, { kind: "fixed", cents: 5_000 })).toEqual({ discount: 500, total: 0 });
    expect(applyDiscount(0, { kind: "fixed", cents: 100 })).toEqual({ discount: 0, total: 0 });
  });

  it("no code, no discount", () => {
    expect(applyDiscount(1_234, null)).toEqual({ discount: 0, total: 1_234 });
  });
});

describe("withdrawal refunds", () => {
  it("a 25% penalty pays back exactly 75% of each part", () => {
    expect(withdrawalRefund({ wallet: 600, card: 400 }, 25)).toEqual({ wallet: 450, card: 300, penalty: 250 });
  });

  it("0% gives everything back, 100% nothing; parts and penalty always add up", () => {
    expect(withdrawalRefund({ wallet: 333, card: 667 }, 0)).toEqual({ wallet: 333, card: 667, penalty: 0 });
    expect(withdrawalRefund({ wallet: 333, card: 667 }, 100)).toEqual({ wallet: 0, card: 0, penalty: 1_000 });
    const odd = withdrawalRefund({ wallet: 333, card: 667 }, 33);
    expect(odd.wallet + odd.card + odd.penalty).toBe(1_000);
  });
});
