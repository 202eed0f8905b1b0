"use client";

import { useSuspenseQuery } from "@tanstack/react-query";
import Link from "next/link";
import type { ChatViewer } from "@/app/_components/chat/chat-room";
import { LiveStatus } from "@/app/_live/live-status";
import { useLive } from "@/app/_live/use-live";
import { useTRPC } from "@/app/_trpc/react";
import { AuditTrail } from "./audit-trail";
import { Disputes } from "./disputes";
import { MatchChat } from "./match-chat";
import { MatchHeader } from "./match-header";
import { OrganizerTools } from "./organizer-tools";
import { ReportPanel } from "./report-panel";

/**
 * The match page: public to read; the two sides report and dispute, the organizer decides. Every
 * change of the match (reports, confirmations, dispute steps, decisions) arrives live on
 * `match:<id>`, so players and spectators never refresh.
 */
export function MatchView({ matchId, viewer }: { matchId: string; viewer: ChatViewer | null }) {
  const trpc = useTRPC();
  const { data: match } = useSuspenseQuery(trpc.matches.get.queryOptions({ matchId }));
  const { status } = useLive(`match:${matchId}`, { invalidate: [trpc.matches.get.queryKey({ matchId }), trpc.disputes.get.queryKey()] });
  const party = match.viewer.side !== null || match.viewer.canManage;

  return (
    <div className="space-y-6" data-live={status}>
      <nav aria-label="Breadcrumb" className="flex flex-wrap items-center gap-x-3 gap-y-1 text-sm">
        <Link href={`/events/${match.event.id}`} className="text-zinc-600 underline underline-offset-2 dark:text-zinc-400">
          ← {match.event.name}
        </Link>
        <Link href={`/events/${match.event.id}/bracket`} className="text-zinc-600 underline underline-offset-2 dark:text-zinc-400">
          Bracket
        </Link>
        <LiveStatus status={status} />
      </nav>
      <MatchHeader match={match} />
      <div className={viewer && party ? "grid gap-6 lg:grid-cols-[minmax(0,1fr)_22rem]" : "space-y-6"}>
        <div className="min-w-0 space-y-6">
          {match.viewer.side !== null ? <ReportPanel match={match} /> : null}
          {party || match.disputes.length > 0 ? <Disputes match={match} /> : null}
          {match.viewer.canManage ? <OrganizerTools match={match} /> : null}
          <AuditTrail match={match} />
        </div>
        {viewer && party ? (
          <aside className="min-w-0">
            <MatchChat matchId={matchId} viewer={viewer} />
          </aside>
        ) : null}
      </div>
    </div>
  );
}
