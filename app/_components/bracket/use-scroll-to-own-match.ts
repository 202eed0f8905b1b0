"use client";

import { useEffect, useRef } from "react";

/** Below Tailwind's `md`: where the bracket is wider than the screen and a player hunts for their match. */
const PHONE = "(max-width: 767px)";

/**
 * On a phone, scrolls the bracket once to the signed-in player's own match (its card links to
 * `/matches/<matchId>`), centred in the bracket's scroll area and the page. Only the first time a
 * match is known: later live updates never move the page under the player's thumb.
 */
export function useScrollToOwnMatch(matchId: string | null | undefined): void {
  const done = useRef(false);
  useEffect(() => {
    if (done.current || !matchId || typeof window === "undefined" || !window.matchMedia(PHONE).matches) return;
    const frame = requestAnimationFrame(() => {
      const card = document.querySelector<HTMLElement>(`[href="/matches/${CSS.escape(matchId)}"]`);
      if (!card) return;
      done.current = true;
      const still = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
      card.scrollIntoView({ block: "center", inline: "center", behavior: still ? "auto" : "smooth" });
    });
    return () => cancelAnimationFrame(frame);
  }, [matchId]);
}
