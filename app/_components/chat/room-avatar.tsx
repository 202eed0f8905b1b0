import { Swords, Users } from "lucide-react";
import { Avatar } from "@/app/_components/avatar";

/** A room's picture: the other player (with an online dot) in a direct room, an icon otherwise. */
export function RoomAvatar({
  kind,
  title,
  image,
  online,
  size = 40,
}: {
  kind: "direct" | "match" | "event";
  title: string;
  image: string | null;
  online?: boolean;
  size?: number;
}) {
  if (kind === "direct") {
    return (
      <span className="relative inline-flex shrink-0">
        <Avatar name={title} image={image} size={size} />
        {online ? (
          <span aria-hidden className="absolute right-0 bottom-0 size-3 rounded-full bg-emerald-500 ring-2 ring-white dark:ring-zinc-900" />
        ) : null}
      </span>
    );
  }
  const Icon = kind === "match" ? Swords : Users;
  return (
    <span
      aria-hidden
      style={{ width: size, height: size }}
      className={`inline-flex shrink-0 items-center justify-center rounded-full ${
        kind === "match"
          ? "bg-sky-100 text-sky-800 dark:bg-sky-900 dark:text-sky-100"
          : "bg-violet-100 text-violet-800 dark:bg-violet-900 dark:text-violet-100"
      }`}
    >
      <Icon className="size-1/2" />
    </span>
  );
}
