import { z } from "zod";
import type { Db } from "@/db/client";
import { defineJob, type JobHandlers } from "@/server/jobs/handlers";
import {
  CLEAN_UNATTACHED_EVIDENCE_TASK,
  cleanUnattachedEvidence,
  DELETE_EVIDENCE_FILES_TASK,
  deleteEvidenceFiles,
} from "./evidence-uploads";
import { fileStore } from "./provider";

/** The storage domain's jobs, gathered with the other domains' in server/composition.ts. */
export interface StorageJobDeps {
  db: Db;
}

/** Rows of uploads never attached within a day; their files go in DELETE_EVIDENCE_FILES_TASK, queued with the deletion. */
const cleanUnattached = defineJob({
  task: CLEAN_UNATTACHED_EVIDENCE_TASK,
  payload: z.object({}),
  run: async ({ db }: StorageJobDeps) => {
    await cleanUnattachedEvidence(db);
  },
});

const deleteFiles = defineJob({
  task: DELETE_EVIDENCE_FILES_TASK,
  payload: z.object({ evidenceIds: z.array(z.string()) }),
  run: async (_deps: StorageJobDeps, { evidenceIds }) => {
    await deleteEvidenceFiles(fileStore(), evidenceIds);
  },
});

export const storageJobHandlers: JobHandlers<StorageJobDeps> = {
  handlers: [cleanUnattached, deleteFiles],
  // Hourly, so a file goes 24 to 25 hours after its upload.
  schedules: [{ task: CLEAN_UNATTACHED_EVIDENCE_TASK, pattern: "47 * * * *" }],
};
