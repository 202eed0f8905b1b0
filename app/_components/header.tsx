import Link from "next/link";
import { hasRole, type SessionUser } from "@/server/accounts/roles";
import { signOutAction } from "@/app/actions";
import { ChatLink } from "./chat-link";
import { MobileNav, NavLinks, type NavItem } from "./nav-links";
import { NotificationBell } from "./notification-bell";
import { PresenceHeartbeat } from "./presence-heartbeat";
import { buttonClass } from "./ui";
import { UserMenu } from "./user-menu";

function navItems(user: SessionUser | null): NavItem[] {
  const items: NavItem[] = [{ href: "/events", label: "Events" }];
  if (user) items.push({ href: "/matches", label: "My matches" }, { href: "/teams", label: "Teams" }, { href: "/wallet", label: "Wallet" });
  if (hasRole(user, "organizer")) items.push({ href: "/organizer", label: "Organizer" });
  if (hasRole(user, "admin")) items.push({ href: "/admin/users", label: "Admin" });
  return items;
}

export function Header({ user }: { user: SessionUser | null }) {
  const items = navItems(user);
  const guestLinks = (
    <div className="flex shrink-0 items-center gap-1 sm:gap-2">
      <Link href="/sign-in" className={buttonClass("ghost", "whitespace-nowrap max-sm:px-3")}>
        Sign in
      </Link>
      <Link href="/sign-up" className={buttonClass("primary", "whitespace-nowrap max-sm:px-3")}>
        Sign up
      </Link>
    </div>
  );
  return (
    <header className="sticky top-0 z-30 border-b border-zinc-200 bg-zinc-50/90 backdrop-blur dark:border-zinc-800 dark:bg-zinc-950/90">
      <div className="relative mx-auto flex h-16 max-w-6xl items-center gap-4 px-4">
        <MobileNav items={items} />
        <Link href="/" className="flex items-center gap-2 text-lg font-bold tracking-tight">
          <span aria-hidden className="inline-block size-6 rounded bg-gradient-to-br from-brand-400 to-brand-700" />
          Driftwood
        </Link>
        <NavLinks items={items} />
        <div className="ml-auto flex items-center gap-1">
          {user ? (
            <>
              <PresenceHeartbeat />
              <ChatLink userId={user.id} />
              <NotificationBell userId={user.id} />
              <UserMenu user={{ name: user.name, email: user.email, image: user.image, role: user.role }} signOutAction={signOutAction} />
            </>
          ) : (
            guestLinks
          )}
        </div>
      </div>
    </header>
  );
}
