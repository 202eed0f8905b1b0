import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { createRequestContext } from "@/server/context";
import { logger, requestIdFrom, runWithRequestId } from "@/server/logger";
import { appRouter } from "@/server/root";

function handler(req: Request) {
  const requestId = requestIdFrom(req.headers);
  return runWithRequestId(requestId, () =>
    fetchRequestHandler({
      endpoint: "/api/trpc",
      req,
      router: appRouter,
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
