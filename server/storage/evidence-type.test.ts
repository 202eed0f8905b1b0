import { describe, expect, it } from "vitest";
import { ebmlDocType, evidenceLimit, MP4_BRANDS, sniffEvidence } from "./evidence-type";
import { impostors, samples } from "./testing";

describe("sniffEvidence: the type from the content", () => {
  it.each([
    ["png", "image/png"],
    ["jpeg", "image/jpeg"],
    ["webp", "image/webp"],
    ["mp4", "video/mp4"],
    ["webm", "video/webm"],
  ] as const)("knows a %s by its bytes", (name, type) => {
    expect(sniffEvidence(samples[name])).toBe(type);
  });

  it.each(Object.keys(impostors) as Array<keyof typeof impostors>)("refuses %s, whatever it is called", (name) => {
    expect(sniffEvidence(impostors[name])).toBeNull();
  });

  it("refuses nothing, a lone signature prefix and a PNG signature moved off the start", () => {
    expect(sniffEvidence(new Uint8Array())).toBeNull();
    expect(sniffEvidence(Uint8Array.from([0x89, 0x50, 0x4e]))).toBeNull();
    expect(sniffEvidence(Buffer.concat([Buffer.from("MZ"), samples.png]))).toBeNull();
  });

  it("accepts every listed MP4 brand and no other", () => {
    for (const brand of MP4_BRANDS) {
      const box = Buffer.concat([Buffer.from([0, 0, 0, 16]), Buffer.from(`ftyp${brand}`, "latin1"), Buffer.alloc(4)]);
      expect(sniffEvidence(box), brand).toBe("video/mp4");
    }
    const tooShortBox = Buffer.concat([Buffer.from([0, 0, 0, 8]), Buffer.from("ftypisom", "latin1"), Buffer.alloc(4)]);
    expect(sniffEvidence(tooShortBox)).toBeNull();
  });

  it("reads the WebM DocType even after other header elements, and stops at a truncated header", () => {
    expect(ebmlDocType(samples.webm)).toBe("webm");
    expect(ebmlDocType(impostors.matroska)).toBe("matroska");
    expect(ebmlDocType(samples.webm.subarray(0, 12))).toBeNull();
  });

  it("limits images to 10 MB and videos to 100 MB, saying so", () => {
    expect(evidenceLimit("image/webp")).toEqual({ maxBytes: 10 * 1024 * 1024, tooLarge: "Images can be at most 10 MB." });
    expect(evidenceLimit("video/webm")).toEqual({ maxBytes: 100 * 1024 * 1024, tooLarge: "Videos can be at most 100 MB." });
  });
});
