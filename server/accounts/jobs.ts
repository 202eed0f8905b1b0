import type { Db } from "@/db/client";
import { defineJob, type JobHandlers } from "@/server/jobs/handlers";
import { defaultMailer } from "@/server/mail";
import { accountEmailPayload, SEND_ACCOUNT_EMAIL_TASK, sendAccountEmail } from "./account-emails";

/** The accounts domain's jobs, gathered with the other domains' in server/composition.ts. */
export interface AccountsJobDeps {
  db: Db;
}

/** Security emails: reset and verification links, notices of password and email changes. */
const sendAccountEmailJob = defineJob({
  task: SEND_ACCOUNT_EMAIL_TASK,
  payload: accountEmailPayload,
  run: async ({ db }: AccountsJobDeps, payload) => {
    await sendAccountEmail(db, defaultMailer(), payload);
  },
});

export const accountsJobHandlers: JobHandlers<AccountsJobDeps> = {
  handlers: [sendAccountEmailJob],
};
