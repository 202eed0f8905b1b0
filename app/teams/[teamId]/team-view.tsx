"use client";

import type { Team } from "./team";
import { useMutation, useSuspenseQuery } from "@tanstack/react-query";
import { ArrowLeft, Crown } from "lucide-react";
import Link from "next/link";
import { useRef, useState } from "react";
import { Avatar } from "@/app/_components/avatar";
import { Alert, Button, Card } from "@/app/_components/ui";
import { useLive } from "@/app/_live/use-live";
import { useTRPC } from "@/app/_trpc/react";
import { TagBadge, TeamLogo } from "../team-logo";
import { InviteForm, LogoCard, PendingInvites } from "./captain-tools";
import { ConfirmPanel } from "./confirm-button";
import { LeaveCard } from "./leave-card";
import { useTeamAction } from "./use-team-action";

export function TeamView({ teamId, viewerId }: { teamId: string; viewerId: string }) {
  const trpc = useTRPC();
  const { data: team } = useSuspenseQuery(trpc.teams.get.queryOptions({ teamId }));
  // Members joining or leaving and invites answered or revoked are announced on the user topic of
  // each member and invitee (server/teams/live.ts), so this page follows the viewer's own.
  const { status: live } = useLive(`user:${viewerId}`, { invalidate: [trpc.teams.pathKey()] });
  const isCaptain = team.viewerRole === "captain";
  const hasSidebar = team.viewerRole !== null;

  return (
    <div className="space-y-6" data-live={live}>
      <Link
        href="/teams"
        className="inline-flex items-center gap-1 text-sm font-medium text-zinc-600 hover:text-zinc-950 dark:text-zinc-400 dark:hover:text-white"
      >
        <ArrowLeft aria-hidden className="size-4" />
        Your teams
      </Link>
      <TeamHeading team={team} />
      {team.lockedBy ? (
        <Alert tone="info">
          The roster is locked: {team.lockedBy} has started check-in. Nobody can join, leave or be removed until it is over.
        </Alert>
      ) : null}
      {team.myInviteId ? <InviteBanner team={team} inviteId={team.myInviteId} /> : null}
      <div className={hasSidebar ? "grid gap-6 lg:grid-cols-[minmax(0,1fr)_22rem] lg:items-start" : ""}>
        <div className="space-y-6">
          <MembersCard team={team} viewerId={viewerId} />
          {isCaptain ? <PendingInvites team={team} /> : null}
        </div>
        {hasSidebar ? (
          <div className="space-y-6">
            {isCaptain ? (
              <>
                <InviteForm team={team} />
                <LogoCard team={team} />
              </>
            ) : null}
            <LeaveCard team={team} />
          </div>
        ) : null}
      </div>
    </div>
  );
}

function TeamHeading({ team }: { team: Team }) {
  return (
    <div className="flex items-center gap-4">
      <TeamLogo tag={team.tag} logo={team.logo} size={72} alt={`${team.name} logo`} />
      <div className="min-w-0">
        <h1 className="flex flex-wrap items-center gap-x-3 gap-y-1 text-2xl font-bold tracking-tight sm:text-3xl">
          <span className="break-words">{team.name}</span>
          <TagBadge tag={team.tag} />
        </h1>
        <p className="mt-1 text-zinc-600 dark:text-zinc-400">
          {team.members.length} of {team.maxMembers} members
          {team.activeEntries > 0 ? ` · entered in ${team.activeEntries} ${team.activeEntries === 1 ? "tournament" : "tournaments"}` : ""}
        </p>
      </div>
    </div>
  );
}

function InviteBanner({ team, inviteId }: { team: Team; inviteId: string }) {
  const trpc = useTRPC();
  const respond = useMutation(trpc.teams.respond.mutationOptions());
  const run = useTeamAction();
  const answer = (response: "accept" | "decline") =>
    run(() => respond.mutateAsync({ inviteId, response }), response === "accept" ? `Welcome to ${team.name}!` : "Invite declined.");
  return (
    <section
      aria-labelledby="invite-banner-heading"
      className="flex flex-col gap-3 rounded-lg border border-brand-300 bg-brand-50 p-4 sm:flex-row sm:items-center dark:border-brand-800 dark:bg-zinc-900"
    >
      <div className="flex-1">
        <h2 id="invite-banner-heading" className="font-semibold">
          You&apos;re invited to join {team.name}
        </h2>
        <p className="text-sm text-zinc-700 dark:text-zinc-300">
          Accept to appear on the roster; the captain can then enter the team in tournaments.
        </p>
      </div>
      <div className="flex gap-2">
        <Button
          className="flex-1 sm:flex-none"
          disabled={respond.isPending || team.lockedBy !== null}
          onClick={() => void answer("accept")}
        >
          Accept
        </Button>
        <Button
          variant="secondary"
          className="flex-1 sm:flex-none disabled:opacity-50"
          disabled={respond.isPending}
          onClick={() => void answer("decline")}
        >
          Decline
        </Button>
      </div>
    </section>
  );
}

