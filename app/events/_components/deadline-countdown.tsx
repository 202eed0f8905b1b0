"use client";

import { useEffect, useRef, useSyncExternalStore } from "react";
import { useCountdown } from "@/app/_components/use-countdown";
import { LocalTime } from "@/app/wallet/local-time";
import { clockDuration, shortDuration, spokenDuration } from "./duration";

const never = () => () => {};

interface Props {
  /** "Registration closes", from nextDeadline. */
  label: string;
  at: Date;
  /** "short": "2d 4h" for cards; "clock": "03:12:45", ticking each second, for the event page. */
  variant?: "short" | "clock";
  /** Called once when the deadline passes, e.g. to fetch the event's new phase. */
  onElapsed?: () => void;
  className?: string;
}

/**
 * "Registration closes in 2d 4h". The server cannot know how long is left when the page
 * arrives, so it renders the deadline itself and the browser takes over after hydration.
 */
export function DeadlineCountdown({ label, at, variant = "short", onElapsed, className = "" }: Props) {
  const inBrowser = useSyncExternalStore(
    never,
    () => true,
    () => false,
  );
  const seconds = useCountdown(at.getTime());
  const elapsedFor = useRef<number | null>(null);

  useEffect(() => {
    if (!inBrowser || seconds > 0 || at.getTime() > Date.now() || elapsedFor.current === at.getTime()) return;
    elapsedFor.current = at.getTime();
    onElapsed?.();
  }, [inBrowser, seconds, at, onElapsed]);

  if (!inBrowser) {
    return (
      <span className={className}>
        {label} <LocalTime date={at} />
      </span>
    );
  }
  const spoken = seconds > 0 ? `${label} in ${spokenDuration(seconds)}` : `${label} now`;
  const shown = variant === "clock" ? clockDuration(seconds) : shortDuration(seconds);
  return (
    <span role="timer" aria-live="off" aria-label={spoken} className={className}>
      {seconds > 0 ? (
        <>
          {label} in <span className={`whitespace-nowrap tabular-nums ${variant === "clock" ? "font-mono" : ""}`}>{shown}</span>
        </>
      ) : (
        `${label} now`
      )}
    </span>
  );
}
