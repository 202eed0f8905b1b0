"use client";

import { useId, useRef, type FocusEvent, type PointerEvent, type ReactNode } from "react";
import type { Bracket, EntrantId } from "@/server/brackets/engine/types";

/**
 * Following a player through the bracket. Every element that belongs to an entrant carries a short
 * key: a side row or table row `data-ek="e4"`, a card or connector `data-eks="e4 e9"` (everyone in it).
 * Hovering or focusing one writes a few CSS rules into a <style> element, so a 500-match bracket
 * lights up a path without React rendering anything. Keys, not entrant ids, go into selectors: ids
 * are opaque strings.
 */

const keyMaps = new WeakMap<readonly unknown[], Map<EntrantId, string>>();

/** Entrant id to its key ("e" + index in the bracket's entrant list); stable for a bracket's entrants. */
export function entrantKeys(bracket: Pick<Bracket, "entrants">): Map<EntrantId, string> {
  let keys = keyMaps.get(bracket.entrants);
  if (!keys) {
    keys = new Map(bracket.entrants.map((entrant, index) => [entrant.id, `e${index}`]));
    keyMaps.set(bracket.entrants, keys);
  }
  return keys;
}

/** The rules that light up `keys` inside the scope `scope`. */
export function highlightRules(scope: string, keys: readonly string[], mode: "follow" | "mark"): string {
  if (keys.length === 0) return "";
  const root = `[data-hl="${scope}"]`;
  const rows = keys.map((key) => `${root} [data-ek="${key}"]`).join(",");
  const cells = keys.map((key) => `${root} tr[data-ek="${key}"]>*`).join(",");
  const lines = keys.map((key) => `${root} path[data-eks~="${key}"]`).join(",");
  if (mode === "mark") {
    const firstCells = keys.map((key) => `${root} tr[data-ek="${key}"]>:first-child`).join(",");
    return `${rows},${firstCells}{box-shadow:inset 3px 0 0 var(--color-brand-500)}${lines}{stroke:var(--color-brand-500);stroke-width:2.5px}`;
  }
  const others = `${root} [data-eks]${keys.map((key) => `:not([data-eks~="${key}"])`).join("")}`;
  return `${others}{opacity:.35}${rows},${cells}{background-color:var(--hl-row)}${lines}{stroke:var(--color-brand-500);stroke-width:3px;opacity:1}`;
}

export function HighlightScope({ children, mark, className = "" }: { children: ReactNode; mark?: string | null; className?: string }) {
  const scope = useId();
  const style = useRef<HTMLStyleElement>(null);
  const shown = useRef("");
  const focused = useRef<string[]>([]);

  const show = (keys: readonly string[]) => {
    const text = highlightRules(scope, keys, "follow");
    if (text === shown.current || !style.current) return;
    shown.current = text;
    style.current.textContent = text;
  };

  const keysAt = (target: EventTarget): string[] => {
    if (!(target instanceof Element)) return [];
    const row = target.closest<HTMLElement>("[data-ek]");
    if (row?.dataset.ek) return [row.dataset.ek];
    return [];
  };

  const onPointerOver = (event: PointerEvent) => {
    // Not while the bracket is being dragged: the path under the pointer changes on every card.
    if (event.target instanceof Element && event.target.closest("[data-dragging]")) return;
    const keys = keysAt(event.target);
    show(keys.length > 0 ? keys : focused.current);
  };
  const onPointerLeave = () => show(focused.current);
  const onFocus = (event: FocusEvent) => {
    const target = event.target as HTMLElement;
    const card = target.closest<HTMLElement>("[data-eks]");
    focused.current = card?.dataset.eks ? card.dataset.eks.split(" ").filter(Boolean) : keysAt(target);
    show(focused.current);
  };
  const onBlur = (event: FocusEvent) => {
    if (event.relatedTarget instanceof Node && event.currentTarget.contains(event.relatedTarget)) return;
    focused.current = [];
    show([]);
  };

  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: delegated listeners for a visual highlight only; the cards inside are what takes focus and clicks
    <div
      data-hl={scope}
      className={`[--hl-row:var(--color-brand-100)] dark:[--hl-row:#4a2a0c] ${className}`}
      onPointerOver={onPointerOver}
      onPointerLeave={onPointerLeave}
      onFocus={onFocus}
      onBlur={onBlur}
    >
      <style ref={style} />
      {mark ? <style>{highlightRules(scope, [mark], "mark")}</style> : null}
      {children}
    </div>
  );
}
