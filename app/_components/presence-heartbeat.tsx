"use client";

import { useMutation } from "@tanstack/react-query";
import { useEffect } from "react";
import { useTRPC } from "@/app/_trpc/react";
import { useDocumentVisible } from "./chat/use-document-active";

/** The server counts a player online for 60 s after a heartbeat. */
const HEARTBEAT_MS = 30_000;

/** Tells chat the signed-in player is here, every 30 s while the tab is visible. Mounted once, in the header. */
export function PresenceHeartbeat() {
  const trpc = useTRPC();
  const { mutate: beat } = useMutation(trpc.chat.heartbeat.mutationOptions({ retry: false }));
  const visible = useDocumentVisible();
  useEffect(() => {
    if (!visible) return;
    beat();
    const timer = setInterval(() => beat(), HEARTBEAT_MS);
    return () => clearInterval(timer);
  }, [visible, beat]);
  return null;
}

/**
 * Tells chat which room the player has open, every 30 s while the tab is visible, and that they
 * closed it on leaving: a room's "N online" counts the people who have it open.
 */
export function useRoomPresence(roomId: string) {
  const trpc = useTRPC();
  const { mutate: beat } = useMutation(trpc.chat.heartbeat.mutationOptions({ retry: false }));
  const visible = useDocumentVisible();
  useEffect(() => {
    if (!visible) return;
    beat({ roomId });
    const timer = setInterval(() => beat({ roomId }), HEARTBEAT_MS);
    return () => {
      clearInterval(timer);
      beat({ roomId: null });
    };
  }, [visible, beat, roomId]);
}
