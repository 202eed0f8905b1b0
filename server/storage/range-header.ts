import type { ByteRange } from "./file-store";

/**
 * `bytes=a-b`, `bytes=a-` or `bytes=-n` against a file of `size` bytes; "ignore" for anything else
 * (several ranges, other units), which is answered with the whole file as HTTP allows.
 */
export function parseRange(header: string, size: number): ByteRange | "unsatisfiable" | "ignore" {
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === "" && match[2] === "")) return "ignore";
  let start: number;
  let end: number;
  if (match[1] === "") {
    const suffix = Number(match[2]);
    if (suffix === 0) return "unsatisfiable";
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(match[1]);
    end = match[2] === "" ? size - 1 : Math.min(Number(match[2]), size - 1);
    if (match[2] !== "" && Number(match[2]) < start) return "ignore";
  }
  if (start >= size) return "unsatisfiable";
  return { start, end };
}
