import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { createRequestContext } from "@/server/context";
import { logger, requestIdFrom, runWithRequestId } from "@/server/logger";
import { MAX_API_BATCH, MAX_API_BODY_BYTES } from "@/server/input-bounds";
import { appRouter } from "@/server/root";

/**
 * The request with its body cut off past MAX_API_BODY_BYTES, declared length or not: tRPC then
 * fails to parse it (400) instead of holding an unbounded body in memory.
 */
function capped(req: Request): Request {
  if (!req.body) return req;
  const declared = Number(req.headers.get("content-length") ?? 0);
  let bytes = 0;
  const body = req.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      start(controller) {
        if (declared > MAX_API_BODY_BYTES) controller.error(new Error(tooLarge));
      },
      transform(chunk, controller) {
        bytes += chunk.byteLength;
        if (bytes > MAX_API_BODY_BYTES) controller.error(new Error(tooLarge));
        else controller.enqueue(chunk);
      },
    }),
  );
  return new Request(req, { body, duplex: "half" } as RequestInit);
}

const tooLarge = `The request is larger than ${MAX_API_BODY_BYTES / 1024 / 1024} MB.`;

function handler(req: Request) {
  const requestId = requestIdFrom(req.headers);
  return runWithRequestId(requestId, () =>
    fetchRequestHandler({
      endpoint: "/api/trpc",
      req: capped(req),
      router: appRouter,
      maxBatchSize: MAX_API_BATCH,
      createContext: () => createRequestContext({ headers: req.headers, requestId, url: req.url }),
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
