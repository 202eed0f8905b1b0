import { describe, expect, it } from "vitest";
import { safeCallbackPath } from "./safe-redirect";

describe("callback paths after sign-in", () => {
  it("keeps same-site paths with their query", () => {
    expect(safeCallbackPath("/organizer")).toBe("/organizer");
    expect(safeCallbackPath("/admin/users?q=nova")).toBe("/admin/users?q=nova");
  });

  it("refuses other hosts and odd forms, falling back to home", () => {
    for (const bad of ["https://evil.test/", "//evil.test", "/\\evil.test", "javascript:alert(1)", "", null, undefined]) {
      expect(safeCallbackPath(bad)).toBe("/");
    }
  });
});
