import type { ComponentProps, ReactNode } from "react";

/** Controls app/_components/field.tsx does not have yet, styled to match it. */

const areaClass =
  "block w-full rounded-md border bg-white px-3 py-2 text-base text-zinc-900 shadow-sm placeholder:text-zinc-500 sm:text-sm dark:bg-zinc-900 dark:text-zinc-100 dark:placeholder:text-zinc-500";

function Messages({ id, errors, hint }: { id: string; errors?: string[]; hint?: ReactNode }) {
  if (errors?.length) {
    return (
      <p id={`${id}-error`} className="text-sm font-medium text-red-700 dark:text-red-400">
        {errors.join(" ")}
      </p>
    );
  }
  return hint ? (
    <p id={`${id}-hint`} className="text-sm text-zinc-600 dark:text-zinc-400">
      {hint}
    </p>
  ) : null;
}

const describedBy = (id: string, errors?: string[], hint?: ReactNode) => (errors?.length ? `${id}-error` : hint ? `${id}-hint` : undefined);

type TextAreaProps = ComponentProps<"textarea"> & { id: string; label: string; errors?: string[]; hint?: ReactNode };

export function TextAreaField({ id, label, errors, hint, className = "", ...area }: TextAreaProps) {
  const invalid = Boolean(errors?.length);
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium">
        {label}
      </label>
      <textarea
        id={id}
        aria-invalid={invalid || undefined}
        aria-describedby={describedBy(id, errors, hint)}
        className={`${areaClass} ${invalid ? "border-red-600 dark:border-red-500" : "border-zinc-300 dark:border-zinc-700"} ${className}`}
        {...area}
      />
      <Messages id={id} errors={errors} hint={hint} />
    </div>
  );
}

interface RadioGroupProps<T extends string> {
  id: string;
  name: string;
  legend: string;
  value: T;
  options: { value: T; label: string; description?: string }[];
  onChange: (value: T) => void;
  errors?: string[];
  disabled?: boolean;
  hint?: ReactNode;
}

export function RadioGroup<T extends string>({ id, name, legend, value, options, onChange, errors, disabled, hint }: RadioGroupProps<T>) {
  const invalid = Boolean(errors?.length);
  return (
    <fieldset id={id} aria-describedby={describedBy(id, errors, hint)} className="space-y-2" disabled={disabled}>
      <legend className="text-sm font-medium">{legend}</legend>
      <div className="grid gap-2 sm:grid-cols-2">
        {options.map((option) => (
          <label
            key={option.value}
            className={`flex cursor-pointer items-start gap-3 rounded-md border px-3 py-2 text-sm has-[:checked]:border-brand-500 has-[:checked]:bg-brand-50 has-[:disabled]:cursor-not-allowed has-[:disabled]:opacity-70 dark:has-[:checked]:bg-zinc-800 ${invalid ? "border-red-600 dark:border-red-500" : "border-zinc-300 dark:border-zinc-700"}`}
          >
            <input
              type="radio"
              name={name}
              value={option.value}
              checked={value === option.value}
              aria-invalid={invalid || undefined}
              aria-describedby={option.description ? `${id}-${option.value}-description` : undefined}
              onChange={() => onChange(option.value)}
              className="mt-0.5 accent-brand-500"
            />
            <span>
              <span className="block font-medium">{option.label}</span>
              {option.description ? (
                // Read as the radio's description, not as part of its name.
                <span id={`${id}-${option.value}-description`} aria-hidden className="block text-zinc-600 dark:text-zinc-400">
                  {option.description}
                </span>
              ) : null}
            </span>
          </label>
        ))}
      </div>
      <Messages id={id} errors={errors} hint={hint} />
    </fieldset>
  );
}
