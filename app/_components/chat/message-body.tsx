import { Fragment } from "react";
import { linkify } from "./linkify";

/**
 * A message's text. React escapes it (never HTML from users); http(s) addresses become links that
 * open in a new tab without telling the target page where the player came from.
 */
export function MessageBody({ body, className = "" }: { body: string; className?: string }) {
  return (
    <p className={`whitespace-pre-wrap wrap-anywhere ${className}`}>
      {linkify(body).map((part, index) =>
        part.type === "link" ? (
          <a
            // biome-ignore lint/suspicious/noArrayIndexKey: the fragments of one message's text, always in the same order
            key={index}
            href={part.href}
            target="_blank"
            rel="noopener noreferrer nofollow ugc"
            className="font-medium text-brand-700 underline underline-offset-2 hover:text-brand-800 dark:text-brand-300 dark:hover:text-brand-100"
          >
            {part.text}
          </a>
        ) : (
          // biome-ignore lint/suspicious/noArrayIndexKey: the fragments of one message's text, always in the same order
          <Fragment key={index}>{part.text}</Fragment>
        ),
      )}
    </p>
  );
}
