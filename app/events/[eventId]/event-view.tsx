"use client";

import { useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useCallback } from "react";
import type { ChatViewer } from "@/app/_components/chat/chat-room";
import { Alert, buttonClass } from "@/app/_components/ui";
import { LiveStatus } from "@/app/_live/live-status";
import { useLive } from "@/app/_live/use-live";
import { useTRPC } from "@/app/_trpc/react";
import { phaseLabel } from "@/server/events/phase";
import { BannerUpload, EventBanner } from "../_components/event-banner";
import { PhaseBadge } from "../_components/phase-badge";
import { EventFacts } from "./event-facts";
import { LobbyChat } from "./lobby-chat";
import { ManageActions } from "./manage-actions";
import { NextDeadline } from "./next-deadline";
import { ParticipantList } from "./participant-list";
import { PrizePool } from "./prize-pool";
import { RegistrationPanel } from "./registration-panel";
import type { EventDetail } from "./types";

export function EventView({ eventId, signedIn, viewer = null }: { eventId: string; signedIn: boolean; viewer?: ChatViewer | null }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { data: event } = useSuspenseQuery(trpc.events.get.queryOptions({ eventId }));
  // When a deadline passes the phase changes: ask the server for the new one.
  const refresh = useCallback(() => {
    void queryClient.invalidateQueries({ queryKey: trpc.events.get.queryKey({ eventId }) });
    void queryClient.invalidateQueries({ queryKey: trpc.events.participants.queryKey({ eventId }) });
  }, [queryClient, trpc, eventId]);
  // Someone else changed the event (edited, published, registrations): refetch what the page shows.
  useLive(`event:${eventId}`, { invalidate: [trpc.events.get.queryKey({ eventId }), trpc.events.participants.queryKey({ eventId })] });

  return (
    <div className="space-y-6">
      <p className="text-sm">
        <Link href="/events" className="text-zinc-600 underline underline-offset-2 dark:text-zinc-400">
          ← All events
        </Link>
      </p>
      {event.status === "draft" ? (
        <Alert tone="info">
          This event is a draft: only you can see it. Publish it when the details are right, and players can find and join it.
        </Alert>
      ) : null}
      {event.hasBanner ? <EventBanner eventId={event.id} hasBanner={event.hasBanner} name={event.name} /> : null}
      <header className="flex flex-col gap-4 md:flex-row md:items-start md:justify-between">
        <div className="min-w-0">
          <div className="flex flex-wrap items-center gap-2">
            <PhaseBadge phase={event.phase} />
            <LiveStatus />
            {event.visibility === "unlisted" ? (
              <span className="text-xs font-medium text-zinc-600 dark:text-zinc-400">Unlisted: only people with the link can see it</span>
            ) : null}
          </div>
          <h1 className="mt-2 text-2xl font-bold tracking-tight break-words sm:text-3xl">{event.name}</h1>
          <p className="mt-1 text-zinc-600 dark:text-zinc-400">
            {event.gameName} · organized by {event.organizerName}
          </p>
          {event.status === "live" || event.status === "completed" ? (
            <p className="mt-3">
              <Link href={`/events/${event.id}/bracket`} className={buttonClass("secondary")}>
                Bracket
              </Link>
            </p>
          ) : null}
        </div>
        {event.canManage ? (
          <div className="flex shrink-0 flex-col gap-3 md:items-end">
            <ManageActions event={event} />
            <BannerUpload eventId={event.id} hasBanner={event.hasBanner} />
          </div>
        ) : null}
      </header>
      <NextDeadline event={event} onElapsed={refresh} />
      <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_22rem]">
        <div className="min-w-0 space-y-6">
          <EventFacts event={event} />
          <Rules rules={event.rules} />
          <ParticipantList eventId={eventId} participantType={event.participantType} />
        </div>
        {/* On a phone, registration and prizes come first; on a wide screen they sit on the right. */}
        <div className="order-first space-y-6 lg:order-none">
          <RegistrationSection event={event} signedIn={signedIn} />
          <PrizePool event={event} />
          {viewer ? <LobbyChat eventId={eventId} viewer={viewer} /> : null}
        </div>
      </div>
    </div>
  );
}

/** Registration: register, pay, check in, withdraw. Other pages link to #register. */
function RegistrationSection({ event, signedIn }: { event: EventDetail; signedIn: boolean }) {
  return (
    <section aria-labelledby="register-heading" id="register" className="scroll-mt-4 space-y-3">
      <h2 id="register-heading" className="text-lg font-semibold">
        Registration <span className="text-sm font-normal text-zinc-600 dark:text-zinc-400">· {phaseLabel[event.phase]}</span>
      </h2>
      {event.status === "draft" ? (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">Players can register once the event is published.</p>
      ) : (
        <RegistrationPanel event={event} signedIn={signedIn} />
      )}
    </section>
  );
}

function Rules({ rules }: { rules: string }) {
  return (
    <section
      aria-labelledby="rules-heading"
      className="rounded-lg border border-zinc-200 bg-white p-5 shadow-sm dark:border-zinc-800 dark:bg-zinc-900"
    >
      <h2 id="rules-heading" className="text-lg font-semibold">
        Rules
      </h2>
      {rules.trim() ? (
        // Plain text: React escapes it, and pre-wrap keeps the organizer's line breaks and spacing.
        <div className="mt-3 text-sm leading-relaxed break-words whitespace-pre-wrap">{rules}</div>
      ) : (
        <p className="mt-3 text-sm text-zinc-600 dark:text-zinc-400">The organizer has not posted rules yet.</p>
      )}
    </section>
  );
}
