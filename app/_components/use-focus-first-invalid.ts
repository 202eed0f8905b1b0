"use client";

import { type RefObject, useEffect } from "react";

/**
 * After a submit that came back with field errors, puts the focus on the first field marked
 * invalid: a screen reader then reads its label and its error (the field's aria-describedby).
 */
export function useFocusFirstInvalid(form: RefObject<HTMLFormElement | null>, fieldErrors: Record<string, string[]>) {
  useEffect(() => {
    if (Object.keys(fieldErrors).length === 0) return;
    form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [form, fieldErrors]);
}
