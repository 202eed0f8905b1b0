/** A passkey prompt's failure in words: cancelled, not supported, or something else. */
export function passkeyErrorMessage(error: unknown): string {
  const name = error instanceof Error ? error.name : "";
  if (name === "NotAllowedError" || name === "AbortError") return "The passkey request was cancelled or timed out. Please try again.";
  if (name === "InvalidStateError") return "This device already has a passkey for your account.";
  if (name === "NotSupportedError" || (typeof window !== "undefined" && !window.PublicKeyCredential)) {
    return "This browser cannot use passkeys. Try another browser or device.";
  }
  return "Your passkey could not be used. Please try again.";
}

/** An error whose message is already in words for the person (a passkey prompt that failed). */
export class PasskeyPromptError extends Error {
  override name = "PasskeyPromptError";
}

/** Runs the browser's passkey prompt; its failures come out as PasskeyPromptError. */
export async function promptPasskey<T>(prompt: () => Promise<T>): Promise<T> {
  try {
    return await prompt();
  } catch (error) {
    throw new PasskeyPromptError(passkeyErrorMessage(error));
  }
}
