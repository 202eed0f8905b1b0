"use client";

import { ChevronLeft, ChevronRight, Maximize2, ZoomIn, ZoomOut } from "lucide-react";
import { useCallback, useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent, type PointerEvent, type ReactNode } from "react";
import type { BracketVariant } from "./types";

/** A place to jump to: a round's column (its header, or its first card). */
export interface ViewportStop {
  key: string;
  /** The option in the round selector: "Upper · Round 2 of 4 — Quarterfinals". */
  label: string;
  /** The column's own name, for its floating header: "Quarterfinals". */
  name: string;
  /** Options are grouped by this ("Upper bracket"), or not grouped when null. */
  group: string | null;
  x: number;
  y: number;
  /** The round being played. */
  now?: boolean;
  /**
   * A floating header for the column while the window's top edge is between `from` and `to` (its own
   * header scrolled away, cards still in view); `width` is the column's. Null: no floating header.
   */
  sticky: { from: number; to: number; width: number } | null;
}

const MIN_SCALE = 0.03;
const MAX_SCALE = 2;
const STEP = 1.25;
const DRAG_THRESHOLD = 4;

const useIsomorphicLayoutEffect = typeof window === "undefined" ? useEffect : useLayoutEffect;

function reducedMotion(): boolean {
  return typeof window !== "undefined" && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
}

/**
 * A scrollable, zoomable window onto a large drawing. The drawing is laid out once at scale 1; zoom
 * is a CSS transform on a wrapper and a sizer that gives the scroll area the scaled size, both set
 * through refs, and panning is the element's own scroll position, so neither re-renders React and
 * the scrollbars keep working. Drag with the mouse to pan; Ctrl/⌘ + wheel (or a trackpad pinch),
 * a two-finger pinch on touch screens, the buttons, or + / − / 0 on the keyboard to zoom.
 */
