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

  it("refuses paths a browser reads as another host once it drops tabs and newlines (callbackUrl=/%09/evil.example)", () => {
    for (const bad of ["/\t/evil.example", "/\n/evil.example", "/\r\n/evil.example", "/\t\\evil.example"]) {
      expect(safeCallbackPath(bad)).toBe("/");
    }
  });

  it("never returns a character a Location header refuses (callbackUrl=/%0A/x answered 500)", () => {
    for (const odd of ["/a\nb", "/a\rb", "/é?q=ü", "/a b", "/a\u0000b"]) {
      const path = safeCallbackPath(odd);
      expect(path.startsWith("/")).toBe(true);
      // biome-ignore lint/suspicious/noControlCharactersInRegex: asserts that no control character survives in the redirect path
      expect(path).not.toMatch(/[\u0000-\u001f\u007f-\uffff ]/);
    }
    expect(safeCallbackPath("/events?q=a b")).toBe("/events?q=a%20b");
  });
});
