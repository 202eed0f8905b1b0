/* eslint-disable @next/next/no-img-element */
export function Avatar({ name, image, size = 32 }: { name: string; image: string | null; size?: number }) {
  const initials = name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((part) => part[0]!.toUpperCase())
    .join("");
  const style = { width: size, height: size };
  if (image) return <img src={image} alt="" style={style} className="shrink-0 rounded-full object-cover" />;
  return (
    <span
      aria-hidden
      style={{ ...style, fontSize: Math.max(10, size * 0.4) }}
      className="inline-flex shrink-0 items-center justify-center rounded-full bg-brand-100 font-bold text-brand-800 dark:bg-brand-800 dark:text-brand-100"
    >
      {initials || "?"}
    </span>
  );
}
