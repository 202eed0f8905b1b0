import { TRPCError } from "@trpc/server";

/** "OK", or the TRPCError code the call failed with; any other error fails the test. */
export async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return "OK";
  } catch (error) {
    if (error instanceof TRPCError) return error.code;
    throw error;
  }
}
