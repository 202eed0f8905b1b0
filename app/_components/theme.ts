/**
 * The colour theme a visitor chose: follow the system (the default) or always light or dark. Kept in
 * a cookie so the server renders `<html data-theme>` already right (no flash of the wrong theme);
 * globals.css turns the attribute into Tailwind's `dark:` variant.
 */
export const THEME_COOKIE = "driftwood-theme";

export const THEMES = { system: "System", light: "Light", dark: "Dark" } as const;

export type Theme = keyof typeof THEMES;

export function themeOf(value: string | undefined): Theme {
  return value === "light" || value === "dark" ? value : "system";
}