function MembersCard({ team, viewerId }: { team: Team; viewerId: string }) {
  return (
    <Card className="self-start">
      <section aria-labelledby="members-heading">
        <h2 id="members-heading" className="text-lg font-semibold">
          Members
        </h2>
        <ul className="mt-2 divide-y divide-zinc-200 dark:divide-zinc-800">
          {team.members.map((member) => (
            <MemberRow key={member.userId} team={team} member={member} isSelf={member.userId === viewerId} />
          ))}
        </ul>
      </section>
    </Card>
  );
}

function MemberRow({ team, member, isSelf }: { team: Team; member: Team["members"][number]; isSelf: boolean }) {
  const trpc = useTRPC();
  const remove = useMutation(trpc.teams.remove.mutationOptions());
  const transfer = useMutation(trpc.teams.transferCaptaincy.mutationOptions());
  const run = useTeamAction();
  const [asking, setAsking] = useState<"captain" | "remove" | null>(null);
  const captainButton = useRef<HTMLButtonElement>(null);
  const removeButton = useRef<HTMLButtonElement>(null);
  const manage = team.viewerRole === "captain" && !isSelf;

  function closeQuestion() {
    const opener = asking === "captain" ? captainButton : removeButton;
    setAsking(null);
    requestAnimationFrame(() => opener.current?.focus());
  }

  return (
    <li className="py-3" data-testid="team-member">
      <div className="flex flex-wrap items-center gap-x-3 gap-y-2">
        <Avatar name={member.name} image={member.image} size={40} />
        <div className="min-w-0 flex-1">
          <p className="truncate font-medium">
            {member.name}
            {isSelf ? <span className="font-normal text-zinc-600 dark:text-zinc-400"> (you)</span> : null}
          </p>
          <p className="flex items-center gap-1 text-sm text-zinc-600 dark:text-zinc-400">
            {member.role === "captain" ? (
              <>
                <Crown aria-hidden className="size-4 text-brand-600 dark:text-brand-400" />
                Captain
              </>
            ) : (
              "Member"
            )}
          </p>
        </div>
        {manage ? (
          <div className="flex w-full gap-2 pl-[52px] sm:w-auto sm:pl-0">
            <Button
              ref={captainButton}
              variant="secondary"
              className="px-3 py-1.5 disabled:opacity-50"
              aria-label={`Make ${member.name} captain`}
              aria-expanded={asking === "captain"}
              disabled={asking !== null}
              onClick={() => setAsking("captain")}
            >
              Make captain
            </Button>
            <Button
              ref={removeButton}
              variant="secondary"
              className="px-3 py-1.5 disabled:opacity-50"
              aria-label={`Remove ${member.name}`}
              aria-expanded={asking === "remove"}
              disabled={asking !== null || team.lockedBy !== null}
              onClick={() => setAsking("remove")}
            >
              Remove
            </Button>
          </div>
        ) : null}
      </div>
      {asking === "captain" ? (
        <div className="mt-3">
          <ConfirmPanel
            question={`Make ${member.name} the captain of ${team.name}? You become a member and can no longer manage the team.`}
            confirmLabel="Yes, make captain"
            pendingLabel="Handing over…"
            onCancel={closeQuestion}
            onConfirm={() =>
              run(
                () => transfer.mutateAsync({ teamId: team.id, userId: member.userId }),
                `${member.name} is now the captain of ${team.name}.`,
              )
            }
          />
        </div>
      ) : null}
      {asking === "remove" ? (
        <div className="mt-3">
          <ConfirmPanel
            question={`Remove ${member.name} from ${team.name}? They will need a new invite to come back.`}
            confirmLabel="Yes, remove"
            pendingLabel="Removing…"
            onCancel={closeQuestion}
            onConfirm={() =>
              run(() => remove.mutateAsync({ teamId: team.id, userId: member.userId }), `${member.name} was removed from ${team.name}.`)
            }
          />
        </div>
      ) : null}
    </li>
  );
}
