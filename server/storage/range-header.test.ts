import { describe, expect, it } from "vitest";
import { parseRange } from "./range-header";

describe("parseRange", () => {
  it.each([
    ["bytes=0-9", { start: 0, end: 9 }],
    ["bytes=5-", { start: 5, end: 99 }],
    ["bytes=90-500", { start: 90, end: 99 }],
    ["bytes=-10", { start: 90, end: 99 }],
    ["bytes=-500", { start: 0, end: 99 }],
    ["bytes=100-", "unsatisfiable"],
    ["bytes=-0", "unsatisfiable"],
    ["bytes=9-5", "ignore"],
    ["bytes=0-1,5-6", "ignore"],
    ["items=0-1", "ignore"],
    ["bytes=-", "ignore"],
  ] as const)("%s of a 100-byte file → %j", (header, expected) => {
    expect(parseRange(header, 100)).toEqual(expected);
  });
});
