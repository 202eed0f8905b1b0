import { TRPCError } from "@trpc/server";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { createRequestContext } from "@/server/context";
import { logger, runWithRequestId } from "@/server/logger";
import { requestIdFrom } from "@/server/request-id";
import { readLimitedBody, TRPC_MAX_BATCH, TRPC_MAX_BODY_BYTES, withBody } from "@/server/request-body";
import { appRouter } from "@/server/root";
import { CROSS_SITE_MESSAGE, isCrossSiteWrite } from "@/server/same-origin";

async function handler(original: Request) {
  const requestId = requestIdFrom(original.headers);
  // Read at most 1 MB of body before tRPC parses it; past that, tRPC sees none and the context
  // refuses every call in words (so the answer keeps tRPC's shape and status).
  const body = original.method === "POST" ? await readLimitedBody(original, TRPC_MAX_BODY_BYTES) : null;
  const req = body ? withBody(original, body.ok ? body.body : new Uint8Array()) : original;
  return runWithRequestId(requestId, () =>
    fetchRequestHandler({
      endpoint: "/api/trpc",
      req,
      router: appRouter,
      createContext: ({ info }) => {
        if (isCrossSiteWrite(req.method, req.headers)) throw new TRPCError({ code: "FORBIDDEN", message: CROSS_SITE_MESSAGE });
        if (body && !body.ok) {
          throw new TRPCError({
            code: "PAYLOAD_TOO_LARGE",
            message: `A request may carry at most ${TRPC_MAX_BODY_BYTES / 1024 / 1024} MB.`,
          });
        }
        if (info.calls.length > TRPC_MAX_BATCH) {
          throw new TRPCError({
            code: "BAD_REQUEST",
            message: `A request may carry at most ${TRPC_MAX_BATCH} calls; this one carried ${info.calls.length}.`,
          });
        }
        return createRequestContext({ headers: req.headers, requestId, url: req.url });
      },
      responseMeta: ({ type }) => {
        const headers = new Headers({ "x-request-id": requestId });
        // A mutation answers with a few hundred bytes that no cache may keep: gzipping them costs
        // the server more than it saves (5% of its CPU in bench:checkout), and no-transform is what
        // makes Next.js's compression leave a response alone.
        if (type === "mutation") headers.set("cache-control", "no-store, no-transform");
        return { headers };
      },
      onError: ({ error, path }) => {
        if (error.code === "INTERNAL_SERVER_ERROR") {
          logger.error({ procedure: path, err: error.cause ?? error }, "tRPC request failed");
        }
      },
    }),
  );
}

export { handler as GET, handler as POST };
