"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { toast } from "sonner";
import { fieldErrorsOf } from "@/app/_components/errors";
import { useTRPC } from "@/app/_trpc/react";
import type { EventFormat } from "@/lib/event-values";
import type { Seeding } from "./labels";

/**
 * Everything the organizer chooses before the start (seeding, the manual order, the format's
 * settings), the field as it would be seeded, and the start itself.
 */
export function useBracketStart(eventId: string, format: EventFormat) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [seeding, setSeeding] = useState<Seeding>("registration");
  const [seedText, setSeedText] = useState("");
  const [order, setOrder] = useState<string[] | null>(null);
  const [moved, setMoved] = useState("");
  const [thirdPlace, setThirdPlace] = useState(false);
  const [grandFinal, setGrandFinal] = useState<"none" | "single" | "reset">("reset");
  const [groups, setGroups] = useState("1");
  const [meetings, setMeetings] = useState<"1" | "2">("1");
  const [swissRounds, setSwissRounds] = useState("");
  const [bestOf, setBestOf] = useState("1");
  const [finalsBestOf, setFinalsBestOf] = useState("");
  const [reportMinutes, setReportMinutes] = useState("30");
  const [confirming, setConfirming] = useState(false);

  // Manual seeding starts from the registration order; the preview is only asked for the field.
  const previewSeeding = seeding === "manual" ? "registration" : seeding;
  const preview = useQuery({
    ...trpc.brackets.previewSeeding.queryOptions({
      eventId,
      seeding: previewSeeding,
      randomSeed: previewSeeding === "random" && seedText.trim() ? seedText.trim() : undefined,
    }),
    retry: false,
    placeholderData: (previous) => previous,
  });

  useEffect(() => {
    if (seeding === "random" && !seedText && !preview.isPlaceholderData && preview.data?.randomSeed) setSeedText(preview.data.randomSeed);
  }, [seeding, seedText, preview.isPlaceholderData, preview.data?.randomSeed]);

  const entries = preview.data?.entries ?? [];
  const byId = new Map(entries.map((entry) => [entry.registrationId, entry]));
  // Entries that checked in after the order was made go to the end; withdrawn ones drop out.
  const baseOrder = (order ?? []).filter((id) => byId.has(id));
  const manualOrder = [...baseOrder, ...entries.map((entry) => entry.registrationId).filter((id) => !baseOrder.includes(id))];
  const shown = seeding === "manual" ? manualOrder.map((id, index) => ({ ...byId.get(id)!, seed: index + 1 })) : entries;

  const chooseSeeding = (next: Seeding) => {
    if (next === "manual" && !order) setOrder(entries.map((entry) => entry.registrationId));
    setSeeding(next);
  };

  const move = (from: number, to: number) => {
    if (to < 0 || to >= manualOrder.length || from === to) return;
    const next = [...manualOrder];
    const [id] = next.splice(from, 1);
    next.splice(to, 0, id!);
    setOrder(next);
    setMoved(`${byId.get(id!)?.name ?? "Entry"} is now seed ${to + 1}.`);
  };

  const start = useMutation(
    trpc.brackets.start.mutationOptions({
      onSuccess: async () => {
        setConfirming(false);
        toast.success("The bracket has started.");
        await queryClient.invalidateQueries({ queryKey: trpc.brackets.get.queryKey({ eventId }) });
      },
      onError: () => setConfirming(false),
    }),
  );
  const errors = fieldErrorsOf(start.error);

  const settings = {
    thirdPlace,
    grandFinal,
    groups: Math.max(1, Number(groups) || 1),
    meetings: Number(meetings) as 1 | 2,
    swissRounds: format === "swiss" && swissRounds ? Number(swissRounds) : undefined,
    bestOf: finalsBestOf ? { default: Number(bestOf), overrides: { finals: Number(finalsBestOf) } } : Number(bestOf),
  };
  const submit = () =>
    start.mutate({
      eventId,
      seeding,
      randomSeed: seeding === "random" ? seedText.trim() || undefined : undefined,
      order: seeding === "manual" ? manualOrder : undefined,
      settings,
      reportMinutes: Number(reportMinutes),
    });

  return {
    format,
    seeding,
    chooseSeeding,
    seedText,
    setSeedText,
    preview,
    entries,
    shown,
    moved,
    move,
    /** The form's values as typed, with their setters. */
    values: { thirdPlace, grandFinal, groups, meetings, swissRounds, bestOf, finalsBestOf, reportMinutes },
    set: { setThirdPlace, setGrandFinal, setGroups, setMeetings, setSwissRounds, setBestOf, setFinalsBestOf, setReportMinutes },
    start,
    errors,
    submit,
    confirming,
    setConfirming,
  };
}

export type BracketStart = ReturnType<typeof useBracketStart>;
