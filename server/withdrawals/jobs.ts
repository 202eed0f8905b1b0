import { z } from "zod";
import type { Db } from "@/db/client";
import { defineJob, type JobHandlers } from "@/server/jobs/handlers";
import type { PaymentGateway } from "@/server/payments/gateway";
import { sendPayout } from "./payouts";
import { SEND_PAYOUT_TASK } from "./requests";

export interface WithdrawalsJobDeps {
  db: Db;
  gateway: PaymentGateway;
}

/** An approved withdrawal's payout: asked of the gateway under the withdrawal's own key, so a retry is the same payout. */
const sendWithdrawalPayout = defineJob({
  task: SEND_PAYOUT_TASK,
  payload: z.object({ withdrawalId: z.uuid() }),
  run: async ({ db, gateway }: WithdrawalsJobDeps, { withdrawalId }) => {
    await sendPayout(db, gateway, withdrawalId);
  },
});

export const withdrawalsJobHandlers: JobHandlers<WithdrawalsJobDeps> = {
  handlers: [sendWithdrawalPayout],
};
