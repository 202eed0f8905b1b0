import { TRPCError } from "@trpc/server";
import { DomainError } from "@/server/errors";
import { trpcCodeOf } from "@/server/trpc";

/**
 * "OK", or the tRPC code the call failed with: a TRPCError's own, or the code a domain error maps
 * to (what a procedure would answer with); any other error fails the test.
 */
export async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return "OK";
  } catch (error) {
    if (error instanceof TRPCError) return error.code;
    if (error instanceof DomainError) return trpcCodeOf(error);
    throw error;
  }
}
