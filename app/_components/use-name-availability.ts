"use client";

import { useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useTRPC } from "@/app/_trpc/react";
import { displayNameSchema } from "@/server/accounts/schemas";

export type NameAvailability = "idle" | "checking" | "available" | "taken";

/**
 * Whether another account has `name` or a look-alike of it, asked once typing pauses. "idle" while
 * the name is not a valid display name (the form says why at submit), is `unchanged` (the profile's
 * current name) or the check failed: the server decides at submit in any case.
 */
export function useNameAvailability(name: string, options: { unchanged?: string } = {}): NameAvailability {
  const trpc = useTRPC();
  const [settled, setSettled] = useState(name);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(name), 400);
    return () => clearTimeout(timer);
  }, [name]);
  const parsed = displayNameSchema.safeParse(settled);
  const asked = parsed.success ? parsed.data : "";
  const enabled = parsed.success && asked !== options.unchanged?.trim();
  const check = useQuery({
    ...trpc.account.nameAvailable.queryOptions({ name: asked }),
    enabled,
    staleTime: 30_000,
    retry: false,
  });
  if (!enabled || check.isError) return "idle";
  if (settled !== name || check.isPending) return "checking";
  return check.data.available ? "available" : "taken";
}
