import Link from "next/link";
import { buttonClass } from "@/app/_components/ui";
import { getQueryClient, trpc } from "@/app/_trpc/server";
import { EventCard } from "@/app/events/_components/event-card";
import { getDb } from "@/server/database";
import { getCurrentUser } from "@/server/accounts/session";
import type { EventSummary } from "@/server/events/service";
import { listGames } from "@/server/games/service";

/** The next few public events (live ones and those starting soonest); null if they could not be loaded. */
async function upcomingEvents(): Promise<EventSummary[] | null> {
  try {
    const list = await getQueryClient().fetchQuery({ ...trpc.events.list.queryOptions({ sort: "soonest", pageSize: 3 }), retry: false });
    return list.events;
  } catch {
    return null;
  }
}

export default async function HomePage() {
  const [user, games, events] = await Promise.all([getCurrentUser(), getDb().then(listGames), upcomingEvents()]);
  return (
    <div className="space-y-12">
      <section className="rounded-2xl bg-gradient-to-br from-zinc-900 to-zinc-800 px-6 py-12 text-white sm:px-12 sm:py-16">
        <h1 className="max-w-2xl text-3xl font-bold tracking-tight sm:text-5xl">Tournaments that pay out right and never go stale.</h1>
        <p className="mt-4 max-w-xl text-lg text-zinc-300">
          Register with your wallet or card and never be charged twice. Watch brackets move the moment a result is confirmed. Chat with your
          team in real time.
        </p>
        <div className="mt-8 flex flex-wrap gap-3">
          <Link href="/events" className={buttonClass("primary")}>
            Browse events
          </Link>
          {user ? (
            <Link href="/profile" className={buttonClass("secondary")}>
              Your profile
            </Link>
          ) : (
            <Link href="/sign-up" className={buttonClass("secondary")}>
              Create an account
            </Link>
          )}
        </div>
      </section>
      <section aria-labelledby="events-heading">
        <div className="flex items-baseline justify-between gap-3">
          <h2 id="events-heading" className="text-xl font-semibold">
            Upcoming and live events
          </h2>
          <Link href="/events" className="shrink-0 text-sm font-medium text-brand-700 underline underline-offset-2 dark:text-brand-300">
            See all events
          </Link>
        </div>
        {events === null ? (
          <p className="mt-3 text-zinc-600 dark:text-zinc-400">We could not load events right now. Try the events page in a moment.</p>
        ) : events.length === 0 ? (
          <p className="mt-3 text-zinc-600 dark:text-zinc-400">No events are open right now. Organizers publish new ones every week.</p>
        ) : (
          <ul className="mt-4 grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
            {events.map((event) => (
              <li key={event.id}>
                <EventCard event={event} />
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="games-heading">
        <h2 id="games-heading" className="text-xl font-semibold">
          Games on Driftwood
        </h2>
        {games.length === 0 ? (
          <p className="mt-3 text-zinc-600 dark:text-zinc-400">No games have been added yet.</p>
        ) : (
          <ul className="mt-4 grid auto-rows-fr grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-6">
            {games.map((game) => (
              <li key={game.id} className="flex">
                <Link
                  href={`/events?game=${encodeURIComponent(game.slug)}`}
                  className="flex w-full flex-col justify-center rounded-lg border border-zinc-200 bg-white p-4 text-center shadow-sm transition-colors hover:border-brand-400 dark:border-zinc-800 dark:bg-zinc-900 dark:hover:border-brand-700"
                >
                  <span className="font-semibold">{game.name}</span>
                  <span className="mt-1 text-xs text-zinc-600 dark:text-zinc-400">
                    {game.handleLabel}
                    <span className="sr-only"> · see its events</span>
                  </span>
                </Link>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
