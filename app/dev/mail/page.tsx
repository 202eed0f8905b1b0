import type { Metadata } from "next";
import Link from "next/link";
import { Alert, EmptyState, PageHeader } from "@/app/_components/ui";
import { LocalTime } from "@/app/wallet/local-time";
import { requireUser } from "@/server/accounts/session";
import { env } from "@/server/env";
import { listStoredMail, mailDirectory } from "@/server/mail";

export const metadata: Metadata = { title: "Mail (development)" };

export default async function DevMailPage() {
  // Anyone may read the outbox on a development machine; in production only administrators.
  if (process.env.NODE_ENV === "production") await requireUser("/dev/mail", "admin");
  const messages = await listStoredMail();
  return (
    <>
      <PageHeader
        title="Outgoing mail"
        description={
          <>
            Emails written by the file transport to <code className="text-sm">{mailDirectory()}</code>, newest first.
          </>
        }
      />
      {env.SMTP_URL ? (
        <div className="mb-4">
          <Alert tone="info">SMTP_URL is set, so new mail goes to the SMTP server and does not appear here.</Alert>
        </div>
      ) : null}
      {messages.length === 0 ? (
        <EmptyState title="No mail yet">Emails that Driftwood sends (registration confirmations, for example) appear here.</EmptyState>
      ) : (
        <div className="relative overflow-x-auto rounded-lg border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
          <table className="w-full text-left text-sm">
            <caption className="sr-only">Written emails, newest first</caption>
            <thead className="border-b border-zinc-200 bg-zinc-50 text-zinc-600 dark:border-zinc-800 dark:bg-zinc-950 dark:text-zinc-400">
              <tr>
                <th scope="col" className="px-4 py-2 font-semibold">
                  Date
                </th>
                <th scope="col" className="px-4 py-2 font-semibold">
                  To
                </th>
                <th scope="col" className="px-4 py-2 font-semibold">
                  Subject
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-200 dark:divide-zinc-800">
              {messages.map((message) => (
                <tr key={message.file} className="hover:bg-zinc-50 dark:hover:bg-zinc-800/50">
                  <td className="whitespace-nowrap px-4 py-2 text-zinc-600 dark:text-zinc-400">
                    <LocalTime date={message.date} />
                  </td>
                  <td className="px-4 py-2">{message.to}</td>
                  <td className="px-4 py-2">
                    <Link
                      href={`/dev/mail/${encodeURIComponent(message.file)}`}
                      className="font-medium text-brand-700 underline-offset-2 hover:underline dark:text-brand-300"
                    >
                      {message.subject || "(no subject)"}
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
