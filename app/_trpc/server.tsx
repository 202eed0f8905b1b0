import "server-only";
import { dehydrate, type FetchInfiniteQueryOptions, type FetchQueryOptions, HydrationBoundary, type QueryKey } from "@tanstack/react-query";
import { createTRPCOptionsProxy } from "@trpc/tanstack-react-query";
import { headers } from "next/headers";
import { cache } from "react";
import { requestIdFrom } from "@/server/request-id";
import { createRequestContext } from "@/server/context";
import { appRouter } from "@/server/root";
import { makeQueryClient } from "./query-client";

export const getQueryClient = cache(makeQueryClient);

const createContext = cache(async () => {
  const requestHeaders = new Headers(await headers());
  return createRequestContext({ headers: requestHeaders, requestId: requestIdFrom(requestHeaders) });
});

/** Server components call procedures through this proxy to prefetch what client components read. */
export const trpc = createTRPCOptionsProxy({ ctx: createContext, router: appRouter, queryClient: getQueryClient });

export function HydrateClient({ children }: { children: React.ReactNode }) {
  return <HydrationBoundary state={dehydrate(getQueryClient())}>{children}</HydrationBoundary>;
}

/**
 * Loads a query on the server for the client components to hydrate. Await it: a client component
 * reading with useQuery must find the data on both sides, or the markup differs and React throws
 * a hydration error.
 */
export function prefetch<TQueryFnData, TError, TData, TQueryKey extends QueryKey>(
  queryOptions: FetchQueryOptions<TQueryFnData, TError, TData, TQueryKey>,
): Promise<void>;
export function prefetch<TQueryFnData, TError, TData, TQueryKey extends QueryKey, TPageParam>(
  queryOptions: FetchInfiniteQueryOptions<TQueryFnData, TError, TData, TQueryKey, TPageParam>,
): Promise<void>;
export function prefetch(queryOptions: FetchQueryOptions | FetchInfiniteQueryOptions): Promise<void> {
  const queryClient = getQueryClient();
  // tRPC marks an infinite query's key: [path, { type: "infinite", ... }].
  if (isInfinite(queryOptions)) return queryClient.prefetchInfiniteQuery(queryOptions);
  return queryClient.prefetchQuery(queryOptions);
}

function isInfinite(queryOptions: FetchQueryOptions | FetchInfiniteQueryOptions): queryOptions is FetchInfiniteQueryOptions {
  const meta = queryOptions.queryKey[1];
  return typeof meta === "object" && meta !== null && "type" in meta && meta.type === "infinite";
}