export function ZoomPanViewport({
  width,
  height,
  stops,
  initialStop,
  variant,
  label,
  children,
}: {
  width: number;
  height: number;
  stops: ViewportStop[];
  initialStop?: string | null;
  variant: BracketVariant;
  label: string;
  children: ReactNode;
}) {
  const outer = useRef<HTMLElement>(null);
  const sizer = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLDivElement>(null);
  const zoomText = useRef<HTMLSpanElement>(null);
  const scale = useRef(1);
  const size = useRef({ width, height });
  size.current = { width, height };
  const scrollListeners = useRef(new Set<() => void>());
  const latestStops = useRef(stops);
  latestStops.current = stops;
  const floating = useRef<(HTMLDivElement | null)[]>([]);

  /** Shows the floating headers of the columns whose own header has scrolled out of view. */
  const placeFloating = useCallback(() => {
    const element = outer.current;
    if (!element) return;
    const s = scale.current;
    const top = element.scrollTop / s;
    latestStops.current.forEach((stop, index) => {
      const label = floating.current[index];
      if (!label || !stop.sticky) return;
      const visible = top > stop.sticky.from && top < stop.sticky.to && stop.sticky.width * s >= 64;
      label.style.display = visible ? "" : "none";
      if (visible) {
        label.style.left = `${stop.x * s}px`;
        label.style.width = `${stop.sticky.width * s}px`;
      }
    });
  }, []);

  /** Sets the zoom, keeping the drawing point under (clientX, clientY), or the middle, in place. */
  const zoomTo = useCallback(
    (next: number, focus?: { clientX: number; clientY: number }) => {
      const element = outer.current;
      if (!element || !sizer.current || !canvas.current) return;
      const previous = scale.current;
      const target = Math.min(MAX_SCALE, Math.max(MIN_SCALE, next));
      const rect = element.getBoundingClientRect();
      const fx = focus ? focus.clientX - rect.left : element.clientWidth / 2;
      const fy = focus ? focus.clientY - rect.top : element.clientHeight / 2;
      const contentX = (element.scrollLeft + fx) / previous;
      const contentY = (element.scrollTop + fy) / previous;
      scale.current = target;
      sizer.current.style.width = `${Math.ceil(size.current.width * target)}px`;
      sizer.current.style.height = `${Math.ceil(size.current.height * target)}px`;
      canvas.current.style.transform = `scale(${target})`;
      element.scrollLeft = contentX * target - fx;
      element.scrollTop = contentY * target - fy;
      if (zoomText.current) zoomText.current.textContent = `${Math.round(target * 100)}%`;
      placeFloating();
    },
    [placeFloating],
  );

  const fitScale = useCallback(() => {
    const element = outer.current;
    if (!element) return 1;
    const maxHeight = parseFloat(getComputedStyle(element).maxHeight);
    const available = Number.isFinite(maxHeight) ? maxHeight : element.clientHeight;
    const width = element.clientWidth / size.current.width;
    const both = Math.min(1, width, available / size.current.height);
    // A bracket far taller than wide (hundreds of players) would shrink to dust: fit its width instead.
    return both >= 0.2 ? both : Math.min(1, width);
  }, []);

  const jump = useCallback((stop: ViewportStop) => {
    const element = outer.current;
    if (!element) return;
    element.scrollTo({
      left: Math.max(0, stop.x * scale.current - 12),
      top: Math.max(0, stop.y * scale.current - 8),
      behavior: reducedMotion() ? "auto" : "smooth",
    });
  }, []);

  // First paint: full size (embed: fit to the width), then show the current round if it is off screen.
  const initialized = useRef(false);
  useIsomorphicLayoutEffect(() => {
    const element = outer.current;
    if (!element) return;
    if (!initialized.current) {
      initialized.current = true;
      const start = variant === "embed" ? Math.max(0.3, Math.min(1, element.clientWidth / size.current.width)) : 1;
      zoomTo(start);
      element.scrollLeft = 0;
      element.scrollTop = 0;
      const stop = stops.find((candidate) => candidate.key === initialStop);
      if (stop && (stop.x * start + 200 > element.clientWidth || stop.y * start + 80 > element.clientHeight)) {
        element.scrollLeft = Math.max(0, stop.x * start - 12);
        element.scrollTop = Math.max(0, stop.y * start - 8);
      }
    } else {
      zoomTo(scale.current);
    }
  }, [width, height]);

  // Ctrl/⌘ + wheel and two-finger pinch need non-passive listeners to keep the page from zooming.
  useEffect(() => {
    const element = outer.current;
    if (!element) return;
    const onWheel = (event: WheelEvent) => {
      if (!event.ctrlKey && !event.metaKey) return;
      event.preventDefault();
      const delta = event.deltaMode === 1 ? event.deltaY * 16 : event.deltaY;
      zoomTo(scale.current * Math.exp(-delta * 0.0025), event);
    };
    let pinch: { distance: number; scale: number } | null = null;
    const spread = (touches: TouchList) => {
      const [a, b] = [touches[0]!, touches[1]!];
      return {
        distance: Math.hypot(a.clientX - b.clientX, a.clientY - b.clientY),
        clientX: (a.clientX + b.clientX) / 2,
        clientY: (a.clientY + b.clientY) / 2,
      };
    };
    const onTouchStart = (event: TouchEvent) => {
      if (event.touches.length === 2) pinch = { distance: spread(event.touches).distance, scale: scale.current };
    };
    const onTouchMove = (event: TouchEvent) => {
      if (!pinch || event.touches.length !== 2) return;
      if (event.cancelable) event.preventDefault();
      const now = spread(event.touches);
      if (pinch.distance > 0) zoomTo(pinch.scale * (now.distance / pinch.distance), now);
    };
    const onTouchEnd = (event: TouchEvent) => {
      if (event.touches.length < 2) pinch = null;
    };
    element.addEventListener("wheel", onWheel, { passive: false });
    element.addEventListener("touchstart", onTouchStart, { passive: true });
    element.addEventListener("touchmove", onTouchMove, { passive: false });
    element.addEventListener("touchend", onTouchEnd);
    element.addEventListener("touchcancel", onTouchEnd);
    return () => {
      element.removeEventListener("wheel", onWheel);
      element.removeEventListener("touchstart", onTouchStart);
      element.removeEventListener("touchmove", onTouchMove);
      element.removeEventListener("touchend", onTouchEnd);
      element.removeEventListener("touchcancel", onTouchEnd);
    };
  }, [zoomTo]);

  // Mouse drag to pan. A press only becomes a drag after a few pixels, so clicks on cards still work.
  const drag = useRef<{ id: number; x: number; y: number; left: number; top: number; moved: boolean } | null>(null);
  const swallowClick = useRef(false);
  const onPointerDown = (event: PointerEvent<HTMLElement>) => {
    const element = outer.current;
    if (!element || event.pointerType === "touch" || event.button !== 0) return;
    const rect = element.getBoundingClientRect();
    // Presses on the scrollbars are the scrollbars' own.
    if (event.clientX - rect.left > element.clientWidth || event.clientY - rect.top > element.clientHeight) return;
    drag.current = {
      id: event.pointerId,
      x: event.clientX,
      y: event.clientY,
      left: element.scrollLeft,
      top: element.scrollTop,
      moved: false,
    };
  };
  const onPointerMove = (event: PointerEvent<HTMLElement>) => {
    const element = outer.current;
    const state = drag.current;
    if (!element || !state || state.id !== event.pointerId) return;
    const dx = event.clientX - state.x;
    const dy = event.clientY - state.y;
    if (!state.moved) {
      if (Math.hypot(dx, dy) < DRAG_THRESHOLD) return;
      state.moved = true;
      element.setPointerCapture(event.pointerId);
      element.dataset.dragging = "";
    }
    element.scrollLeft = state.left - dx;
    element.scrollTop = state.top - dy;
  };
  const endDrag = (event: PointerEvent<HTMLElement>) => {
    const element = outer.current;
    const state = drag.current;
    if (!element || !state || state.id !== event.pointerId) return;
    drag.current = null;
    if (state.moved) {
      swallowClick.current = true;
      delete element.dataset.dragging;
      if (element.hasPointerCapture(event.pointerId)) element.releasePointerCapture(event.pointerId);
      setTimeout(() => (swallowClick.current = false), 0);
    }
  };

  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === "+" || event.key === "=") zoomTo(scale.current * STEP);
    else if (event.key === "-" || event.key === "_") zoomTo(scale.current / STEP);
    else if (event.key === "0") zoomTo(fitScale());
    else return;
    event.preventDefault();
  };

  const frame = useRef(0);
  const onScroll = () => {
    if (frame.current) return;
    frame.current = requestAnimationFrame(() => {
      frame.current = 0;
      placeFloating();
      for (const listener of scrollListeners.current) listener();
    });
  };

  /**
   * The round the window shows: the rightmost column starting at or left of the window's left edge;
   * of columns one above the other (upper and lower rounds), the lowest one starting above the
   * window's middle.
   */
  const visibleStop = useCallback(() => {
    const element = outer.current;
    if (!element || stops.length === 0) return 0;
    const s = scale.current;
    const left = (element.scrollLeft + 48) / s;
    const middle = (element.scrollTop + element.clientHeight / 2) / s;
    let x = -Infinity;
    for (const stop of stops) if (stop.x <= left && stop.x > x) x = stop.x;
    if (x === -Infinity) x = Math.min(...stops.map((stop) => stop.x));
    let best = -1;
    stops.forEach((stop, index) => {
      if (stop.x !== x) return;
      const current = stops[best];
      if (!current) best = index;
      else if (stop.y <= middle && (current.y > middle || stop.y > current.y)) best = index;
    });
    return Math.max(0, best);
  }, [stops]);

  const subscribe = useCallback((listener: () => void) => {
    scrollListeners.current.add(listener);
    return () => void scrollListeners.current.delete(listener);
  }, []);

  const embed = variant === "embed";
  const button =
    "inline-flex size-8 shrink-0 items-center justify-center rounded-md text-zinc-700 hover:bg-zinc-200 disabled:opacity-40 dark:text-zinc-300 dark:hover:bg-zinc-800";
  return (
    <div
      className={embed ? "" : "overflow-hidden rounded-lg border border-zinc-200 bg-white shadow-sm dark:border-zinc-800 dark:bg-zinc-900"}
    >
      {embed ? null : (
        <div className="flex flex-wrap items-center justify-between gap-x-3 gap-y-1 border-b border-zinc-200 px-2 py-1.5 dark:border-zinc-800">
          {stops.length > 1 ? (
            <RoundSelect
              stops={stops}
              jump={jump}
              subscribe={subscribe}
              current={visibleStop}
              buttonClass={button}
              initialStop={initialStop}
            />
          ) : (
            <span />
          )}
          <fieldset className="ml-auto flex min-w-0 items-center gap-0.5" aria-label="Zoom">
            <span className="mr-2 hidden text-xs text-zinc-500 lg:inline dark:text-zinc-400">Drag to pan · Ctrl + wheel to zoom</span>
            <button
              type="button"
              className={button}
              aria-label="Zoom out"
              title="Zoom out (−)"
              onClick={() => zoomTo(scale.current / STEP)}
            >
              <ZoomOut aria-hidden className="size-4" />
            </button>
            <span ref={zoomText} aria-hidden className="w-11 text-center text-xs tabular-nums text-zinc-600 dark:text-zinc-400">
              100%
            </span>
            <button type="button" className={button} aria-label="Zoom in" title="Zoom in (+)" onClick={() => zoomTo(scale.current * STEP)}>
              <ZoomIn aria-hidden className="size-4" />
            </button>
            <button type="button" className={button} aria-label="Fit the whole bracket" title="Fit (0)" onClick={() => zoomTo(fitScale())}>
              <Maximize2 aria-hidden className="size-4" />
            </button>
          </fieldset>
        </div>
      )}
      <section
        ref={outer}
        aria-label={label}
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scroll container keyboard users must be able to focus to pan it with the arrow keys (WCAG 2.1.1)
        tabIndex={0}
        className={`relative cursor-grab overflow-auto select-none [touch-action:pan-x_pan-y] data-[dragging]:cursor-grabbing ${
          embed ? "max-h-dvh [scrollbar-width:none]" : "max-h-[75dvh] bg-zinc-50 dark:bg-zinc-950"
        }`}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={endDrag}
        onPointerCancel={endDrag}
        onClickCapture={(event) => {
          if (!swallowClick.current) return;
          event.preventDefault();
          event.stopPropagation();
        }}
        onDragStart={(event) => event.preventDefault()}
        onKeyDown={onKeyDown}
        onScroll={onScroll}
      >
        <div aria-hidden className="pointer-events-none sticky top-0 z-10 h-0">
          {stops.map((stop, index) =>
            stop.sticky ? (
              <div
                key={stop.key}
                ref={(element) => {
                  floating.current[index] = element;
                }}
                style={{ display: "none" }}
                className={`absolute top-1 truncate rounded-md border px-2 py-0.5 text-xs font-semibold shadow-sm ${
                  stop.now
                    ? "border-brand-500 bg-brand-50/95 text-brand-800 dark:bg-zinc-900/95 dark:text-brand-300"
                    : "border-zinc-200 bg-white/95 text-zinc-800 dark:border-zinc-700 dark:bg-zinc-900/95 dark:text-zinc-200"
                }`}
              >
                {stop.name}
              </div>
            ) : null,
          )}
        </div>
        <div ref={sizer} className="relative" style={{ width, height }}>
          <div ref={canvas} className="absolute top-0 left-0 origin-top-left" style={{ width, height, transform: "scale(1)" }}>
            {children}
          </div>
        </div>
      </section>
    </div>
  );
}

