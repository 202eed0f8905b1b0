/**
 * The composition root: what each domain contributes to the shared machinery, one line per domain,
 * as server/root.ts does for routers. Domains below never import this file; entry points do (the
 * web server's start-up, the worker, the tRPC root, route handlers, scripts, the test set-up).
 */

// ---- Job handlers (graphile-worker tasks and schedules) ----

// ---- Payment purposes and live-topic access rules ----
// Payments and live own the registries (server/registry.ts); each domain that sells something or
// shows a topic says here what its payments do and who may follow its topics. The registries live
// on globalThis, so what the start-up registers is seen by every Next.js chunk; each entry point
// imports this file too, so none depends on another having run first.

import { mayFollowUserTopic } from "@/server/accounts/live-access";
import { mayFollowBracketTopic, mayFollowMatchTopic } from "@/server/brackets/live-access";
import { mayFollowRoomTopic } from "@/server/chat/live-access";
import { mayFollowEventTopic } from "@/server/events/live-access";
import { registerTopicAccess } from "@/server/live/topics";
import { registerPaymentPurposes } from "@/server/payments/purposes";
import { registrationPaymentHooks } from "@/server/registration/payment-hooks";
import { walletTopupPurpose } from "@/server/wallet/topup-purpose";

registerPaymentPurposes({ wallet_topup: walletTopupPurpose });
registerPaymentPurposes({ registration: registrationPaymentHooks });

registerTopicAccess({ user: mayFollowUserTopic });
registerTopicAccess({ event: mayFollowEventTopic });
registerTopicAccess({ bracket: mayFollowBracketTopic, match: mayFollowMatchTopic });
registerTopicAccess({ room: mayFollowRoomTopic });
