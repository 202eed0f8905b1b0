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
      responseMeta: () => ({ headers: new Headers({ "x-request-id": requestId }) }),
      onError: ({ error, path }) => {
        if (error.code === "INTERNAL_SERVER_ERROR") {
          logger.error({ procedure: path, err: error.cause ?? error }, "tRPC request failed");
        }
      },
    }),
  );
}

export { handler as GET, handler as POST };
