import type { ComponentProps, ReactNode } from "react";

const inputClass =
  "block w-full rounded-md border bg-white px-3 py-2 text-base text-zinc-900 shadow-sm placeholder:text-zinc-500 sm:text-sm dark:bg-zinc-900 dark:text-zinc-100 dark:placeholder:text-zinc-500 disabled:cursor-not-allowed disabled:bg-zinc-100 disabled:text-zinc-600 dark:disabled:bg-zinc-800 dark:disabled:text-zinc-400";

function borderFor(invalid: boolean) {
  return invalid ? "border-red-600 dark:border-red-500" : "border-zinc-300 dark:border-zinc-700";
}

interface FieldShellProps {
  id: string;
  label: string;
  errors?: string[];
  hint?: ReactNode;
  /** Shown after the error, inside it: a way out the error offers ("Sign in instead"). */
  errorAction?: ReactNode;
  children: ReactNode;
}

function FieldShell({ id, label, errors, hint, errorAction, children }: FieldShellProps) {
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium">
        {label}
      </label>
      {children}
      {hint && !errors?.length ? (
        <p id={`${id}-hint`} className="text-sm text-zinc-600 dark:text-zinc-400">
          {hint}
        </p>
      ) : null}
      {errors?.length ? (
        <p id={`${id}-error`} className="text-sm font-medium text-red-700 dark:text-red-400">
          {errors.join(" ")}
          {errorAction ? <> {errorAction}</> : null}
        </p>
      ) : null}
    </div>
  );
}

function describedBy(id: string, errors?: string[], hint?: ReactNode) {
  if (errors?.length) return `${id}-error`;
  return hint ? `${id}-hint` : undefined;
}

type TextFieldProps = ComponentProps<"input"> & { id: string; label: string; errors?: string[]; hint?: ReactNode; errorAction?: ReactNode };

export function TextField({ id, label, errors, hint, errorAction, className = "", ...input }: TextFieldProps) {
  const invalid = Boolean(errors?.length);
  return (
    <FieldShell id={id} label={label} errors={errors} hint={hint} errorAction={errorAction}>
      <input
        id={id}
        aria-invalid={invalid || undefined}
        aria-describedby={describedBy(id, errors, hint)}
        className={`${inputClass} ${borderFor(invalid)} ${className}`}
        {...input}
      />
    </FieldShell>
  );
}

type SelectFieldProps = ComponentProps<"select"> & { id: string; label: string; errors?: string[]; hint?: ReactNode };

export function SelectField({ id, label, errors, hint, className = "", children, ...select }: SelectFieldProps) {
  const invalid = Boolean(errors?.length);
  return (
    <FieldShell id={id} label={label} errors={errors} hint={hint}>
      <select
        id={id}
        aria-invalid={invalid || undefined}
        aria-describedby={describedBy(id, errors, hint)}
        className={`${inputClass} ${borderFor(invalid)} ${className}`}
        {...select}
      >
        {children}
      </select>
    </FieldShell>
  );
}
