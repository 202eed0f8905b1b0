import { sniffImageType } from "@/server/accounts/avatar";

export const evidenceTypes = ["image/png", "image/jpeg", "image/webp", "video/mp4", "video/webm"] as const;
export type EvidenceType = (typeof evidenceTypes)[number];

const MB = 1024 * 1024;
export const EVIDENCE_IMAGE_MAX_BYTES = 10 * MB;
export const EVIDENCE_VIDEO_MAX_BYTES = 100 * MB;

/** Enough of a file's start to tell its type: every header checked below sits within it. */
export const EVIDENCE_SNIFF_BYTES = 4096;

export const evidenceMessages = {
  unsupported: "That file is not a PNG, JPEG, WebP, MP4 or WebM image or video.",
  imageTooLarge: "Images can be at most 10 MB.",
  videoTooLarge: "Videos can be at most 100 MB.",
  empty: "Choose a file to upload.",
  interrupted: "The upload did not finish. Please try again.",
} as const;

export function isEvidenceType(value: string): value is EvidenceType {
  return (evidenceTypes as readonly string[]).includes(value);
}

export function evidenceLimit(type: EvidenceType): { maxBytes: number; tooLarge: string } {
  return type.startsWith("video/")
    ? { maxBytes: EVIDENCE_VIDEO_MAX_BYTES, tooLarge: evidenceMessages.videoTooLarge }
    : { maxBytes: EVIDENCE_IMAGE_MAX_BYTES, tooLarge: evidenceMessages.imageTooLarge };
}

/**
 * MP4 major brands accepted (bytes 8..12, after "ftyp" at 4..8): the ISO base media brands
 * (isom, iso2..iso6), MP4 v1/v2 (mp41, mp42), H.264 (avc1), Apple's M4V variants, DASH segments,
 * 3GPP2's mmp4, Adobe's F4V and Sony's MSNV. QuickTime (qt), 3GP and audio-only M4A/M4B are not
 * accepted: browsers do not reliably play them in a <video> as video/mp4.
 */
export const MP4_BRANDS = new Set([
  "isom",
  "iso2",
  "iso3",
  "iso4",
  "iso5",
  "iso6",
  "mp41",
  "mp42",
  "avc1",
  "M4V ",
  "M4VH",
  "M4VP",
  "dash",
  "mmp4",
  "f4v ",
  "MSNV",
]);

const ascii = (bytes: Uint8Array) => String.fromCharCode(...bytes);

function sniffMp4(data: Uint8Array): boolean {
  if (data.length < 16 || ascii(data.subarray(4, 8)) !== "ftyp") return false;
  // The ftyp box holds at least its header, the major brand and the minor version.
  const boxSize = ((data[0]! << 24) | (data[1]! << 16) | (data[2]! << 8) | data[3]!) >>> 0;
  return boxSize >= 16 && MP4_BRANDS.has(ascii(data.subarray(8, 12)));
}

/** An EBML variable-length integer at `pos`: `width` 1..8 bytes; `unknown` when all its value bits are set. */
function readVint(data: Uint8Array, pos: number, keepMarker = false): { value: number; width: number; unknown: boolean } | null {
  const first = data[pos];
  if (first === undefined || first === 0) return null;
  const width = Math.clz32(first) - 23; // leading zero bits of the byte, plus one
  if (pos + width > data.length) return null;
  const marker = 0x80 >> (width - 1);
  let value = keepMarker ? first : first & (marker - 1);
  let allOnes = (first & (marker - 1)) === marker - 1;
  for (let i = 1; i < width; i++) {
    const byte = data[pos + i]!;
    value = value * 256 + byte;
    allOnes &&= byte === 0xff;
  }
  return { value, width, unknown: allOnes };
}

/** The DocType of an EBML header ("webm", "matroska"), or null when `data` does not start with one. */
export function ebmlDocType(data: Uint8Array): string | null {
  if (!(data[0] === 0x1a && data[1] === 0x45 && data[2] === 0xdf && data[3] === 0xa3)) return null;
  const headerSize = readVint(data, 4);
  if (!headerSize) return null;
  let pos = 4 + headerSize.width;
  const end = headerSize.unknown ? data.length : Math.min(data.length, pos + headerSize.value);
  while (pos < end) {
    const id = readVint(data, pos, true);
    if (!id || id.width > 4) return null;
    pos += id.width;
    const size = readVint(data, pos);
    if (!size || size.unknown) return null;
    pos += size.width;
    if (id.value === 0x4282) return ascii(data.subarray(pos, Math.min(pos + size.value, data.length))).replace(/\0+$/, "");
    pos += size.value;
  }
  return null;
}

/**
 * The evidence type of a file from its first bytes (give it EVIDENCE_SNIFF_BYTES, or the whole file
 * when shorter): PNG, JPEG and WebP by their signatures, MP4 by an "ftyp" box with a brand from
 * MP4_BRANDS, WebM by an EBML header whose DocType is "webm". Anything else, whatever its name or
 * declared type (a renamed executable, script, archive, GIF, SVG, HTML), is null.
 */
export function sniffEvidence(firstBytes: Uint8Array): EvidenceType | null {
  const image = sniffImageType(firstBytes);
  if (image === "image/png" || image === "image/jpeg" || image === "image/webp") return image;
  if (sniffMp4(firstBytes)) return "video/mp4";
  if (ebmlDocType(firstBytes) === "webm") return "video/webm";
  return null;
}
