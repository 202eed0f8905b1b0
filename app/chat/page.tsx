import type { Metadata } from "next";
import { Suspense } from "react";
import { requireUser } from "@/server/accounts/session";
import { ChatApp } from "./chat-app";

export const metadata: Metadata = { title: "Chat" };

export default async function ChatPage({ searchParams }: { searchParams: Promise<{ room?: string | string[] }> }) {
  const { room } = await searchParams;
  // Notifications link to /chat?room=<id>: after signing in, come back to that room.
  const user = await requireUser(typeof room === "string" && room ? `/chat?room=${encodeURIComponent(room)}` : "/chat");
  return (
    // The open room is read from ?room= in the browser, so switching rooms needs no server round trip.
    <Suspense fallback={null}>
      <ChatApp viewer={{ id: user.id, name: user.name, image: user.image }} />
    </Suspense>
  );
}
