/* eslint-disable @next/next/no-img-element */

/** The team's uploaded logo, or its tag on a tile. `alt` is empty when the name is printed beside it. */
export function TeamLogo({ tag, logo, size = 40, alt = "" }: { tag: string; logo: string | null; size?: number; alt?: string }) {
  const style = { width: size, height: size };
  if (logo) {
    return (
      <img
        src={logo}
        alt={alt}
        style={style}
        className="shrink-0 rounded-md bg-white object-cover ring-1 ring-zinc-200 dark:bg-zinc-800 dark:ring-zinc-700"
      />
    );
  }
  const tile = {
    style: { ...style, fontSize: Math.max(10, size / Math.max(2.6, tag.length * 0.95)) },
    className:
      "inline-flex shrink-0 items-center justify-center rounded-md bg-gradient-to-br from-brand-400 to-brand-700 font-mono font-bold tracking-tight text-white",
  };
  if (!alt) {
    return (
      <span aria-hidden {...tile}>
        {tag}
      </span>
    );
  }
  return (
    <span role="img" aria-label={alt} {...tile}>
      {tag}
    </span>
  );
}

export function TagBadge({ tag }: { tag: string }) {
  return (
    <span className="rounded bg-zinc-200 px-1.5 py-0.5 font-mono text-xs font-semibold text-zinc-800 dark:bg-zinc-800 dark:text-zinc-200">
      <span className="sr-only">Tag </span>
      {tag}
    </span>
  );
}
