/** A piece of a chat message: plain text, or a web address to render as a link. */
export type LinkifiedPart = { type: "text"; text: string } | { type: "link"; text: string; href: string };

/**
 * Candidates start with http:// or https:// (any case) after a non-word character, and run to the
 * next whitespace or character that cannot be in a bare URL. Nothing else is ever a link: a
 * `javascript:`, `data:` or `ftp:` address stays text, whatever follows it.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters end a link candidate on purpose: they never belong in an address
const CANDIDATE = /(?<![\w@/.-])https?:\/\/[^\s<>"'`\u0000-\u001f\u007f]+/giu;

/** Punctuation that ends a sentence rather than the address: "see https://x.gg/rules." */
const TRAILING = /[.,;:!?'"*_~]+$/u;

const CLOSERS: Record<string, string> = { ")": "(", "]": "[", "}": "{" };

/** Drops trailing punctuation, and closing brackets that close something outside the address. */
function trimAddress(candidate: string): string {
  let text = candidate;
  for (;;) {
    const trimmed = text.replace(TRAILING, "");
    const last = trimmed.at(-1);
    const opener = last ? CLOSERS[last] : undefined;
    if (opener) {
      const opened = trimmed.split(opener).length - 1;
      const closed = trimmed.split(last!).length - 1;
      // "(see https://en.wikipedia.org/wiki/Bracket_(tournament))" keeps the inner pair only.
      if (closed > opened) {
        text = trimmed.slice(0, -1);
        continue;
      }
    }
    return trimmed;
  }
}

/** The address as a link target, or null when it is not a well-formed http(s) URL with a host. */
function safeHref(address: string): string | null {
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    return null;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return null;
  if (!url.hostname || url.username || url.password) return null;
  return url.href;
}

/** Splits a message into text and link parts; joined back together they are the original text. */
export function linkify(text: string): LinkifiedPart[] {
  const parts: LinkifiedPart[] = [];
  let index = 0;
  for (const match of text.matchAll(CANDIDATE)) {
    const address = trimAddress(match[0]);
    const href = safeHref(address);
    if (!href) continue;
    if (match.index > index) parts.push({ type: "text", text: text.slice(index, match.index) });
    parts.push({ type: "link", text: address, href });
    index = match.index + address.length;
  }
  if (index < text.length) parts.push({ type: "text", text: text.slice(index) });
  return parts;
}
