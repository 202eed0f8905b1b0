import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ArrowLeft } from "lucide-react";
import { Card } from "@/app/_components/ui";
import { LocalTime } from "@/app/wallet/local-time";
import { requireUser } from "@/server/accounts/session";
import { readStoredMail } from "@/server/mail";

export const metadata: Metadata = { title: "Mail (development)" };

export default async function DevMailMessagePage({ params }: { params: Promise<{ file: string }> }) {
  const { file } = await params;
  if (process.env.NODE_ENV === "production") await requireUser(`/dev/mail/${encodeURIComponent(file)}`, "admin");
  // Only names of written messages are accepted, so no other file can be read through this page.
  const message = await readStoredMail(file);
  if (!message) notFound();
  const fields: [string, React.ReactNode][] = [
    ["From", message.from],
    ["To", message.to],
    ["Date", <LocalTime key="date" date={message.date} options={{ dateStyle: "full", timeStyle: "long" }} />],
    [
      "Message-ID",
      <code key="id" className="break-all text-xs">
        {message.messageId}
      </code>,
    ],
    [
      "File",
      <code key="file" className="break-all text-xs">
        {message.file}
      </code>,
    ],
  ];
  return (
    <>
      <Link
        href="/dev/mail"
        className="mb-4 inline-flex items-center gap-1 text-sm font-medium text-brand-700 hover:underline dark:text-brand-300"
      >
        <ArrowLeft aria-hidden className="size-4" /> All mail
      </Link>
      <Card className="p-0">
        <div className="border-b border-zinc-200 p-6 dark:border-zinc-800">
          <h1 className="text-xl font-bold tracking-tight sm:text-2xl">{message.subject || "(no subject)"}</h1>
          <dl className="mt-4 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
            {fields.map(([label, value]) => (
              <div key={label} className="contents">
                <dt className="font-semibold text-zinc-600 dark:text-zinc-400">{label}</dt>
                <dd className="min-w-0">{value}</dd>
              </div>
            ))}
          </dl>
        </div>
        <pre className="whitespace-pre-wrap break-words p-6 font-sans text-sm leading-relaxed">{message.text}</pre>
      </Card>
    </>
  );
}
