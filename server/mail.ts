import { createHash, randomUUID } from "node:crypto";
import { mkdir, readdir, readFile, rename, unlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import nodemailer, { type Transporter } from "nodemailer";
import { dataDir } from "@/server/data-dir";
import { env } from "@/server/env";
import { logger } from "@/server/logger";

export const DEFAULT_MAIL_FROM = "Driftwood <no-reply@driftwood.local>";

export interface MailMessage {
  /** Names the message: the file transport writes it once per key; SMTP gets a stable Message-ID. */
  dedupeKey: string;
  to: { name: string; address: string };
  subject: string;
  /** Plain text only. */
  text: string;
}

export interface SendResult {
  status: "sent" | "already_sent";
  messageId: string;
  /** The .eml file's name (file transport only). */
  file?: string;
}

export interface Mailer {
  readonly transport: "smtp" | "file";
  send(message: MailMessage): Promise<SendResult>;
}

export interface MailerOptions {
  /** smtp:// or smtps:// URL; unset: the file transport. */
  smtpUrl?: string;
  /** Where the file transport writes; unset: `<DATA_DIR>/mail`. */
  mailDir?: string;
  from?: string;
}

const log = logger.child({ component: "mailer" });

export function mailDirectory(): string {
  // Tests that run jobs without choosing a directory must not fill the developer's own mail folder.
  if (process.env.VITEST && !env.DATA_DIR) return path.join(os.tmpdir(), `driftwood-vitest-mail-${process.pid}`);
  return path.join(dataDir(), "mail");
}

/** The mailer the environment asks for: SMTP when SMTP_URL is set, otherwise .eml files. */
export function defaultMailer(): Mailer {
  return createMailer({ smtpUrl: env.SMTP_URL, from: env.MAIL_FROM });
}

export function createMailer(options: MailerOptions = {}): Mailer {
  const from = options.from ?? DEFAULT_MAIL_FROM;
  return options.smtpUrl ? smtpMailer(options.smtpUrl, from) : fileMailer(options.mailDir ?? mailDirectory(), from);
}

/**
 * The same key always gets the same Message-ID, so a message that SMTP delivery repeats (delivery is
 * at least once) is recognisably the same message to the receiving side.
 */
export function messageIdFor(dedupeKey: string, from: string): string {
  const domain = /@([A-Za-z0-9.-]+)>?\s*$/.exec(from)?.[1] ?? "driftwood.local";
  return `<${createHash("sha256").update(dedupeKey).digest("hex").slice(0, 32)}@${domain}>`;
}

const smtpTransports = new Map<string, Transporter>();

function smtpMailer(smtpUrl: string, from: string): Mailer {
  let transporter = smtpTransports.get(smtpUrl);
  if (!transporter) {
    transporter = nodemailer.createTransport(smtpUrl);
    smtpTransports.set(smtpUrl, transporter);
  }
  const smtp = transporter;
  return {
    transport: "smtp",
    async send(message) {
      const messageId = messageIdFor(message.dedupeKey, from);
      await smtp.sendMail({ from, to: message.to, subject: message.subject, text: message.text, messageId, date: new Date() });
      log.info({ transport: "smtp", dedupeKey: message.dedupeKey, messageId }, "email sent");
      return { status: "sent", messageId };
    },
  };
}

// ---- File transport: RFC 822 .eml files, `<ISO 8601 basic time>-<key>.eml`, oldest name first ----

const MAIL_FILE = /^(\d{8}T\d{6}\.\d{3}Z)-([A-Za-z0-9._~-]+)\.eml$/;

/** The key as a file-name part; keys that needed changing get a hash so two keys never share a name. */
export function fileKeyFor(dedupeKey: string): string {
  const safe = dedupeKey.replace(/[^A-Za-z0-9._-]/g, "_").slice(0, 120);
  if (safe === dedupeKey) return safe;
  return `${safe}~${createHash("sha256").update(dedupeKey).digest("hex").slice(0, 10)}`;
}

function fileTime(date: Date): string {
  // ISO 8601 basic format: no colons, so the name is valid everywhere and sorts by time.
  return date.toISOString().replace(/[-:]/g, "");
}

async function mailFiles(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).filter((name) => MAIL_FILE.test(name));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
}

function fileMailer(dir: string, from: string): Mailer {
  const composer = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "windows" });
  return {
    transport: "file",
    async send(message) {
      const messageId = messageIdFor(message.dedupeKey, from);
      const fileKey = fileKeyFor(message.dedupeKey);
      const existing = (await mailFiles(dir)).find((name) => MAIL_FILE.exec(name)?.[2] === fileKey);
      if (existing) return { status: "already_sent", messageId, file: existing };

      const date = new Date();
      const info = await composer.sendMail({ from, to: message.to, subject: message.subject, text: message.text, messageId, date });
      const file = `${fileTime(date)}-${fileKey}.eml`;
      await mkdir(dir, { recursive: true });
      // Written aside and renamed, so a crash never leaves half a message that counts as sent.
      const temporary = path.join(dir, `.${randomUUID()}.tmp`);
      try {
        await writeFile(temporary, info.message as Buffer);
        await rename(temporary, path.join(dir, file));
      } catch (error) {
        await unlink(temporary).catch(() => {});
        throw error;
      }
      log.info({ transport: "file", dedupeKey: message.dedupeKey, messageId, file }, "email written");
      return { status: "sent", messageId, file };
    },
  };
}

