"use client";

import Link from "next/link";
import { useEffect, useState } from "react";
import { BracketView } from "@/app/_components/bracket/bracket-view";
import type { BracketVariant } from "@/app/_components/bracket/types";
import { Spinner } from "@/app/_components/ui";
import { buildSample, samples, type Sample, type SampleKey } from "./samples";

type Options = { sample: SampleKey; variant: BracketVariant; you: string | null; links: boolean };

function href(options: Options, change: Partial<Options>): string {
  const next = { ...options, ...change };
  const params = new URLSearchParams({ sample: next.sample });
  if (next.variant === "embed") params.set("variant", "embed");
  if (next.you) params.set("you", next.you);
  if (next.links) params.set("links", "1");
  return `/dev/brackets?${params}`;
}

const linkForMatch = (id: string) => `#match-${id}`;

export function BracketPreview(options: Options) {
  const { sample: key, variant, you, links } = options;
  // Built after mount: the engine runs in the browser (and the 256-player sample stays out of the HTML).
  const [built, setBuilt] = useState<{ key: SampleKey; sample: Sample } | null>(null);
  useEffect(() => {
    setBuilt({ key, sample: buildSample(key) });
  }, [key]);
  const sample = built?.key === key ? built.sample : null;
  const tab = "rounded-md px-3 py-1.5 text-sm font-medium whitespace-nowrap";
  const toggle = "rounded-md border px-2.5 py-1 text-xs font-medium";
  const on = "border-brand-500 bg-brand-50 text-brand-800 dark:bg-zinc-800 dark:text-brand-300";
  const off = "border-zinc-300 text-zinc-700 hover:bg-zinc-100 dark:border-zinc-700 dark:text-zinc-300 dark:hover:bg-zinc-800";

  return (
    <div className="space-y-4">
      <nav aria-label="Samples" className="-mx-1 flex gap-1 relative overflow-x-auto px-1 pb-1">
        {(Object.keys(samples) as SampleKey[]).map((candidate) => (
          <Link
            key={candidate}
            href={href(options, { sample: candidate, you: null })}
            aria-current={candidate === key ? "page" : undefined}
            className={`${tab} ${candidate === key ? "bg-zinc-900 text-white dark:bg-zinc-100 dark:text-zinc-900" : "text-zinc-700 hover:bg-zinc-200 dark:text-zinc-300 dark:hover:bg-zinc-800"}`}
          >
            {samples[candidate].title}
          </Link>
        ))}
      </nav>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">{samples[key].description}</p>
      <div className="flex flex-wrap items-center gap-2">
        <Link
          href={href(options, { variant: variant === "embed" ? "full" : "embed" })}
          className={`${toggle} ${variant === "embed" ? on : off}`}
          aria-pressed={variant === "embed"}
        >
          Embed variant
        </Link>
        <Link href={href(options, { links: !links })} className={`${toggle} ${links ? on : off}`} aria-pressed={links}>
          Cards as links
        </Link>
        <Link href={href(options, { you: you ? null : "p3" })} className={`${toggle} ${you ? on : off}`} aria-pressed={!!you}>
          Mark Player 3 as “you”
        </Link>
      </div>
      {sample ? (
        variant === "embed" ? (
          // A stand-in for a stream: the embed has no background of its own.
          <div className="rounded-lg bg-[linear-gradient(135deg,#1e293b,#4c1d95_60%,#0f172a)] p-4">
            <BracketView
              bracket={sample.bracket}
              names={sample.names}
              states={sample.states}
              variant="embed"
              highlightEntrant={you}
              linkForMatch={links ? linkForMatch : undefined}
            />
          </div>
        ) : (
          <BracketView
            bracket={sample.bracket}
            names={sample.names}
            states={sample.states}
            highlightEntrant={you}
            linkForMatch={links ? linkForMatch : undefined}
          />
        )
      ) : (
        <Spinner label="Building the sample bracket…" />
      )}
    </div>
  );
}