function RoundSelect({
  stops,
  jump,
  subscribe,
  current,
  buttonClass,
  initialStop,
}: {
  stops: ViewportStop[];
  jump: (stop: ViewportStop) => void;
  subscribe: (listener: () => void) => () => void;
  current: () => number;
  buttonClass: string;
  initialStop?: string | null;
}) {
  const [index, setIndex] = useState(() =>
    Math.max(
      0,
      stops.findIndex((stop) => stop.key === initialStop),
    ),
  );
  const jumping = useRef(0);
  useEffect(() => {
    setIndex(current());
    return subscribe(() => {
      if (Date.now() < jumping.current) return;
      setIndex(current());
    });
  }, [subscribe, current]);
  const go = (next: number) => {
    const stop = stops[next];
    if (!stop) return;
    setIndex(next);
    // A smooth scroll passes other rounds on its way: keep the chosen one shown meanwhile.
    jumping.current = Date.now() + (reducedMotion() ? 0 : 700);
    jump(stop);
  };
  const groups: { name: string | null; items: { stop: ViewportStop; index: number }[] }[] = [];
  stops.forEach((stop, i) => {
    const last = groups[groups.length - 1];
    if (last && last.name === stop.group) last.items.push({ stop, index: i });
    else groups.push({ name: stop.group, items: [{ stop, index: i }] });
  });
  const option = ({ stop, index: i }: { stop: ViewportStop; index: number }) => (
    <option key={stop.key} value={i}>
      {stop.label}
    </option>
  );
  return (
    <div className="flex w-full min-w-0 items-center gap-0.5 sm:w-auto">
      <button type="button" className={buttonClass} aria-label="Previous round" disabled={index <= 0} onClick={() => go(index - 1)}>
        <ChevronLeft aria-hidden className="size-4" />
      </button>
      <select
        aria-label="Jump to round"
        value={index}
        onChange={(event) => go(Number(event.target.value))}
        className="h-8 min-w-0 flex-1 truncate rounded-md border border-zinc-300 bg-white px-2 text-sm text-zinc-900 sm:w-80 sm:flex-none dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100"
      >
        {groups.map((group) =>
          group.name ? (
            <optgroup key={group.name} label={group.name}>
              {group.items.map(option)}
            </optgroup>
          ) : (
            group.items.map(option)
          ),
        )}
      </select>
      <button
        type="button"
        className={buttonClass}
        aria-label="Next round"
        disabled={index >= stops.length - 1}
        onClick={() => go(index + 1)}
      >
        <ChevronRight aria-hidden className="size-4" />
      </button>
    </div>
  );
}