// ---- Reading written messages back (the development mail page) ----

export interface StoredMailSummary {
  file: string;
  date: Date;
  from: string;
  to: string;
  subject: string;
}

export interface StoredMail extends StoredMailSummary {
  messageId: string;
  text: string;
}

/** Written messages, newest first. */
export async function listStoredMail(dir = mailDirectory(), limit = 200): Promise<StoredMailSummary[]> {
  const names = (await mailFiles(dir)).sort().reverse().slice(0, limit);
  const messages = await Promise.all(names.map((name) => readStoredMail(name, dir)));
  return messages.filter((message) => message !== null).map(({ file, date, from, to, subject }) => ({ file, date, from, to, subject }));
}

/** One written message by file name; null for a name that is not a message in `dir`. */
export async function readStoredMail(file: string, dir = mailDirectory()): Promise<StoredMail | null> {
  const match = MAIL_FILE.exec(file);
  if (!match || path.basename(file) !== file) return null;
  let raw: string;
  try {
    raw = await readFile(path.join(dir, file), "latin1");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
  const { headers, body } = splitMessage(raw);
  const header = (name: string) => decodeWords(headers.get(name) ?? "");
  const stamped = match[1]!.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})/, "$1-$2-$3T$4:$5:$6");
  const dated = new Date(headers.get("date") ?? "");
  return {
    file,
    date: Number.isNaN(dated.getTime()) ? new Date(stamped) : dated,
    from: header("from"),
    to: header("to"),
    subject: header("subject"),
    messageId: header("message-id"),
    text: decodeBody(body, headers),
  };
}

function splitMessage(raw: string): { headers: Map<string, string>; body: string } {
  const text = raw.replace(/\r\n/g, "\n");
  const end = text.indexOf("\n\n");
  const head = end === -1 ? text : text.slice(0, end);
  const headers = new Map<string, string>();
  let last: string | undefined;
  for (const line of head.split("\n")) {
    if (/^[ \t]/.test(line) && last) {
      headers.set(last, headers.get(last) + line);
    } else {
      const colon = line.indexOf(":");
      if (colon <= 0) continue;
      last = line.slice(0, colon).trim().toLowerCase();
      headers.set(last, line.slice(colon + 1).trim());
    }
  }
  return { headers, body: end === -1 ? "" : text.slice(end + 2) };
}

function charsetDecode(bytes: Buffer, charset: string): string {
  try {
    return new TextDecoder(charset).decode(bytes);
  } catch {
    return new TextDecoder("utf-8").decode(bytes);
  }
}

/** `latin1` text holds one byte per character: turn it back into those bytes. */
function latin1Bytes(text: string): Buffer {
  return Buffer.from(text, "latin1");
}

function quotedPrintableBytes(text: string): Buffer {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const hex = text.slice(i + 1, i + 3);
    if (text[i] === "=" && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(Number.parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(text.charCodeAt(i) & 0xff);
    }
  }
  return Buffer.from(bytes);
}

const ENCODED_WORD = /=\?([^?*]+)(?:\*[^?]*)?\?([BbQq])\?([^?]*)\?=/g;
const ENCODED_RUN = /=\?[^?]+\?[BbQq]\?[^?]*\?=(?:\s*=\?[^?]+\?[BbQq]\?[^?]*\?=)*/g;

/** RFC 2047 encoded words; adjacent words are joined as bytes so a split character survives. */
function decodeWords(value: string): string {
  // Header text outside encoded words is ASCII by the standard, or raw UTF-8 from lax senders.
  const text = charsetDecode(latin1Bytes(value), "utf-8");
  return text.replace(ENCODED_RUN, (run) => {
    let charset = "utf-8";
    const parts: Buffer[] = [];
    for (const [, wordCharset, encoding, data] of run.matchAll(ENCODED_WORD)) {
      charset = wordCharset!;
      parts.push(encoding!.toUpperCase() === "B" ? Buffer.from(data!, "base64") : quotedPrintableBytes(data!.replace(/_/g, " ")));
    }
    return charsetDecode(Buffer.concat(parts), charset);
  });
}

function decodeBody(body: string, headers: Map<string, string>): string {
  const contentType = headers.get("content-type") ?? "text/plain";
  const charset = /charset="?([^";\s]+)/i.exec(contentType)?.[1] ?? "utf-8";
  if (/^multipart\//i.test(contentType)) return body;
  const encoding = (headers.get("content-transfer-encoding") ?? "7bit").toLowerCase();
  let bytes: Buffer;
  if (encoding === "base64") bytes = Buffer.from(body.replace(/\s+/g, ""), "base64");
  else if (encoding === "quoted-printable") bytes = quotedPrintableBytes(body.replace(/=\n/g, ""));
  else bytes = latin1Bytes(body);
  return charsetDecode(bytes, charset).replace(/\n$/, "");
}
