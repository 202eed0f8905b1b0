import { describe, expect, it } from "vitest";
import { linkify, type LinkifiedPart } from "./linkify";

const text = (value: string): LinkifiedPart => ({ type: "text", text: value });
const link = (value: string, href = value): LinkifiedPart => ({ type: "link", text: value, href });

describe("linkify", () => {
  it("leaves text without addresses as one text part, and an empty message as nothing", () => {
    expect(linkify("gg wp, rematch at 8?")).toEqual([text("gg wp, rematch at 8?")]);
    expect(linkify("")).toEqual([]);
  });

  it("turns http and https addresses into links between the text around them", () => {
    expect(linkify("rules: https://driftwood.gg/rules and http://example.com/a?b=1#c ok")).toEqual([
      text("rules: "),
      link("https://driftwood.gg/rules"),
      text(" and "),
      link("http://example.com/a?b=1#c"),
      text(" ok"),
    ]);
    expect(linkify("https://driftwood.gg")).toEqual([link("https://driftwood.gg", "https://driftwood.gg/")]);
    expect(linkify("HTTPS://Example.com/X")).toEqual([link("HTTPS://Example.com/X", "https://example.com/X")]);
  });

  it("keeps sentence punctuation and enclosing brackets out of the address", () => {
    expect(linkify("see https://x.gg/rules.")).toEqual([text("see "), link("https://x.gg/rules"), text(".")]);
    expect(linkify("(https://x.gg/a), then!")).toEqual([text("("), link("https://x.gg/a"), text("), then!")]);
    expect(linkify("(see https://en.wikipedia.org/wiki/Bracket_(tournament))")).toEqual([
      text("(see "),
      link("https://en.wikipedia.org/wiki/Bracket_(tournament)"),
      text(")"),
    ]);
    expect(linkify('"https://x.gg/q?a=1"')).toEqual([text('"'), link("https://x.gg/q?a=1"), text('"')]);
  });

  it("never links other schemes", () => {
    for (const unsafe of [
      "javascript:alert(1)",
      "JavaScript:alert(document.cookie)",
      "data:text/html;base64,PHNjcmlwdD4=",
      "vbscript:msgbox(1)",
      "ftp://files.example.com/x",
      "file:///etc/passwd",
      "mailto:someone@example.com",
    ]) {
      expect(linkify(unsafe)).toEqual([text(unsafe)]);
    }
  });

  it("does not link an address glued to other text or missing its host", () => {
    expect(linkify("xhttps://evil.test")).toEqual([text("xhttps://evil.test")]);
    expect(linkify("http:// nothing")).toEqual([text("http:// nothing")]);
    expect(linkify("https://")).toEqual([text("https://")]);
    expect(linkify("www.example.com")).toEqual([text("www.example.com")]);
  });

  it("does not link addresses that hide their host behind a user name", () => {
    expect(linkify("https://driftwood.gg@evil.test/login")).toEqual([text("https://driftwood.gg@evil.test/login")]);
  });

  it("stops an address at characters that cannot be part of it, so markup stays text", () => {
    const parts = linkify('<a href="https://x.gg">hi</a> https://x.gg/"onmouseover="alert(1)');
    expect(parts.filter((part) => part.type === "link")).toEqual([link("https://x.gg", "https://x.gg/"), link("https://x.gg/")]);
    expect(parts.map((part) => part.text).join("")).toBe('<a href="https://x.gg">hi</a> https://x.gg/"onmouseover="alert(1)');
  });

  it("always gives back the original text when the parts are joined", () => {
    const samples = ["a https://b.c/d e", "https://a.b https://c.d", "((https://a.b/c_(d)))...", "no links here", "\nhttps://x.gg\n"];
    for (const sample of samples)
      expect(
        linkify(sample)
          .map((part) => part.text)
          .join(""),
      ).toBe(sample);
  });
});
