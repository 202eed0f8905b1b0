"use client";

import { useState } from "react";
import { setThemeAction } from "@/app/actions";
import { ChoiceChips } from "./choice-chips";
import { THEMES, type Theme } from "./theme";

/** Light, dark, or whatever the device says: applied at once, remembered for a year on this browser. */
export function ThemeSwitch({ initial }: { initial: Theme }) {
  const [theme, setTheme] = useState<Theme>(initial);
  function choose(next: Theme) {
    setTheme(next);
    const root = document.documentElement;
    if (next === "system") delete root.dataset.theme;
    else root.dataset.theme = next;
    // Remembered by the server, which renders the next page in it; a failure only forgets the choice.
    void setThemeAction(next).catch(() => {});
  }
  return (
    <div className="flex items-center gap-2">
      <span aria-hidden className="text-sm text-zinc-600 dark:text-zinc-400">
        Theme
      </span>
      <ChoiceChips name="theme" legend="Colour theme" options={THEMES} value={theme} onChange={choose} />
    </div>
  );
}
