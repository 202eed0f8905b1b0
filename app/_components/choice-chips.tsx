"use client";

/** One choice out of a few, shown as pill-shaped radio buttons (e.g. a list's status filter). */
export function ChoiceChips<T extends string>({
  name,
  legend,
  options,
  value,
  onChange,
}: {
  name: string;
  /** Read by screen readers only. */
  legend: string;
  options: Record<T, string>;
  value: T;
  onChange: (value: T) => void;
}) {
  return (
    <fieldset className="flex flex-wrap gap-2">
      <legend className="sr-only">{legend}</legend>
      {(Object.keys(options) as T[]).map((option) => (
        <label
          key={option}
          className={`cursor-pointer rounded-full border px-3 py-1 text-sm font-medium focus-within:ring-2 focus-within:ring-brand-500 ${
            value === option
              ? "border-brand-500 bg-brand-50 text-zinc-950 dark:bg-brand-800 dark:text-white"
              : "border-zinc-300 text-zinc-700 dark:border-zinc-700 dark:text-zinc-300"
          }`}
        >
          <input type="radio" name={name} value={option} checked={value === option} onChange={() => onChange(option)} className="sr-only" />
          {options[option]}
        </label>
      ))}
    </fieldset>
  );
}
