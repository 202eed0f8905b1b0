import Link from "next/link";
import { buttonClass, Card } from "@/app/_components/ui";
import { getDb } from "@/db/client";
import { getCurrentUser } from "@/server/accounts/session";
import { listGames } from "@/server/games/service";

export default async function HomePage() {
  const [user, games] = await Promise.all([getCurrentUser(), getDb().then(listGames)]);
  return (
    <div className="space-y-12">
      <section className="rounded-2xl bg-gradient-to-br from-zinc-900 to-zinc-800 px-6 py-12 text-white sm:px-12 sm:py-16">
        <h1 className="max-w-2xl text-3xl font-bold tracking-tight sm:text-5xl">Tournaments that pay out right and never go stale.</h1>
        <p className="mt-4 max-w-xl text-lg text-zinc-300">
          Register with your wallet or card and never be charged twice. Watch brackets move the moment a result is
          confirmed. Chat with your team in real time.
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
      <section aria-labelledby="games-heading">
        <h2 id="games-heading" className="text-xl font-semibold">
          Games on Driftwood
        </h2>
        {games.length === 0 ? (
          <p className="mt-3 text-zinc-600 dark:text-zinc-400">No games have been added yet.</p>
        ) : (
          <ul className="mt-4 grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-6">
            {games.map((game) => (
              <li key={game.id}>
                <Card className="p-4 text-center">
                  <p className="font-semibold">{game.name}</p>
                  <p className="mt-1 text-xs text-zinc-600 dark:text-zinc-400">{game.handleLabel}</p>
                </Card>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
