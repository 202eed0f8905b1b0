import { describe, expect, it } from "vitest";
import { csvDollars, csvField } from "./csv";

describe("CSV fields", () => {
  it("quote commas, quotes and line breaks", () => {
    expect(csvField("a,b")).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField("two\nlines")).toBe('"two\nlines"');
    expect(csvField(null)).toBe("");
  });

  it("neutralise text a spreadsheet would run as a formula, but not numbers", () => {
    expect(csvField("=SUM(A1:A9)")).toBe("'=SUM(A1:A9)");
    expect(csvField("-2+3")).toBe("'-2+3");
    expect(csvField("@cmd")).toBe("'@cmd");
    expect(csvField(csvDollars(-1_000), { numeric: true })).toBe("-10.00");
  });

  it("write cents as dollars without floating point", () => {
    expect(csvDollars(0)).toBe("0.00");
    expect(csvDollars(5)).toBe("0.05");
    expect(csvDollars(123_456)).toBe("1234.56");
    expect(csvDollars(-7)).toBe("-0.07");
  });
});
