import type { Firestore } from "firebase-admin/firestore";
import { z } from "zod";
import type { Db } from "@/db/client";
import { defineJob, type JobHandlers } from "@/server/jobs/handlers";
import { getLiveFirestore } from "./firebase";
import {
  LIVE_PUBLISH_FIRESTORE_TASK,
  LIVE_RESYNC_FIRESTORE_TASK,
  publishTopicToFirestore,
  resyncTopicInFirestore,
  type PublishOptions,
} from "./firestore-publisher";
import { PRUNE_LIVE_EVENTS_TASK, pruneLiveEvents } from "./prune";
import { isLiveTopic } from "./topics-name";

/** The live domain's jobs, gathered with the other domains' in server/composition.ts. */
export interface LiveJobDeps {
  db: Db;
  /**
   * Who may read the private topics' Firestore documents, from the domains that own them (chat's
   * rooms, brackets' draft events): live imports neither.
   */
  topicReaders: PublishOptions;
}

type FirestoreTopicJob = (deps: LiveJobDeps, firestore: Firestore, topic: string) => Promise<unknown>;

/** A job on one live topic's Firestore copy (queued only when Firestore is configured). */
const onLiveFirestore = (task: string, run: FirestoreTopicJob) =>
  defineJob({
    task,
    payload: z.object({ topic: z.string() }),
    run: async (deps: LiveJobDeps, { topic }) => {
      // A topic of a kind no longer published: nothing to copy.
      if (!isLiveTopic(topic)) return;
      const firestore = getLiveFirestore();
      // Firestore was turned off after the job was queued: nothing to publish to.
      if (!firestore) return;
      await run(deps, await firestore, topic);
    },
  });

/** Copies a live topic's latest state to Firestore. */
const publishToFirestore = onLiveFirestore(LIVE_PUBLISH_FIRESTORE_TASK, ({ db, topicReaders }, firestore, topic) =>
  publishTopicToFirestore(db, firestore, topic, topicReaders),
);

/** Rewrites the events already copied to Firestore from PostgreSQL, after content was taken back. */
const resyncInFirestore = onLiveFirestore(LIVE_RESYNC_FIRESTORE_TASK, ({ db, topicReaders }, firestore, topic) =>
  resyncTopicInFirestore(db, firestore, topic, topicReaders),
);

/** Announcements past their replay window go. */
const pruneAnnouncements = defineJob({
  task: PRUNE_LIVE_EVENTS_TASK,
  payload: z.object({}),
  run: async ({ db }: LiveJobDeps) => {
    await pruneLiveEvents(db);
  },
});

export const liveJobHandlers: JobHandlers<LiveJobDeps> = {
  handlers: [publishToFirestore, resyncInFirestore, pruneAnnouncements],
  schedules: [{ task: PRUNE_LIVE_EVENTS_TASK, pattern: "17 * * * *" }],
};
